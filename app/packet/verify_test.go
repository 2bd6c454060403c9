package packet

import (
	"fmt"
	"testing"
)

// The check's work queue must cover every output page exactly once, keep each run within one source,
// and cut long sources so that every worker gets a share.
func TestVerifyRuns(t *testing.T) {
	a, b, c := &Input{Path: "a"}, &Input{Path: "b"}, &Input{Path: "c"}
	pages := func(in *Input, n int) []PageRef {
		var r []PageRef
		for i := 1; i <= n; i++ {
			r = append(r, PageRef{Doc: in, Page: i})
		}
		return r
	}
	var mixed []PageRef
	mixed = append(mixed, PageRef{}) // cover
	mixed = append(mixed, pages(a, 3)...)
	mixed = append(mixed, pages(b, 30)...)
	mixed = append(mixed, pages(c, 1)...)
	for _, tc := range []struct {
		name    string
		refs    []PageRef
		n       int
		workers int
	}{
		{"mixed/2", mixed, len(mixed), 2},
		{"mixed/1", mixed, len(mixed), 1},
		{"mixed/8", mixed, len(mixed), 8},
		{"one source", append([]PageRef{{}}, pages(a, 49)...), 50, 2},
		{"no sources (fax form)", nil, 2, 2},
		{"one page", []PageRef{{}}, 1, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := verifyRuns(tc.refs, tc.n, tc.workers)
			seen := make([]int, tc.n)
			maxRun := (tc.n + tc.workers - 1) / tc.workers
			for i, r := range runs {
				if r.from >= r.to || r.from < 0 || r.to > tc.n {
					t.Fatalf("bad run %v", r)
				}
				if r.to-r.from > maxRun {
					t.Errorf("run %v longer than %d pages", r, maxRun)
				}
				if i > 0 && r.to-r.from > runs[i-1].to-runs[i-1].from {
					t.Errorf("runs not longest first: %v", runs)
				}
				for p := r.from; p < r.to; p++ {
					seen[p]++
					if tc.refs != nil && tc.refs[p].Doc != tc.refs[r.from].Doc {
						t.Errorf("run %v mixes sources", r)
					}
				}
			}
			for p, k := range seen {
				if k != 1 {
					t.Errorf("page %d checked %d times (runs %v)", p+1, k, runs)
				}
			}
			if tc.n >= tc.workers && len(runs) < tc.workers {
				t.Errorf("%d runs for %d workers: %v", len(runs), tc.workers, fmt.Sprint(runs))
			}
		})
	}
}
