// Package netsafe is the one place that decides how ReferralDesk talks to servers: which
// addresses it may use (https, or plain http only to this computer), which redirects it follows
// (same scheme, host and port, and only for GET and HEAD, so credentials and patient data never
// go elsewhere), and how much of an answer it reads (every read is capped, downloads are streamed
// to a private temporary file).
package netsafe

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Sentinel errors; compare with errors.Is.
var (
	// ErrInsecure: an address that is not https and not on this computer.
	ErrInsecure = errors.New("the address is not encrypted (https)")
	// ErrRedirect: a redirect the policy does not follow.
	ErrRedirect = errors.New("the server redirected the request elsewhere")
	// ErrTooLarge: an answer or download larger than its cap.
	ErrTooLarge = errors.New("the server's answer is too large")
)

// maxRedirects bounds a chain of same-origin redirects.
const maxRedirects = 5

// IsLoopback reports whether host (without port, brackets allowed) is this computer:
// localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckURL parses raw and accepts it only when it is https, or http to a loopback host (the test
// servers). what names the address in the message ("the FHIR server address").
func CheckURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("netsafe: %s is not a web address", what)
	}
	if err := checkScheme(what, u); err != nil {
		return nil, err
	}
	return u, nil
}

func checkScheme(what string, u *url.URL) error {
	switch {
	case u.Host == "":
		return fmt.Errorf("netsafe: %s has no server name", what)
	case strings.EqualFold(u.Scheme, "https"):
		return nil
	case strings.EqualFold(u.Scheme, "http") && IsLoopback(u.Hostname()):
		return nil
	case strings.EqualFold(u.Scheme, "http"):
		return fmt.Errorf("%w: %s must start with https:// (http://%s would send the password and patient data unencrypted; plain http:// is allowed only for a server on this computer: localhost, 127.0.0.1 or ::1)",
			ErrInsecure, what, u.Host)
	default:
		return fmt.Errorf("%w: %s must start with https://", ErrInsecure, what)
	}
}

// origin is scheme://host:port with the default port filled in, lower-cased.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// SameOrigin reports whether a and b have the same scheme, host and port.
func SameOrigin(a, b *url.URL) bool { return origin(a) == origin(b) }

// CheckRedirect is the http.Client.CheckRedirect of every client: a redirect is followed only
// when the first request was a GET or HEAD and the new address has the same scheme, host and
// port; anything else stops with ErrRedirect before the new request is sent, so neither the
// Authorization header nor a body (a transaction with patient data) goes to another origin.
// The message names the scheme and host, never the path or query (a search holds patient data).
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	first := via[0]
	switch first.Method {
	case http.MethodGet, http.MethodHead, "":
	default:
		return fmt.Errorf("%w: the answer to a %s was a redirect to %s; a %s is never re-sent to another address",
			ErrRedirect, first.Method, req.URL.Scheme+"://"+req.URL.Host, first.Method)
	}
	if !SameOrigin(first.URL, req.URL) {
		return fmt.Errorf("%w: %s sent the request on to %s; only redirects on the same server (scheme, host and port) are followed",
			ErrRedirect, first.URL.Scheme+"://"+first.URL.Host, req.URL.Scheme+"://"+req.URL.Host)
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirect, maxRedirects)
	}
	return nil
}

// Transport refuses any request that is neither https nor to this computer, then hands the
// request to Base: a client built elsewhere, or an address that skipped CheckURL, still cannot
// send in clear.
type Transport struct{ Base http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (g *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkScheme("the server address", req.URL); err != nil {
		if req.Body != nil {
			_ = req.Body.Close() // RoundTrip must close the body, even on error
		}
		return nil, err
	}
	return g.Base.RoundTrip(req)
}

// NewClient makes a client with the policy over rt (nil: http.DefaultTransport).
func NewClient(rt http.RoundTripper) *http.Client {
	return Harden(&http.Client{Transport: rt})
}

// Harden returns a copy of c (nil: a new client over http.DefaultTransport) whose redirects and
// requests follow the policy. It is cheap and idempotent: packages call it on whatever client they
// were given, so the policy holds even for a client built without NewClient.
func Harden(c *http.Client) *http.Client {
	var out http.Client
	if c != nil {
		out = *c
	}
	switch t := out.Transport.(type) {
	case *Transport:
	case nil:
		out.Transport = &Transport{Base: http.DefaultTransport}
	default:
		out.Transport = &Transport{Base: t}
	}
	out.CheckRedirect = CheckRedirect
	return &out
}

// RedactURL replaces the address that http.Client.Do quotes in its *url.Error with shown (say,
// the path alone): the whole address carries the query, and a search's query holds patient names.
// The type and the cause (its errors.Is/As matches) are kept.
func RedactURL(err error, shown string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: shown, Err: ue.Err}
	}
	return err
}
