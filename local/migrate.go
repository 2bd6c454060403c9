package local

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Migrations live in migrations/NNNN_name.sql, numbered from 0001 without gaps, one file per schema
// change; never edit one that has shipped. Each runs in its own transaction together with its row
// in schema_version, so a failing migration leaves the database at the previous version.
//
// A migration that rebuilds a table (SQLite's 12-step ALTER: create new, copy, drop old, rename),
// e.g. to add a status to a CHECK list, must contain the line
//
//	-- local:foreign_keys=off
//
// Foreign keys are then switched off around its transaction (DROP TABLE orders would otherwise
// cascade into attachments) and PRAGMA foreign_key_check runs before it commits.
//
//go:embed migrations/*.sql
var embeddedMigrations embed.FS

var migrationFile = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

const fkOffMarker = "-- local:foreign_keys=off"

// goSteps are data changes SQL alone cannot make (SQLite has no SHA-256), run in a migration's
// transaction right after its SQL. They are keyed by the file name without its number.
var goSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"audit_chain": sealLegacyAudit,
}

// stepKey is "audit_chain" for "0005_audit_chain.sql".
func stepKey(name string) string {
	name = strings.TrimSuffix(name, ".sql")
	if i := strings.IndexByte(name, '_'); i >= 0 {
		return name[i+1:]
	}
	return name
}

type migration struct {
	version int
	name    string // file name, e.g. 0001_init.sql
	sql     string
	fkOff   bool
}

// loadMigrations reads migrations/*.sql from fsys and checks that they are numbered 1..n.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m := migrationFile.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if v != len(ms)+1 {
			return nil, fmt.Errorf("migration %s: expected number %04d", e.Name(), len(ms)+1)
		}
		b, err := fs.ReadFile(fsys, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		text := string(b)
		ms = append(ms, migration{
			version: v, name: e.Name(), sql: text,
			fkOff: strings.Contains(text, "\n"+fkOffMarker) || strings.HasPrefix(text, fkOffMarker),
		})
	}
	return ms, nil
}

const createVersionTable = `CREATE TABLE IF NOT EXISTS schema_version (
	version    INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	applied_at INTEGER NOT NULL
)`

// migrate brings the database to the newest known schema, then checks foreign keys.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS, now func() time.Time) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return fmt.Errorf("local: migrations: %w", err)
	}
	conn, err := db.Conn(ctx) // one connection, so PRAGMA foreign_keys applies to the transactions
	if err != nil {
		return fmt.Errorf("local: migrate: %w", err)
	}
	defer conn.Close()

	applied, err := appliedVersions(ctx, conn)
	if err != nil {
		return fmt.Errorf("local: migrate: %w", err)
	}
	for v, name := range applied {
		if v > len(ms) {
			return fmt.Errorf("local: database is at schema version %d, this app knows up to %d: %w",
				v, len(ms), ErrSchemaTooNew)
		}
		if want := ms[v-1].name; name != want {
			return fmt.Errorf("local: schema version %d was applied as %s, this app has %s", v, name, want)
		}
	}
	for _, m := range ms {
		if _, ok := applied[m.version]; ok {
			continue
		}
		if err := applyMigration(ctx, conn, m, now); err != nil {
			return fmt.Errorf("local: migration %s: %w", m.name, err)
		}
	}
	if err := foreignKeyCheck(ctx, conn); err != nil {
		return fmt.Errorf("local: migrate: %w", err)
	}
	return nil
}

// appliedVersions reads schema_version (empty when the table does not exist yet).
func appliedVersions(ctx context.Context, conn *sql.Conn) (map[int]string, error) {
	var n int
	err := conn.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'`).Scan(&n)
	if err != nil || n == 0 {
		return map[int]string{}, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT version, name FROM schema_version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int]string{}
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return nil, err
		}
		applied[v] = name
	}
	return applied, rows.Err()
}

func applyMigration(ctx context.Context, conn *sql.Conn, m migration, now func() time.Time) (err error) {
	if m.fkOff {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer func() {
			if _, e := conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); e != nil && err == nil {
				err = e
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE (DSN _txlock)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, createVersionTable); err != nil {
		return err
	}
	// Another process may have applied it between our read and our lock.
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_version WHERE version = ?`,
		m.version).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if step := goSteps[stepKey(m.name)]; step != nil {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	if m.fkOff {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, now().UnixMilli()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// SchemaVersion is the highest applied migration number.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.ro.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("local: schema version: %w", err)
	}
	return v, nil
}
