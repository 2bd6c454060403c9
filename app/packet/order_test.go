package packet

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
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
	// A PDF whose startxref leads nowhere is damaged: it is read first, whatever its size; a sound one
	// (its table where it says) keeps its place by size.
	sound := filepath.Join(dir, "sound.pdf")
	writeTestPDF(t, sound, [][]string{page("x")}, time.Time{})
	data, err := os.ReadFile(sound)
	if err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(dir, "damaged.pdf")
	cut := bytes.LastIndex(data, []byte("startxref"))
	if err := os.WriteFile(damaged, append(data[:cut:cut], "startxref\n9\n%%EOF\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	got := LargestFirst([]string{paths[1], sound, damaged})
	if got[0] != 2 {
		t.Fatalf("order %v, want the damaged file first", got)
	}
	if xrefMisplaced(sound, int64(len(data))) {
		t.Error("a sound PDF taken for a damaged one")
	}
}

// Pages with text are rendered only when another page has the same text; what counts stays the same:
// same text and same look. The same words laid out differently are not duplicates, in one file or
// across files; the same page in two files is.
func TestDuplicatesNeedSameTextAndLook(t *testing.T) {
	dir := t.TempDir()
	body := page("Visit: 2024-01-01", "Body")
	shifted := append([]string{""}, body...) // an empty line first: same text, drawn lower
	a := filepath.Join(dir, "a.pdf")
	writeTestPDF(t, a, [][]string{body, shifted, page("Something else")}, time.Time{})
	b := filepath.Join(dir, "b.pdf")
	writeTestPDF(t, b, [][]string{shifted, page("Other words")}, time.Time{})
	c := filepath.Join(dir, "c.pdf")
	writeTestPDF(t, c, [][]string{page("Unique page"), body}, time.Time{})
	ia := Inspect(context.Background(), a, testPatient, Options{})
	ib := Inspect(context.Background(), b, testPatient, Options{})
	ic := Inspect(context.Background(), c, testPatient, Options{})
	for _, in := range []*Input{ia, ib, ic} {
		if in.Err != nil {
			t.Fatal(in.Err)
		}
	}
	if len(ia.DupOf) != 0 {
		t.Fatalf("same text drawn differently counted as a duplicate in one file: %+v", ia.DupOf)
	}
	if ia.isPending(0) || ia.isPending(1) || !ia.isPending(2) {
		t.Fatal("pages 1 and 2 share their text and must be rendered, page 3 need not")
	}
	MarkDuplicates([]*Input{ia, ib, ic})
	if d, ok := ib.DupOf[1]; !ok || d.Doc != ia || d.Page != 2 || len(ib.DupOf) != 1 {
		t.Errorf("b page 1 is a's page 2: dups %+v", ib.DupOf)
	}
	if d, ok := ic.DupOf[2]; !ok || d.Doc != ia || d.Page != 1 || len(ic.DupOf) != 1 {
		t.Errorf("c page 2 is a's page 1: dups %+v", ic.DupOf)
	}
	if len(ia.DupOf) != 0 {
		t.Errorf("dups in a %+v", ia.DupOf)
	}
}
