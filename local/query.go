package local

import (
	"context"
	"errors"
)

// queryRows runs q and scans every row with scan. Errors are returned as they come: the caller
// says what was being read.
func queryRows[T any](ctx context.Context, db queryer, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}

// queryPairs runs q, whose rows are two text columns, into a map from the first to the second.
func queryPairs(ctx context.Context, db queryer, q string, args ...any) (map[string]string, error) {
	type pair struct{ k, v string }
	list, err := queryRows(ctx, db, func(sc scanner) (pair, error) {
		var p pair
		return p, sc.Scan(&p.k, &p.v)
	}, q, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, p := range list {
		out[p.k] = p.v
	}
	return out, nil
}
