package icd10

import (
	"slices"
	"strings"
	"testing"
)

// Every searched meaning of the curated lists finds codes: a meaning worded so that it finds
// nothing would silently drop the abbreviation.
func TestExpansionsFindCodes(t *testing.T) {
	ix := benchIndex(t)
	if len(ix.expand) < 300 {
		t.Fatalf("%d abbreviations and lay terms, want the curated lists (a few hundred)", len(ix.expand))
	}
	for key, exps := range ix.expand {
		for _, e := range exps {
			if e.search && len(ix.searchWords(e.words, 1, nil)) == 0 {
				t.Errorf("%q → %q finds no code", key, e.text)
			}
		}
	}
}

func TestParseExpansionsErrors(t *testing.T) {
	for name, in := range map[string][2]string{
		"no source":  {"bph\tbenign prostatic hyperplasia\tdx\n", ""},
		"bad kind":   {"bph\tbenign prostatic hyperplasia\tdiagnosis\tsrc\n", ""},
		"lay fields": {"", "pink eye\tconjunctivitis\n"},
		"no words":   {"bph\t--\tdx\tsrc\n", ""},
	} {
		if _, err := parseExpansions(in[0], in[1]); err == nil {
			t.Errorf("%s: parseExpansions succeeded", name)
		}
	}
	m, err := parseExpansions("# comment\nms\tmultiple sclerosis\tdx\tsrc\nms\tmorphine sulfate\tdrug\tsrc\n", "Pink Eye\tconjunctivitis\tsrc\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(m["ms"]) != 2 || m["ms"][1].search || !m["pink eye"][0].lay {
		t.Errorf("parseExpansions = %+v", m)
	}
}

// The examples of issue 14, and the "why" shown with them.
func TestFindDoneWhen(t *testing.T) {
	ix := benchIndex(t)
	check := func(q string, top int, ok func(code string) bool, whyHas string) {
		t.Helper()
		ms := ix.Find(q, 10, Options{})
		for _, m := range ms[:min(top, len(ms))] {
			if ok(m.Code.Code) {
				if !strings.Contains(m.Why, whyHas) {
					t.Errorf("Find(%q): %s why %q, want it to mention %q", q, m.Code.Code, m.Why, whyHas)
				}
				return
			}
		}
		t.Errorf("Find(%q) = %v, want a match in the first %d", q, matchCodes(ms), top)
	}
	is := func(codes ...string) func(string) bool {
		return func(c string) bool { return slices.Contains(codes, c) }
	}
	check("bph", 1, is("N40.0", "N40.1"), "bph → benign prostatic hyperplasia")
	check("pink eye", 5, func(c string) bool { return strings.HasPrefix(c, "H10") }, "pink eye")
	check("pnuemonia", 3, is("J18.9"), "typo: pnuemonia → pneumonia")
	check("heart attack", 3, is("I21.9"), "")
	check("attack heart", 3, is("I21.9"), "")
	check("anaemia", 3, is("D64.9"), "spelling: anaemia → anemia")
	check("oesophagitis", 3, is("K20.90"), "spelling: oesophagitis → esophagitis")
	check("diabetis", 3, is("E11.9", "E10.9", "E13.9"), "typo: diabetis → diabetes")
	check("hay fever", 3, is("J30.1", "J30.2", "J30.9"), "")
	check("kidney stones", 3, is("N20.0"), "")
	check("copd exacerbation", 3, is("J44.1"), "copd → chronic obstructive pulmonary disease")
	// Word order and inflections keep working.
	check("diabetes type 2", 3, is("E11.9"), "")
	check("fractures femur", 10, func(c string) bool { return strings.HasPrefix(c, "S72") }, "")
	// An ambiguous abbreviation shows its meanings near the top.
	ms := ix.Find("ms", 10, Options{})
	var sclerosis, stenosis bool
	for _, m := range ms[:min(4, len(ms))] {
		sclerosis = sclerosis || strings.HasPrefix(m.Code.Code, "G35")
		stenosis = stenosis || m.Code.Code == "I05.0" || m.Code.Code == "I34.2"
	}
	if !sclerosis || !stenosis {
		t.Errorf("Find(ms) = %v, want multiple sclerosis and mitral stenosis in the first 4", matchCodes(ms))
	}
}

func matchCodes(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Code.Code
	}
	return out
}

// Codes the clinic used before come first among the matches, most used first; codes that do
// not match the query are not added.
func TestFindBoost(t *testing.T) {
	ix := benchIndex(t)
	plain := ix.Find("pneumonia", 10, Options{})
	if len(plain) == 0 || plain[0].Code.Code != "J18.9" {
		t.Fatalf("Find(pneumonia) = %v", matchCodes(plain))
	}
	boost := map[string]int{"J15.9": 3, "J13": 7, "I10": 50, "nonsense": 1}
	got := ix.Find("pneumonia", 10, Options{Boost: boost})
	if c := matchCodes(got); len(c) < 3 || c[0] != "J13" || c[1] != "J15.9" || slices.Contains(c, "I10") {
		t.Fatalf("Find(pneumonia, boost) = %v, want J13, J15.9 first and no I10", c)
	}
	if !strings.Contains(got[0].Why, "used before in this clinic (7×)") {
		t.Errorf("why = %q", got[0].Why)
	}
	// A boosted code deep in a broad search still comes first.
	got = ix.Find("pain", 5, Options{Boost: map[string]int{"M79.672": 2}})
	if len(got) == 0 || got[0].Code.Code != "M79.672" {
		t.Errorf("Find(pain, boost M79.672) = %v", matchCodes(got))
	}
}

func TestEditDistance(t *testing.T) {
	var rows [3][]int
	for _, tt := range []struct {
		a, b string
		d    int
	}{
		{"pnuemonia", "pneumonia", 1},
		{"diabetis", "diabetes", 1},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
		{"abc", "abc", 0},
		{"ca", "ac", 1},
		{"asthama", "asthma", 1},
	} {
		if got := editDistance(tt.a, tt.b, 5, &rows); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
	if got := editDistance("kitten", "sitting", 1, &rows); got <= 1 {
		t.Errorf("editDistance with limit 1 = %d, want > 1", got)
	}
}
