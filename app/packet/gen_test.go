package packet

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// writeTestPDF writes a simple PDF: one page per entry, each a list of text lines (Helvetica). An
// empty page has no content at all. created, when not zero, goes into the Info dictionary.
func writeTestPDF(t testing.TB, path string, pages [][]string, created time.Time) {
	t.Helper()
	var buf bytes.Buffer
	pw := newPDFWriter(&buf)
	pagesNr, fontNr := pw.alloc(), pw.alloc()
	pw.object(fontNr, types.Dict{"Type": types.Name("Font"), "Subtype": types.Name("Type1"), "BaseFont": types.Name("Helvetica"), "Encoding": types.Name("WinAnsiEncoding")})
	var kids types.Array
	for _, lines := range pages {
		var c bytes.Buffer
		y := 740.0
		for _, l := range lines {
			fmt.Fprintf(&c, "BT /F1 11 Tf 72 %s Td ", fmtNum(y))
			writePDFString(&c, winAnsi(l))
			c.WriteString(" Tj ET\n")
			y -= 16
		}
		cn := pw.alloc()
		pw.stream(cn, types.Dict{}, c.Bytes())
		pn := pw.alloc()
		pw.object(pn, types.Dict{
			"Type": types.Name("Page"), "Parent": ref(pagesNr),
			"MediaBox":  types.Array{types.Integer(0), types.Integer(0), types.Integer(612), types.Integer(792)},
			"Resources": types.Dict{"Font": types.Dict{"F1": ref(fontNr)}},
			"Contents":  ref(cn),
		})
		kids = append(kids, ref(pn))
	}
	info := 0
	if !created.IsZero() {
		info = pw.alloc()
		pw.object(info, types.Dict{"CreationDate": types.StringLiteral(types.DateString(created))})
	}
	finishTestPDF(t, path, &buf, pw, pagesNr, kids, info)
}

// finishTestPDF writes the page tree of kids as object pagesNr, the catalog and the trailer (with
// the Info dictionary info, 0 for none) of a test PDF made with pw into buf, and buf to path.
func finishTestPDF(t testing.TB, path string, buf *bytes.Buffer, pw *pdfWriter, pagesNr int, kids types.Array, info int) {
	t.Helper()
	pw.object(pagesNr, types.Dict{"Type": types.Name("Pages"), "Kids": kids, "Count": types.Integer(len(kids))})
	root := pw.alloc()
	pw.object(root, types.Dict{"Type": types.Name("Catalog"), "Pages": ref(pagesNr)})
	if err := pw.finish(root, info); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// testImage is a w×h picture with a dark bar at the top (so orientation can be told apart).
func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{200, 220, 240, 255}
			if y < h/5 {
				c = color.RGBA{20, 20, 80, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func writeTestJPEG(t testing.TB, path string, w, h, orientation int) {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if orientation > 1 {
		// APP1 Exif with one IFD entry: Orientation (big-endian TIFF).
		tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(orientation), 0, 0, 0, 0, 0, 0, 0, 0}
		seg := append([]byte("Exif\x00\x00"), tiff...)
		app1 := []byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
		app1 = append(app1, seg...)
		b = append(append([]byte{0xFF, 0xD8}, app1...), b[2:]...)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func writeTestPNG(t testing.TB, path string, w, h int) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeTestTIFF writes an uncompressed multi-page gray TIFF (little-endian), like a fax.
func writeTestTIFF(t testing.TB, path string, w, h, pages int) {
	t.Helper()
	var out bytes.Buffer
	le := func(v uint32, n int) {
		for i := 0; i < n; i++ {
			out.WriteByte(byte(v >> (8 * i)))
		}
	}
	out.WriteString("II*\x00")
	le(8, 4)
	const entries = 10
	ifdSize := 2 + entries*12 + 4
	for p := 0; p < pages; p++ {
		ifd := out.Len()
		data := ifd + ifdSize
		next := 0
		if p < pages-1 {
			next = data + w*h
		}
		le(entries, 2)
		entry := func(tag, typ uint16, count, val uint32) {
			le(uint32(tag), 2)
			le(uint32(typ), 2)
			le(count, 4)
			le(val, 4)
		}
		entry(256, 4, 1, uint32(w))    // ImageWidth
		entry(257, 4, 1, uint32(h))    // ImageLength
		entry(258, 3, 1, 8)            // BitsPerSample
		entry(259, 3, 1, 1)            // Compression: none
		entry(262, 3, 1, 1)            // Photometric: BlackIsZero
		entry(273, 4, 1, uint32(data)) // StripOffsets
		entry(277, 3, 1, 1)            // SamplesPerPixel
		entry(278, 4, 1, uint32(h))    // RowsPerStrip
		entry(279, 4, 1, uint32(w*h))  // StripByteCounts
		entry(284, 3, 1, 1)            // PlanarConfiguration
		le(uint32(next), 4)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := byte(255)
				if (y/8+p)%3 == 0 && x > w/10 && x < w*9/10 {
					v = 0
				}
				out.WriteByte(v)
			}
		}
	}
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
