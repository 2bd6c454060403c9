package local

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// testSig is a staff member's signature, for tests that only need an order signed.
var testSig = app.Signature{SignerName: "Test Signer", SignerRole: app.SignerStaff, OSUser: "tester"}

func TestClinicRoundTrip(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	if _, ok, err := s.Clinic(ctx); err != nil || ok {
		t.Fatalf("new database: clinic set up = %v, %v; want false, nil", ok, err)
	}

	in := app.Clinic{
		Name: "  Lakeside Family Medicine ", AddressLines: []string{"200 First St SW", "", "Suite 4\nBuilding B"},
		City: "Rochester", State: "mn", PostalCode: "55905", Phone: "507-555-0142", Fax: "507-555-0143",
		NPI: "1245319599", Email: "referrals@lakeside.example",
	}
	if err := s.SaveClinic(ctx, in); err != nil {
		t.Fatal(err)
	}
	want := app.Clinic{
		Name: "Lakeside Family Medicine", AddressLines: []string{"200 First St SW", "Suite 4", "Building B"},
		City: "Rochester", State: "MN", PostalCode: "55905", Country: "US", Phone: "507-555-0142",
		Fax: "507-555-0143", NPI: "1245319599", Email: "referrals@lakeside.example",
	}
	got, ok, err := s.Clinic(ctx)
	if err != nil || !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("clinic:\n got %+v %v %v\nwant %+v", got, ok, err, want)
	}

	// Saving again replaces the one row; optional fields can be cleared.
	c.Add(time.Minute)
	want.NPI, want.Email, want.Fax, want.AddressLines, want.Country = "", "", "", nil, "CA"
	want.State, want.PostalCode = "ON", "K1A 0B1"
	if err := s.SaveClinic(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.Clinic(ctx)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after update:\n got %+v\nwant %+v", got, want)
	}
	var rows int
	if err := s.ro.QueryRow(`SELECT count(*) FROM clinic`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("clinic rows = %d, %v", rows, err)
	}

	// An invalid clinic is refused with its problems, and the saved one stays.
	err = s.SaveClinic(ctx, app.Clinic{Name: " ", NPI: "1245319598"})
	var inv *app.InvalidError
	if !errors.Is(err, app.ErrInvalid) || !errors.As(err, &inv) {
		t.Fatalf("invalid clinic: %v", err)
	}
	fields := map[string]bool{}
	for _, p := range inv.Problems {
		fields[p.Field] = true
	}
	if !fields[app.ClinicFieldName] || !fields[app.ClinicFieldPhone] || !fields[app.ClinicFieldNPI] || len(inv.Problems) != 3 {
		t.Fatalf("problems %+v", inv.Problems)
	}
	if got, _, _ = s.Clinic(ctx); !reflect.DeepEqual(got, want) {
		t.Fatalf("refused save changed the clinic: %+v", got)
	}

	entries, _ := s.Audit(ctx, 10)
	saves := 0
	for _, e := range entries {
		if e.Action == ActionClinicSave {
			saves++
		}
	}
	if saves != 2 {
		t.Fatalf("%d clinic.save audit rows, want 2", saves)
	}
}

func TestSignAsProvider(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	_, pr, o := seedOrder(t, s)
	// The provider signs themself without typing their name: the store names them.
	if err := s.SignOrder(ctx, o.ID, app.Signature{SignerRole: app.SignerProvider, OSUser: "jwatson"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Order(ctx, o.ID)
	if got.SignedBy != "Dr John Watson" || got.Signature.ForProviderID != pr.ID || got.Signature.OSUser != "jwatson" ||
		app.SignatureText(got.Signature) != "signed by Dr John Watson" {
		t.Fatalf("signed by %q, signature %+v (%q)", got.SignedBy, got.Signature, app.SignatureText(got.Signature))
	}

	// Refused: no role, a staff member without a name, signing for another provider.
	_, _, o2 := seedOrder2(t, s)
	for _, bad := range []app.Signature{
		{SignerName: "Ana Ruiz"},
		{SignerRole: app.SignerStaff, OSUser: "root"},
		{SignerName: "Ana Ruiz", SignerRole: app.SignerStaff, ForProviderID: pr.ID + 100},
	} {
		if err := s.SignOrder(ctx, o2.ID, bad, time.Now()); err == nil {
			t.Errorf("signature %+v accepted", bad)
		}
	}
	if got, _ := s.Order(ctx, o2.ID); got.Status != app.StatusDraft || got.SignedBy != "" {
		t.Fatalf("refused signature changed the order: %s %q", got.Status, got.SignedBy)
	}
}

// seedOrder2 is a second draft for another patient with its own provider.
func seedOrder2(t *testing.T, s *Store) (app.Patient, app.Provider, app.Order) {
	t.Helper()
	ctx := context.Background()
	p := makePatient("Panza", "Sancho", "1950-01-01", "")
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	pr := app.Provider{Family: "Holmes", Given: "Sherlock", Credentials: "NP", NPI: "1234567893", Active: true}
	if err := s.SaveProvider(ctx, &pr); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, ProviderID: pr.ID}
	if err := s.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	return p, pr, o
}

// TestMigrationMovesLoginOutOfSignedBy: orders signed before 0007 kept the computer login in
// signed_by; after the migration it is the OS user and no longer shown as the signer.
func TestMigrationMovesLoginOutOfSignedBy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s := openBefore(t, path, 7)
	for _, q := range []string{
		`INSERT INTO patients (id, family, family_fold, last_action_at, created_at) VALUES (1, 'Doe', 'doe', 1, 1)`,
		`INSERT INTO orders (id, uuid, patient_id, status, created_at, updated_at, signed_at, signed_by)
			VALUES (1, 'u-1', 1, 'queued', 1, 1, 1, 'root'), (2, 'u-2', 1, 'draft', 1, 1, NULL, '')`,
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
	got, err := s.Order(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.SignedBy != "" || got.Signature.OSUser != "root" || got.Signature.SignerRole != app.SignerUnknown {
		t.Fatalf("legacy order: signed by %q, signature %+v", got.SignedBy, got.Signature)
	}
	if txt := app.SignatureText(got.Signature); strings.Contains(txt, "root") {
		t.Fatalf("legacy signature text shows the login: %q", txt)
	}
	if d, _ := s.Order(context.Background(), 2); d.Signature != (app.Signature{}) {
		t.Fatalf("draft got a signature: %+v", d.Signature)
	}
}
