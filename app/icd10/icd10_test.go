package icd10

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/assets"
)

const wantCodes = 74719 // billable codes in FY2026

func TestLoad(t *testing.T) {
	ix := benchIndex(t)
	if got := ix.Len(); got != wantCodes {
		t.Fatalf("Len() = %d, want %d", got, wantCodes)
	}
	// LoadFrom on the same bytes gives the same index.
	ix2, err := LoadFrom(bytes.NewReader(assets.ICD10CM))
	if err != nil {
		t.Fatal(err)
	}
	if ix2.Len() != ix.Len() {
		t.Fatalf("LoadFrom: Len() = %d, want %d", ix2.Len(), ix.Len())
	}
	for i := range ix.codes {
		if ix.codes[i] != ix2.codes[i] {
			t.Fatalf("code %d differs: %+v vs %+v", i, ix.codes[i], ix2.codes[i])
		}
	}
	first, last := ix.codes[0], ix.codes[len(ix.codes)-1]
	if first.Code != "A00.0" || last.Code != "U09.9" {
		t.Errorf("first/last code = %s/%s, want A00.0/U09.9 (tabular order)", first.Code, last.Code)
	}
}

func gz(t *testing.T, s string) *bytes.Reader {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

func TestLoadFromSmall(t *testing.T) {
	ix, err := LoadFrom(gz(t, "A000\tCholera d/t V cholerae\tCholera due to Vibrio cholerae\r\nE119\tType 2 diab w/o comp\tType 2 diabetes mellitus without complications\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 2 {
		t.Fatalf("Len() = %d, want 2", ix.Len())
	}
	c, ok := ix.Lookup("e11.9")
	if !ok || c.Code != "E11.9" || c.Short != "Type 2 diab w/o comp" || c.Long != "Type 2 diabetes mellitus without complications" {
		t.Errorf("Lookup = %+v, %v", c, ok)
	}
	if res := ix.Search("cholera", 5); len(res) != 1 || res[0].Code != "A00.0" {
		t.Errorf("Search(cholera) = %v", res)
	}
}

func TestLoadFromErrors(t *testing.T) {
	tests := []struct {
		name string
		r    *bytes.Reader
		want string
	}{
		{"not gzip", bytes.NewReader([]byte("A000\tx\ty\n")), "icd10: open gzip stream"},
		{"truncated gzip", bytes.NewReader(assets.ICD10CM[:len(assets.ICD10CM)/2]), "icd10: decompress"},
		{"empty", gz(t, ""), "icd10: no codes"},
		{"two fields", gz(t, "A000\tCholera\n"), "icd10: line 1: want 3 tab-separated fields"},
		{"four fields", gz(t, "A000\ta\tb\tc\n"), "icd10: line 1: want 3 tab-separated fields"},
		{"bad code", gz(t, "A000\ta\tb\na.1\ta\tb\n"), `icd10: line 2: bad code "a.1"`},
		{"long code", gz(t, "A0000000\ta\tb\n"), "icd10: line 1: bad code"},
		{"duplicate", gz(t, "A000\ta\tb\nA000\tc\td\n"), "icd10: duplicate code A000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := LoadFrom(tt.r)
			if err == nil {
				t.Fatalf("LoadFrom succeeded with %d codes, want error %q", ix.Len(), tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q", err, tt.want)
			}
		})
	}
	// The underlying error is wrapped.
	_, err := LoadFrom(bytes.NewReader(assets.ICD10CM[:len(assets.ICD10CM)/2]))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated stream: error %v does not wrap io.ErrUnexpectedEOF", err)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"e11.9", "E119"},
		{"E11.9", "E119"},
		{"E119", "E119"},
		{" e11.9 ", "E119"},
		{"a00", "A00"},
		{"QA0.0101", "QA00101"},
		{"qa00101", "QA00101"},
		{"s72.001a", "S72001A"},
		{"E11.", "E11"},
		{"", ""},
		{".", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDotted(t *testing.T) {
	tests := []struct{ in, want string }{
		{"E119", "E11.9"},
		{"e11.9", "E11.9"},
		{"A00", "A00"},
		{"I10", "I10"},
		{"QA00101", "QA0.0101"},
		{"S72001A", "S72.001A"},
		{"m5450", "M54.50"},
		{"E11", "E11"},
		{"E1", "E1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Dotted(tt.in); got != tt.want {
			t.Errorf("Dotted(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	ix := benchIndex(t)
	tests := []struct {
		in, want string // want "" means not found
	}{
		{"E11.9", "E11.9"},
		{"E119", "E11.9"},
		{"e119", "E11.9"},
		{" e11.9 ", "E11.9"},
		{"I10", "I10"},
		{"QA00101", "QA0.0101"},
		{"qa0.0101", "QA0.0101"},
		{"S72.001A", "S72.001A"},
		{"U07.1", "U07.1"},
		{"E11", ""},     // category, not billable
		{"E11.99", ""},  // does not exist
		{"E119X", ""},   // does not exist
		{"E11.9 x", ""}, // junk
		{"", ""},
		{"diabetes", ""},
	}
	for _, tt := range tests {
		c, ok := ix.Lookup(tt.in)
		if ok != (tt.want != "") || c.Code != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.in, c.Code, ok, tt.want)
		}
	}
	c, _ := ix.Lookup("E119")
	if c.Long != "Type 2 diabetes mellitus without complications" || c.Short != "Type 2 diabetes mellitus without complications" {
		t.Errorf("E11.9 descriptions = %q / %q", c.Short, c.Long)
	}
}

// TestSharedData checks every code of the CMS codes file against the index.
func TestSharedData(t *testing.T) {
	const path = "../../../shared/data/icd10cm/icd10cm_codes_2026.txt"
	f, err := os.Open(path)
	if err != nil {
		t.Skip("shared data not present: ", path, ": ", err)
	}
	defer f.Close()
	ix := benchIndex(t)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		code, long, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("line %d: no space in %q", n+1, line)
		}
		long = strings.TrimSpace(long)
		n++
		c, ok := ix.Lookup(code)
		switch {
		case !ok:
			t.Errorf("Lookup(%q) not found", code)
		case c.Long != long:
			t.Errorf("Lookup(%q).Long = %q, want %q", code, c.Long, long)
		case Normalize(c.Code) != code:
			t.Errorf("Lookup(%q).Code = %q", code, c.Code)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != wantCodes || ix.Len() != n {
		t.Errorf("codes file has %d codes, index %d, want %d", n, ix.Len(), wantCodes)
	}
}
