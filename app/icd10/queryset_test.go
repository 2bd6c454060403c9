package icd10

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// labelled is one query of testdata/queries.tsv.
type labelled struct {
	kind, query string
	accept      []string // dotted codes; a trailing * accepts every code starting with the rest
}

func (l *labelled) ok(code string) bool {
	for _, a := range l.accept {
		if p, prefix := strings.CutSuffix(a, "*"); prefix && strings.HasPrefix(code, p) || a == code {
			return true
		}
	}
	return false
}

func readQuerySet(tb testing.TB) []labelled {
	tb.Helper()
	f, err := os.Open("testdata/queries.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 4 || f[1] == "" || f[2] == "" || f[3] == "" {
			tb.Fatalf("queries.tsv line %d: want kind, query, codes, source", line)
		}
		out = append(out, labelled{kind: f[0], query: f[1], accept: strings.Split(f[2], ",")})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// recallGoals are the goals of issue 14: recall@10 per kind of query.
var recallGoals = map[string]float64{"official": 0.98, "code": 1, "abbreviation": 0.90, "lay": 0.90, "typo": 0.85}

// querySetRecall runs the labelled queries and returns recall@10 per kind, the misses, the
// median query time and the median per kind.
func querySetRecall(ix *Index, qs []labelled) (map[string]float64, []string, time.Duration, map[string]time.Duration) {
	found, total := map[string]int{}, map[string]int{}
	var misses []string
	times := make([]time.Duration, 0, len(qs))
	byKind := map[string][]time.Duration{}
	for _, q := range qs {
		t0 := time.Now()
		ms := ix.Find(q.query, 10, Options{})
		d := time.Since(t0)
		times = append(times, d)
		byKind[q.kind] = append(byKind[q.kind], d)
		total[q.kind]++
		if slices.ContainsFunc(ms, func(m Match) bool { return q.ok(m.Code.Code) }) {
			found[q.kind]++
		} else {
			misses = append(misses, fmt.Sprintf("%s %q: got %v", q.kind, q.query, matchCodes(ms)))
		}
	}
	recall := map[string]float64{}
	for k, n := range total {
		recall[k] = float64(found[k]) / float64(n)
	}
	slices.Sort(times)
	medians := map[string]time.Duration{}
	for k, ts := range byKind {
		slices.Sort(ts)
		medians[k] = ts[len(ts)/2]
	}
	return recall, misses, times[len(times)/2], medians
}

func TestQuerySetRecall(t *testing.T) {
	ix := benchIndex(t)
	qs := readQuerySet(t)
	if len(qs) < 200 {
		t.Fatalf("%d labelled queries, want at least 200", len(qs))
	}
	recall, misses, median, medians := querySetRecall(ix, qs)
	for _, m := range misses {
		t.Log("miss:", m)
	}
	for kind, goal := range recallGoals {
		r, ok := recall[kind]
		t.Logf("recall@10 %-12s %5.1f %% (goal %.0f %%), median %v", kind, 100*r, 100*goal, medians[kind])
		if !ok || r < goal {
			t.Errorf("recall@10 of %s queries = %.1f %%, goal %.0f %%", kind, 100*r, 100*goal)
		}
	}
	t.Logf("median query time %v", median)
}

// BenchmarkQuerySet reports recall@10 per kind ("recall-KIND-%") and the median time of the
// labelled queries, for scripts/bench-core.sh.
func BenchmarkQuerySet(b *testing.B) {
	ix := benchIndex(b)
	qs := readQuerySet(b)
	recall, _, _, _ := querySetRecall(ix, qs)
	var times []time.Duration
	i := 0
	b.ResetTimer()
	// Step through the set with a stride coprime to its length, so that a short run samples
	// every kind of query rather than the first lines.
	stride := 1
	for _, s := range []int{97, 89, 83, 79} {
		if len(qs)%s != 0 {
			stride = s
			break
		}
	}
	for b.Loop() {
		q := qs[(i*stride)%len(qs)]
		i++
		t0 := time.Now()
		ix.Find(q.query, 10, Options{})
		times = append(times, time.Since(t0))
	}
	reportMedian(b, times)
	for kind, r := range recall {
		b.ReportMetric(100*r, "recall-"+kind+"-%")
	}
}
