package syncer_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/sandbox"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/local"
)

const childEnv = "REFERRALDESK_SYNC_CHILD"

func TestMain(m *testing.M) {
	// The images scan reads headers in sandbox workers: this binary is its own worker.
	sandbox.RunWorkerIfAsked()
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
	said := false
	w.OnStatus = func(s syncer.Status) {
		if s.Bytes > 0 && !said { // the test kills only after this line: bytes are on their way
			said = true
			fmt.Println(sendingLine)
		}
	}
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

// sendingLine is what the child prints once the first bytes of an order are on their way.
const sendingLine = "SENDING"

// lineWatcher collects a child's output and closes seen when a line equal to want arrives.
type lineWatcher struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (l *lineWatcher) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	for _, line := range strings.Split(l.buf.String(), "\n") {
		if line == l.want {
			l.once.Do(func() { close(l.seen) })
		}
	}
	return len(p), nil
}

func (l *lineWatcher) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestSyncSurvivesSIGKILL kills the syncing process at least 20 times while it pushes several orders
// with attachments: each time after the child says bytes are on their way, after a random pause.
// Only a child that SIGKILL ended counts as a kill; one that ended by itself having sent everything
// gets more orders, and one that failed by itself fails the test. At the end the server holds exactly
// one of everything.
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
	signMore := func() {
		more := signOffline(t, dbPath, 3, 3_000_000, 400_000)
		f.orders = append(f.orders, more.orders...)
		if err := more.st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	kills, finished := 0, 0
	for kills < 20 {
		if finished > 20 {
			t.Fatalf("after %d kills the child finished %d times before a kill landed", kills, finished)
		}
		cmd := child(context.Background())
		out := &lineWatcher{want: sendingLine, seen: make(chan struct{})}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() {
			_ = cmd.Wait()
			close(exited)
		}()
		select {
		case <-out.seen:
		case <-exited:
			if cmd.ProcessState.ExitCode() != 0 {
				t.Fatalf("the child failed by itself before sending (exit %d) after %d kills:\n%s", cmd.ProcessState.ExitCode(), kills, out)
			}
			finished++ // nothing was waiting
			signMore()
			continue
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			<-exited
			t.Fatalf("the child did not start sending within a minute:\n%s", out)
		}
		time.Sleep(time.Duration(rand.IntN(250)) * time.Millisecond)
		_ = cmd.Process.Kill()
		<-exited
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch {
		case ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL:
			kills++
		case cmd.ProcessState.ExitCode() == 0:
			// Everything was sent before this kill: sign more orders so the next kill lands mid-push.
			finished++
			signMore()
		default:
			t.Fatalf("the child ended by itself (%v) after %d kills:\n%s", cmd.ProcessState, kills, out)
		}
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
	t.Logf("%d kills after sending began (%d runs finished before their kill), then completed: 0 duplicates, 0 lost", kills, finished)
}
