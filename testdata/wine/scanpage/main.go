// Command scanpage is a test-only maker of a scanned record for scripts/windows/smoke.sh's ocr check:
// a one-page discharge summary typeset as a text PDF, rendered, made fax-like (grey, noisy, slightly
// skewed, 200 dpi) by app/ocr/ocrtest, and written as an image-only PDF (no text layer, no metadata
// date): its date can only come from the scanned text. Never shipped.
//
// Usage: scanpage OUT.pdf. The expected reading: dated 2024-03-09 (the discharge date) from the
// scanned text, and the words "DISCHARGE SUMMARY" and "uncomplicated" in the built packet's text layer.
package main

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"strings"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/ocr/ocrtest"
)

var lines = []string{
	"Patient: DOE, JANE    DOB: 01/02/1970    MRN: 123",
	"DISCHARGE SUMMARY",
	"Admission Date: 03/02/2024",
	"Discharge Date: 03/09/2024",
	"Attending: Dr. Alan Grant",
	"Hospital course was uncomplicated. Discharged home in stable condition.",
	"Printed: 06/01/2025",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: scanpage OUT.pdf")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "scanpage:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	doc, err := fitz.NewFromMemory(textPDF(lines))
	if err != nil {
		return fmt.Errorf("open the text page: %w", err)
	}
	defer doc.Close()
	img, err := doc.ImageDPI(0, 300)
	if err != nil {
		return fmt.Errorf("render the text page: %w", err)
	}
	scan, err := ocrtest.ScanPDF([]image.Image{ocrtest.Fax(img, 300, 200, 0.6, 1)}, 200)
	if err != nil {
		return fmt.Errorf("write the scan: %w", err)
	}
	return os.WriteFile(out, scan, 0o600)
}

// textPDF typesets lines in 11 pt Helvetica on a Letter page (ASCII only).
func textPDF(lines []string) []byte {
	var c strings.Builder
	y := 720
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&c, "BT /F1 11 Tf 72 %d Td (%s) Tj ET\n", y, l)
		y -= 18
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", c.Len(), c.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
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
