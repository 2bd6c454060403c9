package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestICD10SearchExplain(t *testing.T) {
	for _, args := range [][]string{
		{"icd10", "search", "--explain", "bph"},
		{"icd10", "search", "bph", "--explain"},
	} {
		var out, errOut bytes.Buffer
		if code := Main(args, Env{Stdout: &out, Stderr: &errOut}); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		first, _, _ := strings.Cut(out.String(), "\n")
		if !strings.HasPrefix(first, "N40.") || !strings.HasSuffix(first, "(bph → benign prostatic hyperplasia)") {
			t.Errorf("%v: first line %q, want N40.x with why", args, first)
		}
	}
	var out bytes.Buffer
	if code := Main([]string{"icd10", "search", "pnuemonia"}, Env{Stdout: &out, Stderr: &out}); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	lines := strings.Split(out.String(), "\n")
	if !strings.Contains(strings.Join(lines[:3], "\n"), "J18.9\t") || strings.Contains(out.String(), "typo") {
		t.Errorf("icd10 search pnuemonia = %q, want J18.9 in the first three, no why without --explain", out.String())
	}
}
