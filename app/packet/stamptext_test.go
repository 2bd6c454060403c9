package packet

import (
	"bytes"
	"testing"

	"github.com/gen2brain/go-fitz"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// onePagePDF is a one-page PDF (Letter, /Rotate rot) whose content is the streams contents (one: a
// stream; more: an array of them), with Helvetica (WinAnsi) as /F.
func onePagePDF(t *testing.T, rot int, contents ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	pw := newPDFWriter(&buf)
	pages, font, page, root := pw.alloc(), pw.alloc(), pw.alloc(), pw.alloc()
	pw.object(font, types.Dict{"Type": types.Name("Font"), "Subtype": types.Name("Type1"), "BaseFont": types.Name("Helvetica"), "Encoding": types.Name("WinAnsiEncoding")})
	var streams types.Array
	for _, c := range contents {
		nr := pw.alloc()
		pw.flateStream(nr, types.Dict{}, []byte(c))
		streams = append(streams, ref(nr))
	}
	pd := types.Dict{
		"Type": types.Name("Page"), "Parent": ref(pages), "Contents": streams,
		"MediaBox":  types.Array{types.Integer(0), types.Integer(0), types.Integer(612), types.Integer(792)},
		"Resources": types.Dict{"Font": types.Dict{"F": ref(font)}},
	}
	if len(streams) == 1 {
		pd["Contents"] = streams[0]
	}
	if rot != 0 {
		pd["Rotate"] = types.Integer(rot)
	}
	pw.object(page, pd)
	pw.object(pages, types.Dict{"Type": types.Name("Pages"), "Kids": types.Array{ref(page)}, "Count": types.Integer(1)})
	pw.object(root, types.Dict{"Type": types.Name("Catalog"), "Pages": ref(pages)})
	if err := pw.finish(root, 0); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The direct reader (cgo builds) must be in use, find what go-fitz finds on stamped pages, and turn
// down pages that are not as Build wrote them: a stamp that is invisible, off the page, another
// page's, or not in the page's second stream, and a first stream that is not the drawing written.
func TestDirectStampReader(t *testing.T) {
	if !directReaderUsable() {
		if cgoEnabled {
			t.Fatalf("the direct MuPDF reader is off: go-fitz links MuPDF %s, its declarations are for %s; compare them with the new headers (stamptext_cgo.go)", fitz.FzVersion, directVersion)
		}
		t.Skip("no cgo: go-fitz's text extraction is used")
	}
	const want = "DOE, Jane · DOB 1970-01-02 · MRN 123 · page 7 of 43"
	stamp := func(ops string) string {
		var b bytes.Buffer
		b.WriteString(ops)
		writePDFString(&b, winAnsi(want))
		b.WriteString(" Tj ET")
		return b.String()
	}
	good := stamp("BT 0 0 0 rg /F 8 Tf 40 20 Td ")
	const drawing = "q /P0 Do Q\n"
	for _, tc := range []struct {
		name     string
		contents []string // the page's content streams
		body     string   // the drawing the check expects in the first one
		rot      int
		shows    bool
	}{
		{"stamp", []string{drawing, good}, drawing, 0, true},
		{"stamp, rotated page", []string{drawing, good}, drawing, 90, true},
		{"stamp after other text", []string{"BT /F 12 Tf 72 700 Td (Other text) Tj ET", good}, "BT /F 12 Tf 72 700 Td (Other text) Tj ET", 0, true},
		{"stamp after a broken form", []string{"q /Nope Do Q", good}, "q /Nope Do Q", 0, true},
		{"empty drawing", []string{"", good}, "", 0, true},
		{"no stamp", []string{drawing, "BT /F 12 Tf 72 700 Td (DOE, Jane) Tj ET"}, drawing, 0, false},
		{"another page number", []string{drawing, "BT /F 8 Tf 40 20 Td (DOE, Jane \xb7 DOB 1970-01-02 \xb7 MRN 123 \xb7 page 8 of 43) Tj ET"}, drawing, 0, false},
		{"invisible stamp", []string{drawing, stamp("BT 3 Tr /F 8 Tf 40 20 Td ")}, drawing, 0, false},
		{"stamp off the page", []string{drawing, stamp("BT /F 8 Tf 40 -30 Td ")}, drawing, 0, false},
		{"stamp split over two text objects", []string{drawing, "BT /F 8 Tf 40 20 Td (DOE, Jane \xb7 DOB 1970-01-02) Tj ET BT /F 8 Tf 250 20 Td (\xb7 MRN 123 \xb7 page 7 of 43) Tj ET"}, drawing, 0, false},
		{"stamp in the drawing's stream", []string{drawing + good, ""}, drawing + good, 0, false},
		{"one stream", []string{drawing + good}, drawing, 0, false},
		{"three streams", []string{drawing, good, ""}, drawing, 0, false},
		{"another drawing", []string{"q /P1 Do Q\n", good}, drawing, 0, false},
		{"drawing cut short", []string{"q /P0 Do", good}, drawing, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := onePagePDF(t, tc.rot, tc.contents...)
			r, err := openStampReader(data, false)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if !isDirectReader(r) {
				t.Fatalf("reader is %T, want the direct one", r)
			}
			if r.NumPage() != 1 {
				t.Fatalf("%d pages", r.NumPage())
			}
			if got := r.Shows(0, pageCheck{stamp: want, body: []byte(tc.body)}); got != tc.shows {
				t.Errorf("Shows = %v, want %v", got, tc.shows)
			}
			if tc.shows { // go-fitz's structured text of the whole page agrees
				f, err := openFitzStampReader(data)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if !f.Shows(0, pageCheck{stamp: want}) {
					t.Error("go-fitz does not find the stamp")
				}
			}
		})
	}
	if _, err := openStampReader([]byte("not a PDF"), false); err == nil {
		t.Error("a broken file opened")
	}
}
