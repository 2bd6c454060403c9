package local

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// SavePacketInputs replaces the packet inputs of an editable order, in order, in one transaction.
func (s *Store) SavePacketInputs(ctx context.Context, orderID int64, inputs []app.PacketInput) error {
	return s.write(ctx, fmt.Sprintf("save packet inputs of order %d", orderID), func(tx *sql.Tx) error {
		var st app.Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&st); err != nil {
			return notFound(err)
		}
		if !st.Editable() {
			return fmt.Errorf("status %q: %w", st, app.ErrNotEditable)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM packet_inputs WHERE order_id = ?`, orderID); err != nil {
			return err
		}
		for i, in := range inputs {
			var date any
			if !in.Date.IsZero() {
				date = app.FormatDate(in.Date)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO packet_inputs
				(order_id, position, path, title, doc_date, date_source, exclude, reviewed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				orderID, i, in.Path, in.Title, date, in.DateSource, joinInts(in.Exclude), in.Reviewed); err != nil {
				return err
			}
		}
		return nil
	})
}

// PacketInputs lists an order's packet inputs in their saved order.
func (s *Store) PacketInputs(ctx context.Context, orderID int64) ([]app.PacketInput, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT path, title, coalesce(doc_date, ''), date_source, exclude, reviewed
		FROM packet_inputs WHERE order_id = ? ORDER BY position`, orderID)
	if err != nil {
		return nil, fmt.Errorf("local: packet inputs of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []app.PacketInput
	for rows.Next() {
		var in app.PacketInput
		var date, exclude string
		if err := rows.Scan(&in.Path, &in.Title, &date, &in.DateSource, &exclude, &in.Reviewed); err != nil {
			return nil, fmt.Errorf("local: packet inputs of order %d: %w", orderID, err)
		}
		if date != "" {
			in.Date, _ = app.ParseDate(date)
		}
		in.Exclude = splitInts(exclude)
		out = append(out, in)
	}
	return out, rows.Err()
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func splitInts(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}
