package icd10

import (
	"bytes"
	"compress/gzip"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/referraldesk/referraldesk/assets"
)

func codesOf(res []Code) []string {
	out := make([]string, len(res))
	for i, c := range res {
		out[i] = c.Code
	}
	return out
}

// TestSearchRanking checks the outcomes the app relies on.
func TestSearchRanking(t *testing.T) {
	ix := benchIndex(t)
	tests := []struct {
		query string
		want  string
		top   int // want must be within the first top results
	}{
		{"type 2 diabetes", "E11.9", 10},
		{"diab mell type 2 w/o comp", "E11.9", 10},
		{"Type 2 Diabetes Mellitus without complications", "E11.9", 1},
		{"E11.9", "E11.9", 1},
		{"E119", "E11.9", 1},
		{"e119", "E11.9", 1},
		{"e11.9", "E11.9", 1},
		{"QA00101", "QA0.0101", 1},
		{"qa0.0101", "QA0.0101", 1},
		{"QA0", "QA0.0101", 1},
		{"hypertension", "I10", 3},
		{"asthma", "J45.909", 10},
		{"chest pain", "R07.9", 10},
		{"pain in chest", "R07.9", 10},
		{"low back pain", "M54.50", 10},
		{"heart failure", "I50.9", 3},
		{"atrial fib", "I48.91", 10},
		{"pneumonia", "J18.9", 3},
		{"crohn's", "K50.90", 3},
		{"crohns", "K50.90", 3},
		{"fx radius", "S52.309A", 10},
		{"covid", "U07.1", 3},
		{"b12", "D51.9", 3}, // looks like a code but no code starts with B12: keyword search
	}
	for _, tt := range tests {
		res := ix.Search(tt.query, 10)
		got := codesOf(res)
		i := slices.Index(got, tt.want)
		if i < 0 || i >= tt.top {
			t.Errorf("Search(%q): %s at rank %d, want within top %d; got %v", tt.query, tt.want, i+1, tt.top, got)
		}
	}
}

func TestSearchEmpty(t *testing.T) {
	ix := benchIndex(t)
	for _, q := range []string{"", "   ", "xyzzy", "diabetes xyzzy", "Z99.999", "zzz9", "...", "!!"} {
		if res := ix.Search(q, 10); len(res) != 0 {
			t.Errorf("Search(%q) = %v, want nothing", q, codesOf(res))
		}
	}
}

func TestSearchCodePrefix(t *testing.T) {
	ix := benchIndex(t)
	for _, q := range []string{"E11", "e11.", "E11.3", "S72.0", "QA0", "C4A", "U0"} {
		prefix := Normalize(q)
		res := ix.Search(q, 0)
		if len(res) == 0 {
			t.Errorf("Search(%q) found nothing", q)
			continue
		}
		// All codes with the prefix, in tabular order.
		var want []string
		for i, u := range ix.undotted {
			if strings.HasPrefix(u, prefix) {
				want = append(want, ix.codes[i].Code)
			}
		}
		if got := codesOf(res); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %d codes %v..., want %d codes %v...", q, len(got), got[:min(5, len(got))], len(want), want[:min(5, len(want))])
		}
		if lim := ix.Search(q, 3); len(lim) != min(3, len(res)) || !slices.Equal(codesOf(lim), codesOf(res[:len(lim)])) {
			t.Errorf("Search(%q, 3) = %v, want the first 3 of the unlimited search", q, codesOf(lim))
		}
	}
	// The exact code comes first even when tabular order would put another code first.
	if res := ix.Search("M54.5", 5); len(res) == 0 || res[0].Code != "M54.50" {
		t.Errorf("Search(M54.5) = %v", codesOf(res))
	}
	if res := ix.Search("I10", 5); len(res) != 1 || res[0].Code != "I10" {
		t.Errorf("Search(I10) = %v, want just I10", codesOf(res))
	}
	if res := ix.Search("Z00.00", 1); len(res) != 1 || res[0].Code != "Z00.00" {
		t.Errorf("Search(Z00.00, 1) = %v", codesOf(res))
	}
}

// Reference implementation of keyword matching, written independently of the index: a code
// matches when every (non-filler) query word, or its alias, starts a word of its descriptions.
func refWords(s string, doc bool) []string {
	s = strings.ReplaceAll(strings.ToLower(s), "'", "")
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '/'
	})
	var out []string
	for _, f := range fields {
		parts := strings.Split(f, "/")
		for i := 0; i < len(parts); i++ {
			p := parts[i]
			switch {
			case p == "w" && i+1 < len(parts) && parts[i+1] == "o":
				out = append(out, "without")
				i++
			case p == "w" && i+1 < len(parts):
				out = append(out, "with")
			case p == "w" && doc:
				out = append(out, "with")
			case p != "":
				out = append(out, p)
			}
		}
	}
	return out
}

