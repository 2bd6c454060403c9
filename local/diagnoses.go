package local

import (
	"context"
	"errors"
	"fmt"
)

// DiagnosisCounts returns how many orders of this clinic carry each diagnosis code (dotted, as
// stored), for the diagnosis search to rank the clinic's usual codes first (icd10.Options.Boost).
// Every order counts, drafts included: a code picked once is a code this clinic uses.
func (s *Store) DiagnosisCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT code, COUNT(DISTINCT order_id) FROM order_diagnoses GROUP BY code`)
	if err != nil {
		return nil, fmt.Errorf("local: diagnosis counts: %w", err)
	}
	out := make(map[string]int)
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("local: diagnosis counts: %w", err)
		}
		out[code] = n
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: diagnosis counts: %w", err)
	}
	return out, nil
}
