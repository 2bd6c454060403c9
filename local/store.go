// Package local is the SQLite cache on the clinician's machine: patients, providers, referral
// orders with their diagnoses and attachments, the outbox of signed orders and the audit log.
//
// One read-write handle with a single connection serialises every write (transactions begin
// IMMEDIATE, so a writer never fails half-way on a lock upgrade); a small read-only pool serves
// queries, which WAL lets run beside a writer. Timestamps are stored as INTEGER unix milliseconds
// in UTC (NULL when unknown) and come back in UTC; dates of birth are TEXT YYYY-MM-DD.
//
// Privacy: nothing here logs, error messages carry ids only (never names or other patient data),
// the audit log's detail holds ids, statuses and counts, and SQLite keeps its temporary tables in
// memory so no patient data lands in temp files outside the database's directory.
package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/referraldesk/referraldesk/app"
)

// Errors of Open and Check besides those of package app; compare with errors.Is.
var (
	// ErrSchemaTooNew means the database was migrated by a newer ReferralDesk; it is left untouched.
	ErrSchemaTooNew = errors.New("database schema is newer than this version of ReferralDesk")
	// ErrCorrupt means an integrity or foreign-key check found problems.
	ErrCorrupt = errors.New("database failed its consistency check")
	// ErrEmptyDatabase means the database file exists but holds nothing (truncated or replaced):
	// it is not silently turned into a new database.
	ErrEmptyDatabase = errors.New("the database file is empty")
)

// Options configure Open.
type Options struct {
	// Actor is the OS user name written to the audit log (default: the current OS user).
	Actor string
	// Now is the clock (default time.Now); tests pass a fixed one.
	Now func() time.Time

	// migrations replaces the embedded migrations; tests use it to inject a bad one.
	migrations fs.FS
}

// Store is the SQLite implementation of app.Store. It is safe for concurrent use.
type Store struct {
	path  string
	rw    *sql.DB // exactly one connection: all writes
	ro    *sql.DB // read-only pool: queries
	actor string
	now   func() time.Time

	// hook, when set (tests only), is called at named points inside write transactions.
	hook func(stage string)
}

var _ app.Store = (*Store)(nil)

const driverName = "sqlite3_referraldesk"

func init() {
	// Per-connection settings that have no DSN parameter.
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(`PRAGMA temp_store = MEMORY;
			PRAGMA trusted_schema = OFF;
			PRAGMA journal_size_limit = 67108864;`, nil)
		return err
	}})
}

// dsn builds the file: URI for path. The read-write DSN turns on WAL, foreign keys, a 5 s busy
// timeout, BEGIN IMMEDIATE for every transaction, secure_delete (freed pages are zeroed, so deleted
// drafts do not linger in the file), a 64 MiB page cache (a 100,000-chart bulk load takes half the
// CPU time it takes with the default 2 MiB) and synchronous=FULL: in WAL mode NORMAL survives application
// crashes but may lose the last commits on power loss, and a clinician who saw "signed" must not
// find the order back as a draft; writes are user-paced, so the extra fsync per commit costs nothing
// noticeable (bulk loads are one transaction, one fsync).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", "5000")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_fk", "on")
		q.Set("_txlock", "immediate")
		q.Set("_synchronous", "FULL")
		q.Set("_secure_delete", "on")
		q.Set("_cache_size", "-65536")
	}
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// Open opens (creating if needed) the database at path and migrates it to the newest schema.
// The parent directory is created with mode 0700, the database file with 0600 (repaired if wider).
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("local: open: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("local: open: %w", err)
	}
	if err := prepareFiles(abs); err != nil {
		return nil, fmt.Errorf("local: open: %w", err)
	}
	s := &Store{path: abs, actor: opts.Actor, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if s.actor == "" {
		s.actor = "unknown"
		if u, err := user.Current(); err == nil && u.Username != "" {
			s.actor = u.Username
		}
	}
	migrations := opts.migrations
	if migrations == nil {
		migrations = embeddedMigrations
	}
	ctx := context.Background()

	s.rw, err = sql.Open(driverName, dsn(abs, false))
	if err != nil {
		return nil, fmt.Errorf("local: open: %w", err)
	}
	s.rw.SetMaxOpenConns(1)
	s.rw.SetMaxIdleConns(1)
	s.rw.SetConnMaxLifetime(0)
	s.rw.SetConnMaxIdleTime(0)
	fail := func(err error) (*Store, error) {
		s.rw.Close()
		if s.ro != nil {
			s.ro.Close()
		}
		return nil, err
	}
	if err := s.rw.PingContext(ctx); err != nil {
		return fail(fmt.Errorf("local: open: %w", err))
	}
	if err := migrate(ctx, s.rw, migrations, s.now); err != nil {
		return fail(err)
	}
	s.ro, err = sql.Open(driverName, dsn(abs, true))
	if err != nil {
		return fail(fmt.Errorf("local: open read-only: %w", err))
	}
	s.ro.SetMaxOpenConns(4)
	s.ro.SetMaxIdleConns(4)
	if err := s.ro.PingContext(ctx); err != nil {
		return fail(fmt.Errorf("local: open read-only: %w", err))
	}
	if err := checkDB(ctx, s.rw, "quick_check"); err != nil {
		return fail(fmt.Errorf("local: open: %w", err))
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := fixMode(abs + suffix); err != nil {
			return fail(fmt.Errorf("local: open: %w", err))
		}
	}
	return s, nil
}

