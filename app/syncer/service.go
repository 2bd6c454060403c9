package syncer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/smart"
)

// Service runs sync in the background for the desktop app: a round every Interval, one right after
// a trigger (an order was signed, the user signed in), and never two at once. Everything slow
// (keychain, network, database) happens on its goroutine; OnStatus reports the status.
type Service struct {
	Store    Store
	Keychain creds.Keychain
	Profile  *institution.Profile
	Interval time.Duration // default 1 minute

	mu       sync.Mutex
	onStatus []func(Status)
	wake     chan struct{}
	paused   bool // the server refused the credentials: wait for SignIn
	worker   *Worker
	last     Status
}

// OnStatus registers a function called (on the service's goroutine) with each status, and
// once now with the last one.
func (s *Service) OnStatus(f func(Status)) {
	s.mu.Lock()
	s.onStatus = append(s.onStatus, f)
	last := s.last
	s.mu.Unlock()
	f(last)
}

func (s *Service) publish(st Status) {
	s.mu.Lock()
	s.last = st
	fs := append([]func(Status){}, s.onStatus...)
	s.mu.Unlock()
	for _, f := range fs {
		f(st)
	}
}

// SyncNow asks for a round as soon as possible (it never blocks).
func (s *Service) SyncNow() {
	s.mu.Lock()
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
	w := s.wake
	s.mu.Unlock()
	select {
	case w <- struct{}{}:
	default:
	}
}

// Run syncs until ctx ends.
func (s *Service) Run(ctx context.Context) {
	s.SyncNow()
	interval := s.Interval
	if interval <= 0 {
		interval = time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.mu.Lock()
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
		_, _ = s.Round(ctx)
	}
}

// Round runs one push and pull with the saved account (or just counts what waits when there is none).
func (s *Service) Round(ctx context.Context) (Summary, error) {
	st := Status{}
	waiting, err := s.Store.Outbox(ctx, app.OutboxPending)
	if err != nil {
		return Summary{}, err
	}
	dead, _ := s.Store.Outbox(ctx, app.OutboxDead)
	st.Waiting, st.Attention = len(waiting), len(dead)
	s.mu.Lock()
	paused := s.paused
	s.mu.Unlock()
	w, err := s.workerFor(ctx)
	if err != nil || paused {
		st.Configured = err == nil || !errors.Is(err, errNoAccount)
		st.AuthNeeded = paused || errors.Is(err, creds.ErrNoSecret)
		if err != nil && !errors.Is(err, errNoAccount) && !errors.Is(err, creds.ErrNoSecret) {
			st.Trouble = msg.New(TroubleKeychain, err)
		}
		s.publish(st)
		return Summary{}, err
	}
	w.OnStatus = func(ws Status) {
		ws.Waiting, ws.Attention = st.Waiting, st.Attention
		s.publish(ws)
	}
	sum, err := w.Sync(ctx)
	if errors.Is(err, ErrAuth) {
		s.mu.Lock()
		s.paused = true
		s.mu.Unlock()
	}
	after := w.status
	waiting, _ = s.Store.Outbox(ctx, app.OutboxPending)
	dead, _ = s.Store.Outbox(ctx, app.OutboxDead)
	after.Waiting, after.Attention, after.Sending = len(waiting), len(dead), 0
	s.publish(after)
	return sum, err
}

var errNoAccount = errors.New("no account is set up")

// Errors of the sync service the user is told about.
var (
	// ErrNoOfflineAccess: a SMART sign-in gave no refresh token, so nothing could be sent later.
	ErrNoOfflineAccess = msg.NewSentinel("syncer.no_offline_access", "syncer: the server gave no refresh token (offline access)")
	// ErrNotSignedIn: the registry needs an account.
	ErrNotSignedIn = msg.NewSentinel("syncer.not_signed_in", "syncer: no account: sign in first")
	// ErrEmptyResult: a result came without content or address.
	ErrEmptyResult = msg.NewSentinel("syncer.empty_result", "syncer: the result has no content")
)

