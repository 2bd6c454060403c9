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

// Match is a search result: a code and why it matched, for the physician to trust it ("bph →
// benign prostatic hyperplasia", "typo: pnuemonia → pneumonia", "index: Attack, heart → infarct,
// myocardium"). Why is empty when the query matched the code or its own description.
type Match struct {
	Code
	Why string
}

// Options tune a search.
type Options struct {
	// Boost holds the codes this clinic used before (dotted or undotted) with how often: among the
	// codes a query matches, these rank first, most used first.
	Boost map[string]int
}

// Search returns up to limit codes matching query, best first; limit <= 0 means no limit.
// It is Find without options, keeping only the codes.
func (ix *Index) Search(query string, limit int) []Code {
	ms := ix.Find(query, limit, Options{})
	if ms == nil {
		return nil
	}
	out := make([]Code, len(ms))
	for i, m := range ms {
		out[i] = m.Code
	}
	return out
}

// Find returns up to limit codes matching query, best first, each with why it matched; limit <= 0
// means no limit.
//
// A query that looks like a code or code prefix ("E11.9", "e119", "E11.", "QA0") returns the
// exact code first, then the codes starting with it in tabular order. If no code starts with
// it, or the query is not code-like, it is a keyword search: every query word must be the start
// of a word of the code's short or long description, or of an entry of the ICD-10-CM Index that
// leads to the code ("heart attack" finds I21.9 through "Attack, heart — see Infarct,
// myocardium"). "diab mell" finds "diabetes mellitus"; "w/o" and "w/" mean "without" and
// "with", and CMS abbreviations such as "fx" also match the word they stand for; filler words
// like "of" and "in" are ignored. Results are ranked by how closely the description or entry
// matches: whole-word matches first, then fewer unmatched words, then general ("unspecified",
// "without complications") and shorter codes, then tabular order.
//
// A query that is a clinical abbreviation or lay term of the curated lists ("bph", "pink eye")
// is searched as each of its meanings first, then as typed; an abbreviation among other words
// ("copd exacerbation") is expanded too. When all that finds little, words that match nothing
// are respelled: British spellings ("anaemia"), plurals, then the nearest vocabulary word by
// edit distance ("pnuemonia"). Codes in opt.Boost that match rank first.
//
// Find returns nil when nothing matches or the query is empty.
func (ix *Index) Find(query string, limit int, opt Options) []Match {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil
	}
	if p := Normalize(query); looksLikeCode(p) {
		if res := ix.searchCode(p, limit); len(res) > 0 {
			out := make([]Match, len(res))
			for i, c := range res {
				out[i] = Match{Code: c}
			}
			return out
		}
	}
	raw := queryWords(query)
	if len(raw) == 0 {
		return nil
	}
	if len(raw) > 64 {
		raw = raw[:64]
	}
	c := collector{ix: ix, limit: limit, boost: ix.boostSet(opt.Boost)}
	ix.findWords(&c, raw, "")
	if len(c.out) < fewResults {
		// The respelled words come first: the few codes the words as typed found matched a
		// rare word ("oedematiens" for "oedema").
		if fixed, why := ix.respell(raw); fixed != nil {
			r := collector{ix: ix, limit: limit, boost: c.boost}
			ix.findWords(&r, fixed, why)
			for i, m := range c.out {
				r.addMatch(c.pos[i], m)
			}
			c = r
		}
	}
	return c.result()
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
	spans [3]span
	n     int      // spans in use
	full  [3]int32 // term ids equal to the word, its alias or its singular, -1 if none
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

func (qt *queryTerm) isFull(t int32) bool {
	return t == qt.full[0] || t == qt.full[1] || t == qt.full[2]
}

// singular returns the singular of a plural query word when the index has it as a word
// ("stones" -> "stone"), else "".
func (ix *Index) singular(w string) string {
	if len(w) < 5 || w[len(w)-1] != 's' || strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is") {
		return ""
	}
	for _, p := range [][2]string{{"ies", "y"}, {"es", ""}, {"s", ""}} {
		if s, ok := strings.CutSuffix(w, p[0]); ok {
			if _, full := ix.prefixSpan(s + p[1]); full >= 0 {
				return s + p[1]
			}
		}
	}
	return ""
}

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

