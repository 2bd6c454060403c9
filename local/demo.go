package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// Demo entities recorded in demo_rows.
const (
	DemoPatient  = "patient"
	DemoProvider = "provider"
	DemoOrder    = "order"
)

type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// IsDemo reports whether this is a demo database (made by demo-data). The GUI shows a permanent
// "Demo data" band when it is; the sync service never sends a demo database off this machine.
func (s *Store) IsDemo(ctx context.Context) (bool, error) {
	var n int
	if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM database_kind WHERE kind = 'demo'`).Scan(&n); err != nil {
		return false, fmt.Errorf("local: is demo: %w", err)
	}
	return n > 0, nil
}

// DemoContents says whether the database is a demo one and counts what demo-data did not make.
func (s *Store) DemoContents(ctx context.Context) (app.DemoContents, error) {
	c, err := demoContents(ctx, s.ro, true)
	if err != nil {
		return c, fmt.Errorf("local: demo contents: %w", err)
	}
	return c, nil
}

// MarkDemo makes this a demo database, in one transaction with the check that it holds nothing
// demo-data did not make (otherwise app.ErrNotDemoData and nothing changes). Marking a demo
// database again is a no-op.
func (s *Store) MarkDemo(ctx context.Context) error {
	return s.write(ctx, "mark demo database", func(tx *sql.Tx) error {
		c, err := demoContents(ctx, tx, true)
		if err != nil {
			return err
		}
		if c.Foreign() {
			return &app.NotDemoError{Contents: c}
		}
		if c.Demo {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO database_kind (id, kind, marked_at) VALUES (1, 'demo', ?)`,
			s.stamp().UnixMilli())
		return err
	})
}

// RecordDemoRows remembers that demo-data made these rows (entity is DemoPatient, DemoProvider or
// DemoOrder). It fails unless the database is marked demo.
func (s *Store) RecordDemoRows(ctx context.Context, entity string, ids []int64) error {
	return s.write(ctx, fmt.Sprintf("record %d demo %s rows", len(ids), entity), func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM database_kind`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errors.New("not a demo database")
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO demo_rows (entity, entity_id) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, entity, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// demoContents counts, through q, the rows demo-data did not make. Tables a database at an older
// schema lacks count as empty; markTables says whether database_kind and demo_rows are known to exist.
func demoContents(ctx context.Context, q rowQueryer, markTables bool) (app.DemoContents, error) {
	c := app.DemoContents{Exists: true}
	has := func(table string) (bool, error) {
		var n int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n)
		return n > 0, err
	}
	if !markTables {
		ok, err := has("demo_rows")
		if err != nil {
			return c, err
		}
		markTables = ok
	}
	if markTables {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM database_kind`).Scan(&n); err != nil {
			return c, err
		}
		c.Demo = n > 0
	}
	for _, x := range []struct {
		table, entity string
		dst           *int
	}{
		{"patients", DemoPatient, &c.OtherPatients},
		{"orders", DemoOrder, &c.OtherOrders},
		{"providers", DemoProvider, &c.OtherProviders},
	} {
		ok, err := has(x.table)
		if err != nil || !ok {
			return c, err
		}
		query := `SELECT count(*) FROM ` + x.table
		args := []any{}
		if markTables {
			query += ` WHERE id NOT IN (SELECT entity_id FROM demo_rows WHERE entity = ?)`
			args = append(args, x.entity)
		}
		if err := q.QueryRowContext(ctx, query, args...).Scan(x.dst); err != nil {
			return c, err
		}
	}
	if !c.Demo {
		ok, err := has("settings")
		if err != nil {
			return c, err
		}
		if ok {
			var n int
			if err := q.QueryRowContext(ctx,
				`SELECT count(*) FROM settings WHERE key LIKE 'account.%' AND value <> ''`).Scan(&n); err != nil {
				return c, err
			}
			c.Account = n > 0
		}
	}
	return c, nil
}

// InspectDemo reads what the database at path holds for demo-data without changing any file: no
// migration runs, and when no write-ahead log is present (the app is not running and closed cleanly)
// SQLite is told the file is immutable, so it creates no -wal or -shm file either. A missing file
// gives Exists false.
func InspectDemo(ctx context.Context, path string) (app.DemoContents, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return app.DemoContents{}, nil
	} else if err != nil {
		return app.DemoContents{}, fmt.Errorf("local: inspect: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return app.DemoContents{}, fmt.Errorf("local: inspect: %w", err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	if _, err := os.Stat(abs + "-wal"); errors.Is(err, fs.ErrNotExist) {
		q.Set("immutable", "1")
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	db, err := sql.Open(driverName, (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String())
	if err != nil {
		return app.DemoContents{}, fmt.Errorf("local: inspect: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	c, err := demoContents(ctx, db, false)
	if err != nil {
		return c, fmt.Errorf("local: inspect: %w", err)
	}
	return c, nil
}
