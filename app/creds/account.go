// Package creds keeps the institution account's secret (password or API token) in the OS keychain
// through go-keyring, and tests a sign-in against the FHIR server.
//
// Every call that touches the keychain or the network is synchronous and may block for a long time
// (a locked keychain waits for the user; a network times out after seconds): callers run it off the
// UI thread, and may use GetContext, SetContext and DeleteContext to stop waiting when the user
// cancels. Nothing in this package logs, and no error message carries a secret.
package creds

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/netsafe"
)

// Service is the keychain service name every ReferralDesk secret is stored under.
const Service = "ReferralDesk"

// ErrInvalidAccount is matched by every problem Account.Validate reports.
var ErrInvalidAccount = errors.New("invalid account")

// Account is what identifies the institution account. None of it is secret: the caller keeps it
// (in the settings table); the secret lives only in the keychain under Key().
type Account struct {
	FHIRBase     string // FHIR R4 base URL, e.g. https://fhir.example.org/R4
	DICOMWebBase string // DICOMweb root, optional
	User         string // user name for HTTP Basic; empty means the secret is a Bearer token
	CAFile       string // optional PEM bundle trusted in addition to the system roots
	// Auth is how requests are authorized (AuthBasic, AuthBearer, AuthSMARTUser, AuthSMARTBackend);
	// "" means Basic when User is set, else Bearer (accounts saved before SMART existed).
	Auth     string
	ClientID string // OAuth client id (SMART)
	// SMART endpoints found at sign-in (kept so the outbox can renew tokens offline-first, without
	// discovery on every start).
	TokenURL  string
	RevokeURL string
	Scopes    string // the scopes the server granted at sign-in
	KeyFile   string // SMART Backend Services: a PEM private key file instead of the keychain
}

// Ways an account authorizes requests (Account.Auth).
const (
	AuthBasic        = "basic"
	AuthBearer       = "bearer"
	AuthSMARTUser    = "smart-user"    // the secret is an OAuth refresh token
	AuthSMARTBackend = "smart-backend" // the secret is a PEM private key (unless KeyFile is set)
)

// Kind is Auth with the default for older accounts filled in.
func (a Account) Kind() string {
	switch {
	case a.Auth != "":
		return a.Auth
	case a.User != "":
		return AuthBasic
	}
	return AuthBearer
}

// IsSMART tells whether the secret is an OAuth refresh token or key rather than a header value.
func (a Account) IsSMART() bool { return a.Kind() == AuthSMARTUser || a.Kind() == AuthSMARTBackend }

// Validate checks that the account can be used: an https FHIR base with a host (plain http only
// for a server on this computer, the test peers), no credentials or query in the URLs (they would
// end up in settings and logs).
// Message codes of account validation; each error wraps ErrInvalidAccount. Arguments named
// field are AddressFHIR or AddressDICOMweb.
var (
	AddressFHIR          = msg.Define("creds.account.address.fhir")
	AddressDICOMweb      = msg.Define("creds.account.address.dicomweb")
	UserLineBreak        = msg.Define("creds.account.user_line_break")
	NoClientID           = msg.Define("creds.account.no_client_id")
	UnknownAuth          = msg.Define("creds.account.unknown_auth", "method")
	ClientIDSpace        = msg.Define("creds.account.client_id_space")
	UserColon            = msg.Define("creds.account.user_colon")
	AddressMissing       = msg.Define("creds.account.address_missing", "field")
	AddressNotURL        = msg.Define("creds.account.address_not_url", "field")
	AddressNotHTTPS      = msg.Define("creds.account.address_not_https", "field")
	AddressNoHost        = msg.Define("creds.account.address_no_host", "field")
	AddressPlainHTTP     = msg.Define("creds.account.address_plain_http", "field", "address")
	AddressUserInfo      = msg.Define("creds.account.address_user_info", "field")
	AddressQueryFragment = msg.Define("creds.account.address_query", "field")
)

func invalid(code msg.Code, args ...any) error { return msg.Wrap(ErrInvalidAccount, code, args...) }

func (a Account) Validate() error {
	var errs []error
	if _, err := parseBase(AddressFHIR, a.FHIRBase, true); err != nil {
		errs = append(errs, err)
	}
	if _, err := parseBase(AddressDICOMweb, a.DICOMWebBase, false); err != nil {
		errs = append(errs, err)
	}
	if strings.ContainsAny(a.User, "\r\n") {
		errs = append(errs, invalid(UserLineBreak))
	}
	switch a.Kind() {
	case AuthBasic, AuthBearer:
	case AuthSMARTUser, AuthSMARTBackend:
		if strings.TrimSpace(a.ClientID) == "" {
			errs = append(errs, invalid(NoClientID))
		}
	default:
		errs = append(errs, invalid(UnknownAuth, a.Auth))
	}
	if strings.ContainsAny(a.ClientID, "\r\n ") {
		errs = append(errs, invalid(ClientIDSpace))
	}
	if strings.Contains(a.User, ":") {
		errs = append(errs, invalid(UserColon))
	}
	return errors.Join(errs...)
}

func parseBase(field msg.Code, s string, required bool) (*url.URL, error) {
	what := msg.New(field)
	if strings.TrimSpace(s) == "" {
		if required {
			return nil, invalid(AddressMissing, what)
		}
		return nil, nil
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, invalid(AddressNotURL, what)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, invalid(AddressNotHTTPS, what)
	case u.Host == "":
		return nil, invalid(AddressNoHost, what)
	case u.Scheme == "http" && !netsafe.IsLoopback(u.Hostname()):
		return nil, invalid(AddressPlainHTTP, what, "http://"+u.Host)
	case u.User != nil:
		return nil, invalid(AddressUserInfo, what)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, invalid(AddressQueryFragment, what)
	}
	return u, nil
}

// Host is the FHIR server's host (with the port when one is given), lower-cased; "" when the base
// is not a valid URL.
func (a Account) Host() string {
	u, err := parseBase("FHIR server address", a.FHIRBase, true)
	if err != nil || u == nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// Key is the keychain user name the secret is stored under (service Service): "User@host". A
// token account (empty User) gives "@host". Chunks of a long secret add "#1", "#2"... (a host
// never contains '#', so keys of different accounts cannot collide).
func (a Account) Key() string { return a.User + "@" + a.Host() }

// SetAuth puts the account's credentials on req: HTTP Basic with User and secret, or, when User is
// empty, "Authorization: Bearer secret".
// SMART accounts add nothing here: their secret is a refresh token or key, and the access token comes
// from the http.Client's transport (package smart).
func SetAuth(req *http.Request, acct Account, secret string) {
	switch acct.Kind() {
	case AuthSMARTUser, AuthSMARTBackend:
		return
	case AuthBearer:
		req.Header.Set("Authorization", "Bearer "+secret)
		return
	}
	req.SetBasicAuth(acct.User, secret)
}
