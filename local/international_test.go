package local

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// TestMigrationGivesOldChartsUS: a database made with 0001–0009 holds a US chart and a provider;
// after 0010 the chart is in country US with every field as it was, and the provider keeps its
// NPI with no licence and no practice country.
func TestMigrationGivesOldChartsUS(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s := openBefore(t, path, 10)
	for _, q := range []string{
		`INSERT INTO patients (id, mrn, mrn_fold, family, given, family_fold, given_fold, birth_date, sex,
			address_line, city, state, postal_code, phone, insurance_type, last_action_at, created_at)
			VALUES (1, '123-45', '123-45', 'Doe', 'Jane', 'doe', 'jane', '1970-01-02', 'female',
			'200 First St SW', 'Rochester', 'MN', '55905', '507-555-0100', 'hmo', 5, 4)`,
		`INSERT INTO providers (id, family, given, credentials, npi, active, created_at, updated_at)
			VALUES (1, 'Smith', 'Ann', 'MD', '1245319599', 1, 1, 1)`,
	} {
		if _, err := s.rw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	p, err := s.Patient(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := app.Patient{
		ID: 1, MRN: "123-45", Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC),
		Sex: app.SexFemale, Phone: "507-555-0100", InsuranceType: "hmo",
		Address:      app.Address{Line: "200 First St SW", City: "Rochester", State: "MN", PostalCode: "55905", Country: "US"},
		LastActionAt: time.UnixMilli(5), CreatedAt: time.UnixMilli(4),
	}
	if !p.BirthDate.Equal(want.BirthDate) || !p.LastActionAt.Equal(want.LastActionAt) || !p.CreatedAt.Equal(want.CreatedAt) {
		t.Fatalf("times changed: %+v", p)
	}
	p.BirthDate, p.LastActionAt, p.CreatedAt = want.BirthDate, want.LastActionAt, want.CreatedAt
	if p != want {
		t.Fatalf("migrated chart\n got %+v\nwant %+v", p, want)
	}
	pr, err := s.Provider(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if pr.NPI != "1245319599" || pr.HasLicence() || pr.PracticeAddress != (app.Address{}) || pr.Country() != "US" {
		t.Fatalf("migrated provider %+v", pr)
	}
}

// TestInternationalRoundTrip: a Salvadoran chart (no state, no postal code) and a provider with a
// licence and no NPI are stored and read back whole; a second provider with the same licence of
// the same country is refused.
func TestInternationalRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	p := app.Patient{
		Family: "Nguyễn", Given: "Thị Ánh", BirthDate: time.Date(1984, 3, 9, 0, 0, 0, 0, time.UTC), Sex: app.SexFemale,
		Address: app.Address{Line: "Calle El Mirador 4520", City: "San Salvador", Country: "SV"},
		Phone:   "+50322223333", InsuranceType: "self-pay", Language: "es", InterpreterNeeded: true,
	}
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Patient(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Address != p.Address || got.Phone != p.Phone || got.Language != "es" || !got.InterpreterNeeded || got.Family != "Nguyễn" {
		t.Fatalf("chart read back %+v", got)
	}
	got.InterpreterNeeded, got.Language = false, "zh-Hans"
	if err := s.UpdatePatient(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Patient(ctx, p.ID); again.InterpreterNeeded || again.Language != "zh-Hans" {
		t.Fatalf("update lost: %+v", again)
	}

	pr := app.Provider{
		Family: "Martínez", Given: "Rosa", Credentials: "MD", Active: true,
		LicenceNumber: "JVPM 12345", LicenceCountry: "sv", LicenceAuthority: "Junta de Vigilancia de la Profesión Médica",
		PracticeAddress: app.Address{Line: "Colonia Escalón", City: "San Salvador", Country: "sv"},
		PracticePhone:   "+50325550100",
	}
	if err := s.SaveProvider(ctx, &pr); err != nil {
		t.Fatal(err)
	}
	back, err := s.Provider(ctx, pr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.LicenceCountry != "SV" || back.PracticeAddress.Country != "SV" || back.LicenceNumber != "JVPM 12345" ||
		back.LicenceAuthority != pr.LicenceAuthority || back.PracticePhone != pr.PracticePhone || back.NPI != "" || back.Country() != "SV" {
		t.Fatalf("provider read back %+v", back)
	}
	dup := app.Provider{Family: "Other", LicenceNumber: "JVPM 12345", LicenceCountry: "SV", Active: true}
	if err := s.SaveProvider(ctx, &dup); err == nil {
		t.Fatal("a second provider with the same licence was saved")
	}
	other := app.Provider{Family: "Other", LicenceNumber: "JVPM 12345", LicenceCountry: "GT", Active: true}
	if err := s.SaveProvider(ctx, &other); err != nil {
		t.Fatalf("same number from another country: %v", err)
	}
}
