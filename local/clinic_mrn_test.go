package local

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// A database made with 0001–0010 holds a chart; after 0011 the chart has no clinic MRN, every
// other field is as it was, and orders can keep an import summary.
func TestMigration0011OnA0010Database(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s := openBefore(t, path, 11)
	ctx := context.Background()
	if _, err := s.rw.Exec(`INSERT INTO patients (id, mrn, mrn_fold, family, given, family_fold, given_fold, birth_date, sex,
		address_line, city, state, postal_code, phone, insurance_type, last_action_at, created_at, country, language)
		VALUES (1, '123-45', '123-45', 'Doe', 'Jane', 'doe', 'jane', '1970-01-02', 'female',
		'200 First St SW', 'Rochester', 'MN', '55905', '+15075550100', 'hmo', 5, 4, 'US', 'es')`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != 11 {
		t.Fatalf("schema version %d, %v; want 11", v, err)
	}
	p, err := s.Patient(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.ClinicMRN != "" || p.ClinicMRNSystem != "" || p.MRN != "123-45" || p.Family != "Doe" || p.Language != "es" ||
		p.Address.Country != "US" || p.Phone != "+15075550100" {
		t.Fatalf("migrated chart %+v", p)
	}
	if found, err := s.PatientsByClinicMRN(ctx, "", ""); err != nil || len(found) != 0 {
		t.Fatalf("an empty clinic MRN matched %d charts, %v", len(found), err)
	}
	o := app.Order{PatientID: 1}
	if err := s.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveOrderImport(ctx, o.ID, []byte(`{"problems":[]}`)); err != nil {
		t.Fatalf("order_imports after 0011: %v", err)
	}
}

// The clinic's MRN and its system are stored, read, changed and found again.
func TestClinicMRNRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	p := makePatient("Jones", "Isabella", "1947-05-01", "")
	p.ClinicMRN, p.ClinicMRNSystem = "998991", "urn:oid:2.16.840.1.113883.19.5.99999.2"
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Patient(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ClinicMRN != p.ClinicMRN || got.ClinicMRNSystem != p.ClinicMRNSystem {
		t.Fatalf("read back %q %q", got.ClinicMRN, got.ClinicMRNSystem)
	}
	found, err := s.PatientsByClinicMRN(ctx, p.ClinicMRNSystem, "998991")
	if err != nil || len(found) != 1 || found[0].ID != p.ID {
		t.Fatalf("by clinic MRN: %+v %v", found, err)
	}
	// Same number, another clinic's system: not this chart.
	if found, err := s.PatientsByClinicMRN(ctx, "urn:oid:2.16.840.1.113883.19.5", "998991"); err != nil || len(found) != 0 {
		t.Fatalf("another system matched: %+v %v", found, err)
	}
	// Typed by hand (no system); a cleared number takes its system with it.
	got.ClinicMRN, got.ClinicMRNSystem = " A-77 ", ""
	if err := s.UpdatePatient(ctx, &got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.Patient(ctx, p.ID)
	if again.ClinicMRN != "A-77" || again.ClinicMRNSystem != "" {
		t.Fatalf("after update %q %q", again.ClinicMRN, again.ClinicMRNSystem)
	}
	again.ClinicMRN, again.ClinicMRNSystem = "", "urn:oid:1.2.3"
	if err := s.UpdatePatient(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if last, _ := s.Patient(ctx, p.ID); last.ClinicMRN != "" || last.ClinicMRNSystem != "" {
		t.Fatalf("cleared number kept %q %q", last.ClinicMRN, last.ClinicMRNSystem)
	}
}

// An order's import summary is kept, replaced, absent for other orders and gone with the draft.
func TestOrderImportRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	p := app.Patient{Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o, other := app.Order{PatientID: p.ID}, app.Order{PatientID: p.ID}
	for _, x := range []*app.Order{&o, &other} {
		if err := s.SaveDraft(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveOrderImport(ctx, o.ID, []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveOrderImport(ctx, o.ID, []byte(`{"v":2}`)); err != nil {
		t.Fatal(err)
	}
	if b, err := s.OrderImport(ctx, o.ID); err != nil || string(b) != `{"v":2}` {
		t.Fatalf("summary %q, %v", b, err)
	}
	if _, err := s.OrderImport(ctx, other.ID); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("order without an import: %v, want ErrNotFound", err)
	}
	if err := s.DeleteDraft(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OrderImport(ctx, o.ID); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("summary of a deleted draft: %v, want ErrNotFound", err)
	}
	if err := s.SaveOrderImport(ctx, 9999, []byte(`{}`)); err == nil {
		t.Fatal("a summary was kept for an order that does not exist")
	}
}
