package icd10

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Ranking weights. A code's score for a keyword query is
//
//	weightFull*(query words equal to a whole word of the long description)
//	- weightExtra*(counted long-description words the query does not match)
//	+ weightLead if the first counted word is matched ("Migraine, unspecified" over
//	  "Abdominal migraine")
//	+ prior
//
// and prior, fixed per code, is -weightCodeLen*(len(code)-3), plus weightUnspec for an
// "unspecified" code or weightNoComp for an "uncomplicated"/"without complications" one, plus
// the encounter weight of injury-style codes (initial encounter first, sequela last), plus
// weightOther for the residual "Other ..." codes, plus weightWithout for other "without ..."
// codes (the variant without a complicating feature is the usual default).
//
// Counted words are those outside parentheses and brackets (ICD's nonessential modifiers, as in
// "Essential (primary) hypertension") and before an encounter suffix (", initial encounter for
// closed fracture"), that are not stop words. A description word that merely starts with a query
// word counts as unmatched when another word equals it ("pneumonia" matches "pneumonia" in
// "Pneumonia due to Streptococcus pneumoniae", leaving "pneumoniae" unmatched).
//
// The general codes get a bonus because they are the ones clinicians pick most often when they
// type just a condition.
//
// An entry of the ICD-10-CM Index ranks like its code (its prior), with its own words: the path
// counts, connecting words included ("Conjunctivitis, due to, filariasis" is filariasis), the
// nonessential modifiers do not, and each unmatched counted word costs weightExtraEntry.
const (
	weightFull    = 200
	weightExtra   = 10
	weightLead    = 25
	weightCodeLen = 15
	weightUnspec  = 12
	weightNoComp  = 14
	weightInitial = 6
	weightSubseq  = -4
	weightSequela = -8
	weightOther   = -5
	weightWithout = 3
)

// encounterSuffixes are the 7th-character suffixes of injury-style long descriptions, with
// their ranking weight.
var encounterSuffixes = []struct {
	text   string
	weight int
}{
	{", initial encounter", weightInitial},
	{", subsequent encounter", weightSubseq},
	{", sequela", weightSequela},
}

// encounterSuffix returns where an encounter suffix starts in a long description (len(long) if
// there is none) and its ranking weight.
func encounterSuffix(long string) (int, int) {
	// Walk back over the commas: the suffix starts at one of the last few.
	for i := strings.LastIndexByte(long, ','); i >= 0; i = strings.LastIndexByte(long[:i], ',') {
		for _, e := range encounterSuffixes {
			if strings.HasPrefix(long[i:], e.text) {
				return i, e.weight
			}
		}
	}
	return len(long), 0
}

// countStop are description words that do not count as unmatched words when ranking.
var countStop = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "by": true, "due": true,
	"for": true, "from": true, "in": true, "into": true, "of": true, "on": true, "or": true,
	"the": true, "to": true, "with": true, "without": true, "other": true, "specified": true,
	"unspecified": true, "uncomplicated": true, "not": true,
}

// Character classes for the scanner: 0 separates words, a letter or digit maps to itself
// lower-cased, and the others are marked.
const (
	clsOpen  = 1
	clsClose = 2
	clsApos  = 3
)

