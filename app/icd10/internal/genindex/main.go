// Command genindex turns the ICD-10-CM Index to Diseases and Injuries (flattened to CSV, see
// ../shared/data/icd10cm-index/README.md) into the compact synonym list that package icd10 embeds:
// one line per index entry that leads to a code,
//
//	CODE<TAB>PATH<TAB>MODIFIERS<TAB>VIA<LF>
//
// CODE is an undotted billable FY2026 code; PATH is the entry's terms from the main term down,
// joined by ", " ("Attack, heart"); MODIFIERS are the nonessential modifiers in parentheses (searched
// but not counted when ranking); VIA is the "see" target the entry was resolved through ("Infarct,
// myocardium"), empty when the entry carries its own code.
//
// The index is the FY2025 edition (the FY2026 one was not reachable); every code is checked against
// the FY2026 code list: a code that is not billable is replaced by its most general billable
// descendant (the unspecified, initial-encounter one), and entries whose code has no FY2026
// descendant are dropped. The output is gzip at the best level with no name or timestamp, so it is
// deterministic.
//
// It is run by "go generate" in app/icd10; see the go:generate line there.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	in := flag.String("in", "", "index CSV (ICD10CM_2025_Index.csv)")
	codes := flag.String("codes", "", "embedded FY2026 code list (icd10cm_2026.tsv.gz)")
	out := flag.String("out", "", "output file (.tsv.gz)")
	flag.Parse()
	if *in == "" || *codes == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	log.SetFlags(0)
	log.SetPrefix("icd10 genindex: ")
	st, err := run(*in, *codes, *out)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d entries to %s (%d resolved through see, %d mapped to a billable descendant, %d dropped: no FY2026 code, %d unresolved see)",
		st.entries, *out, st.viaSee, st.mapped, st.dropped, st.unresolved)
}

type stats struct{ entries, viaSee, mapped, dropped, unresolved int }

