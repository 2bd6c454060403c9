package packet

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/packet/packettest"
	"github.com/referraldesk/referraldesk/app/sandbox"
)

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Seen: a 1.2 KB PDF whose page tree claims /Count 2000000000 killed the process ("fatal error:
// runtime: out of memory": a hash per claimed page was allocated). The claim is now checked against
// the file size first, so even in this process it costs nothing.
func TestPageCountBombIsRefusedBeforeAllocating(t *testing.T) {
	dir := t.TempDir()
	bomb := writeFile(t, dir, "count.pdf", packettest.CountBomb(2_000_000_000))
	in := inspectHere(context.Background(), bomb, testPatient, Options{})
	if !errors.Is(in.Err, ErrUnreadable) || !strings.Contains(in.Err.Error(), "it claims 2,000,000,000 pages") {
		t.Fatalf("in process: got %v, want the page claim refused", in.Err)
	}
	in = Inspect(context.Background(), bomb, testPatient, Options{})
	if !errors.Is(in.Err, ErrUnreadable) || !strings.Contains(in.Err.Error(), "this file could not be read: it claims 2,000,000,000 pages") {
		t.Fatalf("in a worker: got %v", in.Err)
	}
	// A claim the file can hold is fine: the same file claiming its one page.
	ok := writeFile(t, dir, "one.pdf", packettest.CountBomb(1))
	if in := Inspect(context.Background(), ok, testPatient, Options{}); in.Err != nil || in.Pages != 1 {
		t.Fatalf("one-page file: pages %d, %v", in.Pages, in.Err)
	}
}

func TestImageSizeBombIsRefused(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "huge.png", packettest.HugePNG(100_000, 100_000))
	in := Inspect(context.Background(), p, testPatient, Options{})
	if !errors.Is(in.Err, ErrUnreadable) || !strings.Contains(in.Err.Error(), "it claims an image of 100,000 × 100,000 pixels") {
		t.Fatalf("got %v", in.Err)
	}
}

// A file that takes long to read costs its own time limit and a clear message, not the caller's time.
func TestSlowFileGetsItsTimeLimit(t *testing.T) {
	dir := t.TempDir()
	slow := writeFile(t, dir, "slow.pdf", packettest.SlowPDF(packettest.SlowOps))
	t0 := time.Now()
	in := Inspect(context.Background(), slow, testPatient, Options{FileTimeout: time.Second})
	d := time.Since(t0)
	if !errors.Is(in.Err, ErrTimeout) || !errors.Is(in.Err, ErrUnreadable) || !strings.Contains(in.Err.Error(), "it took too long to read") {
		t.Fatalf("got %v after %v", in.Err, d)
	}
	if d > 6*time.Second {
		t.Fatalf("Inspect returned after %v with a 1 s limit", d)
	}
}

// A PDF that really ends MuPDF's process (an uncaught error: see packettest.MuPDFCrash) costs one
// file and a clear message; the next file is read by a fresh worker. It is never read in this
// process: it would end the test binary as it would end the app.
func TestMuPDFCrashCostsOneFile(t *testing.T) {
	dir := t.TempDir()
	crash := writeFile(t, dir, "crash.pdf", packettest.MuPDFCrash())
	good := filepath.Join(dir, "good.pdf")
	writeTestPDF(t, good, [][]string{{"Visit note", "Date of service: 2021-03-04"}}, time.Time{})
	pool := &sandbox.Pool{MaxWorkers: 1}
	defer pool.Close()
	opt := Options{Sandbox: pool, FileTimeout: time.Minute}
	in := Inspect(context.Background(), crash, testPatient, opt)
	if !errors.Is(in.Err, ErrUnreadable) || !errors.Is(in.Err, sandbox.ErrCrashed) ||
		!strings.Contains(in.Err.Error(), "this file could not be read: the reader crashed on it") {
		t.Fatalf("got %v", in.Err)
	}
	in = Inspect(context.Background(), good, testPatient, opt)
	if in.Err != nil || in.Pages != 1 {
		t.Fatalf("after the crash: %d pages, %v", in.Pages, in.Err)
	}
	if n := pool.Started(); n != 2 {
		t.Fatalf("%d workers started, want 2 (one replaced after the crash)", n)
	}
}

// A worker killed by a signal while it reads (a segmentation fault in C code) costs one file too.
func TestReaderCrashCostsOneFile(t *testing.T) {
	dir := t.TempDir()
	slow := writeFile(t, dir, "slow.pdf", packettest.SlowPDF(packettest.SlowOps))
	good := filepath.Join(dir, "good.pdf")
	writeTestPDF(t, good, [][]string{{"Visit note", "Date of service: 2021-03-04"}}, time.Time{})
	pool := &sandbox.Pool{MaxWorkers: 1}
	defer pool.Close()
	opt := Options{Sandbox: pool, FileTimeout: time.Minute}
	go func() {
		for i := 0; i < 200; i++ {
			if pids := pool.Busy(); len(pids) == 1 {
				time.Sleep(300 * time.Millisecond) // well inside the reading
				_ = syscall.Kill(pids[0], syscall.SIGSEGV)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	in := Inspect(context.Background(), slow, testPatient, opt)
	if !errors.Is(in.Err, ErrUnreadable) || !errors.Is(in.Err, sandbox.ErrCrashed) ||
		!strings.Contains(in.Err.Error(), "this file could not be read: the reader crashed on it") {
		t.Fatalf("got %v", in.Err)
	}
	in = Inspect(context.Background(), good, testPatient, opt)
	if in.Err != nil || in.Pages != 1 {
		t.Fatalf("after the crash: %d pages, %v", in.Pages, in.Err)
	}
	if n := pool.Started(); n != 2 {
		t.Fatalf("%d workers started, want 2 (one replaced after the crash)", n)
	}
}

// The hostile files of packettest each give an answer (an error or pages), in time.
func TestHostileFilesGiveAnAnswer(t *testing.T) {
	dir := t.TempDir()
	for name, data := range packettest.Hostile() {
		p := writeFile(t, dir, name, data)
		in := Inspect(context.Background(), p, testPatient, Options{FileTimeout: 20 * time.Second})
		if in.Err == nil && in.Pages < 1 {
			t.Errorf("%s: no error and no pages", name)
		}
		if errors.Is(in.Err, ErrUnreadable) && name != "count-bomb.pdf" {
			t.Errorf("%s: %v", name, in.Err)
		}
	}
}

// Errors keep their sentinels across the process boundary, and a changed file is not built.
func TestIsolatedInspectKeepsErrorsAndRefusesChangedFiles(t *testing.T) {
	dir := t.TempDir()
	junk := writeFile(t, dir, "junk.pdf", []byte("not a pdf at all"))
	if in := Inspect(context.Background(), junk, testPatient, Options{}); !errors.Is(in.Err, ErrUnsupported) {
		t.Fatalf("junk: got %v, want ErrUnsupported", in.Err)
	}
	p := filepath.Join(dir, "note.pdf")
	writeTestPDF(t, p, [][]string{{"Visit note 2021-03-04"}, {"Second page of the note"}}, time.Time{})
	in := Inspect(context.Background(), p, testPatient, Options{})
	if in.Err != nil || in.Pages != 2 || len(in.hashes) != 2 {
		t.Fatalf("pages %d hashes %d err %v", in.Pages, len(in.hashes), in.Err)
	}
	if _, err := Thumbnail(context.Background(), p, 1, 100, Options{}); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), NewPlan([]*Input{in}, DefaultMaxPages, true), testPatient, CoverInfo{}, t.TempDir(), Options{}, nil)
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("build of a changed file: got %v, want ErrChanged", err)
	}
}
