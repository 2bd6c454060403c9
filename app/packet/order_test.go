package packet

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestLargestFirst(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, n := range []int{10, 300, 20, 300, 5} {
		p := filepath.Join(dir, fmt.Sprintf("f%d.pdf", i))
		if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	paths = append(paths, filepath.Join(dir, "missing.pdf")) // unreadable: last
	if got := fmt.Sprint(LargestFirst(paths)); got != "[1 3 2 0 4 5]" {
		t.Fatalf("order %s, want [1 3 2 0 4 5]", got)
	}
}
