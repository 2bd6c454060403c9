package smart

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/zalando/go-keyring"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/fhir"
)

func TestMissingFeatures(t *testing.T) {
	req := UserScopes()
	if got := MissingFeatures(req, ""); got != nil {
		t.Fatalf("nothing stated means all granted: %v", got)
	}
	if got := MissingFeatures(req, "user/*.cruds"); len(got) != 0 {
		t.Fatalf("a wildcard grant: %v", got)
	}
	if got := MissingFeatures(req, "user/*.read user/*.write"); len(got) != 0 {
		t.Fatalf("SMART v1 read+write: %v", got)
	}
	granted := strings.Join(slices.DeleteFunc(resourceScopes("user"), func(s string) bool {
		return strings.HasPrefix(s, "user/ImagingStudy") || strings.HasPrefix(s, "user/Appointment")
	}), " ")
	got := MissingFeatures(req, granted)
	if !slices.Equal(got, []string{"sending images", "seeing appointments"}) {
		t.Fatalf("missing %q", got)
	}
	// Read-only where create is needed.
	if got := MissingFeatures([]string{"user/Binary.cru"}, "user/Binary.r"); len(got) != 1 {
		t.Fatalf("read-only Binary: %v", got)
	}
}

func TestDiscoveryFallbackAndNone(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a/metadata", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"resourceType":"CapabilityStatement","rest":[{"security":{"extension":[{"url":"http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris","extension":[{"url":"authorize","valueUri":"https://as/auth"},{"url":"token","valueUri":"https://as/token"}]}]}}]}`)
	})
	mux.HandleFunc("/b/metadata", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"resourceType":"CapabilityStatement","rest":[{"security":{"service":[{"coding":[{"code":"Basic"}]}]}}]}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()
	cfg, err := Discover(ctx, srv.Client(), srv.URL+"/a")
	if err != nil || !cfg.FromCapabilityStatment || cfg.TokenEndpoint != "https://as/token" || cfg.AuthorizationEndpoint != "https://as/auth" {
		t.Fatalf("fallback: %+v %v", cfg, err)
	}
	if err := cfg.CheckUser(); err != nil {
		t.Fatalf("fallback allows a user sign-in: %v", err)
	}
	_, err = Discover(ctx, srv.Client(), srv.URL+"/b")
	if !errors.Is(err, ErrNotSupported) || !strings.Contains(err.Error(), "user name and password") {
		t.Fatalf("no SMART: %v", err)
	}
	noPKCE := &Config{AuthorizationEndpoint: "x", TokenEndpoint: "y", CodeChallengeMethods: []string{"plain"}}
	if err := noPKCE.CheckUser(); !errors.Is(err, ErrNotSupported) || !strings.Contains(err.Error(), "PKCE") {
		t.Fatalf("no S256: %v", err)
	}
	noBackend := &Config{TokenEndpoint: "y", TokenAuthMethods: []string{"client_secret_basic"}}
	if err := noBackend.CheckBackend(); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("no private_key_jwt: %v", err)
	}
}

// fakeSource counts renewals and hands out numbered tokens.
type fakeSource struct {
	n   atomic.Int32
	cur atomic.Value
	err error
}

func (f *fakeSource) Token(context.Context) (string, error) {
	if f.err != nil {
		return "", f.err
	}
	if s, _ := f.cur.Load().(string); s != "" {
		return s, nil
	}
	s := fmt.Sprintf("tok%d", f.n.Add(1))
	f.cur.Store(s)
	return s, nil
}
func (f *fakeSource) Invalidate(string) { f.cur.Store("") }

func TestTransportTokenOnlyToServerAndRenewsOnce(t *testing.T) {
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		seen = append(seen, r.URL.Path+" "+auth)
		_, _ = io.Copy(io.Discard, r.Body)
		if auth == "Bearer tok1" { // the server has stopped accepting the first token
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		fmt.Fprint(w, `{"resourceType":"Bundle","type":"searchset"}`)
	}))
	defer srv.Close()
	src := &fakeSource{}
	client := &http.Client{Transport: &Transport{Source: src, FHIRBase: srv.URL + "/fhir"}}
	c := &fhir.Client{Base: srv.URL + "/fhir", HTTP: client}
	ctx := context.Background()
	if _, err := c.Search(ctx, "Patient", nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"/fhir/Patient Bearer tok1", "/fhir/Patient Bearer tok2"}; !slices.Equal(seen, want) {
		t.Fatalf("requests %q, want %q", seen, want)
	}
	// Off the base path or host: no token.
	seen = nil
	resp, err := client.Get(srv.URL + "/elsewhere/Binary/1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if seen[0] != "/elsewhere/Binary/1 " {
		t.Fatalf("a token went outside the FHIR base: %q", seen)
	}
	// A body that cannot be replayed: no second try, a retryable error (not "sign in again").
	src.cur.Store("tok1")
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/fhir/Binary/x", io.NopCloser(strings.NewReader("data")))
	_, err = client.Do(req)
	if !errors.Is(err, errRenewed) || errors.Is(err, fhir.ErrUnauthorized) {
		t.Fatalf("unreplayable body: %v", err)
	}
	// A refused renewal reads as a refused sign-in to the outbox.
	src.err = &signInAgain{detail: "test"}
	if _, err := c.Search(ctx, "Patient", nil); !errors.Is(err, fhir.ErrUnauthorized) || !errors.Is(err, ErrSignInAgain) {
		t.Fatalf("refused renewal: %v", err)
	}
}