// prepareFiles creates the directory (0700) and the database file (0600) before SQLite sees them.
func prepareFiles(path string) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		return f.Close()
	case err != nil:
		return err
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	case st.Size() == 0 && !hasData(path+"-wal"):
		// SQLite would silently start a new, empty database over a file that was truncated.
		return fmt.Errorf("%w: %s is 0 bytes. Restore it from a backup, or move it out of the folder to start "+
			"with a new, empty database", ErrEmptyDatabase, path)
	}
	return fixMode(path)
}

// hasData: the file exists and is not empty (a database's committed pages may still be only in
// its -wal file, with the main file at 0 bytes).
func hasData(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Size() > 0
}

// fixMode makes an existing file 0600 (a no-op on Windows, where mode bits mean little).
func fixMode(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode().Perm() != 0o600 {
		return os.Chmod(path, 0o600)
	}
	return nil
}

// Path is the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close runs PRAGMA optimize and closes both handles.
func (s *Store) Close() error {
	_, _ = s.rw.Exec("PRAGMA optimize")
	return errors.Join(s.ro.Close(), s.rw.Close())
}

// Check runs a full integrity check and a foreign-key check; problems wrap ErrCorrupt.
func (s *Store) Check(ctx context.Context) error {
	if err := checkDB(ctx, s.ro, "integrity_check"); err != nil {
		return fmt.Errorf("local: check: %w", err)
	}
	return nil
}

// checkDB runs PRAGMA integrity_check or quick_check, then foreign_key_check.
func checkDB(ctx context.Context, db *sql.DB, pragma string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return fmt.Errorf("%s: %w", pragma, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fmt.Errorf("%s: %w", pragma, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("%s: %w", pragma, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, pragma, strings.Join(problems, "; "))
	}
	return foreignKeyCheck(ctx, db)
}

// queryer is the read-only pool, the read-write handle or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// foreignKeyCheck fails with ErrCorrupt when any row points at a missing parent.
func foreignKeyCheck(ctx context.Context, q queryer) error {
	rows, err := q.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			rows.Close()
			return fmt.Errorf("foreign_key_check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %d -> %s", table, rowid.Int64, parent))
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: foreign_key_check: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}

// write runs fn in one IMMEDIATE transaction on the read-write connection. Errors are wrapped as
// "local: <what>: <err>".
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("local: %s: begin: %w", what, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := fn(tx); err != nil {
		return fmt.Errorf("local: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("local: %s: commit: %w", what, err)
	}
	return nil
}

// at calls the test hook, if any.
func (s *Store) at(stage string) {
	if s.hook != nil {
		s.hook(stage)
	}
}

// stamp is the store's clock, in UTC and truncated to the stored millisecond precision.
func (s *Store) stamp() time.Time { return toMS(s.now()) }

func toMS(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// ms is the stored form of a timestamp: unix milliseconds, or NULL for the zero time.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// msTime scans a nullable unix-milliseconds column into a time.Time (UTC, zero for NULL).
type msTime struct{ t *time.Time }

func (m msTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*m.t = time.Time{}
	case int64:
		*m.t = time.UnixMilli(x).UTC()
	default:
		return fmt.Errorf("timestamp: unexpected %T", v)
	}
	return nil
}

// dateValue is the stored form of a calendar date: YYYY-MM-DD, or NULL.
func dateValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(app.DateLayout)
}

// dateCol scans a nullable YYYY-MM-DD column into a time.Time at UTC midnight.
type dateCol struct{ t *time.Time }

func (d dateCol) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		*d.t = time.Time{}
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("date: unexpected %T", v)
	}
	t, err := time.Parse(app.DateLayout, s)
	if err != nil {
		return fmt.Errorf("date: %w", err)
	}
	*d.t = t
	return nil
}

// constraint turns unique and primary-key violations into app.ErrAlreadyExists (keeping SQLite's
// message, which names columns, never values).
func constraint(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique ||
		se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey) {
		return fmt.Errorf("%w: %w", app.ErrAlreadyExists, err)
	}
	return err
}

// notFound turns sql.ErrNoRows into app.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return app.ErrNotFound
	}
	return err
}

// successor is the smallest string greater than every string that starts with prefix, for index
// range scans (col >= prefix AND col < successor); ok is false when there is none.
func successor(prefix string) (string, bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// placeholders gives "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
