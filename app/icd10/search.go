package icd10

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
)

// queryStop are filler words dropped from keyword queries ("pain in chest"), unless the query
// has nothing else.
var queryStop = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "by": true, "for": true,
	"in": true, "of": true, "on": true, "or": true, "the": true, "to": true,
}

// Search returns up to limit codes matching query, best first; limit <= 0 means no limit.
//
// A query that looks like a code or code prefix ("E11.9", "e119", "E11.", "QA0") returns the
// exact code first, then the codes starting with it in tabular order. If no code starts with
// it, or the query is not code-like, it is a keyword search: every query word must be the start
// of a word of the code's short or long description ("diab mell" finds "diabetes mellitus";
// "w/o" and "w/" mean "without" and "with", and CMS abbreviations such as "fx" also match the
// word they stand for; filler words like "of" and "in" are ignored). Results are ranked by how closely the long
// description matches: whole-word matches first, then fewer unmatched words, then general
// ("unspecified", "without complications") and shorter codes, then tabular order.
//
// Search returns nil when nothing matches or the query is empty.
func (ix *Index) Search(query string, limit int) []Code {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil
	}
	if p := Normalize(query); looksLikeCode(p) {
		if res := ix.searchCode(p, limit); len(res) > 0 {
			return res
		}
	}
	return ix.searchWords(query, limit)
}

// looksLikeCode reports whether a normalized query is a plausible code or code prefix: a letter
// followed by up to six letters or digits, with at least one digit.
func looksLikeCode(p string) bool {
	if len(p) < 2 || len(p) > 7 || p[0] < 'A' || p[0] > 'Z' {
		return false
	}
	digit := false
	for i := 1; i < len(p); i++ {
		c := p[i]
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case 'A' <= c && c <= 'Z':
		default:
			return false
		}
	}
	return digit
}

// searchCode returns the code equal to prefix (if any) followed by the codes that start with
// prefix, in tabular order.
func (ix *Index) searchCode(prefix string, limit int) []Code {
	k, ok := packCode(prefix)
	if !ok {
		return nil
	}
	lo, hi := ix.keyRange(k, keySpan(len(prefix)))
	if lo == hi {
		return nil
	}
	var res []Code
	if ix.keys[lo]>>posBits == k { // the exact code sorts first
		res = append(res, ix.codes[ix.pos(lo)])
		lo++
	}
	pos := make([]int32, 0, hi-lo)
	for i := lo; i < hi; i++ {
		pos = append(pos, ix.pos(i))
	}
	slices.Sort(pos)
	if limit > 0 {
		pos = pos[:min(len(pos), max(limit-len(res), 0))]
	}
	for _, p := range pos {
		res = append(res, ix.codes[p])
	}
	return res
}

// queryAliases maps abbreviations used in the CMS short descriptions, which are not prefixes
// of the word they stand for, to that word, so that a query word like "fx" also matches codes
// whose short description happens to spell "fracture" out.
var queryAliases = map[string]string{
	"athscl": "atherosclerotic", "clsn": "collision", "commnt": "comminuted", "encntr": "encounter",
	"fb": "foreign", "femr": "femur", "fngr": "finger", "forarm": "forearm", "ft": "foot",
	"fx": "fracture", "haris": "harris", "hnd": "hand", "hx": "history", "lv": "level",
	"lwr": "lower", "mc": "metacarpal", "milt": "military", "mv": "motor", "nk": "neck",
	"opn": "open", "pasngr": "passenger", "pedl": "pedal", "physl": "physeal",
	"pnctr": "puncture", "poisn": "poisoning", "routn": "routine", "shldr": "shoulder",
	"sltr": "salter", "sqla": "sequela", "upr": "upper", "wrs": "wrist",
}

// span is a range of term ids [lo, hi): the terms that start with some prefix.
type span struct{ lo, hi int32 }

// queryTerm is one query word resolved against the vocabulary: the terms it starts (and those
// its alias starts, if it has one).
type queryTerm struct {
	spans [2]span
	n     int      // spans in use
	full  [2]int32 // term ids equal to the word or its alias, -1 if none
	df    uint32   // total postings of the spans (an upper bound on matching codes)
}

func (qt *queryTerm) has(t int32) bool {
	for _, s := range qt.spans[:qt.n] {
		if s.lo <= t && t < s.hi {
			return true
		}
	}
	return false
}

func (qt *queryTerm) isFull(t int32) bool { return t == qt.full[0] || t == qt.full[1] }

// prefixSpan returns the ids of the terms starting with w, and the id of w itself (or -1).
func (ix *Index) prefixSpan(w string) (span, int32) {
	lo := sort.SearchStrings(ix.vocab, w)
	hi := lo + sort.Search(len(ix.vocab)-lo, func(j int) bool { return !strings.HasPrefix(ix.vocab[lo+j], w) })
	full := int32(-1)
	if lo < hi && ix.vocab[lo] == w {
		full = int32(lo)
	}
	return span{int32(lo), int32(hi)}, full
}

