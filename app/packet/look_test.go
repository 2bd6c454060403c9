package packet

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gen2brain/go-fitz"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// scanPage is a scanned page as a grey image of scanW x scanH pixels, white but for black boxes.
type scanPage []image4

// image4 is a box in the image's pixels: x0, y0 (from the top), x1, y1.
type image4 [4]int

const scanW, scanH = 85, 110 // a Letter page at 10 dpi

// writeScanPDF writes a PDF of image-only pages (no text layer), one per entry.
func writeScanPDF(t testing.TB, path string, pages []scanPage) {
	t.Helper()
	var buf bytes.Buffer
	pw := newPDFWriter(&buf)
	pagesNr := pw.alloc()
	var kids types.Array
	for _, boxes := range pages {
		pix := bytes.Repeat([]byte{0xff}, scanW*scanH)
		for _, b := range boxes {
			for y := b[1]; y < b[3]; y++ {
				for x := b[0]; x < b[2]; x++ {
					pix[y*scanW+x] = 0
				}
			}
		}
		im := pw.alloc()
		pw.stream(im, types.Dict{
			"Type": types.Name("XObject"), "Subtype": types.Name("Image"), "Width": types.Integer(scanW),
			"Height": types.Integer(scanH), "ColorSpace": types.Name("DeviceGray"), "BitsPerComponent": types.Integer(8),
		}, pix)
		cn := pw.alloc()
		pw.stream(cn, types.Dict{}, []byte("q 612 0 0 792 0 0 cm /Im1 Do Q"))
		pn := pw.alloc()
		pw.object(pn, types.Dict{
			"Type": types.Name("Page"), "Parent": ref(pagesNr),
			"MediaBox":  types.Array{types.Integer(0), types.Integer(0), types.Integer(612), types.Integer(792)},
			"Resources": types.Dict{"XObject": types.Dict{"Im1": ref(im)}},
			"Contents":  ref(cn),
		})
		kids = append(kids, ref(pn))
	}
	finishTestPDF(t, path, &buf, pw, pagesNr, kids, 0)
}

// Scanned pages are looked at band by band from the top; what the inspection says stays what the
// whole page says: blank or not wherever the ink is, and duplicates only when the whole page is the
// same, in one file or across files.
func TestScannedPagesBlankAndDuplicatesByBands(t *testing.T) {
	dir := t.TempDir()
	letterhead := image4{10, 4, 75, 14}
	form1 := scanPage{letterhead, {10, 30, 70, 40}}
	form2 := scanPage{letterhead, {10, 80, 70, 90}} // the same top, another bottom
	bottomOnly := scanPage{{10, 100, 75, 108}}      // ink only in the last band
	speck := scanPage{{40, 50, 41, 51}}             // one dark pixel of 9350: a blank scan
	a := filepath.Join(dir, "a.pdf")
	writeScanPDF(t, a, []scanPage{form1, {}, form2, bottomOnly, speck, form1})
	b := filepath.Join(dir, "b.pdf")
	writeScanPDF(t, b, []scanPage{form2, {{5, 5, 20, 20}}})
	// Without OCR, which would call the boxes, words-less, blank sheets.
	ia := Inspect(context.Background(), a, testPatient, Options{NoOCR: true})
	ib := Inspect(context.Background(), b, testPatient, Options{NoOCR: true})
	for _, in := range []*Input{ia, ib} {
		if in.Err != nil || in.Repaired != "" {
			t.Fatalf("%s: err %v repaired %q", filepath.Base(in.Path), in.Err, in.Repaired)
		}
	}
	if got := fmt.Sprint(ia.Blank); got != "[2 5]" {
		t.Errorf("blank pages of a: %v, want [2 5]", ia.Blank)
	}
	if got := fmt.Sprint(ia.noText); got != "[1 3 4 6]" {
		t.Errorf("pages of a to read by OCR: %v, want [1 3 4 6]", got)
	}
	// Page 6 is page 1 again; pages 1 and 3 start alike but are not the same page.
	if d, ok := ia.DupOf[6]; !ok || d.Doc != ia || d.Page != 1 || len(ia.DupOf) != 1 {
		t.Errorf("dups in a: %+v", ia.DupOf)
	}
	// Page 4 has no twin: it was never drawn whole, its duplicate hash waits (pending).
	if !ia.isPending(3) {
		t.Error("a page without a twin was drawn whole")
	}
	MarkDuplicates([]*Input{ia, ib})
	if d, ok := ib.DupOf[1]; !ok || d.Doc != ia || d.Page != 3 || len(ib.DupOf) != 1 {
		t.Errorf("b page 1 is a's page 3: dups %+v", ib.DupOf)
	}
}

