package smart

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/referraldesk/referraldesk/app/creds"
)

// Sign-in failures; compare with errors.Is. Each error's text says what to do.
var (
	// ErrSignInAgain: the server refused to renew the sign-in (the refresh token was revoked or expired,
	// or the key was removed): the outbox pauses until the user signs in again; nothing is lost.
	ErrSignInAgain = errors.New("the sign-in has ended: sign in again")
	// ErrWrongClientID: the server does not know the client id.
	ErrWrongClientID = errors.New("the server does not know this client id")
	// ErrConsentRefused: the user (or the server's policy) refused access in the browser.
	ErrConsentRefused = errors.New("access was refused in the browser")
	// ErrBrowserTimeout: nobody finished signing in within the time allowed (the browser was closed).
	ErrBrowserTimeout = errors.New("the sign-in in the browser was not finished in time")
	// ErrScopeRefused: the server refused the permissions ReferralDesk asks for.
	ErrScopeRefused = errors.New("the server refused the permissions ReferralDesk needs")
	// ErrClockSkew: this computer's clock differs too much from the server's.
	ErrClockSkew = errors.New("this computer's clock is not set right")
	// ErrBadIDToken: the identity token failed verification (signature, issuer, audience, expiry, nonce).
	ErrBadIDToken = errors.New("the server's identity token could not be verified")
	// ErrStateMismatch: the browser came back with another sign-in's state (a forged or stale redirect).
	ErrStateMismatch = errors.New("the browser returned an answer that does not belong to this sign-in")
)

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the server"
	}
	return u.Host
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the request"
	}
	return u.Path
}

// connError words a transport failure like the sign-in test does (unreachable, TLS).
func connError(host string, err error) error {
	return fmt.Errorf("smart: %w", creds.ConnectionError(host, err))
}