func refMatches(doc []string, query string) bool {
	var words []string
	for _, w := range refWords(query, false) {
		if !queryStop[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		words = refWords(query, false)
	}
	for _, q := range words {
		found := false
		for _, w := range doc {
			if strings.HasPrefix(w, q) || (queryAliases[q] != "" && strings.HasPrefix(w, queryAliases[q])) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(words) > 0
}

// TestSearchMatchesReference checks keyword matching against the reference, on the code
// descriptions alone (LoadFrom) and with the ICD-10-CM Index entries (Load): there a code matches
// when its descriptions or one of its entries (path and modifiers, read here from the asset
// independently of the index) match.
func TestSearchMatchesReference(t *testing.T) {
	descOnly, err := LoadFrom(bytes.NewReader(assets.ICD10CM))
	if err != nil {
		t.Fatal(err)
	}
	full := benchIndex(t)
	docs := make([][][]string, len(full.codes))
	at := make(map[string]int, len(full.codes))
	for i, c := range full.codes {
		docs[i] = [][]string{append(refWords(c.Long, true), refWords(c.Short, true)...)}
		at[c.Code] = i
	}
	zr, err := gzip.NewReader(bytes.NewReader(assets.ICD10CMIndex))
	if err != nil {
		t.Fatal(err)
	}
	syn, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	withSyn := make([][][]string, len(docs))
	copy(withSyn, docs)
	for _, line := range strings.Split(strings.TrimSuffix(string(syn), "\n"), "\n") {
		f := strings.Split(line, "\t")
		i, ok := at[Dotted(f[0])]
		if !ok {
			t.Fatalf("index entry %q: code not in the code list", line)
		}
		withSyn[i] = append(withSyn[i][:len(withSyn[i]):len(withSyn[i])], refWords(f[1]+" "+f[2], true))
	}
	queries := []string{
		"diab mell type 2 w/o comp", "type 2 diabetes", "asthma", "chest pain", "low back pain",
		"w/o", "diabetes w/ hyperglycemia", "crohn's disease", "fx femr", "2", "a", "pain in",
		"of", "sickle-cell", "vitamin b12", "NKHHC", "t/nk-cell", "w", "hypertension secondary",
		"Colles'", "malignant neoplasm breast",
	}
	// Fewer queries against the entries: the reference is slow. "heart attack" is a lay term,
	// searched as its meaning; the reversed words are not.
	synQueries := []string{"type 2 diabetes", "chest pain", "w/o", "pain in", "vitamin b12", "attack heart", "Colles'"}
	for _, tc := range []struct {
		name    string
		ix      *Index
		docs    [][][]string
		queries []string
	}{{"descriptions", descOnly, docs, queries}, {"with index entries", full, withSyn, synQueries}} {
		for _, q := range tc.queries {
			got := codesOf(tc.ix.Search(q, 0))
			var want []string
			for i, c := range tc.ix.codes {
				if slices.ContainsFunc(tc.docs[i], func(d []string) bool { return refMatches(d, q) }) {
					want = append(want, c.Code)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: Search(%q, 0): %d codes, reference %d", tc.name, q, len(got), len(want))
			}
		}
	}
}

func TestSearchLimit(t *testing.T) {
	ix := benchIndex(t)
	all := ix.Search("pain", 0)
	if len(all) < 100 {
		t.Fatalf("Search(pain, 0) = %d codes, want many", len(all))
	}
	for _, limit := range []int{1, 5, 20, 100} {
		res := ix.Search("pain", limit)
		if !slices.Equal(codesOf(res), codesOf(all[:limit])) {
			t.Errorf("Search(pain, %d) is not the first %d of the unlimited search", limit, limit)
		}
	}
	if res := ix.Search("pain", -1); len(res) != len(all) {
		t.Errorf("Search(pain, -1) = %d codes, want %d", len(res), len(all))
	}
}

func TestSearchConcurrent(t *testing.T) {
	ix := benchIndex(t)
	want := make(map[string][]string)
	for _, q := range benchQueries {
		want[q] = codesOf(ix.Search(q, 10))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 3 * len(benchQueries) {
				q := benchQueries[(i+g)%len(benchQueries)]
				if got := codesOf(ix.Search(q, 10)); !slices.Equal(got, want[q]) {
					t.Errorf("concurrent Search(%q) = %v, want %v", q, got, want[q])
					return
				}
				ix.Lookup("E11.9")
			}
		})
	}
	wg.Wait()
}
