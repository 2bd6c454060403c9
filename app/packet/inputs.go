package packet

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Extensions are the file types a packet can be built from (lower case).
var Extensions = []string{".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}

// FilesIn lists the files of a folder (not its subfolders) that a packet can take, in name order.
func FilesIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && slices.Contains(Extensions, strings.ToLower(filepath.Ext(e.Name()))) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// LargestFirst returns the indexes of paths, largest file first (ties in the given order). Files read
// in parallel are handed out in this order, so that no worker is left with a long file at the end
// while the others are idle.
func LargestFirst(paths []string) []int {
	size := make([]int64, len(paths))
	order := make([]int, len(paths))
	for i, p := range paths {
		order[i] = i
		if st, err := os.Stat(p); err == nil {
			size[i] = st.Size()
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return size[order[a]] > size[order[b]] })
	return order
}