func run(in, codesPath, out string) (stats, error) {
	cl, err := readCodes(codesPath)
	if err != nil {
		return stats{}, fmt.Errorf("%s: %w", codesPath, err)
	}
	f, err := os.Open(in)
	if err != nil {
		return stats{}, err
	}
	defer f.Close()
	rows, err := readRows(f)
	if err != nil {
		return stats{}, fmt.Errorf("%s: %w", in, err)
	}
	var tsv bytes.Buffer
	st := convert(rows, cl, &tsv)
	if st.entries == 0 {
		return st, errors.New("no entries")
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return st, err
	}
	if _, err := zw.Write(tsv.Bytes()); err != nil {
		return st, err
	}
	if err := zw.Close(); err != nil {
		return st, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".icd10-genindex-*")
	if err != nil {
		return st, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(gz.Bytes()); err != nil {
		tmp.Close()
		return st, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return st, err
	}
	if err := tmp.Close(); err != nil {
		return st, err
	}
	return st, os.Rename(tmp.Name(), out)
}

// codeList is the FY2026 billable code list: undotted codes in tabular order with their long
// descriptions.
type codeList struct {
	codes  []string
	long   []string
	sorted []string // codes, sorted, for prefix look-ups
	has    map[string]bool
	at     map[string]int // tabular position
}

func readCodes(path string) (*codeList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	cl := &codeList{has: make(map[string]bool), at: make(map[string]int)}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 {
			return nil, fmt.Errorf("bad line %q", sc.Text())
		}
		cl.codes = append(cl.codes, parts[0])
		cl.long = append(cl.long, parts[2])
		cl.has[parts[0]] = true
		cl.at[parts[0]] = len(cl.codes) - 1
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	cl.sorted = append([]string(nil), cl.codes...)
	sort.Strings(cl.sorted)
	return cl, nil
}

// billable returns the billable code for an index code: itself, or the most general billable
// descendant, and whether it had to be mapped. ok is false when FY2026 has no such code.
func (cl *codeList) billable(code string) (out string, mapped, ok bool) {
	c := strings.ToUpper(strings.NewReplacer(".", "", "-", "").Replace(strings.TrimSpace(code)))
	if c == "" {
		return "", false, false
	}
	if cl.has[c] {
		return c, false, true
	}
	i := sort.SearchStrings(cl.sorted, c)
	best, bestScore, bestAt := "", 0, 0
	for ; i < len(cl.sorted) && strings.HasPrefix(cl.sorted[i], c); i++ {
		d := cl.sorted[i]
		j := cl.at[d]
		s := generality(d, cl.long[j])
		// Tabular order breaks ties.
		if best == "" || s > bestScore || (s == bestScore && j < bestAt) {
			best, bestScore, bestAt = d, s, j
		}
	}
	if best == "" {
		return "", false, false
	}
	return best, true, true
}

// generality scores how general a code is, like the search ranking's prior: shorter codes,
// "unspecified", "without complications" and initial encounters first.
func generality(code, long string) int {
	l := strings.ToLower(long)
	s := -15 * len(code)
	if strings.Contains(l, "unspecified") {
		s += 12
	}
	if strings.Contains(l, "without complication") || strings.Contains(l, "uncomplicated") {
		s += 14
	}
	switch {
	case strings.Contains(l, "initial encounter for closed"), strings.HasSuffix(l, "initial encounter"):
		s += 6
	case strings.Contains(l, "initial encounter"):
		s += 4
	case strings.Contains(l, "subsequent encounter"):
		s -= 4
	case strings.HasSuffix(l, "sequela"):
		s -= 8
	}
	if strings.HasPrefix(l, "other ") {
		s -= 5
	}
	return s
}

// row is one line of the index CSV.
type row struct {
	level              int
	term, see, seeAlso string
	modifiers, code    string
	parent             int // index of the parent row, -1 for a main term
	children           []int
	alts               []string // normalized names the term answers to
}

func readRows(r io.Reader) ([]*row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 8
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	if strings.Join(head, ",") != "RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code" {
		return nil, fmt.Errorf("unexpected header %q", head)
	}
	var rows []*row
	var stack []int // row index per level
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		lv, err := strconv.Atoi(rec[2])
		if err != nil || lv < 0 || lv > len(stack) {
			return nil, fmt.Errorf("row %s: bad level %q", rec[0], rec[2])
		}
		rw := &row{
			level: lv, term: clean(rec[3]), see: clean(rec[4]), seeAlso: clean(rec[5]),
			modifiers: clean(rec[6]), code: clean(rec[7]), parent: -1,
		}
		stack = stack[:lv]
		if lv > 0 {
			rw.parent = stack[lv-1]
			p := rows[rw.parent]
			p.children = append(p.children, len(rows))
		}
		stack = append(stack, len(rows))
		rw.alts = alternates(rw.term, lv == 0)
		rows = append(rows, rw)
	}
	return rows, nil
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// norm lower-cases a name, drops parenthesized words, "NEC" and apostrophes.
func norm(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
		case depth > 0, r == '\'', r == '’':
		default:
			b.WriteRune(r)
		}
	}
	f := strings.Fields(b.String())
	if n := len(f); n > 0 && f[n-1] == "nec" {
		f = f[:n-1]
	}
	return strings.Join(f, " ")
}

// alternates returns the names a term answers to in a "see" reference: the whole term, and for a
// main term each of its comma-separated forms ("Infarct, infarction").
func alternates(term string, main bool) []string {
	out := []string{norm(term)}
	if main || strings.Contains(term, ",") {
		for _, p := range strings.Split(term, ",") {
			if p = norm(p); p != "" && p != out[0] {
				out = append(out, p)
			}
		}
	}
	return out
}

