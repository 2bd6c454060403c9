package users_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/app/users"
)

func syncService(t *testing.T, f *fixture, kc creds.Keychain) *syncer.Service {
	t.Helper()
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return &syncer.Service{Store: f.st, Keychain: kc, Profile: prof}
}

// A forgotten PIN, set again by signing in to the institution account: against the project's FHIR
// test server, with the sync service's own sign-in check.
func TestForgottenPINBySigningIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	kc := &credstest.Keychain{}
	svc := syncService(t, f, kc)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	g := &users.Guard{Now: func() time.Time { return now }}
	rec := &users.Recovery{Store: f.st, Institution: svc, Guard: g, Now: func() time.Time { return now }}
	ctx = app.WithActor(ctx, f.admin.Name) // who worked before the lock

	// No account saved yet: nothing to sign in to.
	if _, err := rec.SignIn(ctx, f.clerk.ID, "x", nil); !errors.Is(err, syncer.ErrNotSignedIn) {
		t.Fatalf("without an account: %v", err)
	}

	p := synctest.StartFHIR(t, "../..")
	acct := creds.Account{FHIRBase: p.Base, User: p.User}
	if err := svc.SignIn(ctx, acct, p.Password); err != nil {
		t.Fatal(err)
	}
	_ = g.Verify(f.clerk, "0000") // a wrong PIN at the lock screen before "Forgot PIN?"

	if _, err := rec.SignIn(ctx, f.clerk.ID, "not-the-password", nil); !errors.Is(err, creds.ErrBadCredentials) {
		t.Fatalf("a wrong password: %v", err)
	}
	if u, _ := f.st.User(ctx, f.clerk.ID); !users.Matches(u.PINHash, "2468") {
		t.Fatal("a refused sign-in changed the PIN")
	}
	if _, err := rec.SetPIN(ctx, users.Ticket{}, "8642"); !errors.Is(err, users.ErrNoTicket) {
		t.Fatalf("a PIN without a sign-in: %v", err)
	}

	tk, err := rec.SignIn(ctx, f.clerk.ID, p.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tk.Host(), "127.0.0.1") {
		t.Fatalf("ticket host %q", tk.Host())
	}
	if _, err := rec.SetPIN(ctx, tk, "86"); !errors.Is(err, users.ErrBadPIN) {
		t.Fatalf("a short PIN: %v", err)
	}
	got, err := rec.SetPIN(ctx, tk, "8642")
	if err != nil || got.ID != f.clerk.ID || !users.Matches(got.PINHash, "8642") {
		t.Fatalf("new PIN: %+v %v", got, err)
	}
	if g.Wait(f.clerk.ID) != 0 {
		t.Fatal("the wrong-PIN wait outlived the new PIN")
	}
	if err := g.Verify(got, "8642"); err != nil {
		t.Fatalf("the new PIN does not unlock: %v", err)
	}
	ev := f.events(t, users.EventPINRecovered, f.clerk.ID)
	if len(ev) != 1 || ev[0].Detail != "signed in to the institution account at "+tk.Host() || ev[0].Actor != "Ana Ruiz (tester)" {
		t.Fatalf("audit: %+v", ev)
	}
	// One sign-in, one PIN.
	if _, err := rec.SetPIN(ctx, tk, "1357"); !errors.Is(err, users.ErrNoTicket) {
		t.Fatalf("a second PIN on one sign-in: %v", err)
	}
	// A sign-in is good for a few minutes only.
	tk2, err := rec.SignIn(ctx, f.doc.ID, p.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(users.TicketTTL + time.Second)
	if _, err := rec.SetPIN(ctx, tk2, "1357"); !errors.Is(err, users.ErrTicketExpired) {
		t.Fatalf("an old sign-in: %v", err)
	}
	if u, _ := f.st.User(ctx, f.doc.ID); !users.Matches(u.PINHash, "13579") {
		t.Fatal("an expired sign-in changed the PIN")
	}
}

