package smart

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/referraldesk/referraldesk/app/creds"
)

// DefaultBrowserTimeout is how long SignIn waits for the person to finish in the browser.
const DefaultBrowserTimeout = 5 * time.Minute

// Login is a person's sign-in (SMART standalone launch as a public native client, RFC 8252): the
// system browser opens the server's sign-in page, which sends the browser back to a one-time listener
// on 127.0.0.1 with an authorization code, exchanged with the PKCE verifier.
type Login struct {
	Account creds.Account // FHIRBase, ClientID (and CAFile); the rest is filled in
	HTTP    *http.Client  // nil: creds.NewHTTPClient(Account)
	// OpenBrowser shows url in the system browser (never an embedded web view). The CLI prints it.
	OpenBrowser func(url string) error
	Timeout     time.Duration // waiting for the browser; default DefaultBrowserTimeout
	Scopes      []string      // default UserScopes()
	Config      *Config       // nil: Discover
	Now         func() time.Time
}

// Session is a finished sign-in. Save Account (no secrets) in the settings and Token.RefreshToken in
// the keychain; the access token stays in memory (Source.Seed).
type Session struct {
	Account  creds.Account
	Token    *oauth2.Token
	FHIRUser string   // from the verified identity token, e.g. https://fhir.example.org/R4/Practitioner/12
	Missing  []string // features the granted scopes do not allow
}

// SignedInAs is the line the app shows: "Signed in as Practitioner/12".
func (s *Session) SignedInAs() string {
	who := s.FHIRUser
	if i := strings.LastIndex(who, "/"); i > 0 {
		if j := strings.LastIndex(who[:i], "/"); j >= 0 {
			who = who[j+1:]
		}
	}
	if who == "" {
		who = "an unnamed user"
	}
	return "Signed in as " + who
}

type callback struct {
	code string
	err  error
}

// SignIn runs the browser sign-in and returns the session. Failures match ErrNotSupported,
// ErrWrongClientID, ErrConsentRefused, ErrBrowserTimeout, ErrScopeRefused, ErrStateMismatch,
// ErrBadIDToken, ErrClockSkew, or creds.ErrUnreachable / creds.ErrTLS.
func SignIn(ctx context.Context, l Login) (*Session, error) {
	acct := l.Account
	acct.Auth = creds.AuthSMARTUser
	if err := acct.Validate(); err != nil {
		return nil, fmt.Errorf("smart: %w", err)
	}
	if l.OpenBrowser == nil {
		return nil, errors.New("smart: no way to open the browser")
	}
	client := l.HTTP
	if client == nil {
		c, err := creds.NewHTTPClient(acct)
		if err != nil {
			return nil, err
		}
		client = c
	}
	now := l.Now
	if now == nil {
		now = time.Now
	}
	cfg := l.Config
	if cfg == nil {
		var err error
		if cfg, err = Discover(ctx, client, acct.FHIRBase); err != nil {
			return nil, err
		}
	}
	if err := cfg.CheckUser(); err != nil {
		return nil, err
	}
	scopes := l.Scopes
	if len(scopes) == 0 {
		scopes = UserScopes()
	}
	if cfg.Issuer == "" || cfg.JWKSURI == "" {
		// Without an issuer and key set the identity token cannot be checked: do not ask for one.
		scopes = slices.DeleteFunc(slices.Clone(scopes), func(s string) bool { return s == "openid" || s == "fhirUser" })
	}

	// RFC 8252 §7.3: loopback IP literal, any free port, listening only for this sign-in.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("smart: open the sign-in listener on this computer: %w", err)
	}
	defer ln.Close()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", ln.Addr().(*net.TCPAddr).Port)
	conf := oauth2.Config{
		ClientID: acct.ClientID, RedirectURL: redirect, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: cfg.AuthorizationEndpoint, TokenURL: cfg.TokenEndpoint, AuthStyle: oauth2.AuthStyleInParams},
	}
	state, nonce, verifier := oauth2.GenerateVerifier(), oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{
		oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("aud", strings.TrimRight(strings.TrimSpace(acct.FHIRBase), "/")),
		oauth2.SetAuthURLParam("nonce", nonce),
	}
	if slices.Contains(scopes, "offline_access") {
		// OpenID Connect §11: a refresh token for offline use is granted on an explicit consent.
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "consent"))
	}
	authURL := conf.AuthCodeURL(state, opts...)
	if err := probe(ctx, client, authURL, redirect); err != nil {
		return nil, err
	}

	got := make(chan callback, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		cb := readCallback(r.URL.Query(), state)
		page(w, cb.err)
		select {
		case got <- cb:
		default:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	if err := l.OpenBrowser(authURL); err != nil {
		return nil, fmt.Errorf("smart: open the browser: %w", err)
	}
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = DefaultBrowserTimeout
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var cb callback
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("smart: sign-in stopped: %w", ctx.Err())
	case <-timer.C:
		return nil, fmt.Errorf("smart: %w (after %s): the browser may have been closed. Sign in again and finish on the server's page", ErrBrowserTimeout, timeout)
	case cb = <-got:
	}
	if cb.err != nil {
		return nil, cb.err
	}

	tok, err := conf.Exchange(withClient(ctx, client), cb.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, exchangeError(cfg.TokenEndpoint, err)
	}
	s := &Session{Token: tok}
	if slices.Contains(scopes, "openid") {
		raw, _ := tok.Extra("id_token").(string)
		if raw == "" {
			return nil, fmt.Errorf("smart: %w: the server sent no identity token although one was asked for", ErrBadIDToken)
		}
		claims, err := VerifyIDToken(ctx, client, cfg, acct.ClientID, nonce, raw, now())
		if err != nil {
			return nil, err
		}
		s.FHIRUser = claims.FHIRUser
	}
	granted, _ := tok.Extra("scope").(string)
	s.Missing = MissingFeatures(scopes, granted)
	if slices.Contains(scopes, "offline_access") && tok.RefreshToken == "" {
		s.Missing = append(s.Missing, "sending while nobody is signed in (the sign-in lasts only until the app closes)")
	}
	if granted == "" {
		granted = strings.Join(scopes, " ")
	}
	acct.TokenURL, acct.RevokeURL, acct.Scopes = cfg.TokenEndpoint, cfg.RevocationEndpoint, granted
	s.Account = acct
	return s, nil
}

