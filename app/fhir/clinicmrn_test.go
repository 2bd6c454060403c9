package fhir

import "testing"

// The referring clinic's MRN travels as a second "usual" MR identifier: under the system its EHR
// export gave (an OID as urn:oid:), or, typed by hand, under a system of this installation.
func TestClinicMRNIdentifier(t *testing.T) {
	cases := []struct{ name, stored, want string }{
		{"OID from a C-CDA", "2.16.840.1.113883.19.5.99999.2", "urn:oid:2.16.840.1.113883.19.5.99999.2"},
		{"urn:oid as stored", "urn:oid:2.16.840.1.113883.19.5", "urn:oid:2.16.840.1.113883.19.5"},
		{"URI from FHIR", "http://hospital.smarthealthit.org", "http://hospital.smarthealthit.org"},
		{"typed by hand", "", ClinicMRNSystemPrefix + testInstallation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := testSubmission(t)
			s.Patient.ClinicMRN, s.Patient.ClinicMRNSystem = " 998991 ", c.stored
			b := mustBundle(t, s)
			if err := Validate(b); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			p, _ := entryOf[*Patient](t, b)
			if len(p.Identifier) != 3 {
				t.Fatalf("identifiers = %+v, want ours, the institution's MRN and the clinic's", p.Identifier)
			}
			if p.Identifier[0].System != SystemPatient {
				t.Errorf("first identifier = %+v, want ours (the conditional create uses it)", p.Identifier[0])
			}
			id := p.Identifier[2]
			if id.Use != "usual" || id.System != c.want || id.Value != "998991" ||
				id.Type == nil || id.Type.Coding[0].System != systemV20203 || id.Type.Coding[0].Code != "MR" {
				t.Errorf("clinic MRN identifier = %+v (type %+v), want usual MR %s|998991", id, id.Type, c.want)
			}
		})
	}
	// No clinic MRN: no extra identifier (and the golden bundle stays as it was).
	s := testSubmission(t)
	s.Patient.ClinicMRNSystem = "urn:oid:1.2.3"
	p, _ := entryOf[*Patient](t, mustBundle(t, s))
	if len(p.Identifier) != 2 {
		t.Errorf("identifiers without a clinic MRN = %+v", p.Identifier)
	}
}
