package packet

import (
	"sort"
)

// Reasons a page is left out of the packet.
const (
	DropBudget     = "over the page limit"
	DropExcluded   = "left out by the user"
	DropUnreadable = "file cannot be used"
)

// DroppedPage is a page (or, with Page 0, a whole file) that will not be in the packet.
type DroppedPage struct {
	PageRef
	Reason string
}

// PlannedDoc is one input in the packet with the pages (1-based, in order) that go in.
type PlannedDoc struct {
	Input *Input
	Pages []int
}

// Plan says what Build writes: documents in order, their selected pages, the cover, and every page
// that was left out with the reason. Nothing is dropped silently.
type Plan struct {
	Docs       []PlannedDoc
	Cover      bool
	CoverPages int // pages taken by the cover/index (0 without a cover)
	Max        int // page limit, cover included
	// Requested is how many pages the packet would have without the limit (cover included).
	Requested int
	Dropped   []DroppedPage
}

// Total is the number of pages the packet will have, cover included.
func (p Plan) Total() int {
	n := p.CoverPages
	for _, d := range p.Docs {
		n += len(d.Pages)
	}
	return n
}

// Over is how many pages were left out to stay within Max.
func (p Plan) Over() int {
	n := 0
	for _, d := range p.Dropped {
		if d.Reason == DropBudget {
			n++
		}
	}
	return n
}

// SortNewestFirst orders inputs by date, newest first; inputs with the same date keep their order.
func SortNewestFirst(inputs []*Input) {
	sort.SliceStable(inputs, func(i, j int) bool { return inputs[i].Date.After(inputs[j].Date) })
}

// NewPlan orders a copy of inputs newest first and fits them in limit pages (cover included); see
// NewPlanInOrder.
func NewPlan(inputs []*Input, limit int, cover bool) Plan {
	in := append([]*Input(nil), inputs...)
	SortNewestFirst(in)
	return NewPlanInOrder(in, limit, cover)
}

// NewPlanInOrder keeps the caller's order (for a user who reordered the list) and fits the pages in
// limit pages, cover included (limit <= 0: DefaultMaxPages). Pages are kept from the start of the list:
// with the list newest first, the oldest pages are the ones left out. Inputs with an error and pages
// in Input.Exclude are listed in Dropped too.
func NewPlanInOrder(inputs []*Input, limit int, cover bool) Plan {
	if limit <= 0 {
		limit = DefaultMaxPages
	}
	type cand struct {
		in    *Input
		pages []int
	}
	var cands []cand
	var dropped []DroppedPage
	wanted := 0
	for _, in := range inputs {
		if in == nil {
			continue
		}
		if in.Err != nil || in.Pages <= 0 {
			dropped = append(dropped, DroppedPage{PageRef{in, 0}, DropUnreadable})
			continue
		}
		ex := map[int]bool{}
		for _, p := range in.Exclude {
			ex[p] = true
		}
		var pages []int
		for p := 1; p <= in.Pages; p++ {
			if ex[p] {
				dropped = append(dropped, DroppedPage{PageRef{in, p}, DropExcluded})
				continue
			}
			pages = append(pages, p)
		}
		if len(pages) > 0 {
			cands = append(cands, cand{in, pages})
			wanted += len(pages)
		}
	}

	// The cover's size depends on how many documents fit, which depends on the cover's size.
	coverPages := 0
	if cover {
		coverPages = 1
	}
	var docs []PlannedDoc
	var budgetDrops []DroppedPage
	for iter := 0; iter < 4; iter++ {
		docs, budgetDrops = nil, nil
		left := limit - coverPages
		for _, c := range cands {
			take := min(len(c.pages), max(left, 0))
			if take > 0 {
				docs = append(docs, PlannedDoc{Input: c.in, Pages: c.pages[:take]})
			}
			for _, p := range c.pages[take:] {
				budgetDrops = append(budgetDrops, DroppedPage{PageRef{c.in, p}, DropBudget})
			}
			left -= take
		}
		if !cover {
			break
		}
		need := coverPagesFor(len(docs), len(budgetDrops) > 0)
		if need == coverPages {
			break
		}
		coverPages = need
	}
	return Plan{
		Docs:       docs,
		Cover:      cover,
		CoverPages: coverPages,
		Max:        limit,
		Requested:  wanted + coverPages,
		Dropped:    append(dropped, budgetDrops...),
	}
}
