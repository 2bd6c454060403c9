package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func testCodes() *codeList {
	cl := &codeList{has: map[string]bool{}, at: map[string]int{}}
	for _, c := range [][2]string{
		{"I219", "Acute myocardial infarction, unspecified"},
		{"H10021", "Other mucopurulent conjunctivitis, right eye"},
		{"H10029", "Other mucopurulent conjunctivitis, unspecified eye"},
		{"H109", "Unspecified conjunctivitis"},
		{"K8020", "Calculus of gallbladder without cholecystitis without obstruction"},
		{"G35A", "Relapsing-remitting multiple sclerosis"},
		{"G35D", "Multiple sclerosis, unspecified"},
	} {
		cl.has[c[0]] = true
		cl.at[c[0]] = len(cl.codes)
		cl.codes = append(cl.codes, c[0])
		cl.long = append(cl.long, c[1])
	}
	cl.sorted = append([]string(nil), cl.codes...)
	sort.Strings(cl.sorted)
	return cl
}

func TestConvert(t *testing.T) {
	csv := `RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code
1,A,0,"Attack, attacks",,,,
2,A,1,heart,"infarct, myocardium",,,
3,A,1,nowhere,"Nothing, here",,,
4,C,0,Calculus,,,,
5,C,1,gallbladder,,,,K80.20
6,C,0,Conjunctivitis,,,(staphylococcal),H10.9
7,C,1,"acute",,,,
8,C,2,mucopurulent,,,,H10.02-
9,G,0,Gallstone,,"Calculus, gallbladder",(colic),
10,I,0,"Infarct, infarction",,,,
11,I,1,"myocardium, myocardial",,,(acute),I21.9
12,P,0,Pink,,,,
13,P,1,eye,"Conjunctivitis, acute, mucopurulent",,,
14,S,0,"Sclerosis, sclerotic",,,,
15,S,1,multiple,,,(brain stem),G35
16,X,0,Xanthoma,,,,E75.5
`
	rows, err := readRows(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st := convert(rows, testCodes(), &out)
	want := "I219\tAttack, heart\t(attacks)\tinfarct, myocardium\n" +
		"K8020\tCalculus, gallbladder\t\t\n" +
		"H109\tConjunctivitis\t(staphylococcal)\t\n" +
		"H10029\tConjunctivitis, acute, mucopurulent\t(staphylococcal)\t\n" +
		"K8020\tGallstone\t(colic)\tCalculus, gallbladder\n" +
		"I219\tInfarct, myocardium, myocardial\t(infarction) (acute)\t\n" +
		"H10029\tPink, eye\t\tConjunctivitis, acute, mucopurulent\n" +
		"G35D\tSclerosis, multiple\t(sclerotic) (brain stem)\t\n"
	if out.String() != want {
		t.Errorf("convert =\n%s\nwant\n%s", out.String(), want)
	}
	// H10.02- and G35 are not billable: mapped to the unspecified descendant. E75.5 is not in
	// the (test) FY2026 list: dropped. "Nothing, here" does not resolve.
	if st.entries != 8 || st.viaSee != 3 || st.mapped != 3 || st.dropped != 1 || st.unresolved != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestBillable(t *testing.T) {
	cl := testCodes()
	for in, want := range map[string]string{"I21.9": "I219", "G35": "G35D", "H10.02-": "H10029", "H10": "H109", "E75.5": ""} {
		if got, _, _ := cl.billable(in); got != want {
			t.Errorf("billable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAssetUpToDate regenerates the asset from the shared index and the committed code list,
// when the shared data is present, and compares it with the committed one.
func TestAssetUpToDate(t *testing.T) {
	const in = "../../../../../shared/data/icd10cm-index/ICD10CM_2025_Index.csv"
	const codes = "../../../../assets/icd10cm/icd10cm_2026.tsv.gz"
	const asset = "../../../../assets/icd10cm/index_2025.tsv.gz"
	if _, err := os.Stat(in); err != nil {
		t.Skip("shared data not present: ", in, ": ", err)
	}
	out := filepath.Join(t.TempDir(), "out.tsv.gz")
	st, err := run(in, codes, out)
	if err != nil {
		t.Fatal(err)
	}
	if st.entries < 70000 || st.dropped > 100 {
		t.Errorf("stats = %+v, want over 70,000 entries and few dropped", st)
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
