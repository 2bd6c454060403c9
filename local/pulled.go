package local

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// UpsertAppointment stores an appointment as the server has it now.
func (s *Store) UpsertAppointment(ctx context.Context, a app.Appointment) error {
	now := s.stamp()
	return s.write(ctx, "save appointment", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO appointments (order_id, server_id, status, start_at, end_at, location, description, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (server_id) DO UPDATE SET status = excluded.status, start_at = excluded.start_at,
				end_at = excluded.end_at, location = excluded.location, description = excluded.description,
				updated_at = excluded.updated_at`,
			a.OrderID, a.ServerID, a.Status, ms(a.Start), ms(a.End), a.Location, a.Description, now.UnixMilli())
		return err
	})
}

// Appointments lists appointments starting at or after from, soonest first, with the patient's name.
func (s *Store) Appointments(ctx context.Context, from time.Time) ([]app.Appointment, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT a.id, a.order_id, a.server_id, a.status, a.start_at, a.end_at,
			a.location, a.description, p.family || ', ' || p.given
		FROM appointments a JOIN orders o ON o.id = a.order_id JOIN patients p ON p.id = o.patient_id
		WHERE a.start_at IS NULL OR a.start_at >= ? ORDER BY a.start_at, a.id`, from.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("local: appointments: %w", err)
	}
	defer rows.Close()
	var out []app.Appointment
	for rows.Next() {
		var a app.Appointment
		if err := rows.Scan(&a.ID, &a.OrderID, &a.ServerID, &a.Status, msTime{&a.Start}, msTime{&a.End},
			&a.Location, &a.Description, &a.PatientName); err != nil {
			return nil, fmt.Errorf("local: appointments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UpsertMessage stores a message; whether it was read here is kept.
func (s *Store) UpsertMessage(ctx context.Context, m app.Message) error {
	now := s.stamp()
	return s.write(ctx, "save message", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO messages (order_id, server_id, sent_at, sender, body, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (server_id) DO UPDATE SET sent_at = excluded.sent_at, sender = excluded.sender,
				body = excluded.body, updated_at = excluded.updated_at`,
			m.OrderID, m.ServerID, ms(m.Sent), m.Sender, m.Body, now.UnixMilli())
		return err
	})
}

// Messages lists messages, newest first; unreadOnly keeps the unread ones.
func (s *Store) Messages(ctx context.Context, unreadOnly bool) ([]app.Message, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT m.id, m.order_id, m.server_id, m.sent_at, m.sender, m.body, m.read,
			p.family || ', ' || p.given
		FROM messages m JOIN orders o ON o.id = m.order_id JOIN patients p ON p.id = o.patient_id
		WHERE ? = 0 OR m.read = 0 ORDER BY m.sent_at DESC, m.id DESC`, unreadOnly)
	if err != nil {
		return nil, fmt.Errorf("local: messages: %w", err)
	}
	defer rows.Close()
	var out []app.Message
	for rows.Next() {
		var m app.Message
		if err := rows.Scan(&m.ID, &m.OrderID, &m.ServerID, msTime{&m.Sent}, &m.Sender, &m.Body, &m.Read, &m.PatientName); err != nil {
			return nil, fmt.Errorf("local: messages: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkMessageRead records that the user read (or un-read) a message.
func (s *Store) MarkMessageRead(ctx context.Context, id int64, read bool) error {
	return s.write(ctx, fmt.Sprintf("mark message %d", id), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE messages SET read = ? WHERE id = ?`, read, id)
		return err
	})
}

// UpsertResult stores a report or document returned by the institution.
func (s *Store) UpsertResult(ctx context.Context, r app.Result) error {
	now := s.stamp()
	return s.write(ctx, "save result", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO results (order_id, server_id, kind, title, issued_at, content_type, url, data, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (server_id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
				issued_at = excluded.issued_at, content_type = excluded.content_type, url = excluded.url,
				data = excluded.data, updated_at = excluded.updated_at`,
			r.OrderID, r.ServerID, r.Kind, r.Title, ms(r.Issued), r.ContentType, r.URL, r.Data, now.UnixMilli())
		return err
	})
}

// Results lists results, newest first.
func (s *Store) Results(ctx context.Context) ([]app.Result, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT r.id, r.order_id, r.server_id, r.kind, r.title, r.issued_at,
			r.content_type, r.url, r.data, r.local_path, p.family || ', ' || p.given
		FROM results r JOIN orders o ON o.id = r.order_id JOIN patients p ON p.id = o.patient_id
		ORDER BY r.issued_at DESC, r.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("local: results: %w", err)
	}
	defer rows.Close()
	var out []app.Result
	for rows.Next() {
		var r app.Result
		if err := rows.Scan(&r.ID, &r.OrderID, &r.ServerID, &r.Kind, &r.Title, msTime{&r.Issued},
			&r.ContentType, &r.URL, &r.Data, &r.LocalPath, &r.PatientName); err != nil {
			return nil, fmt.Errorf("local: results: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetResultPath records where a result was downloaded to.
func (s *Store) SetResultPath(ctx context.Context, id int64, path string) error {
	return s.write(ctx, fmt.Sprintf("result %d path", id), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE results SET local_path = ? WHERE id = ?`, path, id)
		return err
	})
}
