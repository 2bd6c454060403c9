//go:build linux

package ocr_test

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/ocr"
	"github.com/referraldesk/referraldesk/app/ocr/ocrtest"
)

// TestMain runs the tests with one OpenMP thread, as the sandbox workers do: the limit is read when
// the library loads, so the binary starts itself again with it.
func TestMain(m *testing.M) {
	if os.Getenv("OMP_THREAD_LIMIT") == "" {
		if exe, err := os.Executable(); err == nil {
			env := append(os.Environ(), "OMP_THREAD_LIMIT=1")
			if err := syscall.Exec(exe, os.Args, env); err != nil {
				os.Exit(1)
			}
		}
	}
	os.Exit(m.Run())
}

const sample = "../../../shared/data/pdfs/pysamples--google-doc-document.pdf"

func renderSample(t testing.TB, dpi float64) *fitz.Document {
	t.Helper()
	if _, err := os.Stat(sample); err != nil {
		t.Skipf("shared test data not found (%s): %v", filepath.Base(sample), err)
	}
	doc, err := fitz.New(sample)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = doc.Close() })
	return doc
}

func newEngine(t testing.TB) *ocr.Engine {
	t.Helper()
	e, err := ocr.New(ocr.Options{DPI: 200})
	if errors.Is(err, ocr.ErrUnavailable) {
		t.Skipf("OCR engine not in this build or its data not installed (scripts/deps.sh test): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

var want = []string{"Beautiful is better than ugly", "Readability counts"}

func TestRecognizeUprightAndTurned(t *testing.T) {
	doc := renderSample(t, 200)
	e := newEngine(t)
	img, err := doc.ImageDPI(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, turn := range []int{0, 180, 90} {
		start := time.Now()
		p, err := e.Recognize(context.Background(), ocr.Rotate(img, turn))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("turned %d: %d words, confidence %.0f, rotate %d, %v", turn, len(p.Words), p.Conf, p.Rotate, time.Since(start))
		for _, w := range want {
			if !strings.Contains(p.Text, w) {
				t.Errorf("turned %d: %q not in the text:\n%s", turn, w, p.Text)
			}
		}
		if back := (turn + p.Rotate) % 360; back != 0 {
			t.Errorf("turned %d: Rotate = %d, want %d", turn, p.Rotate, (360-turn)%360)
		}
		if p.Conf < 70 {
			t.Errorf("turned %d: confidence %.0f, want ≥ 70", turn, p.Conf)
		}
		// Boxes are in the upright page, inside it.
		for _, w := range p.Words {
			if !w.Box.In(pageRect(p)) || p.Text[w.Start:w.End] != w.Text {
				t.Fatalf("word %q box %v outside %dx%d or offsets wrong", w.Text, w.Box, p.Width, p.Height)
			}
		}
	}
}

func TestRecognizeFax(t *testing.T) {
	doc := renderSample(t, 300)
	e := newEngine(t)
	img, err := doc.ImageDPI(0, 300)
	if err != nil {
		t.Fatal(err)
	}
	fax := ocrtest.Fax(img, 300, 150, 1.2, 1)
	p, err := e.Recognize(context.Background(), fax)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fax 150 dpi: %d words, confidence %.0f", len(p.Words), p.Conf)
	for _, w := range want {
		if !strings.Contains(p.Text, w) {
			t.Errorf("%q not in the fax's text:\n%s", w, p.Text)
		}
	}
}

func TestRecognizeCancel(t *testing.T) {
	doc := renderSample(t, 200)
	e := newEngine(t)
	img, err := doc.ImageDPI(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Recognize(ctx, img); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v, want context.Canceled", err)
	}
}

// A page that takes longer than the read limit is given up with ErrTooSlow, not read for minutes.
func TestRecognizeReadLimit(t *testing.T) {
	doc := renderSample(t, 200)
	img, err := doc.ImageDPI(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ocr.New(ocr.Options{DPI: 200, ReadLimit: time.Millisecond})
	if errors.Is(err, ocr.ErrUnavailable) {
		t.Skipf("OCR engine not in this build: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	start := time.Now()
	if _, err := e.Recognize(context.Background(), img); !errors.Is(err, ocr.ErrTooSlow) {
		t.Fatalf("err = %v, want ErrTooSlow", err)
	}
	t.Logf("given up after %v", time.Since(start))
}

// A page that reads poorly as it lies, whose orientation the detector cannot give (here: no
// detector data), is turned blindly only within the turn budget: with none left after the first
// reading, the upside-down page comes back as it lies (its low confidence says so).
func TestRecognizeTurnBudget(t *testing.T) {
	doc := renderSample(t, 200)
	img, err := doc.ImageDPI(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	var eng string
	for _, dir := range []string{os.Getenv("TESSDATA_PREFIX"), "/usr/share/tesseract-ocr/5/tessdata"} {
		if _, err := os.Stat(filepath.Join(dir, "eng.traineddata")); dir != "" && err == nil {
			eng = filepath.Join(dir, "eng.traineddata")
			break
		}
	}
	if eng == "" {
		t.Skip("eng.traineddata not found (scripts/deps.sh test installs it)")
	}
	noOSD := t.TempDir()
	if err := os.Symlink(eng, filepath.Join(noOSD, "eng.traineddata")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		budget time.Duration
		rotate int
	}{{time.Nanosecond, 0}, {time.Hour, 180}} {
		e, err := ocr.New(ocr.Options{DPI: 200, DataDir: noOSD, TurnBudget: tc.budget})
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Recognize(context.Background(), ocr.Rotate(img, 180))
		e.Close()
		if err != nil {
			t.Fatal(err)
		}
		if p.Rotate != tc.rotate {
			t.Errorf("budget %v: Rotate %d (confidence %.0f), want %d", tc.budget, p.Rotate, p.Conf, tc.rotate)
		}
	}
}

func pageRect(p *ocr.Page) image.Rectangle { return image.Rect(0, 0, p.Width, p.Height) }

// BenchmarkRecognizePage is one Letter page at 200 dpi (text is read once: an upright page). It
// reports CPU time per page besides wall time, since the machine is shared.
func BenchmarkRecognizePage(b *testing.B) {
	doc := renderSample(b, 200)
	e := newEngine(b)
	img, err := doc.ImageDPI(0, 200)
	if err != nil {
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Recognize(context.Background(), img); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/page")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
