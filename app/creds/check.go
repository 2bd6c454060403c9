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

	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/netsafe"
)

// Sign-in test results; compare with errors.Is. The *CheckError that Check returns carries a
// message (code and arguments) saying what exactly is wrong and what to do.
var (
	ErrUnreachable    = errors.New("the server cannot be reached")
	ErrTLS            = errors.New("the server's security certificate is not accepted")
	ErrBadCredentials = errors.New("the server refused the user name and password")
	ErrNotFHIR        = errors.New("the address is not a FHIR R4 server")
	ErrServer         = errors.New("the server had a problem")
)

// CheckError is a failed sign-in test: Kind is one of the sentinels above, Msg what to tell the
// user (never a secret), Err the technical cause when there is one.
type CheckError struct {
	Kind error
	Msg  msg.Msg
	Err  error
}

func (e *CheckError) Error() string {
	s := "creds: " + e.Kind.Error() + " (" + string(e.Msg.Code) + ")"
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Message is what to tell the user.
func (e *CheckError) Message() msg.Msg { return e.Msg }

// Message codes of the sign-in test. Arguments: host is the server's host name; what is one of
// the What* messages; status an HTTP status ("404 Not Found").
var (
	WhatMetadata = msg.Define("creds.check.what.metadata")
	WhatSearch   = msg.Define("creds.check.what.search")
	ResourceA    = msg.Define("creds.check.resource", "type")
	NotResource  = msg.Define("creds.check.not_resource")

	CheckNotCapability  = msg.Define("creds.check.not_capability", "host", "resource")
	CheckFHIRVersion    = msg.Define("creds.check.fhir_version", "host", "version")
	CheckNoVersion      = msg.Define("creds.check.fhir_version_unstated", "host")
	CheckNotBundle      = msg.Define("creds.check.not_bundle", "host", "resource")
	CheckWebPage        = msg.Define("creds.check.web_page", "host", "what")
	CheckNotJSON        = msg.Define("creds.check.not_json", "host", "what")
	CheckRefused        = msg.Define("creds.check.refused", "host", "status")
	CheckForbidden      = msg.Define("creds.check.forbidden", "host", "status")
	CheckBusy           = msg.Define("creds.check.busy", "host", "status")
	CheckServerError    = msg.Define("creds.check.server_error", "host", "what", "status")
	CheckWantsHTTPS     = msg.Define("creds.check.wants_https", "host")
	CheckNotFound       = msg.Define("creds.check.not_found", "host", "status", "what")
	CheckNotAccepted    = msg.Define("creds.check.not_accepted", "host", "what", "status")
	CheckRedirect       = msg.Define("creds.check.redirect", "host")
	CheckPlainHTTP      = msg.Define("creds.check.plain_http", "host")
	CheckNameNotFound   = msg.Define("creds.check.name_not_found", "name")
	CheckNameLookup     = msg.Define("creds.check.name_lookup", "name")
	CheckConnRefused    = msg.Define("creds.check.connection_refused", "host")
	CheckTimeout        = msg.Define("creds.check.timeout", "host")
	CheckConnCut        = msg.Define("creds.check.connection_cut", "host")
	CheckUnreachable    = msg.Define("creds.check.unreachable", "host")
	CheckCertUnknown    = msg.Define("creds.check.cert_unknown_authority", "host")
	CheckCertExpired    = msg.Define("creds.check.cert_expired", "host")
	CheckCertInvalid    = msg.Define("creds.check.cert_invalid", "host", "detail")
	CheckCertOtherName  = msg.Define("creds.check.cert_other_name", "host", "names")
	CheckCertOtherNames = msg.Define("creds.check.cert_other_names", "host")
	CheckNoHTTPS        = msg.Define("creds.check.no_https", "host")
	CheckTLSRefused     = msg.Define("creds.check.tls_refused", "host")
	CheckTLSFailed      = msg.Define("creds.check.tls_failed", "host")
)

func checkErr(kind, cause error, code msg.Code, args ...any) *CheckError {
	return &CheckError{Kind: kind, Err: cause, Msg: msg.New(code, args...)}
}

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
	if err := getJSON(ctx, client, acct, secret, base+"/metadata", host, msg.New(WhatMetadata), &cs); err != nil {
		return err
	}
	if cs.ResourceType != "CapabilityStatement" {
		return checkErr(ErrNotFHIR, nil, CheckNotCapability, host, article(cs.ResourceType))
	}
	if !strings.HasPrefix(cs.FHIRVersion, "4.") {
		if cs.FHIRVersion == "" {
			return checkErr(ErrNotFHIR, nil, CheckNoVersion, host)
		}
		return checkErr(ErrNotFHIR, nil, CheckFHIRVersion, host, cs.FHIRVersion)
	}

	var bundle struct {
		ResourceType string `json:"resourceType"`
	}
	if err := getJSON(ctx, client, acct, secret, base+"/Patient?_count=1&_summary=count", host, msg.New(WhatSearch), &bundle); err != nil {
		return err
	}
	if bundle.ResourceType != "Bundle" {
		return checkErr(ErrNotFHIR, nil, CheckNotBundle, host, article(bundle.ResourceType))
	}
	return nil
}

