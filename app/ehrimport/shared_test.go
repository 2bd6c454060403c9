package ehrimport

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app"
)

// An independent read of a C-CDA's patient: plain regular expressions over the text, no XML parser.
var (
	reRecordTarget = regexp.MustCompile(`(?s)<recordTarget.*?</recordTarget>`)
	rePatient      = regexp.MustCompile(`(?s)<patient>.*?</patient>|<patient\s[^>]*>.*?</patient>`)
	reName         = regexp.MustCompile(`(?s)<name(\s[^>]*)?>(.*?)</name>`)
	reFamily       = regexp.MustCompile(`(?s)<family[^>]*>\s*(.*?)\s*</family>`)
	reGiven        = regexp.MustCompile(`(?s)<given(\s[^>]*)?>\s*(.*?)\s*</given>`)
	reBirthTime    = regexp.MustCompile(`<birthTime\s+value="(\d+)`)
)

func independentCCDA(t *testing.T, data string) (family, given, birth string) {
	t.Helper()
	rt := reRecordTarget.FindString(data)
	pt := rePatient.FindString(rt)
	if pt == "" {
		t.Fatal("independent read: no patient")
	}
	names := reName.FindAllStringSubmatch(pt, -1)
	chosen := names[0]
	for _, n := range names { // the legal name, when marked
		if strings.Contains(n[1], `use="L"`) {
			chosen = n
			break
		}
	}
	family = reFamily.FindStringSubmatch(chosen[2])[1]
	for _, g := range reGiven.FindAllStringSubmatch(chosen[2], -1) {
		if !strings.Contains(g[1], `qualifier="CL"`) {
			given = g[2]
			break
		}
	}
	b := reBirthTime.FindStringSubmatch(pt)[1]
	if len(b) >= 8 {
		birth = b[:4] + "-" + b[4:6] + "-" + b[6:8]
	}
	return family, given, birth
}

func TestSharedCCDA(t *testing.T) {
	ix := index(t)
	for _, f := range ccdaFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc := parseFile(t, f)
			Suggest(ix, doc)
			family, given, birth := independentCCDA(t, string(raw))
			n := doc.Patient.LegalName()
			if n.Family != family || len(n.Given) == 0 || n.Given[0] != given {
				t.Errorf("name = %q %q, independent read %q %q", n.Family, n.Given, family, given)
			}
			if got := doc.Patient.BirthDate.String(); got != birth {
				t.Errorf("birth date = %q, independent read %q", got, birth)
			}
			if doc.Kind != KindCCDA || !strings.Contains(doc.Format, "CDA") {
				t.Errorf("kind %q format %q", doc.Kind, doc.Format)
			}
			if doc.Date.IsZero() || doc.Title == "" || len(doc.Sections) == 0 {
				t.Errorf("header: date %v title %q sections %d", doc.Date, doc.Title, len(doc.Sections))
			}
			if doc.Patient.Sex == app.SexUnknown || len(doc.Patient.Identifiers) == 0 {
				t.Errorf("sex %q identifiers %v", doc.Patient.Sex, doc.Patient.Identifiers)
			}
			for i, p := range doc.Problems {
				if i > 0 && p.Active && !doc.Problems[i-1].Active {
					t.Errorf("active problem %q after an inactive one", p.Name)
				}
				if p.Name == "" {
					t.Errorf("problem without a name: %+v", p)
				}
			}
			chart := doc.ChartPatient()
			if chart.Family != family || chart.BirthDate.Format(app.DateLayout) != birth {
				t.Errorf("chart %q %v", chart.Family, chart.BirthDate)
			}
		})
	}
}

// Known problems of the HL7 examples, read by eye, with a code each should be offered.
func TestSharedCCDASuggestions(t *testing.T) {
	ix := index(t)
	want := map[string]map[string]string{ // file -> problem -> an expected suggestion
		"CCD--CCD_1--CCD.XML":                      {"Chest pain": "R07.9", "Angina": "I20.9", "Pneumonia": "J18.9"},
		"Discharge_Summary--Discharge_Summary.xml": {"Appendicitis": "K37"},
		"Referral_Note--Referral_Note.xml":         {"Mixed asthma": "J45.909"},
	}
	for _, f := range ccdaFiles(t) {
		w, ok := want[filepath.Base(f)]
		if !ok {
			continue
		}
		doc := parseFile(t, f)
		Suggest(ix, doc)
		for name, code := range w {
			found := false
			for _, p := range doc.Problems {
				if p.Name != name {
					continue
				}
				for _, s := range p.Suggestions {
					found = found || s.Code == code
				}
			}
			if !found {
				t.Errorf("%s: problem %q has no suggestion %s", filepath.Base(f), name, code)
			}
		}
	}
}

func TestSharedSynthea(t *testing.T) {
	files := sharedFiles(t, "synthea", "*.json")
	// manifest.tsv: file, source, bytes, gender, birth_date, deceased, bundle_entries, conditions, sha256.
	mf, err := os.Open(filepath.Join(sharedData, "synthea", "manifest.tsv"))
	if err != nil {
		t.Skipf("synthea manifest absent: %v", err)
	}
	defer mf.Close()
	manifest := map[string][]string{}
	sc := bufio.NewScanner(mf)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		manifest[cols[0]] = cols
	}
	ix := index(t)
	for _, f := range files {
		base := filepath.Base(f)
		t.Run(base, func(t *testing.T) {
			m, ok := manifest[base]
			if !ok {
				t.Fatalf("%s is not in the manifest", base)
			}
			doc := parseFile(t, f)
			Suggest(ix, doc)
			if got := doc.Patient.BirthDate.String(); got != m[4] {
				t.Errorf("birth date %q, manifest %q", got, m[4])
			}
			if string(doc.Patient.Sex) != m[3] {
				t.Errorf("sex %q, manifest %q", doc.Patient.Sex, m[3])
			}
			if doc.Patient.Deceased != (m[5] == "yes") {
				t.Errorf("deceased %v, manifest %q", doc.Patient.Deceased, m[5])
			}
			if got := len(doc.Problems); strings.TrimSpace(m[7]) != "" && got != atoi(m[7]) {
				t.Errorf("%d problems, manifest %s conditions", got, m[7])
			}
			// The file is named First[_Middle]_Last_uuid.
			parts := strings.Split(base, "_")
			fileName := strings.Join(parts[:len(parts)-1], " ")
			n := doc.Patient.LegalName()
			if got := app.Fold(strings.Join(n.Given, " ") + " " + n.Family); got != app.Fold(fileName) {
				t.Errorf("name %q, file name %q", got, fileName)
			}
			for _, p := range doc.Problems {
				if len(p.Suggestions) == 0 {
					t.Logf("no ICD-10-CM suggestion for %q", p.Name)
				}
			}
			if len(doc.Sections) == 0 && len(doc.Problems)+len(doc.Medications)+len(doc.Allergies) > 0 {
				t.Error("no summary sections for the PDF")
			}
		})
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range strings.TrimSpace(s) {
		n = n*10 + int(c-'0')
	}
	return n
}
