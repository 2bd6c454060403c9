package packet

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDirectPageText: inspection reads a PDF's text and creation date through the direct renderer
// (pagetext_cgo.go) instead of go-fitz; dates, wrong-patient flags and duplicate keys depend on that
// text, so it must be go-fitz's, page for page, on every sample PDF.
func TestDirectPageText(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samplesRel, "*.pdf"))
	if len(files) == 0 {
		t.Skipf("sample PDFs not found in %s (the shared data folder is missing); skipping", samplesRel)
	}
	compared := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rend, ok, err := openDirectRenderer(data, false)
		if !ok || err != nil {
			continue // encrypted or unreadable: inspection uses go-fitz for these
		}
		direct, isTexter := rend.(interface {
			pageTexter
			CreationDate() string
		})
		if !isTexter {
			rend.Close()
			t.Skip("no direct text reader in this build (no cgo)")
		}
		doc, err := openFitz(data, "")
		if err != nil {
			rend.Close()
			t.Errorf("%s: the direct renderer opens it, go-fitz does not: %v", filepath.Base(f), err)
			continue
		}
		if rend.NumPage() != doc.NumPage() {
			t.Errorf("%s: %d pages, go-fitz %d", filepath.Base(f), rend.NumPage(), doc.NumPage())
		}
		if got, want := direct.CreationDate(), doc.Metadata()["creationDate"]; got != trimNUL(want) {
			t.Errorf("%s: creation date %q, go-fitz %q", filepath.Base(f), got, want)
		}
		for i := 0; i < min(rend.NumPage(), doc.NumPage()); i++ {
			got, gerr := direct.Text(i)
			want, werr := doc.Text(i)
			if (gerr == nil) != (werr == nil) || got != want {
				t.Errorf("%s page %d: text differs from go-fitz's (errors %v, %v; %d and %d bytes)",
					filepath.Base(f), i+1, gerr, werr, len(got), len(want))
			}
			compared++
		}
		rend.Close()
		_ = doc.Close()
	}
	if compared == 0 {
		t.Fatal("no page compared")
	}
	t.Logf("%d pages of %d files compared", compared, len(files))
}

func trimNUL(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}
