//go:build cgo && !nocgo

package packet

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// For the checks, a page's contents are run once: its text and every band drawn of it come from one
// display list; the page then draws as it did run directly (the same blank verdict, a close image).
func TestAnalysisSharesOneDisplayList(t *testing.T) {
	p := filepath.Join(samplesRel, "qpdf--inline-images.pdf") // 1,071 inline images on page 1
	data, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("%s not found (the shared data folder is missing); skipping", p)
	}
	r, ok, err := openDirectRenderer(data, false)
	if !ok || err != nil {
		t.Fatalf("open: ok %v err %v", ok, err)
	}
	defer r.Close()
	hr := &hashRenderer{r: r, tried: true}
	hr.open()
	before := listsRecorded()
	text, err := r.(pageTexter).Text(0)
	if err != nil {
		t.Fatal(err)
	}
	blank, _, err := hr.look(0, text, textHash(text))
	if err != nil {
		t.Fatal(err)
	}
	listed, err := hr.render(0)
	if err != nil {
		t.Fatal(err)
	}
	if n := listsRecorded() - before; n != 1 {
		t.Errorf("page 1's text, bands and drawing recorded %d display lists, want 1", n)
	}

	direct, _, err := openDirectRenderer(data, false)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	fitImagesToPage(direct)
	want, err := direct.(pageTexter).Text(0)
	if err != nil {
		t.Fatal(err)
	}
	if text != want {
		t.Errorf("text from the list %q, run directly %q", text, want)
	}
	whole, err := direct.Render(0, hr.dpi(0), nil)
	if err != nil {
		t.Fatal(err)
	}
	if blank != isBlank(whole, text) {
		t.Errorf("blank from the list %v, run directly %v", blank, !blank)
	}
	jpxCloseEnough(t, "inline images page", whole, listed)
}

// A page whose image cannot be loaded (here: no width) still gives its text to the checks, through
// its display list, which loads the page's images as the direct text run does not.
func TestListedTextWithBrokenImage(t *testing.T) {
	var buf bytes.Buffer
	pw := newPDFWriter(&buf)
	pagesNr, fontNr := pw.alloc(), pw.alloc()
	pw.object(fontNr, types.Dict{"Type": types.Name("Font"), "Subtype": types.Name("Type1"), "BaseFont": types.Name("Helvetica")})
	im := pw.alloc()
	pw.stream(im, types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"), "Width": types.Integer(0), "Height": types.Integer(10),
		"ColorSpace": types.Name("DeviceGray"), "BitsPerComponent": types.Integer(8),
	}, []byte("abc"))
	cn := pw.alloc()
	pw.stream(cn, types.Dict{}, []byte("q 100 0 0 100 0 0 cm /Im1 Do Q BT /F1 12 Tf 72 700 Td (Referral letter for Jane Doe) Tj ET"))
	pn := pw.alloc()
	pw.object(pn, types.Dict{
		"Type": types.Name("Page"), "Parent": ref(pagesNr),
		"MediaBox":  types.Array{types.Integer(0), types.Integer(0), types.Integer(612), types.Integer(792)},
		"Resources": types.Dict{"XObject": types.Dict{"Im1": ref(im)}, "Font": types.Dict{"F1": ref(fontNr)}},
		"Contents":  ref(cn),
	})
	p := filepath.Join(t.TempDir(), "broken-image.pdf")
	finishTestPDF(t, p, &buf, pw, pagesNr, types.Array{ref(pn)}, 0)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	r, ok, err := openDirectRenderer(data, false)
	if !ok || err != nil {
		t.Fatalf("open: ok %v err %v", ok, err)
	}
	defer r.Close()
	forAnalysis(r)
	before := listsRecorded()
	text, err := r.(pageTexter).Text(0)
	if err != nil || !strings.Contains(text, "Referral letter for Jane Doe") {
		t.Fatalf("text %q, err %v", text, err)
	}
	if listsRecorded()-before != 1 || r.(*directRenderer).textList(0) == nil {
		t.Error("the text was not read through the page's display list")
	}
}