// workerFor builds (once per sign-in) the worker for the saved account, reading the keychain.
func (s *Service) workerFor(ctx context.Context) (*Worker, error) {
	s.mu.Lock()
	w := s.worker
	s.mu.Unlock()
	if w != nil {
		return w, nil
	}
	acct, ok, err := LoadAccount(ctx, s.Store)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoAccount
	}
	var secret string
	if !acct.IsSMART() { // SMART sources read the keychain themselves, when a token is needed
		if secret, err = creds.GetContext(ctx, s.Keychain, acct); err != nil {
			return nil, err
		}
	}
	w, err = NewAuthWorker(s.Store, s.Profile, acct, secret, s.Keychain)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.worker = w
	s.mu.Unlock()
	return w, nil
}

// NewWorker makes a worker that talks to the account's FHIR server (Basic or bearer accounts).
func NewWorker(st Store, prof *institution.Profile, acct creds.Account, secret string) (*Worker, error) {
	return NewAuthWorker(st, prof, acct, secret, nil)
}

// NewAuthWorker is NewWorker for any kind of account: a SMART account's access tokens come from its
// refresh token or key in kc (secret is then unused); a refused renewal pauses the outbox (ErrAuth).
func NewAuthWorker(st Store, prof *institution.Profile, acct creds.Account, secret string, kc creds.Keychain) (*Worker, error) {
	if acct.IsSMART() {
		if kc == nil {
			return nil, errors.New("syncer: a SMART account needs the keychain")
		}
		client, _, err := smart.NewHTTPClient(acct, kc)
		if err != nil {
			return nil, err
		}
		return &Worker{Store: st, Transport: &fhir.Client{Base: acct.FHIRBase, HTTP: client}, Profile: prof}, nil
	}
	client, err := creds.NewHTTPClient(acct)
	if err != nil {
		return nil, err
	}
	t := &fhir.Client{Base: acct.FHIRBase, HTTP: client, Authorize: func(r *http.Request) { creds.SetAuth(r, acct, secret) }}
	return &Worker{Store: st, Transport: t, Profile: prof}, nil
}

// Account returns the saved account (ok false when none).
func (s *Service) Account(ctx context.Context) (creds.Account, bool, error) {
	return LoadAccount(ctx, s.Store)
}

// SignIn tests the connection with these credentials and, when it works, keeps the secret in the
// keychain and the rest in the settings, then starts a round.
func (s *Service) SignIn(ctx context.Context, acct creds.Account, secret string) error {
	if err := acct.Validate(); err != nil {
		return err
	}
	// Before the credentials go anywhere: a demo database talks only to a server on this computer.
	if err := CheckDemoTarget(ctx, s.Store, acct.FHIRBase, acct.DICOMWebBase); err != nil {
		return err
	}
	client, err := creds.NewHTTPClient(acct)
	if err != nil {
		return err
	}
	if err := creds.Check(ctx, acct, secret, client); err != nil {
		return err
	}
	return s.keepSignIn(ctx, acct, secret, "the connection works, but the system keychain did not keep the secret")
}

// keepSignIn stores a checked sign-in: the secret (password, token, refresh token or key) in the
// keychain, the account without it in the settings; then the outbox resumes. keychainFailure says
// what worked before the keychain refused.
func (s *Service) keepSignIn(ctx context.Context, acct creds.Account, secret, keychainFailure string) error {
	if err := creds.SetContext(ctx, s.Keychain, acct, secret); err != nil {
		return fmt.Errorf("%s: %w", keychainFailure, err)
	}
	if err := SaveAccount(ctx, s.Store, acct); err != nil {
		return err
	}
	s.mu.Lock()
	s.worker, s.paused = nil, false
	s.mu.Unlock()
	s.SyncNow()
	return nil
}

