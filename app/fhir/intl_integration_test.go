package fhir

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestIntegrationInternational posts the Salvadoran order to the real FHIR test peer
// (scripts/fhir-server.sh start; FHIR_BASE, FHIR_USER, FHIR_PASSWORD): the peer validates the
// resources and then holds a Patient with country SV, the phone in E.164, the preferred language
// and the interpreter flag, and a Practitioner with the licence identifier and no NPI.
func TestIntegrationInternational(t *testing.T) {
	base, user, pass := os.Getenv("FHIR_BASE"), os.Getenv("FHIR_USER"), os.Getenv("FHIR_PASSWORD")
	if base == "" || user == "" || pass == "" {
		t.Skip("set FHIR_BASE, FHIR_USER and FHIR_PASSWORD (scripts/fhir-server.sh start) to run against a FHIR server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := &Client{Base: base, HTTP: &http.Client{Timeout: 30 * time.Second}, Authorize: func(r *http.Request) { r.SetBasicAuth(user, pass) }}

	s := salvadoranSubmission(t)
	s.Order.UUID = randomUUID(t)
	s.Installation = randomUUID(t)
	s.Clinic.NPI = ""
	s.Files = nil
	b, err := BuildBundle(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(b); err != nil {
		t.Fatal(err)
	}
	ids, err := c.Transaction(ctx, b)
	if err != nil {
		t.Fatalf("transaction: %v (%s)", err, outcomeOf(err))
	}
	r, err := c.Read(ctx, "Patient", ids["Patient"])
	if err != nil {
		t.Fatal(err)
	}
	p, ok := r.(*Patient)
	if !ok {
		t.Fatalf("read %T", r)
	}
	if len(p.Address) != 1 || p.Address[0].Country != "SV" || len(p.Telecom) != 1 || p.Telecom[0].Value != "+50322223333" {
		t.Errorf("patient on the server: address %+v telecom %+v", p.Address, p.Telecom)
	}
	if tag, interp := PatientLanguage(p); tag != "es" || !interp {
		t.Errorf("patient language %q interpreter %v; communication %+v extension %+v", tag, interp, p.Communication, p.Extension)
	}
	r, err = c.Read(ctx, "Practitioner", ids["Practitioner"])
	if err != nil {
		t.Fatal(err)
	}
	pr, ok := r.(*Practitioner)
	if !ok {
		t.Fatalf("read %T", r)
	}
	if len(pr.Identifier) != 1 || !strings.HasPrefix(pr.Identifier[0].System, SystemLicencePrefix+"sv:") || pr.Identifier[0].Value != "12345" ||
		pr.Identifier[0].Type == nil || pr.Identifier[0].Type.Coding[0].Code != "MD" {
		t.Errorf("practitioner identifiers on the server %+v", pr.Identifier)
	}
	// Found by its licence, once.
	found, err := c.Search(ctx, "Practitioner", SearchByIdentifier(pr.Identifier[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Entry) != 1 {
		t.Errorf("%d practitioners with the licence, want 1", len(found.Entry))
	}
}
