package fhir

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app"
)

// salvadoranSubmission is the order of the first "done when": a patient in San Salvador
// who prefers Spanish and needs an interpreter, referred by a physician with a Salvadoran licence.
func salvadoranSubmission(t *testing.T) Submission {
	s := testSubmission(t)
	s.Patient = app.Patient{
		ID: 8, Family: "Ciudad-Real", Given: "Verónica", BirthDate: s.Patient.BirthDate, Sex: app.SexFemale,
		Address:  app.Address{Line: "Calle El Mirador 4520", City: "San Salvador", Country: "SV"},
		Phone:    "2222 3333", // typed nationally: the chart's country reads it
		Language: "es", InterpreterNeeded: true, InsuranceType: "self-pay",
	}
	s.Provider = app.Provider{
		ID: 4, Family: "Martínez", Given: "Rosa", Credentials: "MD", Active: true,
		LicenceNumber: "12345", LicenceCountry: "SV", LicenceAuthority: "Junta de Vigilancia de la Profesión Médica",
		PracticeAddress: app.Address{Line: "Colonia Escalón", City: "San Salvador", Country: "SV"},
		PracticePhone:   "+503 2555 0100",
	}
	return s
}

func TestBundleInternational(t *testing.T) {
	b := mustBundle(t, salvadoranSubmission(t))
	if err := Validate(b); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	p, _ := entryOf[*Patient](t, b)
	if len(p.Address) != 1 || p.Address[0].Country != "SV" || p.Address[0].State != "" || p.Address[0].PostalCode != "" {
		t.Errorf("address %+v", p.Address)
	}
	if len(p.Telecom) != 1 || p.Telecom[0].Value != "+50322223333" {
		t.Errorf("telecom %+v", p.Telecom)
	}
	if len(p.Communication) != 1 || p.Communication[0].Language.Coding[0].System != SystemBCP47 ||
		p.Communication[0].Language.Coding[0].Code != "es" || p.Communication[0].Preferred == nil || !*p.Communication[0].Preferred ||
		p.Communication[0].Language.Text != "español" {
		t.Errorf("communication %+v", p.Communication)
	}
	if len(p.Extension) != 1 || p.Extension[0].URL != ExtInterpreterRequired || p.Extension[0].ValueBoolean == nil || !*p.Extension[0].ValueBoolean {
		t.Errorf("extension %+v", p.Extension)
	}

	pr, pe := entryOf[*Practitioner](t, b)
	id := pr.Identifier[0]
	wantSys := "urn:referraldesk:medical-licence:sv:junta-de-vigilancia-de-la-profesion-medica"
	if id.System != wantSys || id.Value != "12345" || id.Type == nil || id.Type.Coding[0].Code != "MD" ||
		id.Type.Coding[0].System != systemV20203 || id.Assigner == nil || id.Assigner.Display != "Junta de Vigilancia de la Profesión Médica" {
		t.Errorf("licence identifier %+v", id)
	}
	for _, i := range pr.Identifier {
		if i.System == SystemNPI {
			t.Errorf("an NPI identifier was sent for a provider without one: %+v", i)
		}
	}
	if !strings.Contains(pe.Request.IfNoneExist, "medical-licence") {
		t.Errorf("practitioner ifNoneExist %q", pe.Request.IfNoneExist)
	}
	if len(pr.Telecom) != 1 || pr.Telecom[0].Value != "+50325550100" || len(pr.Address) != 1 || pr.Address[0].Country != "SV" {
		t.Errorf("practice %+v %+v", pr.Telecom, pr.Address)
	}
	role, _ := entryOf[*PractitionerRole](t, b)
	if v := role.Identifier[0].Value; v != testInstallation+"/sv:junta-de-vigilancia-de-la-profesion-medica/12345" {
		t.Errorf("role identifier %q", v)
	}

	// The JSON carries the FHIR element names.
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"es"`, `"preferred":true`,
		`"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired","valueBoolean":true}]`, `"country":"SV"`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("patient JSON lacks %s:\n%s", want, data)
		}
	}
}

func TestBundleInterpreterNotNeeded(t *testing.T) {
	s := salvadoranSubmission(t)
	s.Patient.InterpreterNeeded = false
	p, _ := entryOf[*Patient](t, mustBundle(t, s))
	if len(p.Extension) != 1 || *p.Extension[0].ValueBoolean {
		t.Errorf("a recorded 'no interpreter' must be sent as false: %+v", p.Extension)
	}
	s.Patient.Language = ""
	p, _ = entryOf[*Patient](t, mustBundle(t, s))
	if len(p.Extension) != 0 || len(p.Communication) != 0 {
		t.Errorf("nothing recorded, nothing sent: %+v %+v", p.Extension, p.Communication)
	}
}

func TestLicenceSystem(t *testing.T) {
	if got := LicenceSystem("GT", ""); got != "urn:referraldesk:medical-licence:gt" {
		t.Errorf("no authority: %q", got)
	}
	if got := LicenceSystem("CA", "  College of Physicians & Surgeons of Ontario "); got != "urn:referraldesk:medical-licence:ca:college-of-physicians-surgeons-of-ontario" {
		t.Errorf("slug: %q", got)
	}
}

func TestPatientLanguageRoundTrip(t *testing.T) {
	p, _ := entryOf[*Patient](t, mustBundle(t, salvadoranSubmission(t)))
	if tag, interp := PatientLanguage(p); tag != "es" || !interp {
		t.Fatalf("read back %q %v", tag, interp)
	}
	if tag, interp := PatientLanguage(&Patient{}); tag != "" || interp {
		t.Fatalf("empty patient %q %v", tag, interp)
	}
}
