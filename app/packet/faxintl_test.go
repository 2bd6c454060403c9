package packet

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
)

// An order for a patient in San Salvador, from a physician with a Salvadoran licence, goes to the
// international fax of the chosen campus, and the form shows the licence, the patient's phone
// with its country code, the preferred language and the interpreter.
func TestFaxFormInternational(t *testing.T) {
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	o := app.Order{
		UUID: "u-sv", Department: "hematology", Priority: app.PriorityUrgent, Location: "florida",
		Reason: "Multiple myeloma; evaluation for stem cell transplant.", SignedAt: time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC),
		Signature: app.Signature{SignerName: "Rosa Martínez", SignerRole: app.SignerProvider, OSUser: "x"},
	}
	pt := app.Patient{
		Family: "Ciudad-Real", Given: "Verónica", BirthDate: time.Date(1981, 5, 2, 0, 0, 0, 0, time.UTC),
		Address: app.Address{Line: "Calle El Mirador 4520", City: "San Salvador", Country: "SV"},
		Phone:   "+50322223333", Language: "es", InterpreterNeeded: true,
	}
	prov := app.Provider{
		Family: "Martínez", Given: "Rosa", Credentials: "MD", LicenceNumber: "12345", LicenceCountry: "SV",
		LicenceAuthority: "Junta de Vigilancia de la Profesión Médica", PracticeAddress: app.Address{City: "San Salvador", Country: "SV"},
	}
	clinic := app.Clinic{Name: "Clínica Escalón", City: "San Salvador", Country: "SV", Phone: "+503 2555 0100"}
	info := FaxInfoFor(o, pt, prov, clinic, prof, o.SignedAt)
	if !info.International || info.FaxNumber != "904-953-7329" || info.Phone != "904-900-2116" {
		t.Fatalf("routing: international %v, fax %q, phone %q", info.International, info.FaxNumber, info.Phone)
	}
	out := filepath.Join(t.TempDir(), "fax.pdf")
	if err := FaxForm(context.Background(), info, out); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, out)
	for _, want := range []string{
		"904-953-7329 (from outside the U.S.)", "904-900-2116",
		"12345 (El Salvador, Junta de Vigilancia de la Profesión Médica)",
		"+503 2222 3333", "español (Spanish)", "Interpreter needed",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("fax form lacks %q:\n%s", want, text)
		}
	}

	// The same order for a US patient and a US provider keeps the domestic lines.
	pt.Address, pt.Phone = app.Address{Line: "1 Main St", City: "Winona", State: "MN", PostalCode: "55987", Country: "US"}, "+15075550100"
	prov = app.Provider{Family: "Smith", NPI: "1234567893"}
	clinic.Country = "US"
	info = FaxInfoFor(o, pt, prov, clinic, prof, o.SignedAt)
	if info.International || info.FaxNumber != "904-953-0575" || info.PatientPhone != "(507) 555-0100" {
		t.Fatalf("domestic: %v %q %q", info.International, info.FaxNumber, info.PatientPhone)
	}
}
