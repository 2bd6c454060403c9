package local

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// OutboxKindSubmit is the outbox entry SignOrder writes: send the signed order.
const OutboxKindSubmit = "submit"

const outboxCols = `id, order_id, kind, state, attempts, next_attempt_at, last_error, created_at`

func scanOutbox(sc scanner) (app.OutboxEntry, error) {
	var e app.OutboxEntry
	err := sc.Scan(&e.ID, &e.OrderID, &e.Kind, &e.State, &e.Attempts, msTime{&e.NextAttemptAt}, &e.LastError,
		msTime{&e.CreatedAt})
	return e, err
}

// Outbox lists entries in the given state (all when empty), oldest first.
func (s *Store) Outbox(ctx context.Context, state string) ([]app.OutboxEntry, error) {
	out, err := queryRows(ctx, s.ro, scanOutbox, `SELECT `+outboxCols+` FROM outbox WHERE ? = '' OR state = ?
		ORDER BY created_at, id`, state, state)
	if err != nil {
		return nil, fmt.Errorf("local: outbox: %w", err)
	}
	return out, nil
}

// ClaimOutbox takes the oldest pending entry due at now, counts the attempt and hides it for lease
// (the visibility timeout: if the worker dies, the entry comes back after lease). It returns
// app.ErrNotFound when nothing is due.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration) (app.OutboxEntry, error) {
	var e app.OutboxEntry
	err := s.write(ctx, "claim outbox", func(tx *sql.Tx) error {
		var err error
		e, err = scanOutbox(tx.QueryRowContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?
			WHERE id = (SELECT id FROM outbox WHERE state = ? AND next_attempt_at <= ?
				ORDER BY next_attempt_at, id LIMIT 1)
			RETURNING `+outboxCols, now.Add(lease).UnixMilli(), app.OutboxPending, now.UnixMilli()))
		return notFound(err)
	})
	return e, err
}

// CompleteOutbox marks an entry done.
func (s *Store) CompleteOutbox(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("complete outbox %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, last_error = '' WHERE id = ?`, app.OutboxDone, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return app.ErrNotFound
		}
		return nil
	})
}

// FailOutbox records a failed attempt: the entry is retried at retryAt, or, once it has had
// maxAttempts attempts, becomes dead (kept and shown to the user, never dropped; audited).
// lastErr is stored on the entry only. An entry that is not pending gives app.ErrNotFound.
func (s *Store) FailOutbox(ctx context.Context, id int64, lastErr string, retryAt time.Time, maxAttempts int) error {
	return s.write(ctx, fmt.Sprintf("fail outbox %d", id), func(tx *sql.Tx) error {
		var state string
		var orderID int64
		err := tx.QueryRowContext(ctx, `UPDATE outbox SET last_error = ?, next_attempt_at = ?,
			state = CASE WHEN attempts >= ? THEN ? ELSE state END
			WHERE id = ? AND state = ? RETURNING state, order_id`,
			lastErr, retryAt.UnixMilli(), maxAttempts, app.OutboxDead, id, app.OutboxPending).Scan(&state, &orderID)
		if err != nil {
			return notFound(err)
		}
		if state == app.OutboxDead {
			return s.audit(ctx, tx, ActionOutboxDead, "order", orderID, fmt.Sprintf("outbox=%d", id))
		}
		return nil
	})
}