// readCallback checks the redirect: state first (anything else may be forged), then an error, then
// the code.
func readCallback(q url.Values, state string) callback {
	if q.Get("state") != state {
		return callback{err: fmt.Errorf("smart: %w (state); start the sign-in again", ErrStateMismatch)}
	}
	if e := q.Get("error"); e != "" {
		return callback{err: authError(e, q.Get("error_description"))}
	}
	if q.Get("code") == "" {
		return callback{err: errors.New("smart: the server returned to ReferralDesk without a sign-in code")}
	}
	return callback{code: q.Get("code")}
}

// authError words an error from the authorization endpoint (RFC 6749 §4.1.2.1).
func authError(code, desc string) error {
	switch code {
	case "access_denied":
		return fmt.Errorf("smart: %w: ReferralDesk cannot send orders until access is allowed; sign in again and choose to allow it", ErrConsentRefused)
	case "invalid_scope":
		return fmt.Errorf("smart: %w (%s): ask the institution to allow ReferralDesk's scopes for this client id", ErrScopeRefused, safeText(desc))
	case "unauthorized_client", "invalid_client":
		return fmt.Errorf("smart: %w: check the client id the institution gave you", ErrWrongClientID)
	}
	return fmt.Errorf("smart: the server refused the sign-in: %s %s", code, safeText(desc))
}

// safeText bounds a server-provided description put into a message.
func safeText(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < 32 {
			return ' '
		}
		return r
	}, s)
}

func exchangeError(tokenURL string, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return connError(hostOf(tokenURL), err)
	}
	switch re.ErrorCode {
	case "invalid_client", "unauthorized_client":
		return fmt.Errorf("smart: %w: check the client id the institution gave you", ErrWrongClientID)
	case "invalid_scope":
		return fmt.Errorf("smart: %w: %s", ErrScopeRefused, safeText(re.ErrorDescription))
	case "invalid_grant":
		return fmt.Errorf("smart: the server refused the sign-in code (it may have expired, or this computer's clock may be wrong); sign in again: %s", safeText(re.ErrorDescription))
	}
	return fmt.Errorf("smart: the server refused the sign-in: %s %s", re.ErrorCode, safeText(re.ErrorDescription))
}

