package cli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
)

// TestAccountSMART drives the CLI against the SMART test peer: `account add --backend` makes a key
// and prints its JWKS; sync is refused until the institution registers it, then sends the demo
// outbox with no person involved; `account add --smart` signs a person in through the browser hook;
// `account remove` revokes and forgets.
func TestAccountSMART(t *testing.T) {
	p := synctest.StartSMART(t, "../..", 60)
	kc := &credstest.Keychain{}
	data := t.TempDir()
	if code, out, errs := run(kc, "", "demo-data", "--data", data, "--patients", "20"); code != 0 {
		t.Fatalf("demo-data: %s %s", out, errs)
	}
	code, jwks, errs := run(kc, "", "account", "add", "--data", data, "--url", p.Base, "--client-id", "clinic-system", "--backend")
	if code != 0 || !strings.Contains(jwks, `"kty": "EC"`) || !strings.Contains(errs, "register client clinic-system") {
		t.Fatalf("account add --backend: %d %s %s", code, jwks, errs)
	}
	backend := creds.Account{FHIRBase: p.Base}
	if key, err := kc.Get(backend); err != nil || !strings.HasPrefix(key, "-----BEGIN PRIVATE KEY-----") {
		t.Fatalf("the key is not in the keychain: %v", err)
	}
	if code, out, errs := run(kc, "", "sync", "--once", "--data", data); code == 0 || !strings.Contains(out+errs, "sign in again") {
		t.Fatalf("sync before registration: %d %s %s", code, out, errs)
	}
	p.RegisterBackend(t, "clinic-system", []byte(jwks))
	if code, out, errs := run(kc, "", "sync", "--once", "--data", data); code != 0 || !strings.Contains(out, "sent 10,") {
		t.Fatalf("sync as the clinic's system: %d %s %s", code, out, errs)
	}
	if code, again, _ := run(kc, "", "account", "jwks", "--data", data); code != 0 || again != jwks {
		t.Fatalf("account jwks: %d %s", code, again)
	}

	env, out, errb := testEnv(kc, "")
	env.OpenBrowser = (&synctest.Browser{User: "okafor"}).Open
	if code := Main([]string{"account", "add", "--data", data, "--url", p.Base, "--client-id", p.ClientID, "--smart"}, env); code != 0 ||
		!strings.Contains(out.String(), "Signed in as Practitioner/okafor") || !strings.Contains(errb.String(), p.Issuer+"/auth?") {
		t.Fatalf("account add --smart: %d %s %s", code, out, errb)
	}
	if code, out, errs := run(kc, "", "account", "test", "--data", data); code != 0 || !strings.Contains(out, "SMART sign-in") {
		t.Fatalf("account test: %d %s %s", code, out, errs)
	}
	refresh, err := kc.Get(backend)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(kc, "", "account", "remove", "--data", data); code != 0 {
		t.Fatalf("account remove: %d %s %s", code, out, errs)
	}
	if _, err := kc.Get(backend); !errors.Is(err, creds.ErrNoSecret) {
		t.Fatalf("the refresh token is still in the keychain: %v", err)
	}
	// Sign-out revoked it at the server too (RFC 7009).
	conf := oauth2.Config{ClientID: p.ClientID, Endpoint: oauth2.Endpoint{TokenURL: p.Issuer + "/token", AuthStyle: oauth2.AuthStyleInParams}}
	if _, err := conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: refresh}).Token(); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("the revoked refresh token still works: %v", err)
	}
}
