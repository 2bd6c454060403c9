package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// SaveUser inserts u (ID 0, setting u.ID and CreatedAt) or updates it. u.PINHash must be set (from
// users.Hash); a second active user with the same name fails with app.ErrAlreadyExists.
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
	err := s.write(ctx, fmt.Sprintf("save user %d", u.ID), func(tx *sql.Tx) error {
		detail := fmt.Sprintf("role=%s active=%t", u.Role, u.Active)
		name := strings.TrimSpace(u.Name)
		if id == 0 {
			created = now
			res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, provider_id, pin_hash, created_at, active)
				VALUES (?, ?, ?, ?, ?, ?)`, name, string(u.Role), nullID(provider), u.PINHash, now.UnixMilli(), u.Active)
			if err != nil {
				return constraint(err)
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			detail = "created " + detail
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, role = ?, provider_id = ?, pin_hash = ?,
				active = ? WHERE id = ?`, name, string(u.Role), nullID(provider), u.PINHash, u.Active, id)
			if err != nil {
				return constraint(err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return app.ErrNotFound
			}
		}
		return s.audit(ctx, tx, ActionUserSave, "user", id, detail)
	})
	if err != nil {
		return err
	}
	u.ID, u.CreatedAt, u.ProviderID = id, created, provider
	return nil
}

// User reads one user.
func (s *Store) User(ctx context.Context, id int64) (users.User, error) {
	u, err := scanUser(s.ro.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return users.User{}, fmt.Errorf("local: user %d: %w", id, notFound(err))
	}
	return u, nil
}

// Users lists users by name; inactive ones only when asked.
func (s *Store) Users(ctx context.Context, includeInactive bool) ([]users.User, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE active OR ?
		ORDER BY name COLLATE NOCASE, id`, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("local: users: %w", err)
	}
	defer rows.Close()
	var out []users.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("local: users: %w", err)
		}
		out = append(out, u)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: users: %w", err)
	}
	return out, nil
}
