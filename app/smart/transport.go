package smart

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/fhir"
)

// DefaultMargin is how long before its expiry an access token is renewed.
const DefaultMargin = 60 * time.Second

// Source gives access tokens for one account; implementations are safe for concurrent use.
type Source interface {
	// Token returns a valid access token, renewing it when it expires within the margin. An error
	// matching ErrSignInAgain means the renewal was refused and a person must act.
	Token(ctx context.Context) (string, error)
	// Invalidate drops token if it is the current one (the server answered 401 with it).
	Invalidate(token string)
}

// signInAgain is ErrSignInAgain that also matches fhir.ErrUnauthorized, so the outbox worker pauses
// and asks for a new sign-in exactly as after a refused password.
type signInAgain struct {
	detail string
	cause  error
}

func (e *signInAgain) Error() string { return "smart: " + ErrSignInAgain.Error() + ": " + e.detail }
func (e *signInAgain) Is(target error) bool {
	return target == ErrSignInAgain || target == fhir.ErrUnauthorized
}
func (e *signInAgain) Unwrap() error { return e.cause }

// refusal turns a token endpoint's refusal into ErrSignInAgain (with ErrWrongClientID when the client
// is unknown); other failures (network, 5xx) stay retryable.
func refusal(tokenURL string, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var ue *url.Error
		if errors.As(err, &ue) {
			return connError(hostOf(tokenURL), err)
		}
		return fmt.Errorf("smart: renew the access token: %w", err)
	}
	switch {
	case re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client":
		return &signInAgain{detail: "the server no longer accepts this client id or key (" + re.ErrorCode + ")", cause: ErrWrongClientID}
	case re.ErrorCode == "invalid_grant" || re.ErrorCode == "invalid_scope" || re.ErrorCode == "access_denied" ||
		(re.Response != nil && (re.Response.StatusCode == http.StatusBadRequest || re.Response.StatusCode == http.StatusUnauthorized)):
		code := re.ErrorCode
		if code == "" {
			code = "refused"
		}
		return &signInAgain{detail: "the server refused to renew the sign-in (" + code + ")"}
	}
	return fmt.Errorf("smart: renew the access token: the server answered %s; will retry", re.Response.Status)
}

// UserSource renews a person's access token with the refresh token kept in the keychain. The access
// token stays in memory; a rotated refresh token replaces the stored one.
type UserSource struct {
	Account  creds.Account // FHIRBase, ClientID, TokenURL
	Keychain creds.Keychain
	HTTP     *http.Client
	Margin   time.Duration // default DefaultMargin
	Now      func() time.Time

	mu  sync.Mutex
	tok *oauth2.Token
}

// Seed sets the access token of a fresh sign-in (so the first request needs no renewal).
func (s *UserSource) Seed(t *oauth2.Token) {
	s.mu.Lock()
	s.tok = t
	s.mu.Unlock()
}

func (s *UserSource) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func valid(t *oauth2.Token, now time.Time, margin time.Duration) bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || now.Add(margin).Before(t.Expiry)
}

func (s *UserSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	margin := s.Margin
	if margin == 0 {
		margin = DefaultMargin
	}
	if valid(s.tok, s.now(), margin) {
		return s.tok.AccessToken, nil
	}
	rt, err := creds.GetContext(ctx, s.Keychain, s.Account)
	if errors.Is(err, creds.ErrNoSecret) {
		return "", &signInAgain{detail: "no saved sign-in in the system keychain", cause: err}
	}
	if err != nil {
		return "", fmt.Errorf("smart: %w", err)
	}
	conf := oauth2.Config{ClientID: s.Account.ClientID, Endpoint: oauth2.Endpoint{TokenURL: s.Account.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	t, err := conf.TokenSource(withClient(ctx, s.HTTP), &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		return "", refusal(s.Account.TokenURL, err)
	}
	if t.RefreshToken != "" && t.RefreshToken != rt {
		// The server rotated the refresh token: the old one is now void, so keep the new one.
		if err := creds.SetContext(ctx, s.Keychain, s.Account, t.RefreshToken); err != nil {
			return "", fmt.Errorf("smart: keep the renewed sign-in: %w", err)
		}
	}
	s.tok = t
	return t.AccessToken, nil
}

func (s *UserSource) Invalidate(token string) {
	s.mu.Lock()
	if s.tok != nil && s.tok.AccessToken == token {
		s.tok = nil
	}
	s.mu.Unlock()
}

func withClient(ctx context.Context, c *http.Client) context.Context {
	if c == nil {
		return ctx
	}
	return context.WithValue(ctx, oauth2.HTTPClient, c)
}

// errRenewed: a request with a body that cannot be sent twice met a 401; the token was dropped and the
// request is left for the outbox to retry (it matches no fhir sentinel, so it counts as retryable).
var errRenewed = errors.New("smart: the server refused the access token; a new one will be used on the next try")

// Transport puts "Authorization: Bearer <access token>" on requests under FHIRBase (and on no other
// host, so a token never leaks to an attachment URL elsewhere). On a 401 it drops the token, renews
// it and sends the request once more when the body can be replayed.
type Transport struct {
	Base     http.RoundTripper // nil means http.DefaultTransport
	Source   Source
	FHIRBase string
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// onServer reports whether u is under the FHIR base (same scheme, host and path prefix).
func (t *Transport) onServer(u *url.URL) bool {
	b, err := url.Parse(strings.TrimRight(strings.TrimSpace(t.FHIRBase), "/"))
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host) &&
		(u.Path == b.Path || strings.HasPrefix(u.Path, b.Path+"/"))
}

func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.onServer(req.URL) {
		return t.base().RoundTrip(req)
	}
	tok, err := t.Source.Token(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.base().RoundTrip(withBearer(req, req.Body, tok))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	t.Source.Invalidate(tok)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	if !replayable {
		drain(resp)
		return nil, errRenewed
	}
	var body io.ReadCloser
	if req.Body != nil && req.Body != http.NoBody {
		if body, err = req.GetBody(); err != nil {
			drain(resp)
			return nil, errRenewed
		}
	}
	tok2, err := t.Source.Token(req.Context())
	if err != nil {
		drain(resp)
		return nil, err
	}
	drain(resp)
	return t.base().RoundTrip(withBearer(req, body, tok2))
}

func withBearer(req *http.Request, body io.ReadCloser, tok string) *http.Request {
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Authorization", "Bearer "+tok)
	return r
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
