package ehrimport

import (
	"path/filepath"
	"testing"
)

// Which identifier is the sending clinic's MRN.
func TestClinicMRNChoice(t *testing.T) {
	ssn := Identifier{Value: "444222222", System: "2.16.840.1.113883.4.1"}
	npi := Identifier{Value: "1234567893", System: "http://hl7.org/fhir/sid/us-npi"}
	dl := Identifier{Value: "S99942380", System: "urn:oid:2.16.840.1.113883.4.3.25"}
	ppn := Identifier{Value: "X45815551X", System: "http://example.org/passport", Type: "PPN"}
	other := Identifier{Value: "e925b0f3", System: "https://github.com/synthetichealth/synthea"}
	mr := Identifier{Value: "MR-1", System: "http://hospital.example.org", Type: "MR"}
	noSystem := Identifier{Value: "123"}
	cases := []struct {
		name  string
		ids   []Identifier
		want  string
		found bool
	}{
		{"typed MR wins over an earlier id", []Identifier{ssn, other, mr}, "MR-1", true},
		{"first not SSN, NPI, licence or passport", []Identifier{ssn, npi, dl, ppn, noSystem, other}, "e925b0f3", true},
		{"only personal numbers: none", []Identifier{ssn, npi, dl, ppn}, "", false},
		{"no system: cannot be told from another clinic's", []Identifier{noSystem}, "", false},
	}
	for _, c := range cases {
		id, ok := PatientInfo{Identifiers: c.ids}.ClinicMRN()
		if ok != c.found || id.Value != c.want {
			t.Errorf("%s: %+v %v, want %q %v", c.name, id, ok, c.want, c.found)
		}
	}
	for in, want := range map[string]string{
		"2.16.840.1.113883.19.5":              "urn:oid:2.16.840.1.113883.19.5",
		"urn:oid:1.3.6.1.4.1.16517.1":         "urn:oid:1.3.6.1.4.1.16517.1",
		" http://hospital.smarthealthit.org ": "http://hospital.smarthealthit.org",
	} {
		if got := IdentifierSystem(in); got != want {
			t.Errorf("IdentifierSystem(%q) = %q, want %q", in, got, want)
		}
	}
}

// The shared files: HL7's Discharge Summary carries the clinic's MRN as an OID-rooted id, the
// Referral Note only an SSN, and a Synthea bundle an MR-typed identifier after its own UUID.
func TestClinicMRNOfSharedFiles(t *testing.T) {
	ccda := ccdaFiles(t)
	dir := filepath.Dir(ccda[0])
	p := parseFile(t, filepath.Join(dir, "Discharge_Summary--Discharge_Summary.xml")).ChartPatient()
	if p.ClinicMRN != "998991" || p.ClinicMRNSystem != "urn:oid:2.16.840.1.113883.19.5.99999.2" {
		t.Errorf("Discharge Summary: clinic MRN %q %q", p.ClinicMRN, p.ClinicMRNSystem)
	}
	if p := parseFile(t, filepath.Join(dir, "Referral_Note--Referral_Note.xml")).ChartPatient(); p.ClinicMRN != "" {
		t.Errorf("Referral Note (SSN only): clinic MRN %q %q, want none", p.ClinicMRN, p.ClinicMRNSystem)
	}
	for _, f := range sharedFiles(t, "synthea", "*.json")[:3] {
		doc := parseFile(t, f)
		id, ok := doc.Patient.ClinicMRN()
		p := doc.ChartPatient()
		if !ok || id.Type != "MR" || p.ClinicMRN != id.Value || p.ClinicMRNSystem != id.System {
			t.Errorf("%s: clinic MRN %+v (chart %q %q), want the MR-typed identifier", filepath.Base(f), id, p.ClinicMRN, p.ClinicMRNSystem)
		}
	}
}
