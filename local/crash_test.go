package local

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// Environment of the crash helper process.
const (
	crashModeEnv  = "LOCAL_CRASH_MODE" // "sign" or "bulk"
	crashDBEnv    = "LOCAL_CRASH_DB"
	crashOrderEnv = "LOCAL_CRASH_ORDER"
)

// TestCrashChild is the helper process of TestCrashMidTransaction: it opens the database, starts
// the work, prints READY from inside the open transaction and waits to be killed.
func TestCrashChild(t *testing.T) {
	mode := os.Getenv(crashModeEnv)
	if mode == "" {
		t.Skip("helper process for TestCrashMidTransaction")
	}
	s, err := Open(os.Getenv(crashDBEnv), Options{Actor: "child"})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	ready := func() {
		fmt.Println("READY")
		_ = os.Stdout.Sync()
		time.Sleep(time.Minute) // killed long before this ends
		os.Exit(2)
	}
	ctx := context.Background()
	switch mode {
	case "sign":
		id, _ := strconv.ParseInt(os.Getenv(crashOrderEnv), 10, 64)
		s.hook = func(stage string) {
			if stage == "sign:before-outbox" {
				ready()
			}
		}
		err = s.SignOrder(ctx, id, testSig, time.Now())
	case "bulk":
		progress := 0
		s.hook = func(stage string) {
			if stage == "bulk:progress" {
				if progress++; progress == 40 { // 40,000 rows in, many pages spilled into the WAL
					ready()
				}
			}
		}
		err = s.BulkInsertPatients(ctx, synthPatients(50_000, 7))
	}
	fmt.Println("ERROR finished without being killed", err)
	os.Exit(3)
}

// TestCrashMidTransaction kills (SIGKILL) a process in the middle of a signing transaction and in the
// middle of a large bulk insert, then checks that reopening finds a sound database without a trace
// of the unfinished work.
func TestCrashMidTransaction(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	for _, mode := range []string{"sign", "bulk"} {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			s, err := Open(path, Options{Actor: "tester"})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			_, _, o := seedOrder(t, s)
			if err := s.BulkInsertPatients(ctx, synthPatients(1000, 3)); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, s)
			s.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashModeEnv+"="+mode, crashDBEnv+"="+path,
				crashOrderEnv+"="+strconv.FormatInt(o.ID, 10))
			cmd.Stderr = os.Stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			timeout := time.After(60 * time.Second)
		wait:
			for {
				select {
				case line, ok := <-lines:
					if !ok {
						t.Fatal("child exited before READY")
					}
					if line == "READY" {
						break wait
					}
					if strings.HasPrefix(line, "ERROR") {
						t.Fatal("child: ", line)
					}
				case <-timeout:
					_ = cmd.Process.Kill()
					t.Fatal("child never got ready")
				}
			}
			if st, err := os.Stat(path + "-wal"); err == nil {
				t.Logf("%s: WAL holds %d bytes at the kill", mode, st.Size())
			}
			if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code, no rollback
				t.Fatal(err)
			}
			for range lines { // drain until the pipe closes, then reap
			}
			_ = cmd.Wait()

			s, err = Open(path, Options{Actor: "tester"})
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer s.Close()
			if err := s.Check(ctx); err != nil {
				t.Fatal(err)
			}
			if after := snapshot(t, s); after != before {
				t.Fatalf("the killed transaction left a trace:\nbefore %s\nafter  %s", before, after)
			}
			got, err := s.Order(ctx, o.ID)
			if err != nil || got.Status != app.StatusDraft || !got.SignedAt.IsZero() {
				t.Fatalf("order after crash: %s signed %v, %v", got.Status, got.SignedAt, err)
			}
			// The store still works: the order can be signed now, with exactly one outbox entry.
			if err := s.SignOrder(ctx, o.ID, testSig, time.Now()); err != nil {
				t.Fatal(err)
			}
			if out, _ := s.Outbox(ctx, ""); len(out) != 1 {
				t.Fatalf("outbox after recovery: %+v", out)
			}
		})
	}
}

// snapshot summarises the counts and statuses a torn transaction could change.
func snapshot(t *testing.T, s *Store) string {
	t.Helper()
	var patients, outbox, audit, queued int
	err := s.ro.QueryRow(`SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM outbox),
		(SELECT count(*) FROM audit_log), (SELECT count(*) FROM orders WHERE status <> 'draft')`).
		Scan(&patients, &outbox, &audit, &queued)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("patients=%d outbox=%d audit=%d non-draft orders=%d", patients, outbox, audit, queued)
}
