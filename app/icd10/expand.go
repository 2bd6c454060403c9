package icd10

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

const (
	// weightBoost lifts a code the clinic used before above any unused one (plus its use count).
	weightBoost = 1 << 20
	// weightSynonym is added to an index entry's code prior: an entry is the classification's own
	// word for the code, as good as its description.
	weightSynonym = 0
	// weightExtraEntry is weightExtra for index entries: a deeper subterm is a narrower concept
	// ("Anemia, malarial" is malaria, not anemia).
	weightExtraEntry = 30
	// fewResults: below this many results the search also tries respelled words.
	fewResults = 3
	// maxVariants caps the expanded queries of an abbreviation among other words.
	maxVariants = 6
)

// expansion is one meaning of an abbreviation or lay term.
type expansion struct {
	words  []string // query words of the meaning
	text   string   // the meaning as written
	lay    bool     // a lay term rather than an abbreviation
	search bool     // a diagnosis to search for (not a drug or procedure)
}

// parseExpansions reads the abbreviation list (abbreviation, meaning, kind, source) and the lay
// term list (term, clinical term, source); lines starting with # are comments.
func parseExpansions(abbr, lay string) (map[string][]expansion, error) {
	m := make(map[string][]expansion)
	read := func(name, text string, fields int, isLay bool) error {
		for i, line := range strings.Split(text, "\n") {
			line = strings.TrimRight(line, "\r")
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != fields || f[0] == "" || f[1] == "" || f[len(f)-1] == "" {
				return fmt.Errorf("%s line %d: want %d tab-separated fields with a source", name, i+1, fields)
			}
			key := strings.Join(queryWords(f[0]), " ")
			e := expansion{words: contentWords(queryWords(f[1])), text: f[1], lay: isLay, search: true}
			if !isLay {
				switch f[2] {
				case "dx":
				case "drug", "procedure", "other":
					e.search = false
				default:
					return fmt.Errorf("%s line %d: kind %q, want dx, drug, procedure or other", name, i+1, f[2])
				}
			}
			if key == "" || len(e.words) == 0 {
				return fmt.Errorf("%s line %d: no words", name, i+1)
			}
			m[key] = append(m[key], e)
		}
		return nil
	}
	if err := read("abbreviations", abbr, 4, false); err != nil {
		return nil, err
	}
	if err := read("lay terms", lay, 3, true); err != nil {
		return nil, err
	}
	return m, nil
}

// explain says how a query phrase became this meaning: "bph → benign prostatic hyperplasia",
// with the other meanings of an ambiguous abbreviation.
func (e *expansion) explain(phrase string, all []expansion) string {
	s := phrase + " → " + e.text
	if e.lay {
		s = "lay term: " + s
	}
	var others []string
	for i := range all {
		if all[i].text != e.text {
			others = append(others, all[i].text)
		}
	}
	if len(others) > 0 {
		s += " (also " + strings.Join(others, ", ") + ")"
	}
	return s
}

// collector gathers the results of several searches in order, once per code.
type collector struct {
	ix    *Index
	limit int
	boost map[int32]int
	out   []Match
	pos   []int32
	seen  map[int32]bool
}

func (c *collector) full() bool { return c.limit > 0 && len(c.out) >= c.limit }

// add adds a hit; why explains how the query was rewritten, if it was. The index entry that
// matched is named only when nothing else explains the match, to keep the text short.
func (c *collector) add(h hit, why string) {
	if why == "" {
		why = c.ix.why(h.doc)
	}
	c.addMatch(h.pos, Match{Code: c.ix.codes[h.pos], Why: why})
}

func (c *collector) addMatch(pos int32, m Match) {
	if c.seen == nil {
		c.seen = make(map[int32]bool)
	}
	if c.seen[pos] {
		return
	}
	c.seen[pos] = true
	c.out = append(c.out, m)
	c.pos = append(c.pos, pos)
}

// addLists adds several ranked lists taking turns (the first of each, then the second...), so
// that every meaning of an ambiguous abbreviation shows near the top.
func (c *collector) addLists(lists [][]hit, whys []string) {
	for i := 0; ; i++ {
		more := false
		for j, l := range lists {
			if i < len(l) {
				more = true
				c.add(l[i], whys[j])
			}
		}
		if !more {
			return
		}
	}
}

