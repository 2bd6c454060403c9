package local

import (
	"context"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// FinishedOrders lists orders completed, declined or cancelled whose last change was before
// before, with their results, for the retention sweep (the rows themselves are never removed).
func (s *Store) FinishedOrders(ctx context.Context, before time.Time) ([]app.FinishedOrder, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT o.id, o.uuid, r.id, coalesce(r.local_path, '')
		FROM orders o LEFT JOIN results r ON r.order_id = o.id
		WHERE o.status IN (?, ?, ?) AND o.updated_at < ?
		ORDER BY o.id, r.id`,
		app.StatusCompleted, app.StatusDeclined, app.StatusCancelled, before.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("local: finished orders: %w", err)
	}
	defer rows.Close()
	var out []app.FinishedOrder
	for rows.Next() {
		var id int64
		var uuid, path string
		var resultID *int64
		if err := rows.Scan(&id, &uuid, &resultID, &path); err != nil {
			return nil, fmt.Errorf("local: finished orders: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, app.FinishedOrder{ID: id, UUID: uuid})
		}
		if resultID != nil {
			o := &out[len(out)-1]
			o.Results = append(o.Results, *resultID)
			if path != "" {
				o.ResultPaths = append(o.ResultPaths, path)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("local: finished orders: %w", err)
	}
	return out, nil
}
