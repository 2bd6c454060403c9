package creds

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/referraldesk/referraldesk/app/netsafe"
)

// Sign-in test results; compare with errors.Is. The *CheckError that Check returns says in plain
// English what exactly is wrong and what to do.
var (
	ErrUnreachable    = errors.New("the server cannot be reached")
	ErrTLS            = errors.New("the server's security certificate is not accepted")
	ErrBadCredentials = errors.New("the server refused the user name and password")
	ErrNotFHIR        = errors.New("the address is not a FHIR R4 server")
	ErrServer         = errors.New("the server had a problem")
)

// CheckError is a failed sign-in test: Kind is one of the sentinels above, Error() a sentence for
// the user (never a secret), Err the technical cause when there is one.
type CheckError struct {
	Kind   error
	Detail string
	Err    error
}

func (e *CheckError) Error() string { return e.Detail }

// Unwrap lets errors.Is match Kind and errors.As reach the technical cause.
func (e *CheckError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// maxMetadataBytes bounds the CapabilityStatement read (big servers publish a few MB).
const maxMetadataBytes = 32 << 20

// UserAgent is sent with every request ReferralDesk makes.
const UserAgent = "ReferralDesk"

// Check tests a sign-in: GET {base}/metadata must return a CapabilityStatement for FHIR 4.x, and
// one authenticated search ({base}/Patient?_count=1&_summary=count) must succeed, since many servers
// serve /metadata to anyone. Credentials go with both requests (HTTP Basic, or Bearer when
// acct.User is empty). A nil client means NewHTTPClient(acct). Failures are *CheckError matching
// ErrUnreachable, ErrTLS, ErrBadCredentials, ErrNotFHIR or ErrServer; an invalid account matches
// ErrInvalidAccount; a cancelled ctx returns ctx's error.
func Check(ctx context.Context, acct Account, secret string, client *http.Client) error {
	if err := acct.Validate(); err != nil {
		return fmt.Errorf("creds: %w", err)
	}
	if client == nil {
		c, err := NewHTTPClient(acct)
		if err != nil {
			return err
		}
		client = c
	}
	client = netsafe.Harden(client)
	base := strings.TrimRight(strings.TrimSpace(acct.FHIRBase), "/")
	host := acct.Host()

	var cs struct {
		ResourceType string `json:"resourceType"`
		FHIRVersion  string `json:"fhirVersion"`
	}
	if err := getJSON(ctx, client, acct, secret, base+"/metadata", host, "the server description (/metadata)", &cs); err != nil {
		return err
	}
	if cs.ResourceType != "CapabilityStatement" {
		return &CheckError{Kind: ErrNotFHIR, Detail: fmt.Sprintf(
			"%s answered /metadata with %s instead of a CapabilityStatement: this is not a FHIR server address. Check the address (it usually ends in /fhir or /R4).",
			host, article(cs.ResourceType))}
	}
	if !strings.HasPrefix(cs.FHIRVersion, "4.") {
		v := cs.FHIRVersion
		if v == "" {
			v = "an unstated version"
		}
		return &CheckError{Kind: ErrNotFHIR, Detail: fmt.Sprintf(
			"%s speaks FHIR %s; ReferralDesk needs FHIR R4 (version 4.x). Ask the institution for its R4 address.", host, v)}
	}

	var bundle struct {
		ResourceType string `json:"resourceType"`
	}
	if err := getJSON(ctx, client, acct, secret, base+"/Patient?_count=1&_summary=count", host, "a test search for patients", &bundle); err != nil {
		return err
	}
	if bundle.ResourceType != "Bundle" {
		return &CheckError{Kind: ErrNotFHIR, Detail: fmt.Sprintf(
			"%s answered a patient search with %s instead of a Bundle: it does not behave like a FHIR server.", host, article(bundle.ResourceType))}
	}
	return nil
}

func article(resourceType string) string {
	if resourceType == "" {
		return "JSON that is not a FHIR resource"
	}
	return "a " + resourceType
}

// getJSON GETs url with credentials and decodes a FHIR JSON answer into v, turning every failure
// into a *CheckError.
func getJSON(ctx context.Context, client *http.Client, acct Account, secret, url, host, what string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("creds: build request: %w", err)
	}
	req.Header.Set("Accept", "application/fhir+json, application/json;q=0.9")
	req.Header.Set("User-Agent", UserAgent)
	SetAuth(req, acct, secret)
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("creds: sign-in test stopped: %w", ctx.Err())
		}
		return transportError(host, err)
	}
	defer resp.Body.Close()
	if ce := statusError(host, what, resp); ce != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return ce
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "text/html" {
		return &CheckError{Kind: ErrNotFHIR, Detail: fmt.Sprintf(
			"%s answered %s with a web page, not FHIR data: the address is probably a web site or a sign-in page, not the FHIR server's base address.", host, what)}
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, maxMetadataBytes))
	if err := dec.Decode(v); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("creds: sign-in test stopped: %w", ctx.Err())
		}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		if errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &CheckError{Kind: ErrNotFHIR, Err: err, Detail: fmt.Sprintf(
				"%s answered %s with something that is not FHIR JSON: check the address.", host, what)}
		}
		return transportError(host, err)
	}
	return nil
}

