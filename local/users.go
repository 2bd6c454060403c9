package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/users"
)

const userCols = `id, name, role, coalesce(provider_id, 0), pin_hash, created_at, active`

func scanUser(sc scanner) (users.User, error) {
	var u users.User
	err := sc.Scan(&u.ID, &u.Name, &u.Role, &u.ProviderID, &u.PINHash, msTime{&u.CreatedAt}, &u.Active)
	return u, err
}

// keyAdmins is the settings row listing the administrators' user ids ("1,4"). It lives in the
// settings table, written in the same transaction as the user, so the users table needs no
// migration; a later schema change can move it into a column without changing the interface.
const keyAdmins = "users.admins"

// admins reads the administrators' ids.
func admins(ctx context.Context, q rowQueryer) (map[int64]bool, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, keyAdmins).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("administrators: %w", err)
	}
	out := map[int64]bool{}
	for _, f := range strings.Split(v, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil && id > 0 {
			out[id] = true
		}
	}
	return out, nil
}

func writeAdmins(ctx context.Context, tx *sql.Tx, set map[int64]bool) error {
	ids := make([]int64, 0, len(set))
	for id, ok := range set {
		if ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, keyAdmins, strings.Join(parts, ","))
	return err
}

// SaveUser inserts u (ID 0, setting u.ID and CreatedAt) or updates it. u.PINHash must be set (from
// users.Hash); a second active user with the same name fails with app.ErrAlreadyExists. The first
// user added while no active user is an administrator becomes one (u.Admin is set). The audit row
// names what changed, never the name itself.
func (s *Store) SaveUser(ctx context.Context, u *users.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("local: save user %d: %w", u.ID, err)
	}
	if u.PINHash == "" {
		return fmt.Errorf("local: save user %d: %w: no PIN", u.ID, users.ErrInvalid)
	}
	now := s.stamp()
	id, created := u.ID, u.CreatedAt
	provider := u.ProviderID
	if u.Role != users.RolePhysician {
		provider = 0
	}
	admin := u.Admin
	err := s.write(ctx, fmt.Sprintf("save user %d", u.ID), func(tx *sql.Tx) error {
		set, err := admins(ctx, tx)
		if err != nil {
			return err
		}
		name := strings.TrimSpace(u.Name)
		var detail string
		if id == 0 {
			admin = admin || !anyActive(ctx, tx, set)
			created = now
			res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, provider_id, pin_hash, created_at, active)
				VALUES (?, ?, ?, ?, ?, ?)`, name, string(u.Role), nullID(provider), u.PINHash, now.UnixMilli(), u.Active)
			if err != nil {
				return constraint(err)
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			detail = fmt.Sprintf("created role=%s active=%t admin=%t", u.Role, u.Active, admin)
		} else {
			old, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
			if err != nil {
				return notFound(err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, role = ?, provider_id = ?, pin_hash = ?,
				active = ? WHERE id = ?`, name, string(u.Role), nullID(provider), u.PINHash, u.Active, id); err != nil {
				return constraint(err)
			}
			detail = userChanges(old, set[id], users.User{Name: name, Role: u.Role, ProviderID: provider, PINHash: u.PINHash, Active: u.Active}, admin)
		}
		if set[id] != admin {
			set[id] = admin
			if err := writeAdmins(ctx, tx, set); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, ActionUserSave, "user", id, detail)
	})
	if err != nil {
		return err
	}
	u.ID, u.CreatedAt, u.ProviderID, u.Admin = id, created, provider, admin
	return nil
}

// anyActive reports whether one of the ids in set is an active user.
func anyActive(ctx context.Context, tx *sql.Tx, set map[int64]bool) bool {
	for id, ok := range set {
		var active bool
		if ok && tx.QueryRowContext(ctx, `SELECT active FROM users WHERE id = ?`, id).Scan(&active) == nil && active {
			return true
		}
	}
	return false
}

// userChanges is the audit detail of an update: which fields changed (the name only as "name").
func userChanges(old users.User, oldAdmin bool, nu users.User, admin bool) string {
	var ch []string
	if old.Name != nu.Name {
		ch = append(ch, "name")
	}
	if old.Role != nu.Role {
		ch = append(ch, fmt.Sprintf("role %s->%s", old.Role, nu.Role))
	}
	if old.ProviderID != nu.ProviderID {
		ch = append(ch, fmt.Sprintf("provider %d->%d", old.ProviderID, nu.ProviderID))
	}
	if oldAdmin != admin {
		ch = append(ch, fmt.Sprintf("admin %t->%t", oldAdmin, admin))
	}
	if old.Active != nu.Active {
		ch = append(ch, fmt.Sprintf("active %t->%t", old.Active, nu.Active))
	}
	if old.PINHash != nu.PINHash {
		ch = append(ch, "PIN")
	}
	if len(ch) == 0 {
		return "updated, nothing changed"
	}
	return "changed " + strings.Join(ch, ", ")
}

// SetUserPIN replaces user id's PIN hash and writes the audit event kind (users.EventPINChanged or
// users.EventPINReset) with detail, in one transaction.
func (s *Store) SetUserPIN(ctx context.Context, id int64, hash, kind, detail string) error {
	if hash == "" || kind == "" {
		return fmt.Errorf("local: set PIN of user %d: %w: no PIN or no event", id, users.ErrInvalid)
	}
	return s.write(ctx, fmt.Sprintf("set PIN of user %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET pin_hash = ? WHERE id = ? AND active`, hash, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return app.ErrNotFound
		}
		return s.audit(ctx, tx, kind, "user", id, detail)
	})
}

// User reads one user.
func (s *Store) User(ctx context.Context, id int64) (users.User, error) {
	u, err := scanUser(s.ro.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return users.User{}, fmt.Errorf("local: user %d: %w", id, notFound(err))
	}
	set, err := admins(ctx, s.ro)
	if err != nil {
		return users.User{}, fmt.Errorf("local: user %d: %w", id, err)
	}
	u.Admin = set[u.ID]
	return u, nil
}

// Users lists users by name; inactive ones only when asked.
func (s *Store) Users(ctx context.Context, includeInactive bool) ([]users.User, error) {
	out, err := queryRows(ctx, s.ro, scanUser, `SELECT `+userCols+` FROM users WHERE active OR ?
		ORDER BY name COLLATE NOCASE, id`, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("local: users: %w", err)
	}
	set, err := admins(ctx, s.ro)
	if err != nil {
		return nil, fmt.Errorf("local: users: %w", err)
	}
	for i := range out {
		out[i].Admin = set[out[i].ID]
	}
	return out, nil
}
