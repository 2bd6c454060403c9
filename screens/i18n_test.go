package screens

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Words the user sees are found in the code itself, not listed by hand: every string literal
// of the screens that holds a letter must be a catalog lookup's code, or stand where no user
// reads it (an error for the log, a time layout, a map key, an identifier, a file extension).

// notForUsers are the calls whose string arguments the user does not read as words.
var notForUsers = map[string]bool{
	"fmt.Errorf": true, "errors.New": true, "filepath.Join": true, "filepath.Ext": true,
	"strings.EqualFold": true, "strings.TrimSuffix": true, "strings.HasSuffix": true, "strings.HasPrefix": true,
	"strings.Contains": true, "strings.TrimPrefix": true, "strings.Split": true, "strings.ReplaceAll": true,
	"Format": true, "Sscanf": true, "time.Parse": true, "Parse": true, "os.Getenv": true, "os.Setenv": true, "log.Printf": true,
	"storage.NewExtensionFileFilter": true, "msg.Define": true, "url.Parse": true, "Preferences": true,
}

// identifierLike: codes, keys, extensions, country codes, MIME types.
var identifierLike = regexp.MustCompile(`^[a-z0-9_.\-/+]+$|^\.[a-zA-Z]+$|^[A-Z]{2}$`)

// fmtVerb: a format with only verbs between its punctuation ("%s · %s") holds no words.
var fmtVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// userWordsAllowed are literals with letters that read the same in every language.
var userWordsAllowed = map[string]bool{}

// notScreens are files with no screen text: sample data for the screenshots, and the self-test
// (which finds buttons by the catalog's own words).
var notScreens = map[string]bool{"render.go": true, "selftest.go": true}

func TestEveryWordGoesThroughTheCatalog(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, fn := range files {
		if strings.HasSuffix(fn, "_test.go") || notScreens[fn] {
			continue
		}
		found = append(found, untranslated(t, fn)...)
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("words the user reads, not from the catalog: %s", f)
	}
}

func untranslated(t *testing.T, fn string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, fn, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var stack []ast.Node
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ImportSpec, *ast.Field:
			return false
		case *ast.KeyValueExpr:
			ast.Inspect(n.Value, func(c ast.Node) bool { return inspect(c, &stack, visit) })
			return false
		case *ast.CallExpr:
			if notForUsers[callName(n.Fun)] || notForUsers[shortName(n.Fun)] {
				return false
			}
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(n.Value)
			if !hasLetter(fmtVerb.ReplaceAllString(s, "")) || identifierLike.MatchString(s) || userWordsAllowed[s] {
				return true
			}
			out = append(out, fset.Position(n.Pos()).String()+" "+n.Value)
		}
		return true
	}
	ast.Inspect(f, func(n ast.Node) bool { return inspect(n, &stack, visit) })
	return out
}

func inspect(n ast.Node, stack *[]ast.Node, visit func(ast.Node) bool) bool {
	if n == nil {
		*stack = (*stack)[:len(*stack)-1]
		return true
	}
	if !visit(n) {
		return false
	}
	*stack = append(*stack, n)
	return true
}

func callName(e ast.Expr) string {
	switch f := e.(type) {
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	}
	return ""
}

func shortName(e ast.Expr) string {
	n := callName(e)
	if i := strings.LastIndexByte(n, '.'); i >= 0 {
		return n[i+1:]
	}
	return n
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// TestEveryLanguageHasEveryText: each translation has a text for every English code, and no
// code English does not have.
func TestEveryLanguageHasEveryText(t *testing.T) {
	read := func(name string) map[string]json.RawMessage {
		b, err := os.ReadFile(filepath.Join("..", "app", "catalog", "locales", name))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	en := read("en.json")
	for _, lang := range []string{"es.json", "zh-Hans.json"} {
		other := read(lang)
		var missing, extra []string
		for c := range en {
			if _, ok := other[c]; !ok {
				missing = append(missing, c)
			}
		}
		for c := range other {
			if _, ok := en[c]; !ok {
				extra = append(extra, c)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing) > 0 {
			t.Errorf("%s lacks %d texts: %s", lang, len(missing), strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			t.Errorf("%s has texts for codes English does not have: %s", lang, strings.Join(extra, ", "))
		}
	}
}
