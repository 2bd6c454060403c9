package packet

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/packet/packettest"
)

// Seeds come from the shared sample PDFs (skipped when absent: the seeds below still run) and the
// hostile files of packettest. `go test` runs each seed once; `make fuzz` explores from them.

// maxSeedBytes keeps the seed run of `go test` short.
const maxSeedBytes = 256 << 10

func samplePDFSeeds(tb testing.TB) [][]byte {
	paths, _ := filepath.Glob(filepath.Join(samplesRel, "*.pdf"))
	if len(paths) == 0 {
		tb.Logf("shared sample PDFs not present (%s): fuzzing from the generated seeds only", samplesRel)
	}
	var out [][]byte
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.Size() > maxSeedBytes {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	return out
}

// FuzzInspectPDF reads arbitrary bytes as a PDF in this process (as a worker does): it must not
// crash the process nor take a page count the file cannot hold, and what it reports must add up.
func FuzzInspectPDF(f *testing.F) {
	for _, b := range samplePDFSeeds(f) {
		f.Add(b)
	}
	for _, b := range packettest.Hostile() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "in.pdf")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		in := inspectHere(context.Background(), p, testPatient, Options{FileTimeout: 5 * time.Second})
		if in.Err != nil {
			return
		}
		if in.Pages < 1 || checkPageClaim(int64(in.Pages), len(data)) != nil {
			t.Fatalf("%d pages from %d bytes", in.Pages, len(data))
		}
		if len(in.hashes) != 0 && len(in.hashes) != in.Pages {
			t.Fatalf("%d page hashes for %d pages", len(in.hashes), in.Pages)
		}
		for _, b := range in.Blank {
			if b < 1 || b > in.Pages {
				t.Fatalf("blank page %d of %d", b, in.Pages)
			}
		}
	})
}

// FuzzDocDate: the date finder never panics, finds dates inside the text, and never picks a date
// after now (plus its day and a half of slack) or before the date of birth.
func FuzzDocDate(f *testing.F) {
	for _, s := range []string{
		"Date of service: 03/04/2021\nDOB: 01/02/1970", "Visit 2021-03-04, printed 4 March 2021",
		"Born 1970-01-02. Seen on Mar 4, 2021 by Dr. Smith", "31/12/99 12/31/99 99-12-31", "",
		"Date: 2021-02-30 and 0000-00-00 and 9999-99-99", strings.Repeat("12/12/12 ", 200),
	} {
		f.Add(s)
	}
	for _, b := range samplePDFSeeds(f) {
		doc, err := fitz.NewFromMemory(b)
		if err != nil {
			continue
		}
		if doc.NumPage() > 0 {
			if text, err := doc.Text(0); err == nil {
				f.Add(text)
			}
		}
		_ = doc.Close()
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		for _, m := range findDates(text, now) {
			if m.start < 0 || m.end > len(text) || m.start >= m.end {
				t.Fatalf("match [%d,%d) outside the text of %d bytes", m.start, m.end, len(text))
			}
		}
		d, ok := docDate([]string{text}, testPatient.DOB, now)
		if !ok {
			return
		}
		if d.After(now.Add(36*time.Hour)) || d.Before(testPatient.DOB) || sameDay(d, testPatient.DOB) {
			t.Fatalf("picked %v (now %v, born %v)", d, now, testPatient.DOB)
		}
	})
}