// TestUserSourceRotatesAndRefuses renews with a refresh token of several keychain items (go-keyring's
// mock with the chunked scheme), keeps the rotated one, and turns invalid_grant into ErrSignInAgain.
func TestUserSourceRotatesAndRefuses(t *testing.T) {
	keyring.MockInit()
	long := strings.Repeat("r", 5000) // longer than one Windows credential blob
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.Form.Get("grant_type") != "refresh_token" || r.Form.Get("client_id") != "rd" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_request"}`)
			return
		}
		if calls.Add(1) == 1 && r.Form.Get("refresh_token") == long {
			fmt.Fprint(w, `{"access_token":"a1","token_type":"Bearer","expires_in":3600,"refresh_token":"rotated"}`)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"invalid_grant","error_description":"grant request is invalid"}`)
	}))
	defer srv.Close()
	acct := creds.Account{FHIRBase: "https://fhir.example.org/R4", Auth: creds.AuthSMARTUser, ClientID: "rd", TokenURL: srv.URL + "/token"}
	kc := creds.OS{}
	if err := kc.Set(acct, long); err != nil {
		t.Fatal(err)
	}
	s := &UserSource{Account: acct, Keychain: kc, HTTP: srv.Client()}
	ctx := context.Background()
	if tok, err := s.Token(ctx); err != nil || tok != "a1" {
		t.Fatalf("renewal: %q %v", tok, err)
	}
	if got, _ := kc.Get(acct); got != "rotated" {
		t.Fatalf("the keychain holds %d bytes, not the rotated token", len(got))
	}
	if tok, _ := s.Token(ctx); tok != "a1" || calls.Load() != 1 {
		t.Fatal("a valid token was renewed again")
	}
	s.Invalidate("a1")
	_, err := s.Token(ctx)
	if !errors.Is(err, ErrSignInAgain) || !errors.Is(err, fhir.ErrUnauthorized) || strings.Contains(err.Error(), "rotated") {
		t.Fatalf("refused renewal: %v", err)
	}
	if err := kc.Delete(acct); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(ctx); !errors.Is(err, ErrSignInAgain) {
		t.Fatalf("no saved sign-in: %v", err)
	}
}

func TestKeysAndAssertion(t *testing.T) {
	ec, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, k := range []struct {
		alg  string
		pemK func() (string, error)
	}{
		{"ES384", func() (string, error) { return MarshalKey(ec) }},
		{"RS384", func() (string, error) { return MarshalKey(rsaKey) }},
	} {
		pemText, err := k.pemK()
		if err != nil {
			t.Fatal(err)
		}
		key, err := ParseKey(pemText)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Assertion(key, "clinic", "https://as/token", now, AssertionLifetime)
		if err != nil {
			t.Fatal(err)
		}
		var c jwt.RegisteredClaims
		tok, err := jwt.ParseWithClaims(a, &c, func(*jwt.Token) (any, error) { return key.Public(), nil },
			jwt.WithValidMethods([]string{k.alg}), jwt.WithAudience("https://as/token"), jwt.WithIssuer("clinic"), jwt.WithSubject("clinic"))
		if err != nil {
			t.Fatalf("%s: %v", k.alg, err)
		}
		if tok.Header["kid"] != KeyID(key) || c.ID == "" || c.ExpiresAt.Sub(now) > 5*time.Minute {
			t.Fatalf("%s: header %v claims %+v", k.alg, tok.Header, c)
		}
		a2, _ := Assertion(key, "clinic", "https://as/token", now, AssertionLifetime)
		var c2 jwt.RegisteredClaims
		_, _ = jwt.ParseWithClaims(a2, &c2, func(*jwt.Token) (any, error) { return key.Public(), nil })
		if c2.ID == c.ID {
			t.Fatal("two assertions share a jti")
		}
		jwks, err := PublicJWKS(key)
		if err != nil {
			t.Fatal(err)
		}
		var set struct {
			Keys []map[string]any `json:"keys"`
		}
		if err := json.Unmarshal(jwks, &set); err != nil || len(set.Keys) != 1 || set.Keys[0]["alg"] != k.alg || set.Keys[0]["d"] != nil {
			t.Fatalf("%s JWKS: %s %v", k.alg, jwks, err)
		}
	}
	// A key file path (managed deployment) works like the keychain.
	pemText, _ := MarshalKey(ec)
	path := t.TempDir() + "/clinic.pem"
	if err := os.WriteFile(path, []byte(pemText), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := LoadKey(context.Background(), creds.Account{KeyFile: path}, nil)
	if err != nil || KeyID(k) != KeyID(ec) {
		t.Fatalf("key file: %v", err)
	}
	if _, err := ParseKey("not a key"); err == nil {
		t.Fatal("garbage accepted as a key")
	}
}
