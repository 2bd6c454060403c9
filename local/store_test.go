package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openTest opens a fresh store in a temp dir, closed at cleanup.
func openTest(t testing.TB) (*Store, *clock) {
	t.Helper()
	c := newClock()
	s, err := Open(filepath.Join(t.TempDir(), "cache.db"), Options{Actor: "tester", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s, c
}

func TestMigrationsFromEmpty(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	ms, err := loadMigrations(embeddedMigrations)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.ro.Query(`SELECT version, name, applied_at FROM schema_version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var v int
		var name string
		var at int64
		if err := rows.Scan(&v, &name, &at); err != nil {
			t.Fatal(err)
		}
		if at != c.Now().UnixMilli() {
			t.Errorf("applied_at %d, want %d", at, c.Now().UnixMilli())
		}
		got = append(got, name)
	}
	rows.Close()
	if len(got) != len(ms) || got[0] != "0001_init.sql" {
		t.Fatalf("schema_version rows %v, migrations %d", got, len(ms))
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
	tables := tableNames(t, s.ro)
	for _, want := range []string{
		"schema_version", "patients", "providers", "orders", "order_diagnoses", "attachments",
		"audit_log", "outbox",
	} {
		if !slices.Contains(tables, want) {
			t.Errorf("table %s missing (have %v)", want, tables)
		}
	}
	if err := foreignKeyCheck(ctx, s.ro); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	// The DSN settings took effect on the read-write connection.
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "2",
		"temp_store": "2", "secure_delete": "1", "cache_size": "-65536",
	} {
		var v string
		if err := s.rw.QueryRow("PRAGMA " + pragma).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, v, want)
		}
	}
	// The read-only pool cannot write.
	if _, err := s.ro.Exec(`INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES (1, 'x', 'x', 'x', 1)`); err == nil {
		t.Error("read-only pool accepted a write")
	}
}

func tableNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

func TestReopenIsNoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	c := newClock()
	s, err := Open(path, Options{Actor: "tester", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Hour)
	s, err = Open(path, Options{Actor: "tester", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	var at int64
	if err := s.ro.QueryRow(`SELECT count(*), max(applied_at) FROM schema_version`).Scan(&n, &at); err != nil {
		t.Fatal(err)
	}
	if n != latestVersion(t) || at != c.Now().Add(-time.Hour).UnixMilli() {
		t.Fatalf("after reopen: %d rows, applied_at %d", n, at)
	}
}

// latestVersion is the number of the newest embedded migration.
func latestVersion(t *testing.T) int {
	t.Helper()
	ms, err := loadMigrations(embeddedMigrations)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

// next names a migration file numbered n past the newest embedded one.
func next(t *testing.T, n int, name string) string {
	return fmt.Sprintf("%04d_%s.sql", latestVersion(t)+n, name)
}

// embeddedMigrationsBelow is the embedded migrations numbered below next (all when next is 0).
func embeddedMigrationsBelow(t *testing.T, next int) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(embeddedMigrations, "migrations", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || next > 0 && filepath.Base(p) >= fmt.Sprintf("%04d_", next) {
			return err
		}
		b, err := fs.ReadFile(embeddedMigrations, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// withMigration is the embedded migrations plus extra files.
func withMigration(t *testing.T, files map[string]string) fs.FS {
	t.Helper()
	m := embeddedMigrationsBelow(t, 0)
	for name, text := range files {
		m["migrations/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

// openBefore makes a new database at path with the schema as it was before migration next (the
// embedded migrations numbered below it), for tests of what next does to old data.
func openBefore(t *testing.T, path string, next int) *Store {
	t.Helper()
	s, err := Open(path, Options{Actor: "tester", migrations: embeddedMigrationsBelow(t, next)})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(context.Background()); err != nil || v != next-1 {
		s.Close()
		t.Fatalf("old schema version %d, %v; want %d", v, err, next-1)
	}
	return s
}

func TestFailingMigrationRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	// The first statement succeeds, the second fails: nothing of it may remain.
	bad := withMigration(t, map[string]string{next(t, 1, "bad"): `
		CREATE TABLE half_done (id INTEGER PRIMARY KEY);
		ALTER TABLE patients ADD COLUMN nickname TEXT;
		INSERT INTO no_such_table VALUES (1);`})
	_, err = Open(path, Options{Actor: "tester", migrations: bad})
	if err == nil {
		t.Fatal("Open succeeded with a failing migration")
	}
	if !strings.HasPrefix(err.Error(), "local: migration "+next(t, 1, "bad")+": ") || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("error = %q", err)
	}

	s, err = Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(context.Background()); v != latestVersion(t) {
		t.Fatalf("version %d after failed migration, want %d", v, latestVersion(t))
	}
	if slices.Contains(tableNames(t, s.ro), "half_done") {
		t.Fatal("table of the failed migration survived")
	}
	var n int
	if err := s.ro.QueryRow(`SELECT count(*) FROM pragma_table_info('patients') WHERE name = 'nickname'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("column of the failed migration survived (%d, %v)", n, err)
	}

	// A good 0002 applies on top, and one that rebuilds a table runs with foreign keys off.
	good := withMigration(t, map[string]string{next(t, 1, "nickname"): `-- local:foreign_keys=off
		ALTER TABLE patients ADD COLUMN nickname TEXT NOT NULL DEFAULT '';`})
	s.Close()
	s, err = Open(path, Options{Actor: "tester", migrations: good})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(context.Background()); v != latestVersion(t)+1 {
		t.Fatalf("version %d, want %d", v, latestVersion(t)+1)
	}
	var fk int
	if err := s.rw.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d after an fk-off migration (%v)", fk, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	newer := withMigration(t, map[string]string{next(t, 1, "future"): `CREATE TABLE future (id INTEGER PRIMARY KEY);`})
	s, err := Open(path, Options{Actor: "tester", migrations: newer})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{Actor: "tester"})
	if want := fmt.Sprintf("version %d", latestVersion(t)+1); !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want ErrSchemaTooNew naming %s", err, want)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("a newer database was modified")
	}
}

