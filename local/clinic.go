package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// ActionClinicSave is the audit action of SaveClinic.
const ActionClinicSave = "clinic.save"

// Clinic reads the referring clinic; false (and no error) when it has not been set up yet.
func (s *Store) Clinic(ctx context.Context) (app.Clinic, bool, error) {
	var c app.Clinic
	var lines string
	err := s.ro.QueryRowContext(ctx, `SELECT name, address_lines, city, state, postal_code, country, phone,
		fax, npi, email FROM clinic WHERE id = 1`).Scan(&c.Name, &lines, &c.City, &c.State, &c.PostalCode,
		&c.Country, &c.Phone, &c.Fax, &c.NPI, &c.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Clinic{}, false, nil
	}
	if err != nil {
		return app.Clinic{}, false, fmt.Errorf("local: clinic: %w", err)
	}
	if lines != "" {
		c.AddressLines = strings.Split(lines, "\n")
	}
	return c, true, nil
}

// SaveClinic stores the clinic, normalized (app.Clinic.Normalized), replacing the one saved
// before. A clinic that fails Validate is refused with an *app.InvalidError (errors.Is
// app.ErrInvalid) and nothing is written.
func (s *Store) SaveClinic(ctx context.Context, c app.Clinic) error {
	c = c.Normalized()
	if err := c.Err(); err != nil {
		return fmt.Errorf("local: save clinic: %w", err)
	}
	now := s.stamp()
	return s.write(ctx, "save clinic", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO clinic (id, name, address_lines, city, state, postal_code,
			country, phone, fax, npi, email, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, address_lines = excluded.address_lines,
				city = excluded.city, state = excluded.state, postal_code = excluded.postal_code,
				country = excluded.country, phone = excluded.phone, fax = excluded.fax, npi = excluded.npi,
				email = excluded.email, updated_at = excluded.updated_at`,
			c.Name, strings.Join(c.AddressLines, "\n"), c.City, c.State, c.PostalCode, c.Country, c.Phone,
			c.Fax, c.NPI, c.Email, now.UnixMilli())
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, ActionClinicSave, "clinic", 1, fmt.Sprintf("npi=%t", c.NPI != ""))
	})
}
