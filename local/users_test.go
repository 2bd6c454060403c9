package local

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/users"
)

func TestUsersAndDraftOwner(t *testing.T) {
	ctx := context.Background()
	st, err := Open(filepath.Join(t.TempDir(), "rd.db"), Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prov := app.Provider{Family: "Smith", Given: "Jane", Credentials: "MD", NPI: "1234567893", Active: true}
	if err := st.SaveProvider(ctx, &prov); err != nil {
		t.Fatal(err)
	}
	h, err := users.Hash("1357")
	if err != nil {
		t.Fatal(err)
	}
	doc := users.User{Name: "Jane Smith", Role: users.RolePhysician, ProviderID: prov.ID, PINHash: h, Active: true}
	clerk := users.User{Name: "Ana Ruiz", Role: users.RoleStaff, ProviderID: prov.ID, PINHash: h, Active: true}
	for _, u := range []*users.User{&doc, &clerk} {
		if err := st.SaveUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if clerk.ProviderID != 0 {
		t.Fatal("a staff user kept a provider id")
	}
	dup := users.User{Name: "ana ruiz", Role: users.RoleStaff, PINHash: h, Active: true}
	if err := st.SaveUser(ctx, &dup); !errors.Is(err, app.ErrAlreadyExists) {
		t.Fatalf("duplicate name: %v", err)
	}
	if err := st.SaveUser(ctx, &users.User{Name: "X", Role: users.RoleStaff, Active: true}); !errors.Is(err, users.ErrInvalid) {
		t.Fatalf("no PIN: %v", err)
	}
	list, err := st.Users(ctx, false)
	if err != nil || len(list) != 2 || list[0].Name != "Ana Ruiz" || list[1].ProviderID != prov.ID {
		t.Fatalf("users %+v %v", list, err)
	}
	got, err := st.User(ctx, doc.ID)
	if err != nil || !users.Matches(got.PINHash, "1357") || got.Role != users.RolePhysician {
		t.Fatalf("user %+v %v", got, err)
	}
	if _, err := st.User(ctx, 999); !errors.Is(err, app.ErrNotFound) {
		t.Fatal(err)
	}

	p := app.Patient{Family: "Doe", Given: "Jo", Sex: app.SexFemale}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, CreatedBy: clerk.ID}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	o.CreatedBy = doc.ID // an update never changes who started the order
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if o.CreatedBy != clerk.ID {
		t.Fatalf("created by %d after update", o.CreatedBy)
	}
	sums, err := st.Orders(ctx, app.StatusDraft)
	if err != nil || len(sums) != 1 || sums[0].CreatedBy != clerk.ID {
		t.Fatalf("summaries %+v %v", sums, err)
	}
	back, err := st.Order(ctx, o.ID)
	if err != nil || back.CreatedBy != clerk.ID {
		t.Fatalf("order %+v %v", back.CreatedBy, err)
	}

	// The audit row names the signed-in person beside the computer login.
	prov.Active = false
	if err := st.SaveProvider(app.WithActor(ctx, "Ana Ruiz"), &prov); err != nil {
		t.Fatal(err)
	}
	log, err := st.Audit(ctx, 1)
	if err != nil || len(log) != 1 || log[0].Actor != "Ana Ruiz (tester)" {
		t.Fatalf("audit %+v %v", log, err)
	}
}