// displayTerm shortens an inflected main term for display: "Attack, attacks" -> "Attack".
func displayTerm(term string) string {
	first, rest, ok := strings.Cut(term, ", ")
	if !ok || strings.Contains(rest, ",") {
		return term
	}
	n := min(4, len(first))
	if len(rest) >= n && strings.EqualFold(rest[:n], first[:n]) {
		return first
	}
	return term
}

// resolver follows "see" references to the entry they name.
type resolver struct {
	rows []*row
	main map[string][]int // normalized alternate -> main term rows
}

func (rs *resolver) find(ref string) (*row, bool) {
	parts := splitRef(ref)
	if len(parts) == 0 {
		return nil, false
	}
	// A main term may itself contain commas: try the longest leading run of parts first.
	for k := len(parts); k >= 1; k-- {
		for _, m := range rs.main[strings.Join(parts[:k], ", ")] {
			if r, ok := rs.descend(m, parts[k:]); ok {
				return r, true
			}
		}
	}
	return nil, false
}

func (rs *resolver) descend(at int, parts []string) (*row, bool) {
	if len(parts) == 0 {
		return rs.rows[at], true
	}
	for k := len(parts); k >= 1; k-- {
		name := strings.Join(parts[:k], ", ")
		for _, c := range rs.rows[at].children {
			for _, a := range rs.rows[c].alts {
				if a == name {
					if r, ok := rs.descend(c, parts[k:]); ok {
						return r, true
					}
				}
			}
		}
	}
	return nil, false
}

func splitRef(ref string) []string {
	var out []string
	for _, p := range strings.Split(ref, ",") {
		if p = norm(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// target returns the code a row leads to and the "see" text it went through.
func (rs *resolver) target(r *row, depth int) (code, via string) {
	if r.code != "" {
		return r.code, ""
	}
	ref := r.see
	if ref == "" {
		// "Gallstone" has no code of its own, only "see also Calculus, gallbladder".
		ref = r.seeAlso
	}
	if ref == "" || depth > 4 {
		return "", ""
	}
	t, ok := rs.find(ref)
	if !ok || t == r {
		return "", ""
	}
	c, _ := rs.target(t, depth+1)
	if c == "" {
		return "", ""
	}
	return c, ref
}

func convert(rows []*row, cl *codeList, w io.Writer) stats {
	rs := &resolver{rows: rows, main: make(map[string][]int)}
	for i, r := range rows {
		if r.level == 0 {
			for _, a := range r.alts {
				rs.main[a] = append(rs.main[a], i)
			}
		}
	}
	var st stats
	seen := make(map[string]bool)
	bw := bufio.NewWriter(w)
	for _, r := range rows {
		raw, via := rs.target(r, 0)
		if raw == "" {
			if r.see != "" {
				st.unresolved++
			}
			continue
		}
		code, mapped, ok := cl.billable(raw)
		if !ok {
			st.dropped++
			continue
		}
		var path []string
		mods := r.modifiers
		for a := r; ; a = rows[a.parent] {
			t := a.term
			if a.level == 0 {
				if a != r && a.modifiers != "" {
					mods = strings.TrimSpace(a.modifiers + " " + mods)
				}
				// The other forms of the main term are searched but not counted ("(attacks)").
				if d := displayTerm(t); d != t {
					mods = strings.TrimSpace("(" + strings.TrimPrefix(t, d+", ") + ") " + mods)
					t = d
				}
			}
			path = append(path, t)
			if a.parent < 0 {
				break
			}
		}
		for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
			path[i], path[j] = path[j], path[i]
		}
		p := strings.Join(path, ", ")
		if k := code + "\t" + p; !seen[k] {
			seen[k] = true
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\n", code, tabless(p), tabless(mods), tabless(via))
			st.entries++
			if via != "" {
				st.viaSee++
			}
			if mapped {
				st.mapped++
			}
		}
	}
	bw.Flush()
	return st
}

func tabless(s string) string { return strings.ReplaceAll(s, "\t", " ") }
