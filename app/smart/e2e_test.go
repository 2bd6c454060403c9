package smart_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/smart"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
)

func login(p *synctest.SMARTPeer, open func(string) error, timeout time.Duration) smart.Login {
	return smart.Login{Account: creds.Account{FHIRBase: p.Base, ClientID: p.ClientID}, OpenBrowser: open, Timeout: timeout}
}

// TestSignInRefusals runs the browser sign-in against the real provider with each way it can fail.
func TestSignInRefusals(t *testing.T) {
	p := synctest.StartSMART(t, "../..", 60)
	ctx := context.Background()

	forged := &synctest.Browser{User: "okafor", ForgeState: true}
	if _, err := smart.SignIn(ctx, login(p, forged.Open, 30*time.Second)); !errors.Is(err, smart.ErrStateMismatch) {
		t.Errorf("forged state: %v, want ErrStateMismatch", err)
	}
	refuse := &synctest.Browser{User: "okafor", Refuse: true}
	if _, err := smart.SignIn(ctx, login(p, refuse.Open, 30*time.Second)); !errors.Is(err, smart.ErrConsentRefused) {
		t.Errorf("refused consent: %v, want ErrConsentRefused", err)
	}
	closed := func(string) error { return nil } // the browser was closed without signing in
	if _, err := smart.SignIn(ctx, login(p, closed, time.Second)); !errors.Is(err, smart.ErrBrowserTimeout) {
		t.Errorf("closed browser: %v, want ErrBrowserTimeout", err)
	}
	l := login(p, (&synctest.Browser{User: "okafor"}).Open, 30*time.Second)
	l.Account.ClientID = "not-registered"
	if _, err := smart.SignIn(ctx, l); !errors.Is(err, smart.ErrWrongClientID) {
		t.Errorf("unknown client id: %v, want ErrWrongClientID", err)
	}
	l = login(p, closed, time.Second)
	l.Account.FHIRBase = "http://127.0.0.1:9/fhir/R4" // nothing listens on the discard port
	if _, err := smart.SignIn(ctx, l); !errors.Is(err, creds.ErrUnreachable) {
		t.Errorf("unreachable: %v, want creds.ErrUnreachable", err)
	}
}

// TestIDTokenChecks verifies a real identity token, then refuses it tampered, for another client,
// for another sign-in (nonce), and on a computer whose clock is an hour off.
func TestIDTokenChecks(t *testing.T) {
	p := synctest.StartSMART(t, "../..", 60)
	ctx := context.Background()
	b := &synctest.Browser{User: "okafor"}
	s, err := smart.SignIn(ctx, login(p, b.Open, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if s.FHIRUser != p.Base+"/Practitioner/okafor" {
		t.Fatalf("fhirUser %q", s.FHIRUser)
	}
	raw, _ := s.Token.Extra("id_token").(string)
	cfg, err := smart.Discover(ctx, http.DefaultClient, p.Base)
	if err != nil || cfg.Issuer != p.Issuer || cfg.FromCapabilityStatment {
		t.Fatalf("discovery: %+v %v", cfg, err)
	}
	// The nonce is the sign-in's secret; read it from the token to check everything else.
	parts := strings.Split(raw, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	nonce := between(string(payload), `"nonce":"`, `"`)
	now := time.Now()
	if _, err := smart.VerifyIDToken(ctx, http.DefaultClient, cfg, p.ClientID, nonce, raw, now); err != nil {
		t.Fatalf("a good token refused: %v", err)
	}
	tampered := strings.Replace(string(payload), "Practitioner/okafor", "Practitioner/admin", 1)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(tampered)) + "." + parts[2]
	cases := map[string]struct {
		token, client, nonce string
		now                  time.Time
		want                 error
	}{
		"tampered":      {forged, p.ClientID, nonce, now, smart.ErrBadIDToken},
		"other client":  {raw, "another-app", nonce, now, smart.ErrBadIDToken},
		"other sign-in": {raw, p.ClientID, "another-nonce", now, smart.ErrBadIDToken},
		"clock skew":    {raw, p.ClientID, nonce, now.Add(3 * time.Hour), smart.ErrClockSkew},
		"not a JWT":     {"abc.def.ghi", p.ClientID, nonce, now, smart.ErrBadIDToken},
	}
	for name, c := range cases {
		if _, err := smart.VerifyIDToken(ctx, http.DefaultClient, cfg, c.client, c.nonce, c.token, c.now); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
}

func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}

// TestBackendServices registers a generated key, gets tokens with signed assertions and reads the FHIR
// server; an expired assertion and a token for another audience are refused.
func TestBackendServices(t *testing.T) {
	p := synctest.StartSMART(t, "../..", 60)
	ctx := context.Background()
	key, err := smart.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := smart.PublicJWKS(key)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(jwks), `"d"`) {
		t.Fatal("the public JWKS holds the private part")
	}
	cfg, err := smart.Discover(ctx, http.DefaultClient, p.Base)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckBackend(); err != nil {
		t.Fatal(err)
	}
	acct := creds.Account{FHIRBase: p.Base, ClientID: "clinic-system", Auth: creds.AuthSMARTBackend, TokenURL: cfg.TokenEndpoint}
	pemText, _ := smart.MarshalKey(key)
	kc := &credstest.Keychain{}
	if err := kc.Set(acct, pemText); err != nil {
		t.Fatal(err)
	}

	// Not registered yet: the server refuses the client, which pauses the outbox.
	if _, err := smart.ClientCredentials(ctx, http.DefaultClient, acct, key, time.Now()); !errors.Is(err, smart.ErrSignInAgain) || !errors.Is(err, fhir.ErrUnauthorized) {
		t.Fatalf("unregistered: %v", err)
	}
	p.RegisterBackend(t, acct.ClientID, jwks)

	client, _, err := smart.NewHTTPClient(acct, kc)
	if err != nil {
		t.Fatal(err)
	}
	fc := &fhir.Client{Base: p.Base, HTTP: client}
	if _, err := fc.Search(ctx, "Patient", url.Values{"_count": {"1"}}); err != nil {
		t.Fatalf("search as the clinic's system: %v", err)
	}

	// An assertion that expired 5 minutes ago is refused.
	if _, err := smart.ClientCredentials(ctx, http.DefaultClient, acct, key, time.Now().Add(-9*time.Minute)); !errors.Is(err, smart.ErrSignInAgain) {
		t.Errorf("expired assertion: %v, want refused", err)
	}

	// A token issued for another resource server is refused by the FHIR server.
	a, _ := smart.Assertion(key, acct.ClientID, acct.TokenURL, time.Now(), time.Minute)
	cc := clientcredentials.Config{
		ClientID: acct.ClientID, TokenURL: acct.TokenURL, Scopes: smart.BackendScopes(), AuthStyle: oauth2.AuthStyleInParams,
		EndpointParams: url.Values{
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {a},
			"resource": {"http://127.0.0.1/other-api"},
		},
	}
	other, err := cc.Token(ctx)
	if err != nil {
		t.Fatalf("token for the other API: %v", err)
	}
	bad := &fhir.Client{Base: p.Base, Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+other.AccessToken) }}
	if _, err := bad.Search(ctx, "Patient", nil); !errors.Is(err, fhir.ErrUnauthorized) {
		t.Errorf("token for another audience: %v, want 401", err)
	}
}
