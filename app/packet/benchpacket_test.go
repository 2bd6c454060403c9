//go:build linux

package packet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// TestBenchPacket is the measuring side of scripts/bench-packet.sh (issue 4, "Performance"). It does
// nothing unless PACKET_BENCH says what to measure:
//
//	ratio  Build (stamps, cover, bookmarks, checks) of PACKET_BENCH_FILES (paths separated by
//	       newlines), inspected beforehand, against `qpdf --empty --pages … --` and `mutool merge` of
//	       the same files, each PACKET_BENCH_REPS times (default 15) in turns; prints the medians.
//	       This is the in-process figure; the script times the whole command beside it.
//	mem    Inspect, plan (page limit PACKET_BENCH_MAX, default DefaultMaxPages) and Build of the one
//	       file PACKET_BENCH_INPUT; prints the peak resident memory of this process (MuPDF included).
//	thumb  Thumbnail of page 1 at 200 px of PACKET_BENCH_INPUT, the first call in this process;
//	       prints its time. With PACKET_BENCH_PRESTART set, a file reader is started first (Prestart),
//	       as the packet step does when it opens; otherwise the time includes starting it.
//
// Results are printed as "BENCH key=value" lines for the script.
func TestBenchPacket(t *testing.T) {
	switch mode := os.Getenv("PACKET_BENCH"); mode {
	case "":
		t.Skip("set PACKET_BENCH=ratio|mem|thumb (scripts/bench-packet.sh does)")
	case "ratio":
		benchRatio(t)
	case "mem":
		benchMem(t)
	case "thumb":
		benchThumb(t)
	default:
		t.Fatalf("PACKET_BENCH=%q: want ratio, mem or thumb", mode)
	}
}

func benchEnvInt(t *testing.T, key string, def int) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", key, v)
	}
	return n
}

func benchRatio(t *testing.T) {
	var files []string
	for _, f := range strings.Split(os.Getenv("PACKET_BENCH_FILES"), "\n") {
		if f = strings.TrimSpace(f); f != "" {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		t.Fatal("PACKET_BENCH_FILES is empty")
	}
	reps := benchEnvInt(t, "PACKET_BENCH_REPS", 15)
	ctx := context.Background()
	var inputs []*Input
	pages := 0
	for _, f := range files {
		in := Inspect(ctx, f, testPatient, Options{})
		if in.Err != nil { // damaged but readable files are welcome: real records often are
			t.Fatalf("%s cannot be used for the ratio: %v", filepath.Base(f), in.Err)
		}
		inputs = append(inputs, in)
		pages += in.Pages
	}
	plan := NewPlan(inputs, DefaultMaxPages, true)
	if len(plan.Dropped) > 0 || plan.Total() != pages+plan.CoverPages {
		t.Fatalf("the %d files have %d pages: over the packet's limit, qpdf would merge more than we build", len(files), pages)
	}
	out := t.TempDir()
	qpdfArgs := append(append([]string{"--empty", "--pages"}, files...), "--", filepath.Join(out, "qpdf.pdf"))
	mutoolArgs := append([]string{"merge", "-o", filepath.Join(out, "mutool.pdf")}, files...)
	runs := []struct {
		name string
		run  func() error
		ms   []float64
	}{
		{name: "build", run: func() error {
			_, err := Build(ctx, plan, testPatient, benchCover, out, Options{}, nil)
			return err
		}},
		{name: "qpdf", run: func() error { return qpdfMerge(qpdfArgs) }},
		{name: "mutool", run: func() error { return exec.Command("mutool", mutoolArgs...).Run() }},
	}
	for i := range runs { // warm-up: file cache, first use of MuPDF and pdfcpu
		if err := runs[i].run(); err != nil {
			t.Fatalf("%s: %v", runs[i].name, err)
		}
	}
	for r := 0; r < reps; r++ {
		for k := range runs {
			i := (r + k) % len(runs) // take turns, so that drift in the machine's load hits all three
			t0 := time.Now()
			if err := runs[i].run(); err != nil {
				t.Fatalf("%s: %v", runs[i].name, err)
			}
			runs[i].ms = append(runs[i].ms, float64(time.Since(t0).Microseconds())/1000)
		}
	}
	fmt.Printf("BENCH files=%d pages=%d packet_pages=%d reps=%d\n", len(files), pages, plan.Total(), reps)
	for _, r := range runs {
		sort.Float64s(r.ms)
		fmt.Printf("BENCH %s_ms=%.1f %s_min_ms=%.1f\n", r.name, r.ms[len(r.ms)/2], r.name, r.ms[0])
	}
}

// qpdfMerge runs qpdf; exit status 3 (merged, with warnings about damaged inputs) is success.
func qpdfMerge(args []string) error {
	err := exec.Command("qpdf", args...).Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 3 {
		return nil
	}
	return err
}

func benchMem(t *testing.T) {
	path := os.Getenv("PACKET_BENCH_INPUT")
	if path == "" {
		t.Fatal("PACKET_BENCH_INPUT is empty")
	}
	ctx := context.Background()
	// The file is inspected in a sandbox worker; its peak counts too (added: it stays alive, idle,
	// while the packet is built).
	pool := &sandbox.Pool{}
	in := Inspect(ctx, path, testPatient, Options{Sandbox: pool})
	if in.Err != nil {
		t.Fatal(in.Err)
	}
	plan := NewPlan([]*Input{in}, benchEnvInt(t, "PACKET_BENCH_MAX", DefaultMaxPages), true)
	res, err := Build(ctx, plan, testPatient, benchCover, t.TempDir(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = pool.Close() // waits for the worker, so that its peak is counted below
	var self, children syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &self); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("BENCH input_pages=%d packet_pages=%d maxrss_kb=%d self_kb=%d worker_kb=%d\n", in.Pages, res.Pages,
		self.Maxrss+children.Maxrss, self.Maxrss, children.Maxrss)
}

func benchThumb(t *testing.T) {
	path := os.Getenv("PACKET_BENCH_INPUT")
	if path == "" {
		t.Fatal("PACKET_BENCH_INPUT is empty")
	}
	if os.Getenv("PACKET_BENCH_PRESTART") != "" {
		// As the packet step does when it opens: a file reader is started before a file is added.
		if err := Prestart(context.Background(), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	img, err := Thumbnail(context.Background(), path, 1, 200, Options{})
	d := time.Since(t0)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); max(b.Dx(), b.Dy()) > 201 || min(b.Dx(), b.Dy()) < 1 { // MuPDF rounds outwards
		t.Fatalf("thumbnail is %dx%d, want about 200 px", b.Dx(), b.Dy())
	}
	fmt.Printf("BENCH thumb_ms=%.1f\n", float64(d.Microseconds())/1000)
}
