package ehrimport

import (
	"bytes"
	"io"
	"runtime"
	"slices"
	"testing"
	"time"
)

// benchSize is the C-CDA size of the import goal: 5 MB, built by repeating a real example's sections.
const benchSize = 5 << 20

// BenchmarkImport measures Parse plus Suggest on a 5 MB C-CDA (goal: median < 300 ms) and reports the
// median and the bytes allocated per import relative to the file size (goal: < 10x).
func BenchmarkImport(b *testing.B) {
	data := bigCCDA(b, benchSize)
	ix := index(b)
	var times []time.Duration
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	cpu0 := processCPU()
	for b.Loop() {
		t0 := time.Now()
		doc, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		Suggest(ix, doc)
		times = append(times, time.Since(t0))
	}
	reportMedian(b, times)
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	b.ReportMetric(float64(peakHeap(b, func() {
		doc, _ := Parse(data)
		Suggest(ix, doc)
	}))/float64(len(data)), "peak-heap/file")
}

// BenchmarkRenderPDF measures the PDF of the same 5 MB C-CDA (goal: < 1 s).
func BenchmarkRenderPDF(b *testing.B) {
	doc, err := Parse(bigCCDA(b, benchSize))
	if err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	cpu0 := processCPU()
	for b.Loop() {
		t0 := time.Now()
		if err := RenderPDF(doc, io.Discard); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	reportMedian(b, times)
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	var buf bytes.Buffer
	_ = RenderPDF(doc, &buf)
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
}

func reportMedian(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "median-ms")
}

// peakHeap runs f while sampling the live heap, and returns the highest heap growth seen.
func peakHeap(b *testing.B, f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	done := make(chan struct{})
	peak := uint64(0)
	go func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > base && m.HeapAlloc-base > peak {
					peak = m.HeapAlloc - base
				}
			}
		}
	}()
	f()
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
		peak = ms.HeapAlloc - base
	}
	close(done)
	return peak
}
