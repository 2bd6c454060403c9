package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/demo"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/local"
)

func open(t *testing.T) *local.Store {
	t.Helper()
	st, err := local.Open(filepath.Join(t.TempDir(), "rd.db"), local.Options{Actor: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestFillTwiceAndEveryStatus(t *testing.T) {
	st := open(t)
	prof, _ := institution.LoadDefault()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := demo.Fill(ctx, st, prof, 50, time.Now()); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	orders, _ := st.Orders(ctx)
	seen := map[app.Status]bool{}
	for _, o := range orders {
		seen[o.Status] = true
	}
	for _, s := range app.Statuses {
		if s != app.StatusSigned && !seen[s] {
			t.Errorf("no demo order is %s", s)
		}
	}
	if n, _ := st.CountPatients(ctx); n != 100 {
		t.Fatalf("%d patients, want 100", n)
	}
	if ps, _ := st.Providers(ctx, true); len(ps) != 3 {
		t.Fatalf("%d providers after two runs, want 3", len(ps))
	}
	if ok, err := st.IsDemo(ctx); err != nil || !ok {
		t.Fatalf("IsDemo after demo-data = %v, %v", ok, err)
	}
	c, err := st.DemoContents(ctx)
	if err != nil || c.Foreign() || !c.Demo {
		t.Fatalf("every row should be recorded as demo-made: %+v %v", c, err)
	}
}

// The bug seen: demo orders attached to the real patients of "my patients" and queued for sending.
func TestFillRefusesARealDatabaseAndChangesNothing(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	real := app.Patient{Family: "Realperson", Given: "Ann", BirthDate: time.Date(1960, 5, 6, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &real); err != nil {
		t.Fatal(err)
	}
	prof, _ := institution.LoadDefault()
	made, err := demo.Fill(ctx, st, prof, 20, time.Now())
	if !errors.Is(err, app.ErrNotDemoData) || made != 0 {
		t.Fatalf("Fill on a real database: %d orders, %v; want app.ErrNotDemoData", made, err)
	}
	if n, _ := st.CountPatients(ctx); n != 1 {
		t.Errorf("%d patients after the refusal, want 1", n)
	}
	if os, _ := st.Orders(ctx); len(os) != 0 {
		t.Errorf("%d orders after the refusal, want 0", len(os))
	}
	if ok, _ := st.IsDemo(ctx); ok {
		t.Error("a refused database was marked demo")
	}
}

func TestFillUsesOnlyItsOwnPatients(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	prof, _ := institution.LoadDefault()
	now := time.Now()
	if _, err := demo.Fill(ctx, st, prof, 10, now); err != nil {
		t.Fatal(err)
	}
	first, _ := st.Orders(ctx)
	before := map[int64]bool{}
	for _, o := range first {
		before[o.ID] = true
	}
	oldPatients := map[int64]bool{}
	all, _ := st.SearchPatients(ctx, "", 1000)
	mine, _ := st.MyPatients(ctx, now, 1000)
	for _, p := range append(all, mine...) {
		oldPatients[p.ID] = true
	}
	if _, err := demo.Fill(ctx, st, prof, 10, now); err != nil {
		t.Fatal(err)
	}
	orders, _ := st.Orders(ctx)
	newOnes := 0
	for _, o := range orders {
		if before[o.ID] {
			continue
		}
		newOnes++
		full, err := st.Order(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if oldPatients[full.PatientID] {
			t.Errorf("order %d of the second run went to patient %d of the first", o.ID, full.PatientID)
		}
	}
	if newOnes != len(app.Statuses) {
		t.Fatalf("second run made %d orders, want %d", newOnes, len(app.Statuses))
	}
}

// A patient typed into a demo database by hand is not demo-data's: a second run refuses.
func TestFillRefusesADemoDatabaseWithAHandMadePatient(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	prof, _ := institution.LoadDefault()
	if _, err := demo.Fill(ctx, st, prof, 5, time.Now()); err != nil {
		t.Fatal(err)
	}
	p := app.Patient{Family: "Typed", Given: "By Hand"}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Fill(ctx, st, prof, 5, time.Now()); !errors.Is(err, app.ErrNotDemoData) {
		t.Fatalf("second run: %v, want app.ErrNotDemoData", err)
	}
	if n, _ := st.CountPatients(ctx); n != 6 {
		t.Errorf("%d patients, want 6", n)
	}
}