// probe asks the authorization endpoint itself (without following redirects) so that an unknown
// client id or a refused scope is reported here, in words, instead of as an error page in the browser
// that ReferralDesk never sees. A server that answers otherwise is left to the browser.
func probe(ctx context.Context, client *http.Client, authURL, redirect string) error {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.Timeout = 30 * time.Second
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return fmt.Errorf("smart: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return connError(hostOf(authURL), err)
	}
	defer resp.Body.Close()
	if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, redirect) {
		if u, err := url.Parse(loc); err == nil && u.Query().Get("error") != "" {
			return authError(u.Query().Get("error"), u.Query().Get("error_description"))
		}
	}
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		text := string(body)
		switch {
		case strings.Contains(text, "invalid_client"), strings.Contains(text, "unauthorized_client"):
			return fmt.Errorf("smart: %w: check the client id the institution gave you", ErrWrongClientID)
		case strings.Contains(text, "invalid_scope"):
			return fmt.Errorf("smart: %w", ErrScopeRefused)
		case strings.Contains(text, "invalid_redirect_uri"), strings.Contains(text, "redirect_uri"):
			return fmt.Errorf("smart: the server does not accept ReferralDesk's loopback address (%s) for this client id; ask the institution to register http://127.0.0.1 as a redirect for a native app", redirect)
		}
	}
	return nil
}

func page(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	msg := "You are signed in. You can close this window and return to ReferralDesk."
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		msg = "The sign-in did not complete: " + err.Error() + " Return to ReferralDesk."
	}
	fmt.Fprintf(w, "<!doctype html><title>ReferralDesk sign-in</title><p>%s</p>", html.EscapeString(msg))
}

// Revoke asks the server to void token (RFC 7009); hint is "refresh_token" or "access_token".
func Revoke(ctx context.Context, client *http.Client, acct creds.Account, token, hint string) error {
	if acct.RevokeURL == "" {
		return nil
	}
	form := url.Values{"token": {token}, "token_type_hint": {hint}, "client_id": {acct.ClientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, acct.RevokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("smart: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return connError(hostOf(acct.RevokeURL), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("smart: the server did not revoke the sign-in (%s)", resp.Status)
	}
	return nil
}

// SignOut revokes the saved refresh token where the server offers revocation and deletes it from the
// keychain. The local deletion happens even when revocation fails (the error then says so).
func SignOut(ctx context.Context, client *http.Client, acct creds.Account, kc creds.Keychain) error {
	var revokeErr error
	if acct.Kind() == creds.AuthSMARTUser && acct.RevokeURL != "" {
		if rt, err := creds.GetContext(ctx, kc, acct); err == nil {
			revokeErr = Revoke(ctx, client, acct, rt, "refresh_token")
		}
	}
	if err := creds.DeleteContext(ctx, kc, acct); err != nil && !errors.Is(err, creds.ErrNoSecret) {
		return errors.Join(revokeErr, err)
	}
	if revokeErr != nil {
		return fmt.Errorf("signed out on this computer, but: %w", revokeErr)
	}
	return nil
}

// NewHTTPClient is the client for acct's FHIR server with its authorization: for SMART accounts a
// Transport with a UserSource or BackendSource (returned too, e.g. to Seed a fresh sign-in); for
// Basic and bearer accounts creds.NewHTTPClient as it is (and a nil Source).
func NewHTTPClient(acct creds.Account, kc creds.Keychain) (*http.Client, Source, error) {
	base, err := creds.NewHTTPClient(acct)
	if err != nil {
		return nil, nil, err
	}
	var src Source
	switch acct.Kind() {
	case creds.AuthSMARTUser:
		src = &UserSource{Account: acct, Keychain: kc, HTTP: base}
	case creds.AuthSMARTBackend:
		src = &BackendSource{Account: acct, Keychain: kc, HTTP: base}
	default:
		return base, nil, nil
	}
	c := *base
	c.Transport = &Transport{Base: base.Transport, Source: src, FHIRBase: acct.FHIRBase}
	return &c, src, nil
}
