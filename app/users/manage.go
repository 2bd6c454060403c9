package users

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Store is what editing users and their PINs needs (the local store has it).
type Store interface {
	SaveUser(ctx context.Context, u *User) error
	User(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context, includeInactive bool) ([]User, error)
	// SetUserPIN replaces a user's PIN hash and writes the audit event (kind and detail) in the
	// same transaction.
	SetUserPIN(ctx context.Context, id int64, hash, kind, detail string) error
}

// Audit events of PINs (the store writes "user.save" for every other change of a user).
const (
	EventPINChanged = "user.pin_change" // a user changed their own PIN, the old one checked
	EventPINReset   = "user.pin_reset"  // an administrator or the data folder's owner set a new PIN
)

// More errors; compare with errors.Is.
var (
	ErrNotAllowed = errors.New("only an administrator may do this")
	ErrLastAdmin  = errors.New("at least one active user must stay an administrator")
	ErrOwnPIN     = errors.New("change your own PIN with your current PIN")
	ErrNoSuchUser = errors.New("no active user has this name")
)

// HasAdmin reports whether one of the active users in list is an administrator.
func HasAdmin(list []User) bool {
	for _, u := range list {
		if u.Active && u.Admin {
			return true
		}
	}
	return false
}

// CanEdit reports whether editor may change target's name, role, provider, administrator right
// or remove them. An administrator may change anyone; a user may change their own name only.
// While no active user is an administrator (a database from before administrators), anyone who
// is signed in may, so that someone can become one. editor nil is the data folder's owner at the
// command line, who may do anything.
func CanEdit(editor *User, target User, others []User) (nameOnly bool, ok bool) {
	switch {
	case editor == nil || editor.Active && editor.Admin || !HasAdmin(others):
		return false, true
	case editor.ID == target.ID:
		return true, true
	}
	return false, false
}

// Edit saves changes to an existing user's name, role, provider, administrator right or active
// flag, made by editor (see CanEdit). The PIN is never changed here.
func Edit(ctx context.Context, st Store, editor *User, changed User) error {
	if changed.ID == 0 {
		return fmt.Errorf("users: edit: %w: no id", ErrInvalid)
	}
	old, err := st.User(ctx, changed.ID)
	if err != nil {
		return fmt.Errorf("users: edit user %d: %w", changed.ID, err)
	}
	all, err := st.Users(ctx, false)
	if err != nil {
		return fmt.Errorf("users: edit user %d: %w", changed.ID, err)
	}
	if editor != nil {
		// The editor's rights as stored now, not as when they signed in.
		if *editor, err = st.User(ctx, editor.ID); err != nil {
			return fmt.Errorf("users: edit user %d: %w", changed.ID, err)
		}
	}
	nameOnly, ok := CanEdit(editor, old, all)
	if !ok || nameOnly && (changed.Role != old.Role || changed.ProviderID != old.ProviderID ||
		changed.Admin != old.Admin || changed.Active != old.Active) {
		return fmt.Errorf("users: edit user %d: %w", changed.ID, ErrNotAllowed)
	}
	if old.Admin && old.Active && (!changed.Admin || !changed.Active) {
		// Someone who stays must be an administrator; removing the only user is allowed (the app
		// goes back to having no users).
		stay, admin := changed.Active, changed.Active && changed.Admin
		for _, u := range all {
			if u.ID != old.ID {
				stay, admin = true, admin || u.Admin
			}
		}
		if stay && !admin {
			return fmt.Errorf("users: edit user %d: %w", changed.ID, ErrLastAdmin)
		}
	}
	changed.Name = strings.TrimSpace(changed.Name)
	changed.PINHash, changed.CreatedAt = old.PINHash, old.CreatedAt
	if err := st.SaveUser(ctx, &changed); err != nil {
		return fmt.Errorf("users: edit user %d: %w", changed.ID, err)
	}
	return nil
}

// ChangePIN sets the user's own new PIN after checking their current one through g, so wrong
// current PINs are slowed down as at the lock screen.
func ChangePIN(ctx context.Context, st Store, g *Guard, id int64, current, newPIN string) error {
	if err := CheckPINFormat(newPIN); err != nil {
		return err
	}
	u, err := st.User(ctx, id)
	if err != nil {
		return fmt.Errorf("users: change PIN of user %d: %w", id, err)
	}
	if err := g.Verify(u, current); err != nil {
		return fmt.Errorf("users: change PIN of user %d: %w", id, err)
	}
	return setPIN(ctx, st, id, newPIN, EventPINChanged, "own PIN, current PIN checked")
}

// ResetPIN sets a new PIN for another user, for an administrator (the forgotten-PIN path).
func ResetPIN(ctx context.Context, st Store, admin User, targetID int64, newPIN string) error {
	if err := CheckPINFormat(newPIN); err != nil {
		return err
	}
	if targetID == admin.ID {
		return ErrOwnPIN
	}
	a, err := st.User(ctx, admin.ID)
	if err != nil {
		return fmt.Errorf("users: reset PIN of user %d: %w", targetID, err)
	}
	if !a.Active || !a.Admin {
		return fmt.Errorf("users: reset PIN of user %d: %w", targetID, ErrNotAllowed)
	}
	if _, err := st.User(ctx, targetID); err != nil {
		return fmt.Errorf("users: reset PIN of user %d: %w", targetID, err)
	}
	return setPIN(ctx, st, targetID, newPIN, EventPINReset, fmt.Sprintf("by administrator user %d", admin.ID))
}

// ResetPINByName sets a new PIN for the active user called name, for the operating-system account
// that owns the data folder (`referraldesk users reset-pin`): the way back in when no
// administrator can sign in. Whoever can open the data folder can read the database anyway.
func ResetPINByName(ctx context.Context, st Store, name, newPIN string) (User, error) {
	if err := CheckPINFormat(newPIN); err != nil {
		return User{}, err
	}
	all, err := st.Users(ctx, false)
	if err != nil {
		return User{}, fmt.Errorf("users: reset PIN: %w", err)
	}
	for _, u := range all {
		if strings.EqualFold(strings.TrimSpace(name), u.Name) {
			return u, setPIN(ctx, st, u.ID, newPIN, EventPINReset, "by the data folder's owner at the command line")
		}
	}
	return User{}, fmt.Errorf("users: reset PIN: %w: %q", ErrNoSuchUser, name)
}

func setPIN(ctx context.Context, st Store, id int64, pin, kind, detail string) error {
	h, err := Hash(pin)
	if err != nil {
		return err
	}
	if err := st.SetUserPIN(ctx, id, h, kind, detail); err != nil {
		return fmt.Errorf("users: set PIN of user %d: %w", id, err)
	}
	return nil
}