// result puts the codes the clinic used first (most used first, otherwise in order) and cuts
// the list to the limit.
func (c *collector) result() []Match {
	if len(c.out) == 0 {
		return nil
	}
	if len(c.boost) > 0 {
		var used, rest []Match
		var counts []int
		for i, m := range c.out {
			if n, ok := c.boost[c.pos[i]]; ok {
				m.Why = joinWhy("used before in this clinic ("+strconv.Itoa(n)+"×)", m.Why)
				// Insertion keeps equal counts in their order.
				j := len(used)
				for j > 0 && counts[j-1] < n {
					j--
				}
				used = append(used[:j], append([]Match{m}, used[j:]...)...)
				counts = append(counts[:j], append([]int{n}, counts[j:]...)...)
			} else {
				rest = append(rest, m)
			}
		}
		c.out = append(used, rest...)
	}
	if c.limit > 0 && len(c.out) > c.limit {
		c.out = c.out[:c.limit]
	}
	return c.out
}

func joinWhy(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// boostSet maps the positions of the boosted codes to their use counts.
func (ix *Index) boostSet(b map[string]int) map[int32]int {
	if len(b) == 0 {
		return nil
	}
	out := make(map[int32]int, len(b))
	for code, n := range b {
		k, ok := packCode(Normalize(code))
		if !ok || n <= 0 {
			continue
		}
		if lo, hi := ix.keyRange(k, 1); lo < hi {
			out[ix.pos(lo)] = n
		}
	}
	return out
}

// findWords adds the results for query words raw (already respelled, explained by why) to c:
// the meanings of an abbreviation or lay term, then the words as typed, then the meanings of
// abbreviations among the words.
func (ix *Index) findWords(c *collector, raw []string, why string) {
	words := contentWords(raw)
	phrase := strings.Join(raw, " ")
	exps, ok := ix.expand[phrase]
	if !ok {
		phrase = strings.Join(words, " ")
		exps = ix.expand[phrase]
	}
	if len(exps) > 0 {
		var lists [][]hit
		var whys []string
		for i := range exps {
			if e := &exps[i]; e.search {
				lists = append(lists, ix.searchWords(e.words, c.limit, c.boost))
				whys = append(whys, joinWhy(why, e.explain(phrase, exps)))
			}
		}
		c.addLists(lists, whys)
	}
	if c.full() {
		return
	}
	literal := ix.searchWords(words, c.limit, c.boost)
	lists, whys := ix.wordVariants(words, c, why)
	// An abbreviation that is not a word of the vocabulary ("copd", "cad") means its meanings
	// first; one that is ("ra" also starts "radius") comes after the words as typed.
	abbrFirst := false
	for _, w := range words {
		if _, ok := ix.expand[w]; ok && len(words) > 1 {
			if _, full := ix.prefixSpan(w); full < 0 {
				abbrFirst = true
			}
		}
	}
	if abbrFirst {
		c.addLists(lists, whys)
	}
	for _, h := range literal {
		c.add(h, why)
	}
	if !abbrFirst {
		c.addLists(lists, whys)
	}
}

// wordVariants searches the query with each abbreviation among several words replaced by its
// meanings ("copd exacerbation" -> "chronic obstructive pulmonary disease exacerbation").
func (ix *Index) wordVariants(words []string, c *collector, why string) ([][]hit, []string) {
	if len(words) < 2 {
		return nil, nil
	}
	type variant struct {
		words []string
		why   string
	}
	vs := []variant{{nil, why}}
	expanded := false
	for _, w := range words {
		exps := ix.expand[w]
		var next []variant
		for _, v := range vs {
			n := 0
			for i := range exps {
				if e := &exps[i]; e.search && len(next) < maxVariants {
					next = append(next, variant{append(v.words[:len(v.words):len(v.words)], e.words...), joinWhy(v.why, e.explain(w, exps))})
					n++
				}
			}
			if n == 0 {
				next = append(next, variant{append(v.words[:len(v.words):len(v.words)], w), v.why})
			} else {
				expanded = true
			}
		}
		vs = next
	}
	if !expanded {
		return nil, nil
	}
	lists := make([][]hit, len(vs))
	whys := make([]string, len(vs))
	for i, v := range vs {
		lists[i] = ix.searchWords(v.words, c.limit, c.boost)
		whys[i] = v.why
	}
	return lists, whys
}

// britishRules rewrite British spellings to the American ones of ICD-10-CM.
var britishRules = [][2]string{
	{"oe", "e"}, {"ae", "e"}, {"our", "or"}, {"tre", "ter"}, {"ise", "ize"}, {"yse", "yze"},
}

// respell returns the query words with each word that matches nothing replaced by a word of the
// vocabulary, and why; nil when no word could be respelled.
func (ix *Index) respell(raw []string) ([]string, string) {
	out := make([]string, len(raw))
	var whys []string
	changed := false
	for i, w := range raw {
		out[i] = w
		if queryStop[w] {
			continue
		}
		if sp, _ := ix.prefixSpan(w); sp.lo < sp.hi {
			// A British spelling can be a rare word of the index too ("oedema" in a modifier):
			// take the American one when it is more common.
			if r := ix.american(w); r != "" && ix.df(r) > ix.df(w) {
				out[i] = r
				changed = true
				whys = append(whys, "spelling: "+w+" → "+r)
			}
			continue
		}
		if r, why := ix.respellWord(w); r != "" {
			out[i] = r
			changed = true
			if why != "" {
				whys = append(whys, why)
			}
		}
	}
	if !changed {
		return nil, ""
	}
	return out, strings.Join(whys, "; ")
}

// american returns the American spelling of w when it is a word of the vocabulary, else "".
func (ix *Index) american(w string) string {
	isWord := func(s string) bool { _, full := ix.prefixSpan(s); return full >= 0 }
	for _, r := range britishRules {
		if s := strings.ReplaceAll(w, r[0], r[1]); s != w && isWord(s) {
			return s
		}
	}
	all := w
	for _, r := range britishRules {
		all = strings.ReplaceAll(all, r[0], r[1])
	}
	if all != w && isWord(all) {
		return all
	}
	return ""
}

// df returns how many documents contain the word w (0 if it is not a word of the vocabulary).
func (ix *Index) df(w string) uint32 {
	_, t := ix.prefixSpan(w)
	if t < 0 {
		return 0
	}
	return ix.postStart[t+1] - ix.postStart[t]
}

// respellWord finds the vocabulary word meant by w: a British spelling, a plural, or a typo.
func (ix *Index) respellWord(w string) (string, string) {
	isWord := func(s string) bool { _, full := ix.prefixSpan(s); return full >= 0 }
	if s := ix.american(w); s != "" {
		return s, "spelling: " + w + " → " + s
	}
	for _, p := range [][2]string{{"ies", "y"}, {"es", ""}, {"s", ""}} {
		if s, ok := strings.CutSuffix(w, p[0]); ok && len(s) >= 3 && isWord(s+p[1]) {
			return s + p[1], ""
		}
	}
	if s := ix.nearest(w); s != "" {
		return s, "typo: " + w + " → " + s
	}
	return "", ""
}

// nearest returns the vocabulary word closest to w by edit distance (adjacent transpositions
// count once): at most 1 edit for words of 4-5 letters, 2 from 6; ties go to the more frequent
// word. Shorter words are not corrected: too many words are one edit apart.
func (ix *Index) nearest(w string) string {
	maxD := 0
	switch {
	case len(w) >= 6:
		maxD = 2
	case len(w) >= 4:
		maxD = 1
	default:
		return ""
	}
	best, bestD, bestDF := "", maxD+1, uint32(0)
	var rows [3][]int
	for i := range rows {
		rows[i] = make([]int, 0, 32)
	}
	wm := letterMask(w)
	for t, v := range ix.vocab {
		if d := len(v) - len(w); d > maxD || d < -maxD || len(v) < 4 || v[0] >= '0' && v[0] <= '9' {
			continue
		}
		// One edit adds or removes at most two letters of the set of letters used.
		if bits.OnesCount32(wm^ix.letters[t]) > 2*maxD {
			continue
		}
		d := editDistance(w, v, bestD, &rows)
		if d > maxD || d > bestD {
			continue
		}
		df := ix.postStart[t+1] - ix.postStart[t]
		if d < bestD || df > bestDF {
			best, bestD, bestDF = v, d, df
		}
	}
	return best
}

// letterMask is the set of letters and digits of w (digits share one bit).
func letterMask(w string) uint32 {
	var m uint32
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case 'a' <= c && c <= 'z':
			m |= 1 << (c - 'a')
		default:
			m |= 1 << 26
		}
	}
	return m
}

// editDistance returns the optimal-string-alignment distance of a and b, or a value > limit as
// soon as it must exceed limit.
func editDistance(a, b string, limit int, rows *[3][]int) int {
	prev2, prev, cur := rows[0][:0], rows[1][:0], rows[2][:0]
	for j := 0; j <= len(b); j++ {
		prev = append(prev, j)
	}
	for i := 1; i <= len(a); i++ {
		cur = append(cur[:0], i)
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur = append(cur, v)
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	rows[0], rows[1], rows[2] = prev2, prev, cur
	return prev[len(b)]
}