// statusError maps an HTTP status to a *CheckError, or nil for 2xx.
func statusError(host, what string, resp *http.Response) *CheckError {
	code := resp.StatusCode
	status := fmt.Sprintf("%d %s", code, http.StatusText(code))
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusUnauthorized:
		return &CheckError{Kind: ErrBadCredentials, Detail: fmt.Sprintf(
			"%s refused the user name and password or token (%s). Check them and sign in again.", host, status)}
	case code == http.StatusForbidden:
		return &CheckError{Kind: ErrBadCredentials, Detail: fmt.Sprintf(
			"%s accepted the sign-in but does not allow this account to send referrals (%s). Ask the institution to enable the account.", host, status)}
	case code == http.StatusTooManyRequests:
		return &CheckError{Kind: ErrServer, Detail: fmt.Sprintf(
			"%s is busy (%s). Try again in a few minutes.", host, status)}
	case code >= 500:
		return &CheckError{Kind: ErrServer, Detail: fmt.Sprintf(
			"%s had a problem answering %s (%s). This is on the server's side: try again later, or call the institution's support line if it persists.", host, what, status)}
	case code == http.StatusBadRequest && plainHTTPToTLS(resp):
		return &CheckError{Kind: ErrNotFHIR, Detail: fmt.Sprintf(
			"%s expects a secure connection: change the address to start with https://.", host)}
	case code == http.StatusNotFound:
		return &CheckError{Kind: ErrNotFHIR, Detail: fmt.Sprintf(
			"%s has no FHIR server at this address (%s for %s). Check the address: it usually ends in /fhir or /R4.", host, status, what)}
	default:
		return &CheckError{Kind: ErrNotFHIR, Detail: fmt.Sprintf(
			"%s did not accept %s (%s): check the address.", host, what, status)}
	}
}

// plainHTTPToTLS reports whether a 400 answer says that plain HTTP was sent to an HTTPS port
// (Go, nginx and Apache say so in the body).
func plainHTTPToTLS(resp *http.Response) bool {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	s := strings.ToLower(string(b))
	return strings.Contains(s, "https") && (strings.Contains(s, "http request") || strings.Contains(s, "plain http") || strings.Contains(s, "ssl-enabled"))
}