// The band-by-band look says blank exactly when the whole page's render does, on every sample page
// that may be blank (no text): scans, faxes, raster strips, CMYK and inline images.
func TestLookAgreesWithWholePage(t *testing.T) {
	checked := 0
	for _, path := range samples(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rend, ok, err := openDirectRenderer(data, false)
		if !ok || err != nil {
			continue // encrypted or unreadable: not what this is about
		}
		text, _ := rend.(pageTexter)
		for i := 0; i < min(rend.NumPage(), 3); i++ {
			s := ""
			if text != nil {
				s, _ = text.Text(i)
			}
			if !mayBeBlank(s) {
				continue
			}
			hr := &hashRenderer{r: rend, tried: true}
			blank, _, err := hr.look(i, s, textHash(s))
			if err != nil {
				continue
			}
			img, err := hr.render(i)
			if err != nil {
				t.Fatalf("%s page %d: drawn in bands, not whole: %v", filepath.Base(path), i+1, err)
			}
			if whole := isBlank(img, s); whole != blank {
				t.Errorf("%s page %d: bands say blank=%v, the whole page %v", filepath.Base(path), i+1, blank, whole)
			}
			checked++
		}
		rend.Close()
	}
	if checked < 10 {
		t.Fatalf("only %d sample pages without text were compared", checked)
	}
	t.Logf("%d sample pages without text compared", checked)
}

// A page is rebuilt from its image only when copying it cannot give the same page: a feature newer
// than the file's own header is valid in the packet's PDF 1.7 and is copied; a page tree that only
// pdfcpu's validation mends (losing the page's text) and an image without a numeric width make the
// whole file drawn, in the worker that inspected it; a content calling a resource pdfcpu lost (a bare
// '#' in its name) makes that page drawn, and the file's other pages are still copied.
func TestDamagedFilesCopiedWhenTheyCanBe(t *testing.T) {
	samples(t)
	cases := []struct {
		name            string
		rendered, drawn bool // the whole file drawn; its page drawn
	}{
		{"pypdf--issue-297.pdf", false, false},       // JavaScript in a "PDF 1.1" (never copied)
		{"qpdf--xref-errors.pdf", false, false},      // a wrong xref, which pdfcpu rebuilds
		{"qpdf--name-pound-images.pdf", false, true}, // "/Im#1 Do" for the resource "/Im#231"
		{"qpdf--bad3.pdf", true, true},               // no xref, objects without endobj
		{"qpdf--issue-117.pdf", true, true},          // an image whose Width is not a number
	}
	var inputs []*Input
	drawn := map[string]bool{}
	for _, c := range cases {
		in := Inspect(context.Background(), filepath.Join(samplesRel, c.name), testPatient, Options{NoOCR: true})
		if in.Err != nil {
			t.Fatalf("%s: %v", c.name, in.Err)
		}
		if got := in.Repaired == RepairedRendered; got != c.rendered {
			t.Errorf("%s: inspection says rendered=%v, want %v", c.name, got, c.rendered)
		}
		if c.drawn && !c.rendered && len(in.drawn) != 1 {
			t.Errorf("%s: the worker drew %d pages, want its one page", c.name, len(in.drawn))
		}
		inputs = append(inputs, in)
		drawn[in.Path] = c.drawn
	}
	res, err := Build(context.Background(), NewPlan(inputs, 50, false), testPatient, CoverInfo{}, t.TempDir(), Options{NoOCR: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Docs {
		if got := d.Repaired == RepairedRendered; got != drawn[d.Input.Path] {
			t.Errorf("%s: built drawn=%v (%q), want %v (notes %v)", filepath.Base(d.Input.Path), got, d.Repaired, drawn[d.Input.Path], res.Notes)
		}
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "name-pound") {
		t.Errorf("notes %v, want name-pound's page rebuilt from its image", res.Notes)
	}
	checkPacket(t, res.Path, testPatient, len(inputs), 50)
	// Every page has its drawing: at least most of the ink of the file's own page (drawn a little
	// smaller, to free the stamp band) — bad3's one word, name-pound's three images.
	doc, err := fitz.New(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	for _, d := range res.Docs { // in the packet's order (by date)
		src, err := fitz.New(d.Input.Path)
		if err != nil {
			t.Fatal(err)
		}
		want := inkOf(t, src, 0)
		src.Close()
		if got := inkOf(t, doc, d.From-1); got < want*3/4 {
			t.Errorf("%s: page %d of the packet has %d dark pixels, the file's page %d", filepath.Base(d.Input.Path), d.From, got, want)
		}
	}
}

// inkOf counts the dark pixels of page i drawn at 36 dpi.
func inkOf(t *testing.T, doc *fitz.Document, i int) int {
	t.Helper()
	img, err := doc.ImageDPI(i, 36)
	if err != nil {
		t.Fatal(err)
	}
	return inkCount(img.Pix)
}

// A page is taken for one that cannot show text (and is not run for its text) only when MuPDF
// finds none on it, on every sample file pdfcpu reads and validates.
func TestTextlessPagesHaveNoText(t *testing.T) {
	found := 0
	for _, path := range samples(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		pc, err := readPDF(context.Background(), data, "")
		if err != nil || checkPageTree(pc) != nil || validateInput(pc) != nil {
			continue // inspectPDF does not use the list then
		}
		none := textlessPages(pc)
		if len(none) == 0 {
			continue
		}
		rend, ok, err := openDirectRenderer(data, false)
		if !ok || err != nil {
			continue
		}
		text, _ := rend.(pageTexter)
		for i := range none {
			if s, err := text.Text(i); err != nil || countLetters(s) > 0 {
				t.Errorf("%s page %d: listed as without text, MuPDF reads %q (%v)", filepath.Base(path), i+1, s, err)
			}
			found++
		}
		rend.Close()
	}
	if found < 5 {
		t.Fatalf("only %d sample pages without a way to show text", found)
	}
}