// SignInSMART signs a person in with SMART on FHIR (acct needs FHIRBase and ClientID): open shows the
// server's page in the system browser (fyne.App.OpenURL in the GUI). It blocks until the browser comes
// back or times out: call it off the UI thread. The session says who signed in and what will not work.
func (s *Service) SignInSMART(ctx context.Context, acct creds.Account, open func(url string) error) (*smart.Session, error) {
	// As for a password: a demo database signs in only to a server on this computer, before the
	// browser opens.
	if err := CheckDemoTarget(ctx, s.Store, acct.FHIRBase, acct.DICOMWebBase); err != nil {
		return nil, err
	}
	sess, err := smart.SignIn(ctx, smart.Login{Account: acct, OpenBrowser: open})
	if err != nil {
		return nil, err
	}
	if sess.Token.RefreshToken == "" {
		return nil, ErrNoOfflineAccess
	}
	// Checked for demo data before the browser opened.
	if err := s.keepSignIn(ctx, sess.Account, sess.Token.RefreshToken, signedInKeychainFailure); err != nil {
		return nil, err
	}
	return sess, nil
}

// SignedInSMART keeps a finished SMART sign-in (package smart): the refresh token or key in the
// keychain, the account (no secret) in the settings; then the outbox resumes.
func (s *Service) SignedInSMART(ctx context.Context, acct creds.Account, secret string) error {
	if err := CheckDemoTarget(ctx, s.Store, acct.FHIRBase, acct.DICOMWebBase); err != nil {
		return err
	}
	return s.keepSignIn(ctx, acct, secret, signedInKeychainFailure)
}

const signedInKeychainFailure = "signed in, but the system keychain did not keep the sign-in"

// SignOut removes the secret from the keychain; signed orders keep waiting in the outbox.
func (s *Service) SignOut(ctx context.Context) error {
	acct, ok, err := LoadAccount(ctx, s.Store)
	if err != nil || !ok {
		return err
	}
	if acct.IsSMART() {
		client, err := creds.NewHTTPClient(acct)
		if err != nil {
			return err
		}
		if err := smart.SignOut(ctx, client, acct, s.Keychain); err != nil {
			return err
		}
	} else if err := creds.DeleteContext(ctx, s.Keychain, acct); err != nil && !errors.Is(err, creds.ErrNoSecret) {
		return err
	}
	s.mu.Lock()
	s.worker = nil
	s.mu.Unlock()
	if err := SaveAccount(ctx, s.Store, creds.Account{}); err != nil {
		return err
	}
	s.SyncNow()
	return nil
}

// SearchRegistry searches the institution's patient registry (needs a connection and an account).
func (s *Service) SearchRegistry(ctx context.Context, query string) ([]app.Patient, error) {
	w, err := s.workerFor(ctx)
	if errors.Is(err, errNoAccount) {
		return nil, ErrNotSignedIn
	}
	if err != nil {
		return nil, err
	}
	return w.SearchRegistry(ctx, query)
}

// SaveResult puts a result's content into dir (the app's private data folder) and returns the file:
// inline content is written out, otherwise it is downloaded from the server with the account,
// streamed to a 0600 temporary file and refused past MaxResultBytes. An HTML result is saved as
// plain text (a .txt file, see saveResult): it is never left as a page a browser would open.
func (s *Service) SaveResult(ctx context.Context, r app.Result, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if len(r.Data) > 0 {
		return saveResult(bytes.NewReader(r.Data), dir, r.ID, MaxResultBytes, r.ContentType)
	}
	if r.URL == "" {
		return "", ErrEmptyResult
	}
	w, err := s.workerFor(ctx)
	if err != nil {
		return "", err
	}
	if err := w.demoGuard(ctx); err != nil {
		return "", err
	}
	body, served, err := w.Transport.Open(ctx, r.URL)
	if err != nil {
		return "", err
	}
	defer body.Close()
	return saveResult(body, dir, r.ID, MaxResultBytes, r.ContentType, served)
}

// writePrivate writes a file with mode 0600 atomically (temporary file in the same folder, then rename).
func writePrivate(path string, r io.Reader) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
