package icd10

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// benchQueries is a mix of realistic keyword queries: whole words, prefixes typed mid-word,
// CMS abbreviations and broad single words.
var benchQueries = []string{
	"type 2 diabetes",
	"diab mell type 2 w/o comp",
	"hypertension",
	"essential hypertension",
	"asthma",
	"chest pain",
	"low back pain",
	"obstructive pulm",
	"chronic obstructive pulmonary disease",
	"atrial fib",
	"heart failure",
	"congestive heart fail",
	"major depressive disorder",
	"anxiety",
	"migraine without aura",
	"hypothyroidism",
	"chronic kidney disease stage 3",
	"pneumonia",
	"urinary tract infection",
	"osteoarthritis knee",
	"primary osteoarthritis right knee",
	"fracture of femur",
	"fx radius",
	"obesity",
	"hyperlipidemia",
	"gastro-esophageal reflux",
	"headache",
	"abdominal pain",
	"breast",
	"malignant neoplasm of breast",
	"sleep apnea",
	"vitamin d deficiency",
	"iron deficiency anemia",
	"pain",
	"left",
	"s",
	"init encntr",
	"covid",
	"pregnancy",
	"knee pain",
}

// sharedIndex is loaded once for the search benchmarks and tests.
var sharedIndex = sync.OnceValues(Load)

func benchIndex(tb testing.TB) *Index {
	tb.Helper()
	ix, err := sharedIndex()
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

// reportMedian reports the median of per-operation durations as "median-ns/op".
func reportMedian(b *testing.B, d []time.Duration) {
	b.Helper()
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "median-ns/op")
}

func BenchmarkSearchKeywords(b *testing.B) {
	ix := benchIndex(b)
	var times []time.Duration
	i := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		q := benchQueries[i%len(benchQueries)]
		i++
		t0 := time.Now()
		res := ix.Search(q, 20)
		times = append(times, time.Since(t0))
		if len(res) == 0 {
			b.Fatalf("no results for %q", q)
		}
	}
	reportMedian(b, times)
}

func BenchmarkSearchCode(b *testing.B) {
	ix := benchIndex(b)
	queries := []string{"E11.9", "e119", "E11", "I10", "S72", "QA0", "M54.5", "T8"}
	var times []time.Duration
	i := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		t0 := time.Now()
		res := ix.Search(q, 20)
		times = append(times, time.Since(t0))
		if len(res) == 0 {
			b.Fatalf("no results for %q", q)
		}
	}
	reportMedian(b, times)
}

func BenchmarkLookup(b *testing.B) {
	ix := benchIndex(b)
	codes := []string{"E11.9", "e119", "I10", "QA00101", "S72.001A", "m54.50", "Z00.00", "nope"}
	i := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ix.Lookup(codes[i%len(codes)])
		i++
	}
}

func BenchmarkLoad(b *testing.B) {
	var times []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	reportMedian(b, times)
}
