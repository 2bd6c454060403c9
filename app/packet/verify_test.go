package packet

import (
	"fmt"
	"testing"
)

// The check's work queue must cover every output page exactly once, keep each run within one source,
// cut long sources so that every worker gets a share, and hand out the costliest runs first.
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
	// c's one page draws 100 KB of content (thousands of inline images), b's pages 1 KB each.
	work := make([]int, len(mixed))
	for i, r := range mixed {
		switch r.Doc {
		case b:
			work[i] = 1000
		case c:
			work[i] = 100000
		}
	}
	// As in the bench's packet: d's two pages of inline images are most of the work, and are
	// checked by two workers at once, not one after the other.
	d := &Input{Path: "d"}
	twoCostly := append(append(append([]PageRef{{}}, pages(a, 20)...), pages(d, 2)...), pages(b, 20)...)
	twoWork := make([]int, len(twoCostly))
	for i, r := range twoCostly {
		twoWork[i] = 500
		if r.Doc == d {
			twoWork[i] = 60000
		}
	}
	for _, tc := range []struct {
		name    string
		refs    []PageRef
		work    []int
		n       int
		workers int
	}{
		{"mixed/2", mixed, nil, len(mixed), 2},
		{"mixed/1", mixed, nil, len(mixed), 1},
		{"mixed/8", mixed, nil, len(mixed), 8},
		{"mixed by work/2", mixed, work, len(mixed), 2},
		{"two costly pages/2", twoCostly, twoWork, len(twoCostly), 2},
		{"one source", append([]PageRef{{}}, pages(a, 49)...), nil, 50, 2},
		{"no sources (fax form)", nil, nil, 2, 2},
		{"one page", []PageRef{{}}, nil, 1, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := verifyRuns(tc.refs, tc.work, tc.n, tc.workers)
			seen := make([]int, tc.n)
			maxRun := (tc.n + tc.workers - 1) / tc.workers
			for i, r := range runs {
				if r.from >= r.to || r.from < 0 || r.to > tc.n {
					t.Fatalf("bad run %v", r)
				}
				if r.to-r.from > maxRun {
					t.Errorf("run %v longer than %d pages", r, maxRun)
				}
				if tc.work == nil && i > 0 && r.to-r.from > runs[i-1].to-runs[i-1].from {
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
			if tc.name == "mixed by work/2" && (runs[0] != pageRun{len(mixed) - 1, len(mixed)}) {
				t.Errorf("c's costly page is not checked first: runs %v", runs)
			}
			if tc.name == "two costly pages/2" && (runs[0] != pageRun{21, 22} || runs[1] != pageRun{22, 23}) {
				t.Errorf("d's costly pages are not the first two runs, one page each: runs %v", runs)
			}
			if tc.work != nil {
				for i := 1; i < len(runs); i++ {
					if cost := func(r pageRun) (c int) {
						for _, w := range tc.work[r.from:r.to] {
							c += w + 1
						}
						return c
					}; cost(runs[i]) > cost(runs[i-1]) {
						t.Errorf("runs not costliest first: %v", runs)
					}
				}
			}
			if tc.n >= tc.workers && len(runs) < tc.workers {
				t.Errorf("%d runs for %d workers: %v", len(runs), tc.workers, fmt.Sprint(runs))
			}
		})
	}
}
