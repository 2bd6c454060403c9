package local

import (
	"context"
	"database/sql"
	"fmt"
)

// SaveOrderImport keeps what order orderID needs of the EHR export it was started from (a JSON
// summary written by app/workflow), replacing an earlier one.
func (s *Store) SaveOrderImport(ctx context.Context, orderID int64, summary []byte) error {
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("save import of order %d", orderID), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO order_imports (order_id, summary, saved_at) VALUES (?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET summary = excluded.summary, saved_at = excluded.saved_at`,
			orderID, string(summary), ms(now))
		return constraint(err)
	})
}

// OrderImport reads the summary kept for order orderID, or app.ErrNotFound when the order was not
// started from an import.
func (s *Store) OrderImport(ctx context.Context, orderID int64) ([]byte, error) {
	var summary string
	err := s.ro.QueryRowContext(ctx, `SELECT summary FROM order_imports WHERE order_id = ?`, orderID).Scan(&summary)
	if err != nil {
		return nil, fmt.Errorf("local: import of order %d: %w", orderID, notFound(err))
	}
	return []byte(summary), nil
}
