package packet

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/ocr"
	"github.com/referraldesk/referraldesk/app/ocr/ocrtest"
)

// needOCR skips when the shared data or the OCR engine is missing.
func needOCR(t testing.TB) {
	t.Helper()
	samples(t)
	e, err := ocr.New(ocr.Options{})
	if errors.Is(err, ocr.ErrUnavailable) {
		t.Skipf("OCR not available here (install with scripts/deps.sh): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
}

// scannedCopy renders every page of a PDF and writes an image-only copy: fax-like (grey, noisy,
// skewed, 150 dpi) when fax is set, each page turned clockwise by turn.
func scannedCopy(t testing.TB, src, dst string, fax bool, turn int) {
	t.Helper()
	doc, err := fitz.New(src)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	var pages []image.Image
	dpi := 200.0
	for i := 0; i < doc.NumPage(); i++ {
		img, err := doc.ImageDPI(i, 300)
		if err != nil {
			t.Fatal(err)
		}
		var g image.Image = ocrtest.Fax(img, 300, 200, 0, 0)
		if fax {
			dpi = 150
			g = ocrtest.Fax(img, 300, 150, 0.8, int64(i+1))
		}
		pages = append(pages, ocr.Rotate(g, turn))
	}
	data, err := ocrtest.ScanPDF(pages, dpi)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

var dischargeText = page(
	"DISCHARGE SUMMARY",
	"Admission Date: 03/02/2024",
	"Discharge Date: 03/09/2024",
	"Attending: Dr. Alan Grant",
	"Follow-up appointment on 04/15/2024 with cardiology.",
	"Hospital course was uncomplicated. Discharged home in stable condition.",
	"Printed: 06/01/2025   Faxed: 06/02/2025",
)

var otherPatientLab = []string{
	"LABORATORY REPORT",
	"Patient: ROE, RICHARD   DOB: 05/06/1990   MRN: 777123",
	"Collected: 11/02/2023   Reported: 11/03/2023",
	"Hemoglobin 13.9 g/dL    Sodium 139 mmol/L    Potassium 4.1 mmol/L",
}

func TestScannedPagesDatedFlaggedSearchableUpright(t *testing.T) {
	needOCR(t)
	dir := t.TempDir()
	scanDay := day("2025-06-20")
	opt := Options{Now: func() time.Time { return day("2025-06-30") }, FileTimeout: 3 * time.Minute}

	textPDF := filepath.Join(dir, "discharge-text.pdf")
	writeTestPDF(t, textPDF, [][]string{dischargeText}, scanDay)
	labPDF := filepath.Join(dir, "lab-text.pdf")
	writeTestPDF(t, labPDF, [][]string{otherPatientLab}, scanDay)

	// The text version: the discharge date, not the admission date (the per-kind rule).
	txt := Inspect(context.Background(), textPDF, testPatient, opt)
	if txt.Err != nil || txt.DateSource != DateText || !txt.Date.Equal(day("2024-03-09")) {
		t.Fatalf("text copy: date %v from %s (err %v), want 2024-03-09 from text", txt.Date, txt.DateSource, txt.Err)
	}

	fax := filepath.Join(dir, "discharge-fax.pdf")
	scannedCopy(t, textPDF, fax, true, 0)
	upside := filepath.Join(dir, "discharge-upside-down.pdf")
	scannedCopy(t, textPDF, upside, false, 180)
	labScan := filepath.Join(dir, "lab-fax.pdf")
	scannedCopy(t, labPDF, labScan, true, 0)
	googleScan := filepath.Join(dir, "google-doc-scan.pdf")
	scannedCopy(t, filepath.Join(samplesRel, "pysamples--google-doc-document.pdf"), googleScan, false, 0)

	var progress []int
	opt.ScanProgress = func(_ string, done, total int) { progress = append(progress, done) }
	var ins []*Input
	for _, p := range []string{fax, upside, labScan, googleScan} {
		start := time.Now()
		in := Inspect(context.Background(), p, testPatient, opt)
		if in.Err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), in.Err)
		}
		t.Logf("%s: date %s from %s (%d %%, check %v), turned %v, flags %+v, %v", filepath.Base(p),
			in.Date.Format(time.DateOnly), in.DateSource, in.DateConf, in.CheckDate, in.Turned, in.Flags, time.Since(start))
		if len(in.Scanned) != in.Pages {
			t.Errorf("%s: scanned pages %v of %d", filepath.Base(p), in.Scanned, in.Pages)
		}
		ins = append(ins, in)
	}
	if len(progress) == 0 {
		t.Error("no scan progress reported")
	}
	for _, in := range ins[:2] {
		if in.DateSource != DateScan || !in.Date.Equal(day("2024-03-09")) || in.DateConf <= 0 {
			t.Errorf("%s: date %s from %s (%d %%), want 2024-03-09 from the scan", filepath.Base(in.Path), in.Date.Format(time.DateOnly), in.DateSource, in.DateConf)
		}
		if len(in.Flags) != 0 {
			t.Errorf("%s: flags %+v on the patient's own page", filepath.Base(in.Path), in.Flags)
		}
	}
	if ins[1].Turned[1] != 180 {
		t.Errorf("upside-down scan: turned %v, want page 1 turned 180", ins[1].Turned)
	}
	if !hasFlag(ins[2], ReasonOtherName) || ins[2].Flags[0].Conf <= 0 {
		t.Errorf("other patient's scanned lab: flags %+v, want %q with a confidence", ins[2].Flags, ReasonOtherName)
	}
	if ins[2].DateSource != DateScan || !ins[2].Date.Equal(day("2023-11-02")) {
		t.Errorf("scanned lab: date %s from %s, want 2023-11-02 (collected) from the scan", ins[2].Date.Format(time.DateOnly), ins[2].DateSource)
	}

	// The packet: stamps verified by Build, words searchable, the upside-down page upright.
	plan := NewPlan(ins, 50, true)
	res, err := Build(context.Background(), plan, testPatient, CoverInfo{}, dir, opt, func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	checkPacket(t, res.Path, testPatient, res.Pages, 50)
	doc, err := fitz.New(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	for _, bd := range res.Docs {
		text, err := doc.Text(bd.From - 1)
		if err != nil {
			t.Fatal(err)
		}
		text = normSpace(text)
		want := "Discharge Date: 03/09/2024"
		switch bd.Input {
		case ins[2]:
			want = "Hemoglobin 13.9"
		case ins[3]:
			want = "Beautiful is better than ugly"
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s in the packet (page %d): %q not in its text:\n%s", filepath.Base(bd.Input.Path), bd.From, want, text)
		}
		if bd.Input == ins[1] {
			img, err := doc.ImageDPI(bd.From-1, 36)
			if err != nil {
				t.Fatal(err)
			}
			if top, bottom := inkHalves(img); top <= 2*bottom {
				t.Errorf("turned page: ink top %d, bottom %d: not upright", top, bottom)
			}
		}
	}
}

func hasFlag(in *Input, reason string) bool {
	for _, f := range in.Flags {
		if strings.HasPrefix(f.Reason, reason) {
			return true
		}
	}
	return false
}

// inkHalves counts dark pixels in the top and bottom halves (the text of the test pages is at the top).
func inkHalves(img *image.RGBA) (top, bottom int) {
	h := img.Bounds().Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if img.Pix[y*img.Stride+4*x] < 128 {
				if y < h/2 {
					top++
				} else {
					bottom++
				}
			}
		}
	}
	return top, bottom
}

func TestScanPerKindDates(t *testing.T) {
	now := day("2025-06-30")
	cases := []struct{ name, text, want string }{
		{"discharge summary by discharge", "DISCHARGE SUMMARY\nAdmission Date: 03/02/2024\nDischarge Date: 03/09/2024", "2024-03-09"},
		{"imaging by exam date", "RADIOLOGY REPORT\nReport Date: 05/03/2024\nExam Date: 05/01/2024", "2024-05-01"},
		{"pathology by sign date without exam", "SURGICAL PATHOLOGY\nReceived: 02/01/2024\nElectronically signed 02/05/2024", "2024-02-05"},
		{"note by visit date", "PROGRESS NOTE\nSigned: 07/09/2024\nVisit Date: 07/08/2024", "2024-07-08"},
	}
	for _, c := range cases {
		got, ok := docDate([]string{c.text}, testPatient.DOB, now)
		if !ok || !got.Equal(day(c.want)) {
			t.Errorf("%s: got %s (%v), want %s", c.name, got.Format(time.DateOnly), ok, c.want)
		}
	}
}
