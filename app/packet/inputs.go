package packet

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
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

// LargestFirst returns the indexes of paths, largest file first (ties in the given order), except that
// PDFs whose cross-reference table is not where they say come before all others: they are damaged,
// and their pages are drawn, which takes far longer than their size says. Files read in parallel are
// handed out in this order, so that no worker is left with a long file at the end while the others
// are idle.
func LargestFirst(paths []string) []int {
	size := make([]int64, len(paths))
	damaged := make([]bool, len(paths))
	order := make([]int, len(paths))
	for i, p := range paths {
		order[i] = i
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			size[i] = st.Size()
			damaged[i] = xrefMisplaced(p, st.Size())
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		if x, y := damaged[order[a]], damaged[order[b]]; x != y {
			return x
		}
		return size[order[a]] > size[order[b]]
	})
	return order
}

// xrefMisplaced reports whether the PDF at path (size bytes) has a "startxref" near its end whose
// offset does not lead to a cross-reference table ("xref") or stream ("N G obj"). It reads two small
// pieces of the file and parses nothing else; a file that is not a PDF is not misplaced.
func xrefMisplaced(path string, size int64) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8)
	if _, err := f.ReadAt(head, 0); err != nil || !bytes.HasPrefix(head, []byte("%PDF-")) {
		return false
	}
	tail := make([]byte, min(size, 1024))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil {
		return false
	}
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return true
	}
	num := bytes.TrimLeft(tail[i+len("startxref"):], " \t\r\n")
	end := 0
	for end < len(num) && end < 19 && num[end] >= '0' && num[end] <= '9' {
		end++
	}
	off, err := strconv.ParseInt(string(num[:end]), 10, 64)
	if err != nil || off <= 0 || off >= size {
		return true
	}
	at := make([]byte, 32)
	n, _ := f.ReadAt(at, off)
	at = bytes.TrimLeft(at[:n], " \t\r\n")
	return !bytes.HasPrefix(at, []byte("xref")) && !objectStart(at)
}

// objectStart: b starts an indirect object ("12 0 obj"), where a cross-reference stream begins.
func objectStart(b []byte) bool {
	for _, part := range []string{"digits", "space", "digits", "space"} {
		n := 0
		for n < len(b) && (part == "digits" && b[n] >= '0' && b[n] <= '9' || part == "space" && bytes.IndexByte([]byte(" \t\r\n"), b[n]) >= 0) {
			n++
		}
		if n == 0 {
			return false
		}
		b = b[n:]
	}
	return bytes.HasPrefix(b, []byte("obj"))
}