func (ix *Index) searchWords(query string, limit int) []Code {
	raw := queryWords(query)
	words := raw[:0:0]
	for _, w := range raw {
		if !queryStop[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		words = raw
	}
	if len(words) == 0 {
		return nil
	}
	if len(words) > 64 {
		words = words[:64]
	}

	terms := make([]queryTerm, 0, len(words))
	for _, w := range words {
		qt := queryTerm{full: [2]int32{-1, -1}}
		alts := [2]string{w, queryAliases[w]}
		for _, a := range alts {
			if a == "" {
				continue
			}
			sp, full := ix.prefixSpan(a)
			if sp.lo == sp.hi {
				continue
			}
			qt.spans[qt.n], qt.full[qt.n] = sp, full
			qt.n++
			qt.df += ix.postStart[sp.hi] - ix.postStart[sp.lo]
		}
		if qt.n == 0 {
			return nil // every word must match
		}
		terms = append(terms, qt)
	}
	// Start from the rarest word; the others only filter its codes.
	slices.SortFunc(terms, func(a, b queryTerm) int { return int(a.df) - int(b.df) })

	matched := ix.docsOf(&terms[0]) // read-only: may be the index's postings
	if rest := terms[1:]; len(rest) > 0 {
		cand := matched
		matched = nil
		for _, d := range cand {
			dt := ix.docTerms[ix.docStart[d]:ix.docStart[d+1]]
			ok := true
			for i := range rest {
				if !hasTerm(dt, &rest[i]) {
					ok = false
					break
				}
			}
			if ok {
				matched = append(matched, d)
			}
		}
	}
	if len(matched) == 0 {
		return nil
	}

	// Rank: keys sort ascending, best first; the code position is the last tie-breaker.
	keys := make([]uint64, len(matched))
	for i, d := range matched {
		keys[i] = ix.rankKey(d, terms)
	}
	keys = smallest(keys, limit)
	res := make([]Code, len(keys))
	for i, k := range keys {
		res[i] = ix.codes[uint32(k)]
	}
	return res
}

// docsOf returns the ascending list of codes containing a term of qt. The result may be the
// index's own postings slice and must not be modified.
func (ix *Index) docsOf(qt *queryTerm) []int32 {
	if qt.n == 1 && qt.spans[0].hi-qt.spans[0].lo == 1 {
		p := ix.postings[ix.postStart[qt.spans[0].lo]:ix.postStart[qt.spans[0].hi]]
		return p[:len(p):len(p)]
	}
	set := make([]uint64, (len(ix.codes)+63)/64)
	for _, s := range qt.spans[:qt.n] {
		for _, d := range ix.postings[ix.postStart[s.lo]:ix.postStart[s.hi]] {
			set[d>>6] |= 1 << (d & 63)
		}
	}
	out := make([]int32, 0, min(int(qt.df), len(ix.codes)))
	for i, w := range set {
		for w != 0 {
			out = append(out, int32(i<<6+bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return out
}

func hasTerm(dt []int32, qt *queryTerm) bool {
	for _, t := range dt {
		if qt.has(t) {
			return true
		}
	}
	return false
}

// rankKey packs a code's rank for the query into a sortable key (smaller is better): score
// (descending, see weightFull), number of counted words (ascending), then tabular position.
func (ix *Index) rankKey(d int32, terms []queryTerm) uint64 {
	start := ix.docStart[d]
	dt := ix.docTerms[start : start+uint32(ix.nLong[d])]
	nc := int(ix.nCounted[d])
	// Which query words equal a word of the long description.
	var fullIn uint64
	for _, t := range dt {
		for j := range terms {
			if terms[j].isFull(t) {
				fullIn |= 1 << j
			}
		}
	}
	hit, lead := 0, false
	for i, t := range dt[:nc] {
		for j := range terms {
			qt := &terms[j]
			if qt.isFull(t) || (fullIn&(1<<j) == 0 && qt.has(t)) {
				hit++
				lead = lead || i == 0
				break
			}
		}
	}
	score := weightFull*bits.OnesCount64(fullIn) - weightExtra*(nc-hit) + int(ix.prior[d])
	if lead {
		score += weightLead
	}
	const bias = 1 << 23
	return uint64(bias-score)<<40 | uint64(nc)<<32 | uint64(uint32(d))
}

// smallest returns the limit smallest keys in ascending order (all of them if limit <= 0).
func smallest(keys []uint64, limit int) []uint64 {
	if limit <= 0 || limit >= len(keys) || len(keys) <= 4*limit {
		slices.Sort(keys)
		if limit > 0 && limit < len(keys) {
			keys = keys[:limit]
		}
		return keys
	}
	// Bounded max-heap of the best limit keys seen so far.
	h := slices.Clone(keys[:limit])
	for i := limit/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
	for _, k := range keys[limit:] {
		if k < h[0] {
			h[0] = k
			siftDown(h, 0)
		}
	}
	slices.Sort(h)
	return h
}

func siftDown(h []uint64, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		big := l
		if r := l + 1; r < len(h) && h[r] > h[l] {
			big = r
		}
		if h[i] >= h[big] {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}
