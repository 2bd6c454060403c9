// Command scanpage is a test-only maker of a scanned record for scripts/windows/smoke.sh's ocr check:
// a one-page discharge summary typeset as a text PDF, rendered, made fax-like (grey, noisy, slightly
// skewed, 200 dpi) by app/ocr/ocrtest, and written as an image-only PDF (no text layer, no metadata
// date): its date can only come from the scanned text. Never shipped.
//
// Usage: scanpage OUT.pdf. The expected reading: dated 2024-03-09 (the discharge date) from the
// scanned text, and the words "DISCHARGE SUMMARY" and "uncomplicated" in the built packet's text layer.
package main

import (
	"fmt"
	"image"
	"os"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/ocr/ocrtest"
	"github.com/referraldesk/referraldesk/app/packet/packettest"
)

var lines = []string{
	"Patient: DOE, JANE    DOB: 01/02/1970    MRN: 123",
	"DISCHARGE SUMMARY",
	"Admission Date: 03/02/2024",
	"Discharge Date: 03/09/2024",
	"Attending: Dr. Alan Grant",
	"Hospital course was uncomplicated.",
	"Discharged home in stable condition.",
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
	doc, err := fitz.NewFromMemory(packettest.TextPDF(lines...))
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