var charClass = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = byte(c)
		t[c-'a'+'A'] = byte(c)
	}
	t['('], t['['] = clsOpen, clsOpen
	t[')'], t[']'] = clsClose, clsClose
	t['\''] = clsApos
	return t
}()

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnv(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

var (
	wordWith    = []byte("with")
	wordWithout = []byte("without")
	hashWith    = fnv("with")
	hashWithout = fnv("without")
)

// scanner splits text into words: lower-cased runs of ASCII letters and digits, with
// apostrophes dropped ("Crohn's" -> "crohns"). The CMS abbreviations "w/o" and "w/" become
// "without" and "with"; in descriptions (doc true) a lone "w" becomes "with" as well. Words
// inside parentheses or square brackets are reported as such.
type scanner struct {
	s     string
	i     int
	depth int
	doc   bool
	buf   []byte
}

// next returns the next word, its FNV-1a hash and whether it is in parentheses; ok is false at
// the end of the text. The word is only valid until the next call.
func (sc *scanner) next() (tok []byte, h uint32, paren, ok bool) {
	s, i := sc.s, sc.i
	for i < len(s) {
		c := charClass[s[i]]
		switch c {
		case 0, clsApos:
			i++
			continue
		case clsOpen:
			sc.depth++
			i++
			continue
		case clsClose:
			if sc.depth > 0 {
				sc.depth--
			}
			i++
			continue
		}
		buf := sc.buf[:0]
		h = fnvOffset
		for ; i < len(s); i++ {
			c = charClass[s[i]]
			if c > clsApos {
				buf = append(buf, c)
				h = (h ^ uint32(c)) * fnvPrime
			} else if c != clsApos {
				break
			}
		}
		sc.buf = buf
		paren = sc.depth > 0
		if len(buf) == 1 && buf[0] == 'w' {
			if i < len(s) && s[i] == '/' {
				if i+1 < len(s) && (s[i+1] == 'o' || s[i+1] == 'O') && (i+2 == len(s) || charClass[s[i+2]] <= clsApos) {
					sc.i = i + 2
					return wordWithout, hashWithout, paren, true
				}
				sc.i = i + 1
				return wordWith, hashWith, paren, true
			}
			if sc.doc {
				sc.i = i
				return wordWith, hashWith, paren, true
			}
		}
		sc.i = i
		return buf, h, paren, true
	}
	sc.i = i
	return nil, 0, false, false
}

// queryWords returns the distinct words of a query, in order.
func queryWords(q string) []string {
	var out []string
	sc := scanner{s: q}
	for {
		tok, _, _, ok := sc.next()
		if !ok {
			return out
		}
		if !slices.Contains(out, string(tok)) {
			out = append(out, string(tok))
		}
	}
}

// termTable assigns ids to words in order of first appearance (open addressing on FNV-1a).
type termTable struct {
	slots  []int32 // id+1; 0 is empty
	words  []string
	hashes []uint32
}

func (t *termTable) id(tok []byte, h uint32) int32 {
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			id := int32(len(t.words))
			t.slots[i] = id + 1
			t.words = append(t.words, string(tok))
			t.hashes = append(t.hashes, h)
			if 4*len(t.words) > len(t.slots) {
				t.grow()
			}
			return id
		}
		if t.hashes[s-1] == h && t.words[s-1] == string(tok) {
			return s - 1
		}
	}
}

func (t *termTable) grow() {
	t.slots = make([]int32, 2*len(t.slots))
	mask := uint32(len(t.slots) - 1)
	for id, h := range t.hashes {
		i := h & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = int32(id) + 1
	}
}

// Code keys: an undotted code of up to 7 characters packed in base 37 (0 = end, 1-10 digits,
// 11-36 letters), which sorts like the strings. The key list holds key<<posBits | position.
const (
	codeKeyLen  = 7
	posBits     = 24
	codeKeyBase = 37
)

// packCode returns the key of an undotted upper-case code, or false if it cannot be a code.
func packCode(c string) (uint64, bool) {
	if len(c) == 0 || len(c) > codeKeyLen {
		return 0, false
	}
	var k uint64
	for i := 0; i < codeKeyLen; i++ {
		var v uint64
		if i < len(c) {
			switch b := c[i]; {
			case '0' <= b && b <= '9':
				v = uint64(b-'0') + 1
			case 'A' <= b && b <= 'Z':
				v = uint64(b-'A') + 11
			default:
				return 0, false
			}
		}
		k = k*codeKeyBase + v
	}
	return k, true
}

// keySpan is the number of keys that share a prefix of n characters.
func keySpan(n int) uint64 {
	s := uint64(1)
	for i := n; i < codeKeyLen; i++ {
		s *= codeKeyBase
	}
	return s
}

// Kinds of a term within one code's descriptions, best first.
const (
	kindCounted uint8 = iota // long description, outside parentheses, not a stop word
	kindLong                 // long description, otherwise
	kindShort                // short description only
)

// docBuilder collects the distinct terms of one document at a time into ix.docTerms.
type docBuilder struct {
	ix   *Index
	tt   termTable
	stop []bool
	// Per-document de-duplication: stamp[t] == doc+1 when term t was seen in this document,
	// and slot[t] is then its index in tmpTerm.
	stamp, slot []int32
	tmpTerm     []int32
	tmpKind     []uint8
	sc          scanner
}

// docFlags are what the long description says about how general a code is.
type docFlags struct{ unspec, noComp, without bool }

