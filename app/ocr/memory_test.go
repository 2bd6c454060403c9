//go:build linux && cgo && !noocr

package ocr

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gen2brain/go-fitz"
)

// The Windows build loads the models from memory when their folder's path is not ASCII (see
// fromMemory); the same code runs here, on a copy of the models in a folder named like a user's.
func TestModelsFromMemory(t *testing.T) {
	const sys = "/usr/share/tesseract-ocr/5/tessdata"
	const sample = "../../../shared/data/pdfs/pysamples--google-doc-document.pdf"
	if _, err := os.Stat(sample); err != nil {
		t.Skipf("shared test data not found (%s): %v", filepath.Base(sample), err)
	}
	dir := filepath.Join(t.TempDir(), "José Müller", "tessdata")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"eng", "osd"} {
		data, err := os.ReadFile(filepath.Join(sys, m+".traineddata"))
		if err != nil {
			t.Skipf("Tesseract models not installed (scripts/deps.sh test): %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, m+".traineddata"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Tesseract's own lookup finds nothing: the models can only come from memory.
	t.Setenv("TESSDATA_PREFIX", t.TempDir())
	if _, err := initAPIFrom("", "eng", false); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Tesseract found models with TESSDATA_PREFIX empty (err %v): the test would prove nothing", err)
	}
	if _, err := initAPIFrom(filepath.Join(dir, "missing"), "eng", true); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("missing model: err = %v, want ErrUnavailable", err)
	}

	api, err := initAPIFrom(dir, "eng", true)
	if err != nil {
		t.Fatal(err)
	}
	osd, err := initAPIFrom(dir, "osd", true)
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{opt: Options{DataDir: dir, DPI: 200}, api: api, osd: osd, osdT: true}
	defer e.Close()

	doc, err := fitz.New(sample)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	img, err := doc.ImageDPI(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Recognize(context.Background(), Rotate(img, 180))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "Readability counts") || p.Rotate != 180 {
		t.Errorf("upside-down page read with models from memory: rotate %d, text:\n%s", p.Rotate, p.Text)
	}
	if deg, ok := e.orientation(rotate(toGray(img), 90)); !ok || deg != 270 {
		t.Errorf("orientation detector from memory: %d (sure: %v), want 270", deg, ok)
	}
}