// transportError explains a failed connection: TLS problems first, then the network.
func transportError(host string, err error) *CheckError {
	if errors.Is(err, netsafe.ErrRedirect) {
		return &CheckError{Kind: ErrNotFHIR, Err: err, Detail: fmt.Sprintf(
			"%s sent the sign-in on to another address; ReferralDesk never sends the password to another server or over plain http. If the institution moved its FHIR server, enter the new https:// address.", host)}
	}
	if errors.Is(err, netsafe.ErrInsecure) {
		return &CheckError{Kind: ErrNotFHIR, Err: err, Detail: fmt.Sprintf(
			"%s is a plain http:// address: the password and patient data go only over https://. Change the address to start with https://.", host)}
	}
	if ce := tlsError(host, err); ce != nil {
		return ce
	}
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return &CheckError{Kind: ErrUnreachable, Err: err, Detail: fmt.Sprintf(
			"The server name %s was not found. Check the address for typing mistakes, and that this computer is online.", dnsErr.Name)}
	case errors.As(err, &dnsErr):
		return &CheckError{Kind: ErrUnreachable, Err: err, Detail: fmt.Sprintf(
			"The server name %s could not be looked up. Check that this computer is online.", dnsErr.Name)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &CheckError{Kind: ErrUnreachable, Err: err, Detail: fmt.Sprintf(
			"%s refused the connection: no server is listening at that address and port. Check the address, or try again later.", host)}
	case errors.As(err, &netErr) && netErr.Timeout():
		return &CheckError{Kind: ErrUnreachable, Err: err, Detail: fmt.Sprintf(
			"%s did not answer in time. Check that this computer is online and the address is right; a firewall may be blocking it.", host)}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &CheckError{Kind: ErrUnreachable, Err: err, Detail: fmt.Sprintf(
			"The connection to %s was cut. Check the network connection and try again.", host)}
	default:
		return &CheckError{Kind: ErrUnreachable, Err: err, Detail: fmt.Sprintf(
			"%s cannot be reached. Check the address and that this computer is online.", host)}
	}
}

// tlsError recognises certificate and handshake failures.
func tlsError(host string, err error) *CheckError {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	var verr *tls.CertificateVerificationError
	const proxyHint = " If your clinic's network inspects secure traffic, choose its certificate file (CA file) in the account settings."
	switch {
	case errors.As(err, &unknown):
		return &CheckError{Kind: ErrTLS, Err: err, Detail: fmt.Sprintf(
			"The security certificate of %s is not trusted: it was issued by an unknown authority (self-signed, or replaced by a network proxy).%s", host, proxyHint)}
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return &CheckError{Kind: ErrTLS, Err: err, Detail: fmt.Sprintf(
			"The security certificate of %s has expired or is not valid yet. Check this computer's date and time; if they are right, tell the institution.", host)}
	case errors.As(err, &invalid):
		return &CheckError{Kind: ErrTLS, Err: err, Detail: fmt.Sprintf(
			"The security certificate of %s is not valid (%s).%s", host, invalid.Detail, proxyHint)}
	case errors.As(err, &hostErr):
		names := "other names"
		if hostErr.Certificate != nil && len(hostErr.Certificate.DNSNames) > 0 {
			names = strings.Join(hostErr.Certificate.DNSNames, ", ")
		}
		return &CheckError{Kind: ErrTLS, Err: err, Detail: fmt.Sprintf(
			"The security certificate of %s was issued for a different server name (%s). Check the address.", host, names)}
	case errors.As(err, &recErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return &CheckError{Kind: ErrTLS, Err: err, Detail: fmt.Sprintf(
			"%s does not speak HTTPS at this address and port. Check the address (http:// or https://, and the port).", host)}
	case errors.As(err, &verr), errors.As(err, &alert):
		return &CheckError{Kind: ErrTLS, Err: err, Detail: fmt.Sprintf(
			"The secure connection to %s failed: the certificate or the TLS settings were not accepted.%s", host, proxyHint)}
	case strings.Contains(err.Error(), "tls: "):
		return &CheckError{Kind: ErrTLS, Err: err, Detail: fmt.Sprintf(
			"The secure connection to %s failed (TLS).%s", host, proxyHint)}
	}
	return nil
}
