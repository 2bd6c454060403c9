package screens

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/ocr"
	"github.com/referraldesk/referraldesk/app/ocr/ocrtest"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/packet/packettest"
)

// scannedPDF writes an image-only copy (200 dpi) of a one-page text PDF: a scan with no text layer.
func scannedPDF(t *testing.T, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "text.pdf")
	note := packettest.TextPDF("OFFICE VISIT NOTE", "Date of service: 03/04/2021",
		"Chief complaint: shortness of breath on exertion for three months.",
		"Assessment: probable heart failure with preserved ejection fraction.",
		"Plan: echocardiogram, BNP, follow up in four weeks.")
	if err := os.WriteFile(src, note, 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := fitz.New(src)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	img, err := doc.ImageDPI(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	data, err := ocrtest.ScanPDF([]image.Image{img}, 200)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "scanned-visit-note.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A scanned file added through the packet step is read by OCR in a worker, and its row says so.
func TestPacketStepReadsScannedPages(t *testing.T) {
	if !ocr.Available() {
		t.Skip("OCR is not available in this build: skipping")
	}
	dir := t.TempDir()
	scan := scannedPDF(t, dir)
	u, w, st, _ := startOrder(t)
	u.deps.Packets = testPackets{packet.Service{WorkDir: t.TempDir(), FileTimeout: time.Minute}, st}
	e := u.editor
	e.goTo(stepAttachments)
	tapButton(t, u, w, "Build records packet…")
	ps := e.packet
	ps.addPaths([]string{scan})
	u.Idle()
	if len(ps.inputs) != 1 || ps.inputs[0].Err != nil {
		t.Fatalf("inputs %v", ps.inputs)
	}
	in := ps.inputs[0]
	if len(in.Scanned) != 1 {
		t.Fatalf("scanned pages %v, want page 1 read by OCR (note %q)", in.Scanned, in.ScanNote)
	}
	if s := inputSummary(in); !strings.Contains(s, "1 scanned page read") {
		t.Errorf("row says %q", s)
	}
	if in.DateSource != packet.DateScan || in.Date.Format("2006-01-02") != "2021-03-04" {
		t.Errorf("date %s from %s, want 2021-03-04 from the scanned text", in.Date.Format("2006-01-02"), in.DateSource)
	}
	if findButton(w, "Cancel") != nil {
		t.Error("the reading dialog is still open")
	}
}

// Cancel while files are read: the dialog closes and nothing half-read is added.
func TestPacketStepCancelReading(t *testing.T) {
	dir := t.TempDir()
	slow := filepath.Join(dir, "slow.pdf")
	if err := os.WriteFile(slow, packettest.SlowPDF(packettest.SlowOps), 0o600); err != nil {
		t.Fatal(err)
	}
	u, w, st, _ := startOrder(t)
	u.deps.Packets = testPackets{packet.Service{WorkDir: t.TempDir(), FileTimeout: time.Minute}, st}
	e := u.editor
	e.goTo(stepAttachments)
	tapButton(t, u, w, "Build records packet…")
	ps := e.packet
	ps.addPaths([]string{slow})
	b := findButton(w, "Cancel")
	if b == nil {
		t.Fatal("no Cancel while the files are read")
	}
	start := time.Now()
	test.Tap(b)
	u.Idle()
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("Cancel took %v", d)
	}
	if len(ps.inputs) != 0 {
		t.Fatalf("after Cancel: %d inputs, want none", len(ps.inputs))
	}
	if findButton(w, "Cancel") != nil {
		t.Error("the reading dialog is still open")
	}
}
