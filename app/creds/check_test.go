package creds

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/netsafe"
)

// quietLog drops the test servers' "TLS handshake error" lines that the failing cases cause.
var quietLog = log.New(io.Discard, "", 0)

const testSecret = "pa55-W0rd-that-must-never-show"

// fhirHandler is a minimal FHIR server: /metadata is public, the rest needs user "clerk" and
// testSecret (or that secret as a Bearer token).
func fhirHandler(version string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/R4/metadata", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write([]byte(`{"resourceType":"CapabilityStatement","status":"active","fhirVersion":"` + version + `","kind":"instance"}`))
	})
	mux.HandleFunc("/R4/Patient", func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		bearer := r.Header.Get("Authorization") == "Bearer "+testSecret
		if !(ok && u == "clerk" && p == testSecret) && !bearer {
			w.Header().Set("WWW-Authenticate", `Basic realm="fhir"`)
			http.Error(w, `{"resourceType":"OperationOutcome"}`, http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("_summary") != "count" {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write([]byte(`{"resourceType":"Bundle","type":"searchset","total":3}`))
	})
	return mux
}

func checkAgainst(t *testing.T, base, user, caFile string) error {
	t.Helper()
	acct := Account{FHIRBase: base, User: user, CAFile: caFile}
	client, err := NewHTTPClient(acct)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = Check(ctx, acct, testSecret, client)
	if err != nil && strings.Contains(err.Error(), testSecret) {
		t.Errorf("error message carries the secret: %v", err)
	}
	return err
}

func writePEM(t *testing.T, der []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckOK(t *testing.T) {
	srv := httptest.NewServer(fhirHandler("4.0.1"))
	defer srv.Close()
	if err := checkAgainst(t, srv.URL+"/R4/", "clerk", ""); err != nil {
		t.Errorf("Basic: %v", err)
	}
	if err := checkAgainst(t, srv.URL+"/R4", "", ""); err != nil {
		t.Errorf("Bearer: %v", err)
	}
}

func TestCheckTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(fhirHandler("4.0.1"))
	srv.Config.ErrorLog = quietLog
	srv.StartTLS()
	defer srv.Close()

	err := checkAgainst(t, srv.URL+"/R4", "clerk", "")
	if !errors.Is(err, ErrTLS) || !hasCode(err, CheckCertUnknown) {
		t.Errorf("untrusted self-signed: %v, want ErrTLS (unknown authority)", err)
	}
	var uae x509.UnknownAuthorityError
	if !errors.As(err, &uae) {
		t.Errorf("technical cause not reachable with errors.As: %v", err)
	}

	ca := writePEM(t, srv.Certificate().Raw)
	if err := checkAgainst(t, srv.URL+"/R4", "clerk", ca); err != nil {
		t.Errorf("trusted through CAFile: %v", err)
	}

	// The test certificate names 127.0.0.1 and example.com, not localhost.
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	err = checkAgainst(t, "https://localhost:"+port+"/R4", "clerk", ca)
	if !errors.Is(err, ErrTLS) || !hasCode(err, CheckCertOtherName) {
		t.Errorf("wrong host: %v, want ErrTLS (different server name)", err)
	}

	// http:// to a TLS port: the server answers 400 and says so.
	err = checkAgainst(t, "http://127.0.0.1:"+port+"/R4", "clerk", "")
	if !errors.Is(err, ErrNotFHIR) || !hasCode(err, CheckWantsHTTPS) {
		t.Errorf("http:// against an HTTPS port: %v", err)
	}

	// https:// to a plain port.
	plain := httptest.NewServer(fhirHandler("4.0.1"))
	defer plain.Close()
	err = checkAgainst(t, strings.Replace(plain.URL, "http://", "https://", 1)+"/R4", "clerk", "")
	if !errors.Is(err, ErrTLS) || !hasCode(err, CheckNoHTTPS) {
		t.Errorf("https:// against a plain port: %v", err)
	}
}

func TestCheckTLSExpired(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(7),
		Subject:               pkix.Name{CommonName: "expired test"},
		NotBefore:             time.Now().Add(-48 * time.Hour),
		NotAfter:              time.Now().Add(-24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(fhirHandler("4.0.1"))
	srv.Config.ErrorLog = quietLog
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	defer srv.Close()
	err = checkAgainst(t, srv.URL+"/R4", "clerk", writePEM(t, der))
	if !errors.Is(err, ErrTLS) || !hasCode(err, CheckCertExpired) {
		t.Errorf("expired: %v, want ErrTLS (expired)", err)
	}
}

func TestCheckBadCredentials(t *testing.T) {
	srv := httptest.NewServer(fhirHandler("4.0.1"))
	defer srv.Close()
	acct := Account{FHIRBase: srv.URL + "/R4", User: "clerk"}
	err := Check(context.Background(), acct, "wrong", nil)
	if !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: %v, want ErrBadCredentials", err)
	}
	acct.User = ""
	if err := Check(context.Background(), acct, "wrong", nil); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong token: %v, want ErrBadCredentials", err)
	}

	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer forbidden.Close()
	if err := checkAgainst(t, forbidden.URL, "clerk", ""); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("403: %v, want ErrBadCredentials", err)
	}
}

