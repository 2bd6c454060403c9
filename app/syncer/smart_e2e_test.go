package syncer_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/smart"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
)

// smartTTL is the peer's access-token lifetime: short, so the test sees tokens expire.
const smartTTL = 4

func signInSMART(t *testing.T, p *synctest.SMARTPeer, kc creds.Keychain, user string) *smart.Session {
	t.Helper()
	b := &synctest.Browser{User: user}
	acct := creds.Account{FHIRBase: p.Base, ClientID: p.ClientID}
	s, err := smart.SignIn(context.Background(), smart.Login{Account: acct, OpenBrowser: b.Open, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	if got, want := s.SignedInAs(), "Signed in as Practitioner/"+user; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if len(s.Missing) != 0 || s.Token.RefreshToken == "" || b.Pages < 2 {
		t.Fatalf("missing %v, refresh token %t, pages %d", s.Missing, s.Token.RefreshToken != "", b.Pages)
	}
	if err := kc.Set(s.Account, s.Token.RefreshToken); err != nil {
		t.Fatal(err)
	}
	return s
}

// smartWorker is the worker the app builds for a SMART account (syncer.NewAuthWorker), with the fresh
// sign-in's access token seeded and a renewal margin that fits the short token lifetime.
func smartWorker(t *testing.T, f *fixture, s *smart.Session, kc creds.Keychain) (*syncer.Worker, *smart.UserSource) {
	t.Helper()
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	client, src, err := smart.NewHTTPClient(s.Account, kc)
	if err != nil {
		t.Fatal(err)
	}
	us := src.(*smart.UserSource)
	us.Seed(s.Token)
	us.Margin = time.Second
	return &syncer.Worker{Store: f.st, Transport: &fhir.Client{Base: s.Account.FHIRBase, HTTP: client}, Profile: prof}, us
}

func TestSMARTSignInSendsRenewsAndPausesWhenRevoked(t *testing.T) {
	p := synctest.StartSMART(t, "../..", smartTTL)
	dbPath := filepath.Join(t.TempDir(), "rd.db")
	f := signOffline(t, dbPath, 2, 60_000)
	defer f.st.Close()
	ctx := context.Background()
	kc := &credstest.Keychain{}

	// Sign in through the login and consent pages; send two orders.
	s := signInSMART(t, p, kc, "okafor")
	w, src := smartWorker(t, f, s, kc)
	if sum, err := w.Sync(ctx); err != nil || sum.Sent != 2 {
		t.Fatalf("first round: %+v %v", sum, err)
	}
	assertExactlyOnce(t, &p.FHIRPeer, f)
	rt1, _ := kc.Get(s.Account)

	// The access token expires; a third order goes without asking anyone (the refresh token renews
	// it and, rotated, replaces the stored one).
	time.Sleep((smartTTL + 1) * time.Second)
	f2 := signOffline(t, dbPath, 1, 30_000)
	defer f2.st.Close()
	f.orders = append(f.orders, f2.orders...)
	if sum, err := w.Sync(ctx); err != nil || sum.Sent != 1 {
		t.Fatalf("after expiry: %+v %v", sum, err)
	}
	assertExactlyOnce(t, &p.FHIRPeer, f)
	rt2, _ := kc.Get(s.Account)
	if rt2 == "" || rt2 == rt1 {
		t.Fatal("the rotated refresh token was not kept")
	}

	// A token the client thinks valid but the server refuses (expired): one 401, renewed, retried.
	time.Sleep((smartTTL + 1) * time.Second)
	src.Margin = -time.Hour
	if found, err := w.SearchRegistry(ctx, "Doe, JaneA 1970-01-02"); err != nil || len(found) != 1 {
		t.Fatalf("search with a stale token: %+v %v", found, err)
	}
	src.Margin = time.Second

	// Revoke the refresh token at the server: once the access token expires the outbox pauses and asks
	// to sign in again, keeping the order.
	rt3, _ := kc.Get(s.Account)
	client, err := creds.NewHTTPClient(s.Account)
	if err != nil {
		t.Fatal(err)
	}
	if err := smart.Revoke(ctx, client, s.Account, rt3, "refresh_token"); err != nil {
		t.Fatal(err)
	}
	time.Sleep((smartTTL + 1) * time.Second)
	f3 := signOffline(t, dbPath, 1, 20_000)
	defer f3.st.Close()
	f.orders = append(f.orders, f3.orders...)
	var last syncer.Status
	w.OnStatus = func(st syncer.Status) { last = st }
	if _, err := w.Sync(ctx); !errors.Is(err, syncer.ErrAuth) {
		t.Fatalf("after revocation: %v, want ErrAuth", err)
	}
	if last.State() != syncer.StateSignIn {
		t.Fatalf("status %+v", last)
	}
	pending, _ := f.st.Outbox(ctx, app.OutboxPending)
	if len(pending) != 1 || pending[0].LastError != "sign in again" {
		t.Fatalf("outbox after revocation: %+v", pending)
	}

	// Sign in again: it drains.
	s2 := signInSMART(t, p, kc, "okafor")
	w2, _ := smartWorker(t, f, s2, kc)
	if sum, err := w2.Sync(ctx); err != nil || sum.Sent != 1 {
		t.Fatalf("after signing in again: %+v %v", sum, err)
	}
	assertExactlyOnce(t, &p.FHIRPeer, f)
}

// TestServiceSMART is the desktop app's path: Service.SignInSMART through the browser, a background
// round sends, SignOut revokes the refresh token at the server and forgets it.
func TestServiceSMART(t *testing.T) {
	p := synctest.StartSMART(t, "../..", 60)
	f := signOffline(t, filepath.Join(t.TempDir(), "rd.db"), 1, 10_000)
	defer f.st.Close()
	ctx := context.Background()
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	kc := &credstest.Keychain{}
	svc := &syncer.Service{Store: f.st, Keychain: kc, Profile: prof}
	sess, err := svc.SignInSMART(ctx, creds.Account{FHIRBase: p.Base, ClientID: p.ClientID}, (&synctest.Browser{User: "okafor"}).Open)
	if err != nil {
		t.Fatal(err)
	}
	if sess.SignedInAs() != "Signed in as Practitioner/okafor" {
		t.Fatalf("%q", sess.SignedInAs())
	}
	if sum, err := svc.Round(ctx); err != nil || sum.Sent != 1 {
		t.Fatalf("round: %+v %v", sum, err)
	}
	acct, _, _ := svc.Account(ctx)
	rt, _ := kc.Get(acct)
	if err := svc.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(acct); !errors.Is(err, creds.ErrNoSecret) {
		t.Fatalf("still in the keychain after sign-out: %v", err)
	}
	client, _ := creds.NewHTTPClient(acct)
	us := &smart.UserSource{Account: acct, Keychain: &credstest.Keychain{}, HTTP: client}
	_ = us.Keychain.Set(acct, rt)
	if _, err := us.Token(ctx); !errors.Is(err, smart.ErrSignInAgain) {
		t.Fatalf("the refresh token still works after sign-out: %v", err)
	}
}
