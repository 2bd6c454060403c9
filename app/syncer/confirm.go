package syncer

import (
	"context"
	"fmt"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/smart"
)

// ErrNoPersonSignIn: the saved account signs in with a key (SMART backend services), so no person
// can prove themself by signing in to it.
var ErrNoPersonSignIn = msg.NewSentinel("syncer.no_person_sign_in",
	"syncer: this computer's institution account signs in with a key, not a person's password")

// ConfirmSignIn signs a person in to the account saved on this workstation again, for the
// forgotten-PIN path (users.Institution): a password or token account checks password against the
// server; a SMART on FHIR account opens the institution's login page with open and waits for it.
// It returns the server's host name. A sign-in that works is kept, as at the Account screen: a
// password changed at the server replaces the keychain's, a SMART sign-in's new refresh token the
// old one. Blocks on the network: call it off the UI thread.
func (s *Service) ConfirmSignIn(ctx context.Context, password string, open func(url string) error) (string, error) {
	acct, ok, err := LoadAccount(ctx, s.Store)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrNotSignedIn
	}
	if err := CheckDemoTarget(ctx, s.Store, acct.FHIRBase, acct.DICOMWebBase); err != nil {
		return "", err
	}
	switch acct.Kind() {
	case creds.AuthSMARTBackend:
		return "", ErrNoPersonSignIn
	case creds.AuthSMARTUser:
		if open == nil {
			return "", fmt.Errorf("syncer: confirm sign-in: no browser to show the login page")
		}
		sess, err := smart.SignIn(ctx, smart.Login{Account: acct, OpenBrowser: open})
		if err != nil {
			return "", err
		}
		if sess.Token.RefreshToken == "" {
			return "", ErrNoOfflineAccess
		}
		return acct.Host(), s.keepSignIn(ctx, sess.Account, sess.Token.RefreshToken, signedInKeychainFailure)
	}
	if password == "" {
		return "", creds.ErrEmptySecret
	}
	client, err := creds.NewHTTPClient(acct)
	if err != nil {
		return "", err
	}
	if err := creds.Check(ctx, acct, password, client); err != nil {
		return "", err
	}
	// The keychain is written only when it lacks this password (changed at the server since).
	if kept, err := creds.GetContext(ctx, s.Keychain, acct); err != nil || kept != password {
		if err := s.keepSignIn(ctx, acct, password, "the password works, but the system keychain did not keep it"); err != nil {
			return "", err
		}
	}
	return acct.Host(), nil
}
