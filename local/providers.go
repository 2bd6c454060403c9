package local

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

const providerCols = `id, family, given, credentials, npi, active, licence_number, licence_country,
	licence_authority, practice_line, practice_city, practice_state, practice_postal_code,
	practice_country, practice_phone`

func scanProvider(sc scanner) (app.Provider, error) {
	var p app.Provider
	a := &p.PracticeAddress
	err := sc.Scan(&p.ID, &p.Family, &p.Given, &p.Credentials, &p.NPI, &p.Active, &p.LicenceNumber,
		&p.LicenceCountry, &p.LicenceAuthority, &a.Line, &a.City, &a.State, &a.PostalCode, &a.Country,
		&p.PracticePhone)
	return p, err
}

// providerArgs are the values of the columns after active, in providerCols order.
func providerArgs(p *app.Provider) []any {
	a := p.PracticeAddress
	return []any{
		p.LicenceNumber, strings.ToUpper(strings.TrimSpace(p.LicenceCountry)), p.LicenceAuthority,
		a.Line, a.City, a.State, a.PostalCode, strings.ToUpper(strings.TrimSpace(a.Country)), p.PracticePhone,
	}
}

// SaveProvider inserts p (ID 0, setting p.ID) or updates it. A second provider with the same
// non-empty NPI fails with app.ErrAlreadyExists; an unknown ID with app.ErrNotFound.
func (s *Store) SaveProvider(ctx context.Context, p *app.Provider) error {
	now := s.stamp()
	id := p.ID
	err := s.write(ctx, fmt.Sprintf("save provider %d", p.ID), func(tx *sql.Tx) error {
		detail := fmt.Sprintf("active=%t", p.Active)
		if id == 0 {
			args := append([]any{p.Family, p.Given, p.Credentials, p.NPI, p.Active}, providerArgs(p)...)
			res, err := tx.ExecContext(ctx, `INSERT INTO providers (family, given, credentials, npi, active,
				licence_number, licence_country, licence_authority, practice_line, practice_city,
				practice_state, practice_postal_code, practice_country, practice_phone,
				created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				append(args, now.UnixMilli(), now.UnixMilli())...)
			if err != nil {
				return constraint(err)
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			detail = "created " + detail
		} else {
			args := append([]any{p.Family, p.Given, p.Credentials, p.NPI, p.Active}, providerArgs(p)...)
			res, err := tx.ExecContext(ctx, `UPDATE providers SET family = ?, given = ?, credentials = ?,
				npi = ?, active = ?, licence_number = ?, licence_country = ?, licence_authority = ?,
				practice_line = ?, practice_city = ?, practice_state = ?, practice_postal_code = ?,
				practice_country = ?, practice_phone = ?, updated_at = ? WHERE id = ?`,
				append(args, now.UnixMilli(), id)...)
			if err != nil {
				return constraint(err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return app.ErrNotFound
			}
		}
		return s.audit(ctx, tx, ActionProviderSave, "provider", id, detail)
	})
	if err != nil {
		return err
	}
	p.ID = id
	return nil
}

// Provider reads one provider.
func (s *Store) Provider(ctx context.Context, id int64) (app.Provider, error) {
	p, err := scanProvider(s.ro.QueryRowContext(ctx, `SELECT `+providerCols+` FROM providers WHERE id = ?`, id))
	if err != nil {
		return app.Provider{}, fmt.Errorf("local: provider %d: %w", id, notFound(err))
	}
	return p, nil
}

// Providers lists providers by name; inactive ones only when asked.
func (s *Store) Providers(ctx context.Context, includeInactive bool) ([]app.Provider, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+providerCols+` FROM providers WHERE active OR ?
		ORDER BY family COLLATE NOCASE, given COLLATE NOCASE, id`, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("local: providers: %w", err)
	}
	defer rows.Close()
	var out []app.Provider
	for rows.Next() {
		p, err := scanProvider(rows)
		if err != nil {
			return nil, fmt.Errorf("local: providers: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("local: providers: %w", err)
	}
	return out, nil
}
