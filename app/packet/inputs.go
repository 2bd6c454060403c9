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