func article(resourceType string) msg.Msg {
	if resourceType == "" {
		return msg.New(NotResource)
	}
	return msg.New(ResourceA, resourceType)
}

// getJSON GETs url with credentials and decodes a FHIR JSON answer into v, turning every failure
// into a *CheckError.
func getJSON(ctx context.Context, client *http.Client, acct Account, secret, url, host string, what msg.Msg, v any) error {
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
		return checkErr(ErrNotFHIR, nil, CheckWebPage, host, what)
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, maxMetadataBytes))
	if err := dec.Decode(v); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("creds: sign-in test stopped: %w", ctx.Err())
		}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		if errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return checkErr(ErrNotFHIR, err, CheckNotJSON, host, what)
		}
		return transportError(host, err)
	}
	return nil
}

// statusError maps an HTTP status to a *CheckError, or nil for 2xx.
func statusError(host string, what msg.Msg, resp *http.Response) *CheckError {
	code := resp.StatusCode
	status := fmt.Sprintf("%d %s", code, http.StatusText(code))
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusUnauthorized:
		return checkErr(ErrBadCredentials, nil, CheckRefused, host, status)
	case code == http.StatusForbidden:
		return checkErr(ErrBadCredentials, nil, CheckForbidden, host, status)
	case code == http.StatusTooManyRequests:
		return checkErr(ErrServer, nil, CheckBusy, host, status)
	case code >= 500:
		return checkErr(ErrServer, nil, CheckServerError, host, what, status)
	case code == http.StatusBadRequest && plainHTTPToTLS(resp):
		return checkErr(ErrNotFHIR, nil, CheckWantsHTTPS, host)
	case code == http.StatusNotFound:
		return checkErr(ErrNotFHIR, nil, CheckNotFound, host, status, what)
	default:
		return checkErr(ErrNotFHIR, nil, CheckNotAccepted, host, what, status)
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
		return checkErr(ErrNotFHIR, err, CheckRedirect, host)
	}
	if errors.Is(err, netsafe.ErrInsecure) {
		return checkErr(ErrNotFHIR, err, CheckPlainHTTP, host)
	}
	if ce := tlsError(host, err); ce != nil {
		return ce
	}
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return checkErr(ErrUnreachable, err, CheckNameNotFound, dnsErr.Name)
	case errors.As(err, &dnsErr):
		return checkErr(ErrUnreachable, err, CheckNameLookup, dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return checkErr(ErrUnreachable, err, CheckConnRefused, host)
	case errors.As(err, &netErr) && netErr.Timeout():
		return checkErr(ErrUnreachable, err, CheckTimeout, host)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return checkErr(ErrUnreachable, err, CheckConnCut, host)
	default:
		return checkErr(ErrUnreachable, err, CheckUnreachable, host)
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
	switch {
	case errors.As(err, &unknown):
		return checkErr(ErrTLS, err, CheckCertUnknown, host)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return checkErr(ErrTLS, err, CheckCertExpired, host)
	case errors.As(err, &invalid):
		return checkErr(ErrTLS, err, CheckCertInvalid, host, invalid.Detail)
	case errors.As(err, &hostErr):
		if hostErr.Certificate == nil || len(hostErr.Certificate.DNSNames) == 0 {
			return checkErr(ErrTLS, err, CheckCertOtherNames, host)
		}
		return checkErr(ErrTLS, err, CheckCertOtherName, host, strings.Join(hostErr.Certificate.DNSNames, ", "))
	case errors.As(err, &recErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return checkErr(ErrTLS, err, CheckNoHTTPS, host)
	case errors.As(err, &verr), errors.As(err, &alert):
		return checkErr(ErrTLS, err, CheckTLSRefused, host)
	case strings.Contains(err.Error(), "tls: "):
		return checkErr(ErrTLS, err, CheckTLSFailed, host)
	}
	return nil
}
