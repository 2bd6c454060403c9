package dicom

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// BenchmarkScan1000 scans 1,000 small DICOM files (10 studies of 100 images, 64x64 16-bit
// pixel data, no extension) made once per run; the goal is under 2 s per scan.
func BenchmarkScan1000(b *testing.B) {
	dir := b.TempDir()
	for i := range 1000 {
		st, n := i/100, i%100
		ti := testImage{
			patient: PatientInfo{Name: "BENCH^PATIENT", ID: "B1", BirthDate: "19700101", Sex: "O"},
			study:   fmt.Sprintf("1.2.826.0.1.3680043.8.498.%d", st+1),
			series:  fmt.Sprintf("1.2.826.0.1.3680043.8.498.%d.%d", st+1, n/25+1),
			sop:     fmt.Sprintf("1.2.826.0.1.3680043.8.498.%d.%d.%d", st+1, n/25+1, n+1),
			date:    fmt.Sprintf("2024%02d01", st+1), number: n + 1,
		}
		spec := ti.spec()
		spec.pixels = 64 * 64 * 2
		writeFile(b, filepath.Join(dir, fmt.Sprintf("S%02d", st), fmt.Sprintf("IM%04d", n)), spec.bytes())
	}
	// As the app scans (each header read in a sandbox worker, workers started by the scan) and in
	// this process, to show what the isolation costs.
	for _, mode := range []struct {
		name    string
		isolate bool
	}{{"isolated", true}, {"in-process", false}} {
		b.Run(mode.name, func(b *testing.B) {
			start := time.Now()
			for b.Loop() {
				opts := ScanOptions{Isolate: mode.isolate}
				if mode.isolate {
					opts.Pool = &sandbox.Pool{}
				}
				res, err := Scan(context.Background(), dir, opts, nil)
				if opts.Pool != nil {
					opts.Pool.Close()
				}
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Instances) != 1000 || len(res.Patients) != 1 || len(res.Patients[0].Studies) != 10 {
					b.Fatalf("%d instances, %d patients", len(res.Instances), len(res.Patients))
				}
			}
			ms := float64(time.Since(start).Microseconds()) / 1000 / float64(b.N)
			b.ReportMetric(ms, "ms/scan")
			if ms > 2000 {
				b.Errorf("scanning 1,000 files took %.0f ms, goal under 2000 ms", ms)
			}
		})
	}
}
