package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportJSON runs `referraldesk import --json` on every shared C-CDA and FHIR file and checks what
// it prints: the patient, problems with suggestions, and a private PDF in the work folder; no database.
func TestImportJSON(t *testing.T) {
	var files []string
	for _, p := range []string{"ccda/*.xml", "ccda/*.XML", "synthea/*.json"} {
		m, _ := filepath.Glob(filepath.Join("../../../shared/data", p))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("../shared/data/ccda and synthea are absent: skipping")
	}
	data := t.TempDir()
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb}
	if code := Main(append([]string{"import", "--json", "--data", data}, files...), env); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !bytes.Contains(out.Bytes(), []byte(`"clinicMRN": {`)) {
		t.Error(`the JSON has no "clinicMRN"`)
	}
	var res []importResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(files) {
		t.Fatalf("%d results for %d files", len(res), len(files))
	}
	suggested := 0
	for _, r := range res {
		if r.Error != "" || r.Patient == nil || len(r.Patient.Names) == 0 || r.Patient.BirthDate == "" || len(r.Patient.Identifiers) == 0 {
			t.Errorf("%s: %+v", r.File, r)
			continue
		}
		if len(r.Files) == 0 {
			t.Errorf("%s: no PDF", r.File)
		}
		for _, f := range r.Files {
			st, err := os.Stat(f.Path)
			if err != nil || st.Mode().Perm() != 0o600 || !strings.HasPrefix(f.Path, filepath.Join(data, "work")) {
				t.Errorf("%s: %v %v", f.Path, st, err)
			}
		}
		// The clinic's MRN kept on the chart: an OID-rooted id of HL7's Discharge Summary, the
		// MR-typed identifier of every Synthea patient, none where the file has only an SSN.
		cm := r.Patient.ClinicMRN
		switch base := filepath.Base(r.File); {
		case base == "Discharge_Summary--Discharge_Summary.xml":
			if cm == nil || cm.Value != "998991" || cm.System != "urn:oid:2.16.840.1.113883.19.5.99999.2" {
				t.Errorf("%s: clinic MRN %+v", base, cm)
			}
		case base == "Referral_Note--Referral_Note.xml":
			if cm != nil {
				t.Errorf("%s: clinic MRN %+v from a file with only an SSN", base, cm)
			}
		case strings.HasSuffix(base, ".json"):
			if cm == nil || cm.Value == "" || !strings.HasPrefix(cm.System, "http") {
				t.Errorf("%s: clinic MRN %+v", base, cm)
			}
		}
		for _, p := range r.Problems {
			if len(p.Suggestions) > 0 {
				suggested++
			}
		}
	}
	if suggested < 20 {
		t.Errorf("only %d problems with ICD-10-CM suggestions", suggested)
	}
	if _, err := os.Stat(filepath.Join(data, "referraldesk.db")); err == nil {
		t.Error("import created a database")
	}
	// Text output and a refused file.
	bad := filepath.Join(data, "laughs.xml")
	if err := os.WriteFile(bad, []byte(`<!DOCTYPE x [<!ENTITY a "a">]><ClinicalDocument/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	referral := filepath.Join("../../../shared/data", "ccda", "Referral_Note--Referral_Note.xml")
	if code := Main([]string{"import", "--data", data, referral, bad}, env); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"patient: ", "birth date: ", "suggest ", "pdf: ", "refused for safety"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, out.String())
		}
	}
}