func TestCheckNotFHIR(t *testing.T) {
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><title>Welcome</title>"))
	}))
	defer html.Close()
	if err := checkAgainst(t, html.URL, "clerk", ""); !errors.Is(err, ErrNotFHIR) || !hasCode(err, CheckWebPage) {
		t.Errorf("HTML page: %v, want ErrNotFHIR (web page)", err)
	}

	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello"))
	}))
	defer garbage.Close()
	if err := checkAgainst(t, garbage.URL, "clerk", ""); !errors.Is(err, ErrNotFHIR) {
		t.Errorf("plain text: %v, want ErrNotFHIR", err)
	}

	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"resourceType":"Patient","id":"1"}`))
	}))
	defer other.Close()
	if err := checkAgainst(t, other.URL, "clerk", ""); !errors.Is(err, ErrNotFHIR) || !hasCode(err, CheckNotCapability) {
		t.Errorf("not a CapabilityStatement: %v", err)
	}

	stu3 := httptest.NewServer(fhirHandler("3.0.2"))
	defer stu3.Close()
	if err := checkAgainst(t, stu3.URL+"/R4", "clerk", ""); !errors.Is(err, ErrNotFHIR) || !hasCode(err, CheckFHIRVersion, "3.0.2") {
		t.Errorf("STU3: %v, want ErrNotFHIR naming 3.0.2", err)
	}

	srv := httptest.NewServer(fhirHandler("4.0.1"))
	defer srv.Close()
	if err := checkAgainst(t, srv.URL+"/wrong", "clerk", ""); !errors.Is(err, ErrNotFHIR) || !hasCode(err, CheckNotFound, "404 Not Found") {
		t.Errorf("404: %v, want ErrNotFHIR", err)
	}
}

func TestCheckUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = checkAgainst(t, "http://"+addr+"/R4", "clerk", "")
	if !errors.Is(err, ErrUnreachable) || !hasCode(err, CheckConnRefused) {
		t.Errorf("closed port: %v, want ErrUnreachable (refused)", err)
	}
	err = checkAgainst(t, "https://no-such-host.invalid/R4", "clerk", "")
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("unknown host: %v, want ErrUnreachable", err)
	}

	// Headers never come: the caller's deadline stops it and is returned as such.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = Check(ctx, Account{FHIRBase: slow.URL, User: "clerk"}, testSecret, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled: %v, want context.DeadlineExceeded", err)
	}
}

func TestCheckServerError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	if err := checkAgainst(t, srv.URL, "clerk", ""); !errors.Is(err, ErrServer) || !hasCode(err, CheckServerError, "503 Service Unavailable") {
		t.Errorf("503: %v, want ErrServer", err)
	}
}

func TestNewHTTPClientCAFile(t *testing.T) {
	if _, err := NewHTTPClient(Account{CAFile: filepath.Join(t.TempDir(), "missing.pem")}); err == nil {
		t.Error("missing CA file accepted")
	}
	junk := filepath.Join(t.TempDir(), "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewHTTPClient(Account{CAFile: junk}); err == nil || !strings.Contains(err.Error(), "no PEM") {
		t.Errorf("junk CA file: %v", err)
	}
	c, err := NewHTTPClient(Account{})
	if err != nil {
		t.Fatal(err)
	}
	tr := c.Transport.(*netsafe.Transport).Base.(*http.Transport)
	if c.Timeout != 0 || tr.TLSClientConfig.MinVersion != tls.VersionTLS12 || tr.ResponseHeaderTimeout != ResponseHeaderTimeout {
		t.Errorf("client settings: timeout %v, min TLS %x, header timeout %v", c.Timeout, tr.TLSClientConfig.MinVersion, tr.ResponseHeaderTimeout)
	}
}

// A 307 from the https server to plain http must not carry the password there.
func TestCheckRedirectToHTTPKeepsPassword(t *testing.T) {
	var got []string
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
		fhirHandler("4.0.1").ServeHTTP(w, r)
	}))
	defer plain.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	acct := Account{FHIRBase: srv.URL + "/R4", User: "clerk"}
	err := Check(context.Background(), acct, testSecret, srv.Client())
	if !errors.Is(err, netsafe.ErrRedirect) || !hasCode(err, CheckRedirect) {
		t.Errorf("Check through a redirect to http: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("the plain http server got %d request(s), Authorization %q", len(got), got)
	}
}

func TestValidateRefusesPlainHTTP(t *testing.T) {
	for _, c := range []struct {
		acct Account
		ok   bool
	}{
		{Account{FHIRBase: "https://fhir.example.org/R4"}, true},
		{Account{FHIRBase: "http://127.0.0.1:8080/fhir"}, true},
		{Account{FHIRBase: "http://localhost:8080/fhir", DICOMWebBase: "http://[::1]:8042/dicom-web"}, true},
		{Account{FHIRBase: "http://fhir.example.org/R4"}, false},
		{Account{FHIRBase: "https://fhir.example.org/R4", DICOMWebBase: "http://pacs.example.org/dicom-web"}, false},
	} {
		err := c.acct.Validate()
		if (err == nil) != c.ok {
			t.Errorf("Validate(%+v) = %v, want ok=%v", c.acct, err, c.ok)
		}
		if err != nil && (!errors.Is(err, ErrInvalidAccount) || !(hasCode(err, AddressNotHTTPS) || hasCode(err, AddressPlainHTTP))) {
			t.Errorf("message for %+v: %v", c.acct, err)
		}
	}
}

// hasCode reports whether err carries a message with the code (and, when given, an argument
// equal to want).
func hasCode(err error, code msg.Code, want ...any) bool {
	m, ok := msg.Of(err)
	if !ok || m.Code != code {
		return false
	}
	for _, w := range want {
		if !slices.Contains(m.Args, w) {
			return false
		}
	}
	return m.Valid() == nil
}
