package screens

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/app/users"
)

// forgotDialog taps "Forgot PIN?" for name and returns the dialog's sign-in.
func forgotDialog(t *testing.T, u *UI, name string) *forgotPIN {
	t.Helper()
	u.Idle()
	u.lockView.who.SetSelected(name)
	tapButton(t, u, u.win, "Forgot PIN?")
	u.Idle()
	f := u.lockView.recover
	if f == nil {
		t.Fatalf("no sign-in in the Forgot PIN dialog:\n%s", windowTexts(u.win))
	}
	return f
}

// A forgotten PIN: the user signs in to the institution account (the project's FHIR test server),
// sets a new PIN and sees their own work; a wrong password leaves the window locked.
func TestForgotPINSignsInAndSetsANewPIN(t *testing.T) {
	p := synctest.StartFHIR(t, "..")
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	addUser(t, st, "Mia Lund", users.RoleStaff, 0, "1111")
	ana := addUser(t, st, "Ana Ruiz", users.RoleStaff, 0, "2468")
	addDraft(t, st, "Lindqvist", ana.ID)
	deps := testDeps(t, st)
	svc := &syncer.Service{Store: st, Keychain: &credstest.Keychain{}, Profile: deps.Profile}
	if err := svc.SignIn(ctx, creds.Account{FHIRBase: p.Base, User: p.User}, p.Password); err != nil {
		t.Fatal(err)
	}
	deps.Sync = svc
	u, w := newTestUI(t, deps)

	f := forgotDialog(t, u, "Ana Ruiz")
	got := windowTexts(w)
	if !strings.Contains(got, "Ana Ruiz") || !strings.Contains(got, p.User+" at 127.0.0.1") || !strings.Contains(got, "Mia Lund") {
		t.Fatalf("the dialog should name the user, the account and the administrator:\n%s", got)
	}
	test.Type(f.password, "not-the-password")
	tapButton(t, u, w, "Sign in")
	u.Idle()
	if !u.locked || f.pin != nil || !strings.Contains(f.msg.Text, "Not signed in") {
		t.Fatalf("a wrong password: locked %v, message %q", u.locked, f.msg.Text)
	}
	if strings.Contains(windowTexts(w), "Lindqvist") {
		t.Fatal("patient data shown after a wrong password")
	}

	test.Type(f.password, p.Password)
	tapButton(t, u, w, "Sign in")
	u.Idle()
	if f.pin == nil {
		t.Fatalf("no new PIN after signing in: %q", f.msg.Text)
	}
	test.Type(f.pin, "8642")
	test.Type(f.pin2, "8643")
	tapButton(t, u, w, "Set PIN and unlock")
	if !u.locked || !strings.Contains(f.msg.Text, "differ") {
		t.Fatalf("two different PINs: locked %v, %q", u.locked, f.msg.Text)
	}
	f.pin2.SetText("8642")
	tapButton(t, u, w, "Set PIN and unlock")
	u.Idle()
	if u.locked || u.current == nil || u.current.ID != ana.ID {
		t.Fatalf("not unlocked for Ana: locked %v, message %q", u.locked, f.msg.Text)
	}
	if got := windowTexts(w); !strings.Contains(got, "Lindqvist") || strings.Contains(got, "Forgot your PIN?") {
		t.Fatalf("after the new PIN Ana should see her draft, without the dialog:\n%s", got)
	}
	stored, _ := st.User(ctx, ana.ID)
	if !users.Matches(stored.PINHash, "8642") {
		t.Fatal("the new PIN was not stored")
	}
	// The new PIN works at the lock screen.
	u.lockNow()
	if msg := signIn(t, u, "Ana Ruiz", "8642"); msg != "" || u.locked {
		t.Fatalf("the new PIN at the lock screen: %q", msg)
	}
}

// Offline the dialog says that signing in needs the network; the administrator's way stays.
func TestForgotPINOffline(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	addUser(t, st, "Ana Ruiz", users.RoleStaff, 0, "2468")
	deps := testDeps(t, st)
	kc := &credstest.Keychain{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	acct := creds.Account{FHIRBase: "http://" + l.Addr().String() + "/fhir/R4", User: "clinic"}
	l.Close() // nothing listens there now
	if err := syncer.SaveAccount(ctx, st, acct); err != nil {
		t.Fatal(err)
	}
	deps.Sync = &syncer.Service{Store: st, Keychain: kc, Profile: deps.Profile}
	u, w := newTestUI(t, deps)

	f := forgotDialog(t, u, "Ana Ruiz")
	test.Type(f.password, "secret")
	tapButton(t, u, w, "Sign in")
	u.Idle()
	if !u.locked || f.pin != nil || !strings.Contains(f.msg.Text, "needs the network") {
		t.Fatalf("offline: locked %v, %q", u.locked, f.msg.Text)
	}
	if !strings.Contains(windowTexts(w), "referraldesk users reset-pin") {
		t.Fatal("the administrator's way is not shown")
	}
}

// Without an institution account the dialog says so and shows the administrator's way only.
func TestForgotPINWithoutAccount(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	addUser(t, st, "Ana Ruiz", users.RoleStaff, 0, "2468")
	deps := testDeps(t, st)
	deps.Sync = &syncer.Service{Store: st, Keychain: &credstest.Keychain{}, Profile: deps.Profile}
	u, w := newTestUI(t, deps)
	u.Idle()
	tapButton(t, u, w, "Forgot PIN?")
	u.Idle()
	got := windowTexts(w)
	if u.lockView.recover != nil || !strings.Contains(got, "not signed in to an institution account") || !strings.Contains(got, "reset-pin") {
		t.Fatalf("without an account:\n%s", got)
	}
}
