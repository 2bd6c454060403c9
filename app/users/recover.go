package users

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// The forgotten-PIN path through the institution account: the person who forgot their PIN signs in
// to the institution account this workstation uses (the sign-in that sending needs), and that
// sign-in lets them set a new PIN for themself. Knowing the account's password, or getting through
// the institution's login page, is worth as much as an administrator's say-so: it is what every
// order sent from here is signed in with.

// Institution signs a person in to the institution account saved on this workstation
// (syncer.Service has it). ConfirmSignIn checks password against the server for a password or token
// account, or opens the institution's login page with open for a SMART on FHIR account; it returns
// the server's host name. A network failure wraps creds.ErrUnreachable.
type Institution interface {
	ConfirmSignIn(ctx context.Context, password string, open func(url string) error) (host string, err error)
}

// EventPINRecovered is the audit event of a PIN set after signing in to the institution account.
const EventPINRecovered = "user.pin_recover"

// TicketTTL is how long a sign-in lets its user set a new PIN.
const TicketTTL = 10 * time.Minute

// More errors of the forgotten-PIN path; compare with errors.Is.
var (
	ErrNoTicket      = errors.New("sign in to the institution account first")
	ErrTicketExpired = errors.New("the sign-in for a new PIN is too old: sign in again")
)

// Ticket is a successful sign-in for one user's forgotten PIN. Only Recovery.SignIn makes one; it is
// good for TicketTTL and for one new PIN.
type Ticket struct {
	userID int64
	host   string
	at     time.Time
	used   *bool
}

// Host is the institution server the ticket's sign-in went to.
func (t Ticket) Host() string { return t.host }

// Recovery sets a forgotten PIN after a sign-in to the institution account.
type Recovery struct {
	Store       Store
	Institution Institution
	Guard       *Guard           // its run of wrong PINs for the user is cleared with the new PIN (nil: none)
	Now         func() time.Time // time.Now when nil
}

func (r *Recovery) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// SignIn signs the active user id in to the institution account (password for a password or token
// account; open shows the login page of a SMART one). It blocks on the network or the browser:
// call it off the UI thread. Nothing changes on failure.
func (r *Recovery) SignIn(ctx context.Context, id int64, password string, open func(url string) error) (Ticket, error) {
	u, err := r.Store.User(ctx, id)
	if err != nil {
		return Ticket{}, fmt.Errorf("users: sign in for a new PIN of user %d: %w", id, err)
	}
	if !u.Active {
		return Ticket{}, fmt.Errorf("users: sign in for a new PIN of user %d: %w", id, ErrNoSuchUser)
	}
	host, err := r.Institution.ConfirmSignIn(ctx, password, open)
	if err != nil {
		return Ticket{}, fmt.Errorf("users: sign in for a new PIN of user %d: %w", id, err)
	}
	return Ticket{userID: id, host: host, at: r.now(), used: new(bool)}, nil
}

// SetPIN sets the new PIN of the ticket's user, writes the audit event and returns the user as
// stored, to unlock for.
func (r *Recovery) SetPIN(ctx context.Context, t Ticket, newPIN string) (User, error) {
	switch {
	case t.used == nil || *t.used:
		return User{}, ErrNoTicket
	case r.now().Sub(t.at) > TicketTTL || r.now().Before(t.at):
		return User{}, ErrTicketExpired
	}
	if err := CheckPINFormat(newPIN); err != nil {
		return User{}, err
	}
	u, err := r.Store.User(ctx, t.userID)
	if err != nil {
		return User{}, fmt.Errorf("users: new PIN of user %d: %w", t.userID, err)
	}
	if !u.Active {
		return User{}, fmt.Errorf("users: new PIN of user %d: %w", t.userID, ErrNoSuchUser)
	}
	// The audit trail names the person who signed in, not whoever worked before the lock.
	ctx = app.WithActor(ctx, u.Name)
	if err := setPIN(ctx, r.Store, u.ID, newPIN, EventPINRecovered, "signed in to the institution account at "+t.host); err != nil {
		return User{}, err
	}
	*t.used = true
	if r.Guard != nil {
		r.Guard.Clear(u.ID)
	}
	return r.Store.User(ctx, u.ID)
}
