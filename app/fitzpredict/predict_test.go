//go:build (linux || windows) && cgo && !nocgo

package fitzpredict

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gen2brain/go-fitz"
)

// Our predictor must give what MuPDF's gives, byte for byte and warning for warning, for every PNG
// predictor, bit depth and colour count MuPDF accepts: rows of each filter type (and unknown ones),
// last rows cut short, streams that end inside the filter byte, and reads of any size.
func TestPredictAsMuPDF(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2026))
	bpcs := []int{1, 2, 4, 8, 16}
	colours := []int{1, 2, 3, 4, 5, 8, 32}
	cases := 20000
	if testing.Short() {
		cases = 2000
	}
	for c := 0; c < cases; c++ {
		predictor := 10 + rng.IntN(6)
		bpc := bpcs[rng.IntN(len(bpcs))]
		colors := colours[rng.IntN(len(colours))]
		columns := 1 + rng.IntN(40)
		if rng.IntN(20) == 0 {
			columns = 1 + rng.IntN(3000)
		}
		stride := (bpc*colors*columns + 7) / 8
		rows := rng.IntN(12)
		var data []byte
		for r := 0; r < rows; r++ {
			typ := byte(rng.IntN(5))
			if rng.IntN(25) == 0 {
				typ = byte(5 + rng.IntN(251)) // not a filter type: MuPDF warns and copies the row
			}
			data = append(data, typ)
			row := make([]byte, stride)
			switch rng.IntN(3) {
			case 0: // noise
				for i := range row {
					row[i] = byte(rng.Uint32())
				}
			case 1: // small differences, as a predicted scan has
				for i := range row {
					row[i] = byte(rng.IntN(5) - 2)
				}
			} // case 2: zeros
			data = append(data, row...)
		}
		if len(data) > 0 && rng.IntN(3) == 0 {
			data = data[:rng.IntN(len(data))] // cut short, within a row or its filter byte
		}
		chunk := 1 + rng.IntN(5000)
		limit := len(data) + 16
		want, wantWarn := decode(true, data, predictor, columns, colors, bpc, chunk, limit)
		got, gotWarn := decode(false, data, predictor, columns, colors, bpc, chunk, limit)
		if want == nil || got == nil {
			t.Fatal("MuPDF could not make a context")
		}
		if !bytes.Equal(got, want) || gotWarn != wantWarn {
			t.Fatalf("predictor %d, %d columns, %d colours, %d bits, %d bytes read %d at a time:\n got %d bytes, %d warnings\nwant %d bytes, %d warnings\ndiffer at %d",
				predictor, columns, colors, bpc, len(data), chunk, len(got), gotWarn, len(want), wantWarn, firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// MuPDF's calls must come here: a page drawing PNG-predicted images (gray and RGB, every filter type)
// renders to their pixels through go-fitz, and this package's counter moves.
func TestMuPDFUsesThisPredictor(t *testing.T) {
	const w, h = 61, 47
	rng := rand.New(rand.NewPCG(7, 7))
	type img struct {
		colors int
		raw    []byte
	}
	imgs := []img{{1, nil}, {3, nil}}
	for k := range imgs {
		raw := make([]byte, w*h*imgs[k].colors)
		for i := range raw {
			raw[i] = byte(i/7 + rng.IntN(9))
		}
		imgs[k].raw = raw
	}
	pdf := &testPDF{}
	obj := pdf.obj
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /G 4 0 R /C 5 0 R >> >> /Contents 6 0 R >>", 2*w, h), nil)
	for _, im := range imgs {
		data := pngPredict(im.raw, w*im.colors, im.colors, rng)
		cs := "/DeviceGray"
		if im.colors == 3 {
			cs = "/DeviceRGB"
		}
		obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns %d /Colors %d /BitsPerComponent 8 >> /Length %d >>",
			w, h, cs, w, im.colors, len(data)), data)
	}
	content := fmt.Sprintf("q %d 0 0 %d 0 0 cm /G Do Q q %d 0 0 %d %d 0 cm /C Do Q", w, h, w, h, w)
	obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))

	before := Opened()
	doc, err := fitz.NewFromMemory(pdf.bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	page, err := doc.ImageDPI(0, 72)
	if err != nil {
		t.Fatal(err)
	}
	if got := Opened() - before; got < 2 {
		t.Fatalf("MuPDF opened %d predictor streams here, want 2: its calls do not reach this package", got)
	}
	if b := page.Bounds(); b.Dx() != 2*w || b.Dy() != h {
		t.Fatalf("page drawn %v, want %dx%d", b, 2*w, h)
	}
	bad := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := imgs[0].raw[y*w+x]
			c := imgs[1].raw[(y*w+x)*3:]
			pg, pc := page.RGBAAt(x, y), page.RGBAAt(w+x, y)
			if absDiff(pg.R, g) > 1 || absDiff(pg.G, g) > 1 || absDiff(pg.B, g) > 1 || pc.R != c[0] || pc.G != c[1] || pc.B != c[2] {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d pixels differ from the images", bad, w*h)
	}
}