// add indexes document doc from its long text (counted words before encAt, outside parentheses)
// and its short text (may equal long), and returns its flags. For an index entry, long is its
// path and short its modifiers, which are in parentheses and so scanned as long, not counted.
func (b *docBuilder) add(doc int32, long, short string, encAt int) (docFlags, error) {
	synonym := int(doc) >= len(b.ix.codes)
	var f docFlags
	b.tmpTerm, b.tmpKind = b.tmpTerm[:0], b.tmpKind[:0]
	var prevWithout bool
	for pass := 0; pass < 2; pass++ {
		base := kindCounted
		b.sc = scanner{s: long, doc: true, buf: b.sc.buf}
		if pass == 1 {
			if short == long || short == "" {
				break
			}
			base = kindShort
			if synonym {
				base = kindLong
			}
			b.sc = scanner{s: short, doc: true, buf: b.sc.buf}
		}
		for {
			tok, h, paren, ok := b.sc.next()
			if !ok {
				break
			}
			id := b.tt.id(tok, h)
			if int(id) == len(b.stop) {
				b.stop = append(b.stop, countStop[string(tok)])
				b.stamp = append(b.stamp, 0)
				b.slot = append(b.slot, 0)
			}
			k := base
			if k == kindCounted {
				// In an index entry the connecting words ("due to", "with") lead to a narrower concept: counted.
				if paren || (b.stop[id] && !synonym) || b.sc.i > encAt {
					k = kindLong
				}
				switch {
				case string(tok) == "unspecified":
					f.unspec = true
				case string(tok) == "uncomplicated":
					f.noComp = true
				case prevWithout && len(tok) >= 12 && string(tok[:12]) == "complication":
					f.noComp = true
				}
				prevWithout = string(tok) == "without"
				f.without = f.without || prevWithout
			}
			if b.stamp[id] == doc+1 {
				if s := b.slot[id]; k < b.tmpKind[s] {
					b.tmpKind[s] = k
				}
				continue
			}
			b.stamp[id] = doc + 1
			b.slot[id] = int32(len(b.tmpTerm))
			b.tmpTerm = append(b.tmpTerm, id)
			b.tmpKind = append(b.tmpKind, k)
		}
	}

	// Store the terms grouped by kind.
	ix := b.ix
	var counts [3]int
	for _, k := range b.tmpKind {
		counts[k]++
	}
	for k := kindCounted; k <= kindShort; k++ {
		if counts[k] == 0 {
			continue
		}
		for j, t := range b.tmpTerm {
			if b.tmpKind[j] == k {
				ix.docTerms = append(ix.docTerms, t)
			}
		}
	}
	if len(ix.docTerms) >= 1<<32-1 {
		return f, errors.New("too many words")
	}
	ix.docStart = append(ix.docStart, uint32(len(ix.docTerms)))
	ix.nCounted = append(ix.nCounted, uint8(min(counts[kindCounted], 255)))
	ix.nLong = append(ix.nLong, uint8(min(counts[kindCounted]+counts[kindLong], 255)))
	return f, nil
}

