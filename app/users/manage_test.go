package users_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/users"
	"github.com/referraldesk/referraldesk/local"
)

type fixture struct {
	st                *local.Store
	admin, clerk, doc users.User
	prov              app.Provider
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := local.Open(filepath.Join(t.TempDir(), "rd.db"), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st}
	f.prov = app.Provider{Family: "Okafor", Given: "Adaeze", Credentials: "MD", NPI: "1234567893", Active: true}
	if err := st.SaveProvider(ctx, &f.prov); err != nil {
		t.Fatal(err)
	}
	add := func(name string, role users.Role, prov int64, pin string) users.User {
		h, err := users.Hash(pin)
		if err != nil {
			t.Fatal(err)
		}
		u := users.User{Name: name, Role: role, ProviderID: prov, PINHash: h, Active: true}
		if err := st.SaveUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin = add("Mia Lund", users.RoleStaff, 0, "1111")
	f.clerk = add("Ana Ruiz", users.RoleStaff, 0, "2468")
	f.doc = add("Adaeze Okafor", users.RolePhysician, f.prov.ID, "13579")
	return f
}

// events lists the audit rows of one kind for the user id.
func (f *fixture) events(t *testing.T, kind string, id int64) []app.AuditEntry {
	t.Helper()
	all, err := f.st.AuditEvents(context.Background(), app.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []app.AuditEntry
	for _, e := range all {
		if e.Action == kind && e.EntityID == id && e.Entity == "user" {
			out = append(out, e)
		}
	}
	return out
}

func TestFirstUserIsTheAdministrator(t *testing.T) {
	f := newFixture(t)
	if !f.admin.Admin || f.clerk.Admin || f.doc.Admin {
		t.Fatalf("admin flags: %t %t %t", f.admin.Admin, f.clerk.Admin, f.doc.Admin)
	}
	got, err := f.st.User(context.Background(), f.admin.ID)
	if err != nil || !got.Admin {
		t.Fatalf("stored admin: %+v %v", got, err)
	}
}

func TestChangeOwnPINNeedsTheCurrentOne(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	g := &users.Guard{Now: func() time.Time { return now }}
	err := users.ChangePIN(ctx, f.st, g, f.clerk.ID, "0000", "97531")
	if !errors.Is(err, users.ErrWrongPIN) {
		t.Fatalf("wrong current PIN: %v", err)
	}
	// The guard's wait applies here as at the lock screen.
	if err := users.ChangePIN(ctx, f.st, g, f.clerk.ID, "2468", "97531"); !errors.Is(err, users.ErrLockedOut) {
		t.Fatalf("during the wait: %v", err)
	}
	now = now.Add(time.Second)
	if err := users.ChangePIN(ctx, f.st, g, f.clerk.ID, "2468", "12"); !errors.Is(err, users.ErrBadPIN) {
		t.Fatalf("a short new PIN: %v", err)
	}
	if err := users.ChangePIN(ctx, f.st, g, f.clerk.ID, "2468", "97531"); err != nil {
		t.Fatal(err)
	}
	u, _ := f.st.User(ctx, f.clerk.ID)
	if !users.Matches(u.PINHash, "97531") || users.Matches(u.PINHash, "2468") {
		t.Fatal("the new PIN was not stored")
	}
	if ev := f.events(t, users.EventPINChanged, f.clerk.ID); len(ev) != 1 {
		t.Fatalf("audit: %+v", ev)
	}
}

func TestAdministratorResetsAnotherUsersPIN(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := users.ResetPIN(ctx, f.st, f.clerk, f.doc.ID, "4444"); !errors.Is(err, users.ErrNotAllowed) {
		t.Fatalf("a non-administrator reset: %v", err)
	}
	// A forged Admin flag in memory does not help: the store's record counts.
	forged := f.clerk
	forged.Admin = true
	if err := users.ResetPIN(ctx, f.st, forged, f.doc.ID, "4444"); !errors.Is(err, users.ErrNotAllowed) {
		t.Fatalf("a forged administrator: %v", err)
	}
	if err := users.ResetPIN(ctx, f.st, f.admin, f.admin.ID, "4444"); !errors.Is(err, users.ErrOwnPIN) {
		t.Fatalf("own PIN through reset: %v", err)
	}
	if err := users.ResetPIN(ctx, f.st, f.admin, f.doc.ID, "4444"); err != nil {
		t.Fatal(err)
	}
	if u, _ := f.st.User(ctx, f.doc.ID); !users.Matches(u.PINHash, "4444") {
		t.Fatal("the reset PIN was not stored")
	}
	ev := f.events(t, users.EventPINReset, f.doc.ID)
	if len(ev) != 1 || ev[0].Detail != "by administrator user 1" {
		t.Fatalf("audit: %+v", ev)
	}
}

func TestResetPINByName(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := users.ResetPINByName(ctx, f.st, "Nobody", "4444"); !errors.Is(err, users.ErrNoSuchUser) {
		t.Fatalf("unknown name: %v", err)
	}
	u, err := users.ResetPINByName(ctx, f.st, " mia lund ", "86420")
	if err != nil || u.ID != f.admin.ID {
		t.Fatalf("%+v %v", u, err)
	}
	if u, _ := f.st.User(ctx, f.admin.ID); !users.Matches(u.PINHash, "86420") {
		t.Fatal("not stored")
	}
	if ev := f.events(t, users.EventPINReset, f.admin.ID); len(ev) != 1 || ev[0].Detail != "by the data folder's owner at the command line" {
		t.Fatalf("audit: %+v", ev)
	}
}

func TestEditRights(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	// A user may rename themself, not change their role or rights.
	c := f.clerk
	c.Name = "Ana Ruiz-Lund"
	if err := users.Edit(ctx, f.st, &f.clerk, c); err != nil {
		t.Fatal(err)
	}
	c.Admin = true
	if err := users.Edit(ctx, f.st, &f.clerk, c); !errors.Is(err, users.ErrNotAllowed) {
		t.Fatalf("self-promotion: %v", err)
	}
	d := f.doc
	d.Name = "Someone"
	if err := users.Edit(ctx, f.st, &f.clerk, d); !errors.Is(err, users.ErrNotAllowed) {
		t.Fatalf("editing another user: %v", err)
	}
	// The administrator changes a role and hands on the right; the last administrator stays.
	d = f.doc
	d.Role, d.ProviderID, d.Admin = users.RoleStaff, 0, true
	if err := users.Edit(ctx, f.st, &f.admin, d); err != nil {
		t.Fatal(err)
	}
	got, _ := f.st.User(ctx, f.doc.ID)
	if got.Role != users.RoleStaff || !got.Admin || !users.Matches(got.PINHash, "13579") {
		t.Fatalf("edited: %+v", got)
	}
	ev := f.events(t, "user.save", f.doc.ID)
	if last := ev[len(ev)-1].Detail; last != "changed role physician->staff, provider 1->0, admin false->true" {
		t.Fatalf("audit detail %q", last)
	}
	a := f.admin
	a.Admin = false
	if err := users.Edit(ctx, f.st, &f.admin, a); err != nil {
		t.Fatalf("another administrator is left: %v", err)
	}
	d = got
	d.Active = false
	if err := users.Edit(ctx, f.st, &got, d); !errors.Is(err, users.ErrLastAdmin) {
		t.Fatalf("removing the last administrator: %v", err)
	}
	d.Active, d.Admin = true, false
	if err := users.Edit(ctx, f.st, &got, d); !errors.Is(err, users.ErrLastAdmin) {
		t.Fatalf("demoting the last administrator: %v", err)
	}
}
