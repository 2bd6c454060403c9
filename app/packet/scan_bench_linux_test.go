package packet

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/ocr/ocrtest"
	"github.com/referraldesk/referraldesk/app/sandbox"
)

func sampleEncode(v any) ([]byte, error) { return sandbox.Encode(v) }

// childCPU sums the CPU time of this process's live children (the sandbox workers) from /proc.
func childCPU() time.Duration {
	var total time.Duration
	entries, _ := os.ReadDir("/proc")
	self := strconv.Itoa(os.Getpid())
	for _, e := range entries {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+2:])
		if len(f) < 13 || f[1] != self {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(u+st) * 10 * time.Millisecond // USER_HZ is 100 on Linux
	}
	return total
}

// BenchmarkScanPage is the OCR of one scanned Letter page in a sandbox worker (render + read); it
// reports the CPU time of the whole process tree per page, since the machine is shared.
func BenchmarkScanPage(b *testing.B) {
	needOCR(b)
	dir := b.TempDir()
	scan := filepath.Join(dir, "scan.pdf")
	scannedCopy(b, filepath.Join(samplesRel, "pysamples--google-doc-document.pdf"), scan, false, 0)
	body, _ := sampleEncode(ocrRequest{Path: scan, Page: 1, Timeout: time.Minute})
	pool := Options{}.pool()
	if _, err := pool.Do(context.Background(), jobOCR, body, time.Minute); err != nil { // warm the worker
		b.Fatal(err)
	}
	cpu0 := childCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := pool.Do(context.Background(), jobOCR, body, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((childCPU()-cpu0).Milliseconds())/float64(b.N), "worker-cpu-ms/page")
}

// BenchmarkScannedPacket20 reads and builds a packet from one file of 20 scanned, fax-like pages
// (grey, noisy, slightly skewed, 200 dpi; each page a little different, so none is a duplicate), as
// the packet step does: Inspect with OCR in the workers (pages in parallel), then Build with the
// invisible text layer and the stamp check. It reports the wall time per packet and the CPU time
// of the whole process tree.
func BenchmarkScannedPacket20(b *testing.B) {
	needOCR(b)
	src := filepath.Join(samplesRel, "pysamples--google-doc-document.pdf")
	if _, err := os.Stat(src); err != nil {
		b.Skipf("sample PDFs not found (%v)", err)
	}
	dir := b.TempDir()
	one := filepath.Join(dir, "one.pdf")
	scannedCopy(b, src, one, false, 0)
	doc, err := fitz.New(one)
	if err != nil {
		b.Fatal(err)
	}
	img, err := doc.ImageDPI(0, 300)
	doc.Close()
	if err != nil {
		b.Fatal(err)
	}
	var pages []image.Image
	for i := range 20 {
		pages = append(pages, ocrtest.Fax(img, 300, 200, 0.3, int64(i+1)))
	}
	data, err := ocrtest.ScanPDF(pages, 200)
	if err != nil {
		b.Fatal(err)
	}
	scan := filepath.Join(dir, "scan20.pdf")
	if err := os.WriteFile(scan, data, 0o600); err != nil {
		b.Fatal(err)
	}
	opt := Options{}
	cpu0, self0 := childCPU(), selfCPU()
	start := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := Inspect(context.Background(), scan, testPatient, opt)
		if in.Err != nil || len(in.Scanned) != 20 {
			b.Fatalf("inspect: %v, %d pages read of 20 (%s)", in.Err, len(in.Scanned), in.ScanNote)
		}
		if _, err := Build(context.Background(), NewPlan([]*Input{in}, DefaultMaxPages, true), testPatient, CoverInfo{}, b.TempDir(), opt, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(time.Since(start).Milliseconds())/n, "ms/packet")
	b.ReportMetric(float64((childCPU()-cpu0+selfCPU()-self0).Milliseconds())/n, "cpu-ms/packet")
}

// selfCPU is this process's own CPU time (user and system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
