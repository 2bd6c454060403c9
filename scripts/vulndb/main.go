// Command vulndb turns the OSV entries shipped in the golang.org/x/vulndb module
// (its data/osv/*.json, as `go mod download` puts them in the module cache) into a
// Go vulnerability database in the v1 layout that `govulncheck -db file:///...` reads:
//
//	index/db.json       {"modified": ...}
//	index/modules.json  [{"path": ..., "vulns": [{"id", "modified", "fixed"}]}]
//	ID/<GO-ID>.json     the OSV entry, as shipped
//
// (plus .json.gz copies of each, like vuln.go.dev serves). The OSV files in the
// module carry a zero "modified" time (the real one comes from git history at
// deploy time), so -modified (the module version's commit time) stands in for it.
//
// Usage: go run ./scripts/vulndb -osv DIR -out DIR -modified RFC3339
//
// It uses only the standard library, so it adds nothing to go.mod.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

type event struct {
	Introduced string `json:"introduced,omitempty"`
	Fixed      string `json:"fixed,omitempty"`
}

type rng struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []rng `json:"ranges"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("vulndb: ")
	osvDir := flag.String("osv", "", "directory of OSV JSON files (data/osv of golang.org/x/vulndb)")
	outDir := flag.String("out", "", "directory to write the v1 database to (must not exist or be empty)")
	modified := flag.String("modified", "", "RFC 3339 time to use where an entry's modified time is zero, and as the DB's")
	flag.Parse()
	if *osvDir == "" || *outDir == "" || *modified == "" {
		flag.Usage()
		os.Exit(2)
	}
	snap, err := time.Parse(time.RFC3339, *modified)
	if err != nil {
		log.Fatalf("-modified: %v", err)
	}
	snap = snap.UTC()

	files, err := filepath.Glob(filepath.Join(*osvDir, "GO-*.json"))
	if err != nil {
		log.Fatal(err)
	}
	if len(files) == 0 {
		log.Fatalf("no GO-*.json files in %s", *osvDir)
	}
	if err := os.MkdirAll(filepath.Join(*outDir, "index"), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(*outDir, "ID"), 0o755); err != nil {
		log.Fatal(err)
	}

	dbModified := snap
	modules := map[string]*module{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			log.Fatalf("%s: %v", f, err)
		}
		if e.ID+".json" != filepath.Base(f) {
			log.Fatalf("%s: id %q does not match the file name", f, e.ID)
		}
		mod := e.Modified.UTC()
		if mod.IsZero() {
			mod = snap
		}
		if mod.After(dbModified) {
			dbModified = mod
		}
		for _, a := range e.Affected {
			p := a.Package.Name
			m := modules[p]
			if m == nil {
				m = &module{Path: p, Vulns: []moduleVuln{}}
				modules[p] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: mod, Fixed: nonSupersededFix(a.Ranges)})
		}
		var c bytes.Buffer
		if err := json.Compact(&c, b); err != nil {
			log.Fatalf("%s: %v", f, err)
		}
		write(filepath.Join(*outDir, "ID", e.ID+".json"), c.Bytes())
	}

	list := make([]*module, 0, len(modules))
	for _, m := range modules {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	write(filepath.Join(*outDir, "index", "modules.json"), mustJSON(list))
	write(filepath.Join(*outDir, "index", "db.json"), mustJSON(struct {
		Modified time.Time `json:"modified"`
	}{dbModified}))
	fmt.Printf("vulndb: wrote %d entries for %d modules to %s (modified %s)\n",
		len(files), len(list), *outDir, dbModified.Format(time.RFC3339))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

// write writes b to name and a gzipped copy to name.gz.
func write(name string, b []byte) {
	if err := os.WriteFile(name, b, 0o644); err != nil {
		log.Fatal(err)
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if _, err := w.Write(b); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name+".gz", z.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// nonSupersededFix mirrors golang.org/x/vuln/internal/semver.NonSupersededFix: the
// latest fixed version in SEMVER ranges, or "" when the vulnerability was
// re-introduced after it (then govulncheck must read the entry to decide).
func nonSupersededFix(ranges []rng) string {
	var latest string
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && less(latest, e.Fixed) {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && less(latest, e.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// less compares OSV versions (no "v" prefix, or a "go" prefix) the way x/vuln does:
// canonicalized to "v..." and ordered by semver, invalid versions first.
func less(a, b string) bool { return compare(canon(a), canon(b)) < 0 }

func canon(s string) string {
	s = strings.TrimPrefix(s, "v")
	s = strings.TrimPrefix(s, "go")
	return "v" + s
}

// What follows is a trimmed copy of golang.org/x/mod/semver's Compare.

type parsed struct{ major, minor, patch, prerelease string }

func compare(v, w string) int {
	pv, ok1 := parse(v)
	pw, ok2 := parse(w)
	if !ok1 && !ok2 {
		return 0
	}
	if !ok1 {
		return -1
	}
	if !ok2 {
		return +1
	}
	if c := compareInt(pv.major, pw.major); c != 0 {
		return c
	}
	if c := compareInt(pv.minor, pw.minor); c != 0 {
		return c
	}
	if c := compareInt(pv.patch, pw.patch); c != 0 {
		return c
	}
	return comparePrerelease(pv.prerelease, pw.prerelease)
}

func parse(v string) (p parsed, ok bool) {
	if v == "" || v[0] != 'v' {
		return p, false
	}
	if p.major, v, ok = parseInt(v[1:]); !ok {
		return p, false
	}
	if v == "" {
		p.minor, p.patch = "0", "0"
		return p, true
	}
	if v[0] != '.' {
		return p, false
	}
	if p.minor, v, ok = parseInt(v[1:]); !ok {
		return p, false
	}
	if v == "" {
		p.patch = "0"
		return p, true
	}
	if v[0] != '.' {
		return p, false
	}
	if p.patch, v, ok = parseInt(v[1:]); !ok {
		return p, false
	}
	if len(v) > 0 && v[0] == '-' {
		if p.prerelease, v, ok = parsePrerelease(v); !ok {
			return p, false
		}
	}
	if len(v) > 0 && v[0] == '+' {
		if _, v, ok = parseBuild(v); !ok {
			return p, false
		}
	}
	return p, v == ""
}

func parseInt(v string) (t, rest string, ok bool) {
	if v == "" || v[0] < '0' || '9' < v[0] {
		return
	}
	i := 1
	for i < len(v) && '0' <= v[i] && v[i] <= '9' {
		i++
	}
	if v[0] == '0' && i != 1 {
		return
	}
	return v[:i], v[i:], true
}

func parsePrerelease(v string) (t, rest string, ok bool) {
	// "A pre-release version MAY be denoted by appending a hyphen and
	// a series of dot separated identifiers immediately following the patch version.
	// Identifiers MUST comprise only ASCII alphanumerics and hyphen [0-9A-Za-z-].
	// Identifiers MUST NOT be empty. Numeric identifiers MUST NOT include leading zeroes."
	if v == "" || v[0] != '-' {
		return
	}
	i, start := 1, 1
	for i < len(v) && v[i] != '+' {
		if !isIdentChar(v[i]) && v[i] != '.' {
			return
		}
		if v[i] == '.' {
			if start == i || isBadNum(v[start:i]) {
				return
			}
			start = i + 1
		}
		i++
	}
	if start == i || isBadNum(v[start:i]) {
		return
	}
	return v[:i], v[i:], true
}

func parseBuild(v string) (t, rest string, ok bool) {
	if v == "" || v[0] != '+' {
		return
	}
	i, start := 1, 1
	for i < len(v) {
		if !isIdentChar(v[i]) && v[i] != '.' {
			return
		}
		if v[i] == '.' {
			if start == i {
				return
			}
			start = i + 1
		}
		i++
	}
	if start == i {
		return
	}
	return v[:i], v[i:], true
}

func isIdentChar(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-'
}

func isBadNum(v string) bool {
	i := 0
	for i < len(v) && '0' <= v[i] && v[i] <= '9' {
		i++
	}
	return i == len(v) && i > 1 && v[0] == '0'
}

func isNum(v string) bool {
	i := 0
	for i < len(v) && '0' <= v[i] && v[i] <= '9' {
		i++
	}
	return i == len(v)
}

func compareInt(x, y string) int {
	if x == y {
		return 0
	}
	if len(x) < len(y) {
		return -1
	}
	if len(x) > len(y) {
		return +1
	}
	if x < y {
		return -1
	}
	return +1
}

func comparePrerelease(x, y string) int {
	// "When major, minor, and patch are equal, a pre-release version has
	// lower precedence than a normal version.
	// Example: 1.0.0-alpha < 1.0.0.
	// Precedence for two pre-release versions with the same major, minor,
	// and patch version MUST be determined by comparing each dot separated
	// identifier from left to right until a difference is found as follows:
	// identifiers consisting of only digits are compared numerically and
	// identifiers with letters or hyphens are compared lexically in ASCII
	// sort order. Numeric identifiers always have lower precedence than
	// non-numeric identifiers. A larger set of pre-release fields has a
	// higher precedence than a smaller set, if all of the preceding
	// identifiers are equal."
	if x == y {
		return 0
	}
	if x == "" {
		return +1
	}
	if y == "" {
		return -1
	}
	for x != "" && y != "" {
		x = x[1:] // skip - or .
		y = y[1:] // skip - or .
		var dx, dy string
		dx, x = nextIdent(x)
		dy, y = nextIdent(y)
		if dx != dy {
			ix := isNum(dx)
			iy := isNum(dy)
			if ix != iy {
				if ix {
					return -1
				}
				return +1
			}
			if ix {
				if len(dx) < len(dy) {
					return -1
				}
				if len(dx) > len(dy) {
					return +1
				}
			}
			if dx < dy {
				return -1
			}
			return +1
		}
	}
	if x == "" {
		return -1
	}
	return +1
}

func nextIdent(x string) (dx, rest string) {
	i := 0
	for i < len(x) && x[i] != '.' {
		i++
	}
	return x[:i], x[i:]
}
