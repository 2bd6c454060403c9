package packet

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The direct renderer must draw what go-fitz draws: same box, same pixels, page after page with the
// buffer reused (a damaged file, rotated pages, a scan, a form).
func TestDirectRendererMatchesGoFitz(t *testing.T) {
	samples(t)
	if !directReaderUsable() {
		t.Skip("the direct MuPDF reader is not usable in this build (no cgo, or another MuPDF)")
	}
	for _, name := range []string{"qpdf--bad3.pdf", "pysamples--habibi-rotated.pdf", "pypdf--Seige_of_Vicksburg_Sample_OCR.pdf", "qpdf--field-types.pdf"} {
		data, err := os.ReadFile(filepath.Join(samplesRel, name))
		if err != nil {
			t.Fatal(err)
		}
		r, ok, err := openDirectRenderer(data, true)
		if !ok || err != nil {
			t.Fatalf("%s: direct renderer: ok=%v err=%v", name, ok, err)
		}
		doc, err := openFitz(data, "")
		if err != nil {
			t.Fatal(err)
		}
		var buf []byte
		for i := 0; i < min(doc.NumPage(), 3); i++ {
			for _, dpi := range []float64{36, 150} {
				want, err := doc.ImageDPI(i, dpi)
				if err != nil {
					t.Fatal(err)
				}
				got, err := r.Render(i, dpi, buf)
				if err != nil {
					t.Fatalf("%s page %d at %v dpi: %v", name, i+1, dpi, err)
				}
				if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix[:len(got.Pix)]) {
					t.Fatalf("%s page %d at %v dpi: direct render %v differs from go-fitz's %v", name, i+1, dpi, got.Rect, want.Rect)
				}
				buf = got.Pix
			}
			size, err := r.PageSize(i)
			if b, _ := doc.Bound(i); err != nil || size != b {
				t.Fatalf("%s page %d: size %v (%v), go-fitz %v", name, i+1, size, err, b)
			}
		}
		r.Close()
		_ = doc.Close()
	}
}
