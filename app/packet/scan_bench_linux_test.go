package packet

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