func TestMigrationFileNames(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"gap":      {next(t, 2, "gap"): "SELECT 1;"},
		"bad name": {"2_x.sql": "SELECT 1;"},
	} {
		if _, err := loadMigrations(withMigration(t, files)); err == nil {
			t.Errorf("%s: loadMigrations accepted %v", name, files)
		}
	}
}

func TestFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := filepath.Join(t.TempDir(), "new", "referraldesk")
	path := filepath.Join(dir, "cache.db")
	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	p := makePatient("Mode", "Test", "1970-01-01", "")
	if err := s.CreatePatient(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %s", s.Path())
	}
	for file, want := range map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600} {
		st, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(file), st.Mode().Perm(), want)
		}
	}
	s.Close()

	// An existing database with a wider mode is repaired.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("existing file left at %o", st.Mode().Perm())
	}
}

func TestOpenRejectsGarbage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{Actor: "tester"}); err == nil {
		t.Fatal("Open accepted a file that is not a database")
	}
}

func TestOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a dir?#%", "cache db.sqlite")
	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the given path: %v", err)
	}
}

// TestConcurrentUse: writers queue on the one read-write connection while readers use the pool;
// nothing fails with SQLITE_BUSY or deadlocks.
func TestConcurrentUse(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	p, _, o := seedOrder(t, s)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 3 {
		wg.Go(func() {
			for i := range 30 {
				d := app.Order{PatientID: p.ID, Reason: fmt.Sprint(w, i)}
				if err := s.SaveDraft(ctx, &d); err != nil {
					errs <- err
					return
				}
				if err := s.TouchPatient(ctx, p.ID, c.Now()); err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Go(func() {
			for range 30 {
				if _, err := s.SearchPatients(ctx, "quix", 10); err != nil {
					errs <- err
					return
				}
				if _, err := s.Order(ctx, o.ID); err != nil {
					errs <- err
					return
				}
				if _, err := s.Orders(ctx); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if all, _ := s.Orders(ctx); len(all) != 91 {
		t.Fatalf("%d orders, want 91", len(all))
	}
}

func TestSuccessor(t *testing.T) {
	for in, want := range map[string]string{"smith": "smiti", "a\xff": "b", "müller": "mülles"} {
		if got, ok := successor(in); !ok || got != want {
			t.Errorf("successor(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := successor("\xff\xff"); ok {
		t.Error("successor of all-0xff")
	}
}

// Seen (issue 12 §7): an existing zero-byte database became a silent new database.
func TestZeroByteDatabaseRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path, Options{Actor: "tester"})
	if !errors.Is(err, ErrEmptyDatabase) || !strings.Contains(err.Error(), "Restore it from a backup") {
		t.Fatalf("Open on a 0-byte file: %v", err)
	}
	if st, _ := os.Stat(path); st.Size() != 0 {
		t.Fatalf("the empty file was written to (%d bytes)", st.Size())
	}
	// A missing file is a new database, as before.
	s, err := Open(filepath.Join(t.TempDir(), "new.db"), Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
