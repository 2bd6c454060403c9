package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// orderLine formats one line of the CMS order file.
func orderLine(n int, code string, billable bool, short, long string) string {
	flag := 0
	if billable {
		flag = 1
	}
	return fmt.Sprintf("%05d %-7s %d %-60s %s\r\n", n, code, flag, short, long)
}

func TestConvert(t *testing.T) {
	in := orderLine(1, "A00", false, "Cholera", "Cholera") +
		orderLine(2, "A000", true, "Cholera due to Vibrio cholerae 01, biovar cholerae", "Cholera due to Vibrio cholerae 01, biovar cholerae") +
		orderLine(3, "E119", true, "Type 2 diabetes mellitus without complications", "Type 2 diabetes mellitus without complications") +
		orderLine(4, "QA00101", true, "SCN2A-related neurodevelopmental disorder", "SCN2A-related neurodevelopmental disorder")
	var out bytes.Buffer
	n, err := convert(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	want := "A000\tCholera due to Vibrio cholerae 01, biovar cholerae\tCholera due to Vibrio cholerae 01, biovar cholerae\n" +
		"E119\tType 2 diabetes mellitus without complications\tType 2 diabetes mellitus without complications\n" +
		"QA00101\tSCN2A-related neurodevelopmental disorder\tSCN2A-related neurodevelopmental disorder\n"
	if n != 3 || out.String() != want {
		t.Errorf("convert = %d, %q; want 3, %q", n, out.String(), want)
	}
}

func TestConvertErrors(t *testing.T) {
	tests := map[string]string{
		"short line": "00001 A00     1 Cholera\r\n",
		"bad flag":   orderLine(1, "A000", true, "x", "y")[:14] + "2" + orderLine(1, "A000", true, "x", "y")[15:],
		"bad code":   orderLine(1, "a.00", true, "x", "y"),
		"tab":        orderLine(1, "A000", true, "x", "y\tz"),
		"duplicate":  orderLine(1, "A000", true, "x", "y") + orderLine(2, "A000", true, "x", "y"),
		"none":       orderLine(1, "A00", false, "x", "y"),
	}
	for name, in := range tests {
		if _, err := convert(strings.NewReader(in), io.Discard); err == nil {
			t.Errorf("%s: convert succeeded, want an error", name)
		}
	}
}

// TestAssetUpToDate regenerates the asset from the shared CMS file, when it is present, and
// compares it with the committed one.
func TestAssetUpToDate(t *testing.T) {
	const in = "../../../../../shared/data/icd10cm/icd10cm_order_2026.txt"
	const asset = "../../../../assets/icd10cm/icd10cm_2026.tsv.gz"
	if _, err := os.Stat(in); err != nil {
		t.Skip("shared data not present: ", in, ": ", err)
	}
	out := filepath.Join(t.TempDir(), "out.tsv.gz")
	n, err := run(in, out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 74719 {
		t.Errorf("run wrote %d codes, want 74719", n)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(asset)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("%s is out of date: run go generate ./app/icd10/ (%d bytes generated, %d committed)", asset, len(got), len(committed))
	}
	zr, err := gzip.NewReader(bytes.NewReader(committed))
	if err != nil {
		t.Fatal(err)
	}
	if zr.ModTime.Unix() > 0 || zr.Name != "" {
		t.Errorf("gzip header has a name or timestamp: %q %v", zr.Name, zr.ModTime)
	}
}