// build parses the code list TSV and, when syn is not empty, the index synonyms TSV (see
// internal/genindex), and builds all index structures. Descriptions and codes are substrings of
// data, synonym texts of syn.
func build(data, syn string) (*Index, error) {
	n := strings.Count(data, "\n")
	if !strings.HasSuffix(data, "\n") {
		n++
	}
	nSyn := strings.Count(syn, "\n")
	if n+nSyn+1 >= 1<<posBits {
		return nil, errors.New("too many lines")
	}
	ix := &Index{
		codes:    make([]Code, 0, n),
		undotted: make([]string, 0, n),
		keys:     make([]uint64, 0, n),
		docStart: make([]uint32, 1, n+nSyn+1),
		docTerms: make([]int32, 0, n*16+nSyn*9),
		nCounted: make([]uint8, 0, n+nSyn),
		nLong:    make([]uint8, 0, n+nSyn),
		prior:    make([]int16, 0, n+nSyn),
		synCode:  make([]int32, 0, nSyn),
		synPath:  make([]string, 0, nSyn),
		synVia:   make([]string, 0, nSyn),
	}

	b := docBuilder{ix: ix, tt: termTable{slots: make([]int32, 1<<16)}}
	dottedLen := 0

	for line := 1; data != ""; line++ {
		var row string
		if j := strings.IndexByte(data, '\n'); j >= 0 {
			row, data = data[:j], data[j+1:]
		} else {
			row, data = data, ""
		}
		row = strings.TrimSuffix(row, "\r")
		if row == "" {
			continue
		}
		code, rest, ok1 := strings.Cut(row, "\t")
		short, long, ok2 := strings.Cut(rest, "\t")
		if !ok1 || !ok2 || strings.IndexByte(long, '\t') >= 0 {
			return nil, fmt.Errorf("line %d: want 3 tab-separated fields", line)
		}
		key, ok := packCode(code)
		if !ok {
			return nil, fmt.Errorf("line %d: bad code %q", line, code)
		}
		doc := int32(len(ix.codes))
		ix.keys = append(ix.keys, key<<posBits|uint64(doc))
		ix.undotted = append(ix.undotted, code)
		ix.codes = append(ix.codes, Code{Short: short, Long: long})
		dottedLen += len(code)
		if len(code) > 3 {
			dottedLen++
		}

		encAt, encWeight := encounterSuffix(long)
		f, err := b.add(doc, long, short, encAt)
		if err != nil {
			return nil, err
		}
		p := -weightCodeLen*(len(code)-3) + encWeight
		if len(long) > 6 && strings.EqualFold(long[:6], "other ") {
			p += weightOther
		}
		switch {
		case f.noComp:
			p += weightNoComp
		case f.unspec:
			p += weightUnspec
		}
		if f.without && !f.noComp {
			p += weightWithout
		}
		ix.prior = append(ix.prior, int16(p))
	}
	if len(ix.codes) == 0 {
		return nil, errors.New("no codes in data")
	}

	// Dotted codes, all in one string.
	var sb strings.Builder
	sb.Grow(dottedLen)
	for _, c := range ix.undotted {
		if len(c) > 3 {
			sb.WriteString(c[:3])
			sb.WriteByte('.')
			sb.WriteString(c[3:])
		} else {
			sb.WriteString(c)
		}
	}
	all := sb.String()
	for i, c := range ix.undotted {
		l := len(c)
		if l > 3 {
			l++
		}
		ix.codes[i].Code, all = all[:l], all[l:]
	}

	slices.Sort(ix.keys)
	for i := 1; i < len(ix.keys); i++ {
		if ix.keys[i]>>posBits == ix.keys[i-1]>>posBits {
			return nil, fmt.Errorf("duplicate code %s", ix.undotted[uint32(ix.keys[i])&(1<<posBits-1)])
		}
	}

	if err := ix.addSynonyms(&b, syn); err != nil {
		return nil, err
	}

	// Renumber terms in sorted order so that the terms sharing a prefix have consecutive ids.
	words := b.tt.words
	order := make([]int32, len(words))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(words[a], words[b]) })
	remap := make([]int32, len(words))
	ix.vocab = make([]string, len(words))
	ix.letters = make([]uint32, len(words))
	for newID, oldID := range order {
		remap[oldID] = int32(newID)
		ix.vocab[newID] = words[oldID]
		ix.letters[newID] = letterMask(words[oldID])
	}
	counts := make([]uint32, len(words)+1)
	for i, t := range ix.docTerms {
		t = remap[t]
		ix.docTerms[i] = t
		counts[t+1]++
	}

	// Postings in CSR form; filling them in code order keeps each list ascending.
	for t := 1; t < len(counts); t++ {
		counts[t] += counts[t-1]
	}
	ix.postStart = counts
	ix.postings = make([]int32, len(ix.docTerms))
	next := slices.Clone(counts[:len(words)])
	for d := range len(ix.docStart) - 1 {
		for _, t := range ix.docTerms[ix.docStart[d]:ix.docStart[d+1]] {
			ix.postings[next[t]] = int32(d)
			next[t]++
		}
	}
	return ix, nil
}

// addSynonyms indexes the entries of the ICD-10-CM Index (CODE, PATH, MODIFIERS, VIA per line) as
// extra documents that lead to their code. An entry ranks like its code, with its own words.
func (ix *Index) addSynonyms(b *docBuilder, syn string) error {
	for line := 1; syn != ""; line++ {
		var row string
		if j := strings.IndexByte(syn, '\n'); j >= 0 {
			row, syn = syn[:j], syn[j+1:]
		} else {
			row, syn = syn, ""
		}
		if row == "" {
			continue
		}
		code, rest, ok1 := strings.Cut(row, "\t")
		path, rest, ok2 := strings.Cut(rest, "\t")
		mods, via, ok3 := strings.Cut(rest, "\t")
		if !ok1 || !ok2 || !ok3 {
			return fmt.Errorf("synonyms line %d: want 4 tab-separated fields", line)
		}
		k, ok := packCode(code)
		lo, hi := 0, 0
		if ok {
			lo, hi = ix.keyRange(k, 1)
		}
		if lo == hi {
			return fmt.Errorf("synonyms line %d: code %q is not in the code list", line, code)
		}
		target := ix.pos(lo)
		doc := int32(len(ix.docStart) - 1)
		// The modifiers are in parentheses: searched, not counted.
		if _, err := b.add(doc, path, mods, len(path)); err != nil {
			return err
		}
		ix.synCode = append(ix.synCode, target)
		ix.synPath = append(ix.synPath, path)
		ix.synVia = append(ix.synVia, via)
		ix.prior = append(ix.prior, ix.prior[target]+weightSynonym)
	}
	return nil
}
