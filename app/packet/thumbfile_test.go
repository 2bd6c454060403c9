package packet

import (
	"bytes"
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"
)

// A PDF's thumbnail is drawn from the file as MuPDF reads it (no copy of the whole file); it is
// the same picture, and the same refusals, as from the file's bytes.
func TestThumbnailFromTheFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.pdf")
	writeTestPDF(t, p, [][]string{page("Visit: 2024-01-01", "Body"), page("Second page")}, time.Time{})
	img, err := thumbnailHere(context.Background(), p, 2, 200, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); max(b.Dx(), b.Dy()) > 201 || max(b.Dx(), b.Dy()) < 199 {
		t.Fatalf("thumbnail %v, want 200 px on its longer side", b)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := openDirectRenderer(data, false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := renderThumbnail(doc, 2, 200)
	doc.Close()
	if err != nil {
		t.Fatal(err)
	}
	a, aok := img.(*image.RGBA)
	b, bok := want.(*image.RGBA)
	if !aok || !bok || a.Rect != b.Rect || !bytes.Equal(a.Pix, b.Pix) {
		t.Error("the thumbnail drawn from the file differs from the one drawn from its bytes")
	}
	if ink := inkCount(a.Pix); ink == 0 {
		t.Error("the thumbnail is blank")
	}
	if _, err := thumbnailHere(context.Background(), p, 3, 200, Options{}); !errors.Is(err, fitz.ErrPageMissing) {
		t.Errorf("page 3 of 2: %v", err)
	}
	if _, err := thumbnailHere(context.Background(), dir, 1, 200, Options{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("a folder: %v", err)
	}
}