// Offline, the sign-in fails as unreachable and nothing changes.
func TestForgottenPINOffline(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	kc := &credstest.Keychain{}
	svc := syncService(t, f, kc)
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String() + "/fhir/R4"
	l.Close()
	acct := creds.Account{FHIRBase: base, User: "clinic"}
	if err := syncer.SaveAccount(ctx, f.st, acct); err != nil {
		t.Fatal(err)
	}
	if err := kc.Set(acct, "secret"); err != nil {
		t.Fatal(err)
	}
	rec := &users.Recovery{Store: f.st, Institution: svc}
	if _, err := rec.SignIn(ctx, f.clerk.ID, "secret", nil); !errors.Is(err, creds.ErrUnreachable) {
		t.Fatalf("offline: %v", err)
	}
	if u, _ := f.st.User(ctx, f.clerk.ID); !users.Matches(u.PINHash, "2468") {
		t.Fatal("the PIN changed")
	}
}

// fixedInstitution accepts one password, for the checks that need no server.
type fixedInstitution struct{ calls int }

func (i *fixedInstitution) ConfirmSignIn(_ context.Context, pw string, _ func(string) error) (string, error) {
	i.calls++
	if pw != "right" {
		return "", creds.ErrBadCredentials
	}
	return "fhir.example.org", nil
}

func TestForgottenPINOnlyForActiveUsers(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	inst := &fixedInstitution{}
	rec := &users.Recovery{Store: f.st, Institution: inst}
	gone := f.doc
	gone.Active = false
	if err := users.Edit(ctx, f.st, nil, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.SignIn(ctx, f.doc.ID, "right", nil); !errors.Is(err, users.ErrNoSuchUser) || inst.calls != 0 {
		t.Fatalf("a removed user: %v (%d sign-ins)", err, inst.calls)
	}
	tk, err := rec.SignIn(ctx, f.clerk.ID, "right", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Removed between the sign-in and the new PIN.
	c := f.clerk
	c.Active = false
	if err := users.Edit(ctx, f.st, nil, c); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.SetPIN(ctx, tk, "8642"); !errors.Is(err, users.ErrNoSuchUser) {
		t.Fatalf("removed after the sign-in: %v", err)
	}
}

// A SMART on FHIR account: the person signs in on the institution's login page (the scripted browser
// against the test server's authorization server); refusing consent changes nothing.
func TestForgottenPINBySMARTSignIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := syncService(t, f, &credstest.Keychain{})
	p := synctest.StartSMART(t, "../..", 60)
	if _, err := svc.SignInSMART(ctx, creds.Account{FHIRBase: p.Base, ClientID: p.ClientID}, (&synctest.Browser{User: "okafor"}).Open); err != nil {
		t.Fatal(err)
	}
	rec := &users.Recovery{Store: f.st, Institution: svc}
	if _, err := rec.SignIn(ctx, f.doc.ID, "", (&synctest.Browser{User: "okafor", Refuse: true}).Open); err == nil {
		t.Fatal("a refused consent gave a sign-in")
	}
	b := &synctest.Browser{User: "okafor"}
	tk, err := rec.SignIn(ctx, f.doc.ID, "", b.Open)
	if err != nil {
		t.Fatal(err)
	}
	if b.Pages == 0 {
		t.Fatal("the login page was not shown")
	}
	if _, err := rec.SetPIN(ctx, tk, "97531"); err != nil {
		t.Fatal(err)
	}
	if u, _ := f.st.User(ctx, f.doc.ID); !users.Matches(u.PINHash, "97531") {
		t.Fatal("the new PIN was not stored")
	}
}

// A Backend Services account signs in with a key: no person can prove themself with it.
func TestForgottenPINNotWithABackendKey(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := syncService(t, f, &credstest.Keychain{})
	acct := creds.Account{FHIRBase: "https://fhir.example.org/R4", Auth: creds.AuthSMARTBackend, ClientID: "clinic-backend"}
	if err := syncer.SaveAccount(ctx, f.st, acct); err != nil {
		t.Fatal(err)
	}
	rec := &users.Recovery{Store: f.st, Institution: svc}
	if _, err := rec.SignIn(ctx, f.clerk.ID, "anything", nil); !errors.Is(err, syncer.ErrNoPersonSignIn) {
		t.Fatalf("backend key: %v", err)
	}
}