// contentWords drops filler words from query words, unless nothing else is left.
func contentWords(raw []string) []string {
	words := raw[:0:0]
	for _, w := range raw {
		if !queryStop[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return raw
	}
	return words
}

// hit is one matching code: its position and the document that matched best (the code itself,
// or an index entry leading to it).
type hit struct{ pos, doc int32 }

// resolve returns the query terms of words, or false if a word matches nothing.
func (ix *Index) resolve(words []string) ([]queryTerm, bool) {
	terms := make([]queryTerm, 0, len(words))
	for _, w := range words {
		qt := queryTerm{full: [3]int32{-1, -1, -1}}
		alts := [3]string{w, queryAliases[w], ix.singular(w)}
		for i, a := range alts {
			if a == "" {
				continue
			}
			sp, full := ix.prefixSpan(a)
			if sp.lo == sp.hi {
				continue
			}
			if i == 2 { // only the singular word itself, not the words it starts
				if full < 0 || qt.has(full) {
					continue
				}
				sp = span{full, full + 1}
			}
			qt.spans[qt.n], qt.full[qt.n] = sp, full
			qt.n++
			qt.df += ix.postStart[sp.hi] - ix.postStart[sp.lo]
		}
		if qt.n == 0 {
			return nil, false // every word must match
		}
		terms = append(terms, qt)
	}
	return terms, true
}

// searchWords returns the best limit codes (all if limit <= 0) whose documents contain every word.
func (ix *Index) searchWords(words []string, limit int, boost map[int32]int) []hit {
	if len(words) == 0 {
		return nil
	}
	terms, ok := ix.resolve(words)
	if !ok {
		return nil
	}
	// Start from the rarest word; the others only filter its documents.
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

	// Rank: keys sort ascending, best first; the document id is the last tie-breaker.
	keys := make([]uint64, len(matched))
	for i, d := range matched {
		keys[i] = ix.rankKey(d, terms, boost)
	}
	// Several documents may lead to one code: take more than limit keys when there are entries.
	want := limit
	if limit > 0 && len(ix.synCode) > 0 {
		want = 4 * limit
	}
	for {
		sel := smallest(slices.Clone(keys), want)
		res := make([]hit, 0, len(sel))
		seen := make(map[int32]bool, len(sel))
		for _, k := range sel {
			d := int32(uint32(k))
			p := ix.codeOf(d)
			if seen[p] {
				continue
			}
			seen[p] = true
			res = append(res, hit{pos: p, doc: d})
			if limit > 0 && len(res) == limit {
				return res
			}
		}
		if want <= 0 || want >= len(keys) {
			return res
		}
		want = 0 // too many duplicates: rank them all
	}
}

// codeOf returns the code position a document leads to.
func (ix *Index) codeOf(d int32) int32 {
	if n := int32(len(ix.codes)); d >= n {
		return ix.synCode[d-n]
	}
	return d
}

// why explains a match through document d: empty for a code's own description.
func (ix *Index) why(d int32) string {
	n := int32(len(ix.codes))
	if d < n {
		return ""
	}
	if v := ix.synVia[d-n]; v != "" {
		return "index: " + ix.synPath[d-n] + " → " + v
	}
	return "index: " + ix.synPath[d-n]
}

// docsOf returns the ascending list of codes containing a term of qt. The result may be the
// index's own postings slice and must not be modified.
func (ix *Index) docsOf(qt *queryTerm) []int32 {
	if qt.n == 1 && qt.spans[0].hi-qt.spans[0].lo == 1 {
		p := ix.postings[ix.postStart[qt.spans[0].lo]:ix.postStart[qt.spans[0].hi]]
		return p[:len(p):len(p)]
	}
	set := make([]uint64, (len(ix.docStart)-1+63)/64)
	for _, s := range qt.spans[:qt.n] {
		for _, d := range ix.postings[ix.postStart[s.lo]:ix.postStart[s.hi]] {
			set[d>>6] |= 1 << (d & 63)
		}
	}
	out := make([]int32, 0, min(int(qt.df), len(ix.docStart)-1))
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
func (ix *Index) rankKey(d int32, terms []queryTerm, boost map[int32]int) uint64 {
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
	extra := weightExtra
	if int(d) >= len(ix.codes) {
		extra = weightExtraEntry
	}
	score := weightFull*bits.OnesCount64(fullIn) - extra*(nc-hit) + int(ix.prior[d])
	if lead {
		score += weightLead
	}
	if n, ok := boost[ix.codeOf(d)]; ok {
		score += weightBoost + min(n, 1<<16)
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
