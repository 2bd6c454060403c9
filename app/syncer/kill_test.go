package syncer_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/local"
)

const childEnv = "REFERRALDESK_SYNC_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

// runChild is the syncing process the kill test murders: it pushes until the outbox is empty.
func runChild() int {
	st, err := local.Open(os.Getenv("DB"), local.Options{Actor: "child"})
	if err != nil {
		return 2
	}
	defer st.Close()
	p := &synctest.FHIRPeer{Base: os.Getenv("BASE"), User: os.Getenv("USER_NAME")}
	w := newWorker(&testing.T{}, st, p, os.Getenv("PASSWORD"))
	w.Lease = 300 * time.Millisecond // the killed worker's claim comes back quickly
	ctx := context.Background()
	for i := 0; i < 50; i++ {
		if _, err := w.Push(ctx); err == nil {
			if pending, _ := st.Outbox(ctx, app.OutboxPending); len(pending) == 0 {
				return 0
			}
		}
		time.Sleep(350 * time.Millisecond)
	}
	return 1
}

// TestSyncSurvivesSIGKILL kills the syncing process at random moments, at least 20 times, while it
// pushes several orders with attachments; at the end the server holds exactly one of everything.
func TestSyncSurvivesSIGKILL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL semantics")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	p := synctest.StartFHIR(t, "../..")
	dbPath := filepath.Join(t.TempDir(), "rd.db")
	f := signOffline(t, dbPath, 4, 3_000_000, 400_000)
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	child := func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1", "DB="+dbPath, "BASE="+p.Base, "USER_NAME="+p.User, "PASSWORD="+p.Password)
		return cmd
	}
	kills := 0
	for kills < 20 {
		cmd := child(context.Background())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(30+rand.IntN(400)) * time.Millisecond)
		_ = cmd.Process.Kill()
		state, _ := cmd.Process.Wait()
		if state != nil && state.Exited() && state.ExitCode() == 0 {
			// Everything was sent before this kill: sign more orders so every kill lands mid-push.
			more := signOffline(t, dbPath, 3, 3_000_000, 400_000)
			f.orders = append(f.orders, more.orders...)
			if err := more.st.Close(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		kills++
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := child(ctx).CombinedOutput(); err != nil {
		t.Fatalf("final run after %d kills: %v\n%s", kills, err, out)
	}
	st, err := local.Open(dbPath, local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(context.Background()); err != nil {
		t.Fatalf("database after %d kills: %v", kills, err)
	}
	f.st = st
	assertExactlyOnce(t, p, f)
	t.Logf("%d kills, then completed: 0 duplicates, 0 lost", kills)
	if kills < 20 {
		t.Fatalf("only %d kills landed mid-push, want at least 20", kills)
	}
}