func absDiff(a, b byte) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// pngPredict filters raw (rows of stride bytes, bpp bytes a pixel) with a random PNG filter type per
// row and compresses the result with zlib, as a /FlateDecode stream with /Predictor 15.
func pngPredict(raw []byte, stride, bpp int, rng *rand.Rand) []byte {
	var filtered bytes.Buffer
	prev := make([]byte, stride)
	for r := 0; r*stride < len(raw); r++ {
		row := raw[r*stride : (r+1)*stride]
		typ := byte(r % 5)
		if rng.IntN(2) == 0 {
			typ = byte(rng.IntN(5))
		}
		filtered.WriteByte(typ)
		for i := range row {
			var a, c int
			if i >= bpp {
				a, c = int(row[i-bpp]), int(prev[i-bpp])
			}
			b := int(prev[i])
			var p int
			switch typ {
			case 1:
				p = a
			case 2:
				p = b
			case 3:
				p = (a + b) / 2
			case 4:
				pa, pb, pc := abs(b-c), abs(a-c), abs(a+b-2*c)
				switch {
				case pa <= pb && pa <= pc:
					p = a
				case pb <= pc:
					p = b
				default:
					p = c
				}
			}
			filtered.WriteByte(row[i] - byte(p))
		}
		prev = row
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(filtered.Bytes())
	_ = zw.Close()
	return z.Bytes()
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// zlib's Adler-32 sum is neither computed nor compared for the streams MuPDF opens: a stream whose
// sum is wrong inflates to the same data as the good one and ends as the good one does (zlib
// itself, asked to check, says "incorrect data check"), and MuPDF's inflates go through here.
func TestZlibCheckSkipped(t *testing.T) {
	var good bytes.Buffer
	zw := zlib.NewWriter(&good)
	data := bytes.Repeat([]byte("BT /F1 12 Tf 72 700 Td (ReferralDesk) Tj ET\n"), 200)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good.Bytes())
	bad[len(bad)-1] ^= 0xff // the last byte of the Adler-32 sum
	if _, err := io.ReadAll(must(zlib.NewReader(bytes.NewReader(bad)))); err == nil {
		t.Fatal("Go's zlib takes the bad sum: the test stream is not bad")
	}
	before := Unchecked()
	for name, in := range map[string][]byte{"good": good.Bytes(), "bad sum": bad} {
		got, rc := inflateHere(in, len(data))
		if rc != 1 || !bytes.Equal(got, data) {
			t.Errorf("%s: zlib result %d, %d bytes (want 1, the stream's end, and the %d bytes)", name, rc, len(got), len(data))
		}
	}
	if Unchecked()-before != 2 {
		t.Fatalf("%d streams set up without the sum, want 2: the wrap is not linked", Unchecked()-before)
	}

	// MuPDF's own inflates: a page whose content stream is deflated.
	before = Unchecked()
	pdf := &testPDF{}
	obj := pdf.obj
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>", nil)
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", nil)
	obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", len(bad)), bad)
	doc, err := fitz.NewFromMemory(pdf.bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	text, err := doc.Text(0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "ReferralDesk") {
		t.Errorf("page text %q: the deflated content was not read", text)
	}
	if Unchecked() == before {
		t.Error("MuPDF's inflates do not reach the wrap")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// testPDF writes a small PDF object by object (numbered from 1; object 1 is the catalog).
type testPDF struct {
	buf     bytes.Buffer
	offsets []int
}

// obj adds the next object: body, and stream's bytes when it is not nil.
func (p *testPDF) obj(body string, stream []byte) {
	if p.buf.Len() == 0 {
		p.buf.WriteString("%PDF-1.7\n")
	}
	p.offsets = append(p.offsets, p.buf.Len())
	fmt.Fprintf(&p.buf, "%d 0 obj\n%s", len(p.offsets), body)
	if stream != nil {
		fmt.Fprintf(&p.buf, "\nstream\n%s\nendstream", stream)
	}
	p.buf.WriteString("\nendobj\n")
}

// bytes ends the file (cross-reference table and trailer) and returns it.
func (p *testPDF) bytes() []byte {
	xref := p.buf.Len()
	fmt.Fprintf(&p.buf, "xref\n0 %d\n0000000000 65535 f \n", len(p.offsets)+1)
	for _, o := range p.offsets {
		fmt.Fprintf(&p.buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&p.buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(p.offsets)+1, xref)
	return p.buf.Bytes()
}
