package ehrimport

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/referraldesk/referraldesk/app/icd10"
)

const sharedData = "../../../shared/data"

// sharedFiles lists the files of a shared data folder, skipping the test when it is absent.
func sharedFiles(t testing.TB, dir string, patterns ...string) []string {
	t.Helper()
	root := filepath.Join(sharedData, dir)
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared data %s is absent (%v): skipping", root, err)
	}
	var out []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) == 0 {
		t.Skipf("no files in %s: skipping", root)
	}
	return out
}

func ccdaFiles(t testing.TB) []string { return sharedFiles(t, "ccda", "*.xml", "*.XML") }

var sharedIndex = sync.OnceValues(icd10.Load)

func index(t testing.TB) *icd10.Index {
	t.Helper()
	ix, err := sharedIndex()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func parseFile(t testing.TB, path string) *Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return doc
}
