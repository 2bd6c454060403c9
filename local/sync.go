package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// Steps lists the completed submission steps of an order with their server ids.
func (s *Store) Steps(ctx context.Context, orderID int64) (map[string]string, error) {
	out, err := queryPairs(ctx, s.ro, `SELECT step, server_id FROM sync_steps WHERE order_id = ?`, orderID)
	if err != nil {
		return nil, fmt.Errorf("local: steps of order %d: %w", orderID, err)
	}
	return out, nil
}

// RecordStep marks one submission step done with its server id (idempotent: the first id stays).
func (s *Store) RecordStep(ctx context.Context, orderID int64, step, serverID string) error {
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("record step %s of order %d", step, orderID), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_steps (order_id, step, server_id, done_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (order_id, step) DO NOTHING`, orderID, step, serverID, now.UnixMilli())
		return err
	})
}

// FinishSubmit marks the outbox entry done and the order sent, in one transaction.
func (s *Store) FinishSubmit(ctx context.Context, outboxID, orderID int64) error {
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("finish submit of order %d", orderID), func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, last_error = '' WHERE id = ?`, app.OutboxDone, outboxID); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, ActionOrderSend, "order", orderID, fmt.Sprintf("outbox=%d", outboxID)); err != nil {
			return err
		}
		return setStatusTx(ctx, s, tx, now, orderID, app.StatusSent, "", false)
	})
}

// NeedsAttention parks a submission the server refused: the order goes to "needs attention" with
// the server's words, and its outbox entry waits (dead) until the user edits and signs it again.
func (s *Store) NeedsAttention(ctx context.Context, outboxID, orderID int64, reason string) error {
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("park order %d", orderID), func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, last_error = ? WHERE id = ?`, app.OutboxDead, reason, outboxID); err != nil {
			return err
		}
		return setStatusTx(ctx, s, tx, now, orderID, app.StatusNeedsAttention, reason, false)
	})
}

// ApplyServerStatus sets the status the institution reports. Server state wins, except over work
// the user is doing here: an order being edited (draft, ready, needs attention) is never changed.
func (s *Store) ApplyServerStatus(ctx context.Context, orderID int64, status app.Status, reason string) (bool, error) {
	now := s.stamp()
	changed := false
	err := s.write(ctx, fmt.Sprintf("apply server status to order %d", orderID), func(tx *sql.Tx) error {
		var cur app.Status
		var curReason string
		if err := tx.QueryRowContext(ctx, `SELECT status, status_reason FROM orders WHERE id = ?`, orderID).Scan(&cur, &curReason); err != nil {
			return notFound(err)
		}
		if cur.Editable() || (cur == status && curReason == reason) {
			return nil
		}
		changed = true
		return setStatusTx(ctx, s, tx, now, orderID, status, reason, true)
	})
	return changed, err
}

// setStatusTx changes an order's status inside tx and audits the transition.
func setStatusTx(ctx context.Context, s *Store, tx *sql.Tx, now time.Time, orderID int64, status app.Status, reason string, fromServer bool) error {
	var cur app.Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&cur); err != nil {
		return notFound(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`,
		status, reason, now.UnixMilli(), orderID); err != nil {
		return err
	}
	detail := string(cur) + "->" + string(status)
	if fromServer {
		detail += " (server)"
	}
	return s.audit(ctx, tx, ActionOrderStatus, "order", orderID, detail)
}

// SentOrders lists orders on the institution's server that may still change there.
func (s *Store) SentOrders(ctx context.Context) ([]app.SentOrder, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT o.id, o.uuid, o.status,
			coalesce((SELECT server_id FROM sync_steps WHERE order_id = o.id AND step = 'bundle:ServiceRequest'), ''),
			coalesce((SELECT server_id FROM sync_steps WHERE order_id = o.id AND step = 'bundle:Task'), '')
		FROM orders o WHERE o.status IN ('sent', 'received', 'accepted', 'scheduled', 'declined', 'completed')
		ORDER BY o.id`)
	if err != nil {
		return nil, fmt.Errorf("local: sent orders: %w", err)
	}
	defer rows.Close()
	var out []app.SentOrder
	for rows.Next() {
		var o app.SentOrder
		if err := rows.Scan(&o.ID, &o.UUID, &o.Status, &o.ServiceRequestID, &o.TaskID); err != nil {
			return nil, fmt.Errorf("local: sent orders: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Setting reads a non-secret setting ("" when unset).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.ro.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("local: setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting writes a non-secret setting; an empty value deletes it.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.write(ctx, "set setting "+key, func(tx *sql.Tx) error {
		if value == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, key)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}
