// Package packettest makes hostile input files for tests: PDFs that claim absurd sizes, crash a
// reader or take long to read. They are generated, so no such file sits in the repository.
package packettest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
)

// buildPDF writes a PDF from object bodies (object i+1 is objs[i]) with a correct xref table; the
// catalog is object 1.
func buildPDF(objs []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, zlib.BestSpeed)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}

// CountBomb is a one-page PDF of about 1 KB whose page tree claims pages (e.g. 2,000,000,000).
func CountBomb(pages int64) []byte {
	content := []byte("BT /F1 12 Tf 72 720 Td (Visit note 2021-03-04) Tj ET")
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [3 0 R] /Count %d >>", pages),
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	})
}

// TextPDF is a one-page Letter PDF with the lines in 14-point Helvetica from the top down (WinAnsi
// letters only): a plain text document, or the source of a scanned copy.
func TextPDF(lines ...string) []byte {
	var c strings.Builder
	c.WriteString("BT /F1 14 Tf 72 720 Td 20 TL\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&c, "(%s) Tj T*\n", l)
	}
	c.WriteString("ET")
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", []byte(c.String())),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	})
}

// MuPDFCrash is a one-page PDF whose page tree claims /Count -1. MuPDF 1.24's fz_count_pages throws
// "Invalid number of pages" for it, and go-fitz's NumPage calls it outside any fz_try, so the error
// is uncaught: MuPDF prints "aborting process from uncaught error!" and ends the whole process.
func MuPDFCrash() []byte {
	content := []byte("BT /F1 12 Tf 72 72 Td (Visit note 2021-03-04) Tj ET")
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count -1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	})
}

// SlowPDF is a small PDF (a few hundred KB) whose one page draws ops path segments: its content
// stream compresses about 1000:1, so reading its text and rendering it takes seconds.
func SlowPDF(ops int) []byte {
	var c strings.Builder
	c.WriteString("0.1 w\n")
	for i := 0; i < ops; i++ {
		c.WriteString("10 10 m 600 780 l S\n")
	}
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		stream("/Filter /FlateDecode", deflate([]byte(c.String()))),
	})
}

// DeepPDF is a PDF whose page dictionary holds an array nested depth levels deep: readers that
// parse arrays recursively run out of stack.
func DeepPDF(depth int) []byte {
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /X " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + " >>",
	})
}

// HugePNG is a PNG of a few bytes whose header claims width × height pixels.
func HugePNG(width, height uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", deflate(make([]byte, 1024)))
	chunk("IEND", nil)
	return b.Bytes()
}

// SlowOps is the number of path segments that make SlowPDF take over 5 seconds to read.
const SlowOps = 3_000_000

// Hostile lists small hostile PDFs by name, for tests and as fuzzing seeds. MuPDF 1.24 and pdfcpu
// 0.15 both survive these (they bound nesting and detect cycles); they are kept so that they stay so.
func Hostile() map[string][]byte {
	return map[string][]byte{
		"count-bomb.pdf":  CountBomb(2_000_000_000),
		"deep-array.pdf":  DeepPDF(100_000),
		"cycle.pdf":       CyclePDF(),
		"truncated.pdf":   TruncatedPDF(),
		"ps-function.pdf": PSFuncPDF(100_000),
	}
}

// CyclePDF is a PDF whose page tree node lists itself among its kids.
func CyclePDF() []byte {
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
	})
}

// TruncatedPDF is a PDF whose content stream declares a huge length and is cut short.
func TruncatedPDF() []byte {
	b := buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		"<< /Length 2147483647 /Filter /FlateDecode >>\nstream\n" + string(deflate([]byte(strings.Repeat("0 0 m 1 1 l S\n", 1000)))),
	})
	return b
}

// PSFuncPDF is a PDF whose page paints a shading with a PostScript calculator function nested
// depth braces deep.
func PSFuncPDF(depth int) []byte {
	code := []byte("{" + strings.Repeat("{", depth) + strings.Repeat("}", depth) + " pop 0 0 }")
	content := []byte("/Sh1 sh")
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Shading << /Sh1 5 0 R >> >> >>",
		stream("", content),
		"<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 612 792] /Function 6 0 R >>",
		stream("/FunctionType 4 /Domain [0 1] /Range [0 1 0 1 0 1] /Filter /FlateDecode", deflate(code)),
	})
}
