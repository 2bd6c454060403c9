package syncer_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/referral"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/local"
)

// The first "done when": a patient in San Salvador (+503 2222 3333, no state, no postal
// code) referred by a physician with a Salvadoran licence and no NPI passes the readiness check,
// is signed and pushed; the FHIR peer then holds a Patient with country SV, the phone in E.164
// and the language and interpreter flag, and a Practitioner with the licence identifier; the fax
// form goes to the international fax of the chosen campus.
func TestSyncInternationalOrder(t *testing.T) {
	dir := t.TempDir()
	p := synctest.StartFHIR(t, "../..")
	ctx := context.Background()
	st, err := local.Open(filepath.Join(dir, "rd.db"), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	prov := app.Provider{
		Family: "Martínez", Given: "Rosa", Credentials: "MD", Active: true,
		LicenceNumber: "12345", LicenceCountry: "SV", LicenceAuthority: "Junta de Vigilancia de la Profesión Médica",
		PracticeAddress: app.Address{City: "San Salvador", Country: "SV"}, PracticePhone: "+50325550100",
	}
	if err := st.SaveProvider(ctx, &prov); err != nil {
		t.Fatal(err)
	}
	pt := app.Patient{
		Family: "Ciudad-Real", Given: "Verónica", BirthDate: time.Date(1981, 5, 2, 0, 0, 0, 0, time.UTC), Sex: app.SexFemale,
		Address: app.Address{Line: "Calle El Mirador 4520", City: "San Salvador", Country: "SV"},
		Phone:   "+50322223333", InsuranceType: "self-pay", Language: "es", InterpreterNeeded: true,
	}
	if err := st.CreatePatient(ctx, &pt); err != nil {
		t.Fatal(err)
	}
	o := app.Order{
		PatientID: pt.ID, ProviderID: prov.ID, Department: "hematology", Priority: app.PriorityUrgent,
		Reason:    "Multiple myeloma; evaluation for stem cell transplant",
		Diagnoses: []app.Diagnosis{{Code: "C90.00", Description: "Multiple myeloma not having achieved remission"}},
		Location:  "florida", UploadImages: app.AnswerNo, UploadRecords: app.AnswerNo,
	}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if ps := referral.Check(referral.Input{Order: o, Patient: pt, Provider: &prov, Profile: prof}); len(ps) != 0 {
		t.Fatalf("readiness: %v", ps)
	}
	if err := st.SignOrder(ctx, o.ID, app.Signature{SignerRole: app.SignerProvider, ForProviderID: prov.ID, OSUser: "rmartinez"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, st, p, p.Password)
	if sum, err := w.Push(ctx); err != nil || sum.Sent != 1 {
		t.Fatalf("push: %+v %v", sum, err)
	}
	steps, err := st.Steps(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := peerClient(t, p)
	r, err := c.Read(ctx, "Patient", steps["bundle:Patient"])
	if err != nil {
		t.Fatal(err)
	}
	fp := r.(*fhir.Patient)
	if len(fp.Address) != 1 || fp.Address[0].Country != "SV" || fp.Address[0].State != "" || len(fp.Telecom) != 1 || fp.Telecom[0].Value != "+50322223333" {
		t.Errorf("patient on the server: %+v %+v", fp.Address, fp.Telecom)
	}
	if tag, interp := fhir.PatientLanguage(fp); tag != "es" || !interp {
		t.Errorf("language %q, interpreter %v", tag, interp)
	}
	r, err = c.Read(ctx, "Practitioner", steps["bundle:Practitioner"])
	if err != nil {
		t.Fatal(err)
	}
	fpr := r.(*fhir.Practitioner)
	if len(fpr.Identifier) != 1 || fpr.Identifier[0].Value != "12345" || !strings.HasPrefix(fpr.Identifier[0].System, fhir.SystemLicencePrefix+"sv:") {
		t.Errorf("practitioner identifiers %+v", fpr.Identifier)
	}

	stored, _ := st.Order(ctx, o.ID)
	info := packet.FaxInfoFor(stored, pt, prov, app.Clinic{}, prof, time.Now())
	if info.FaxNumber != "904-953-7329" || !info.International {
		t.Fatalf("fax goes to %q (international %v), want Florida's international fax", info.FaxNumber, info.International)
	}
	out := filepath.Join(dir, "fax.pdf")
	if err := packet.FaxForm(ctx, info, out); err != nil {
		t.Fatal(err)
	}
	if text := faxText(t, out); !strings.Contains(text, "904-953-7329 (from outside the U.S.)") {
		t.Errorf("fax form text:\n%s", text)
	}
}
