package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary is its own worker: the pool starts os.Executable() (this binary) with the worker
// variable set, and TestMain turns that copy into a worker before any test runs.
func TestMain(m *testing.M) {
	RunWorkerIfAsked()
	os.Exit(m.Run())
}

var sink [][]byte

func init() {
	Handle("test.echo", func(_ context.Context, b []byte) ([]byte, error) {
		return append([]byte("echo:"), b...), nil
	})
	Handle("test.fail", func(context.Context, []byte) ([]byte, error) {
		return nil, errors.New("no such page")
	})
	Handle("test.panic", func(context.Context, []byte) ([]byte, error) {
		// A panic on a goroutine nobody recovers, as a parser bug would raise: the worker dies.
		go func() { panic("parser bug") }()
		select {} // the panic ends the process first
	})
	Handle("test.exit", func(context.Context, []byte) ([]byte, error) {
		os.Exit(7)
		return nil, nil
	})
	Handle("test.sleep", func(context.Context, []byte) ([]byte, error) {
		time.Sleep(time.Hour)
		return nil, nil
	})
	Handle("test.alloc", func(context.Context, []byte) ([]byte, error) {
		// Grows until the worker's memory limit ends it (as a claimed size taken at its word would).
		for {
			sink = append(sink, make([]byte, 64<<20))
		}
	})
	Handle("test.stdout", func(_ context.Context, b []byte) ([]byte, error) {
		// A library printing to stdout must not corrupt the protocol.
		fmt.Println("noise on stdout")
		fmt.Fprintln(os.Stdout, "more noise")
		return b, nil
	})
	Handle("test.pid", func(context.Context, []byte) ([]byte, error) {
		return []byte(fmt.Sprint(os.Getpid())), nil
	})
}

func newPool(t *testing.T) *Pool {
	t.Helper()
	p := &Pool{MaxWorkers: 2, MemoryLimit: 1 << 30}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func TestDoAnswersAndReusesTheWorker(t *testing.T) {
	p := newPool(t)
	ctx := context.Background()
	var pids []string
	for i := 0; i < 5; i++ {
		got, err := p.Do(ctx, "test.echo", []byte(fmt.Sprint(i)), 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("echo:%d", i); string(got) != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		pid, err := p.Do(ctx, "test.pid", nil, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, string(pid))
	}
	if pids[0] == fmt.Sprint(os.Getpid()) {
		t.Fatal("the job ran in the test process itself")
	}
	for _, pid := range pids {
		if pid != pids[0] {
			t.Fatalf("jobs ran in processes %v: the idle worker was not reused", pids)
		}
	}
	if n := p.Started(); n != 1 {
		t.Fatalf("%d workers started for sequential jobs, want 1", n)
	}
}

func TestHandlerErrorAndUnknownJob(t *testing.T) {
	p := newPool(t)
	_, err := p.Do(context.Background(), "test.fail", nil, 10*time.Second)
	var je *JobError
	if !errors.As(err, &je) || je.Msg != "no such page" {
		t.Fatalf("got %v, want the handler's error", err)
	}
	if _, err := p.Do(context.Background(), "test.nope", nil, 10*time.Second); !errors.Is(err, ErrUnknownJob) {
		t.Fatalf("got %v, want ErrUnknownJob", err)
	}
	if n := p.Started(); n != 1 {
		t.Fatalf("a handler error or unknown job cost the worker: %d started", n)
	}
}

// Each failure costs its job a clear error and the next job gets a fresh worker that works.
func TestCrashHangAndMemoryBombCostOneJob(t *testing.T) {
	p := newPool(t)
	ctx := context.Background()
	cases := []struct {
		job  string
		want error
		text string
	}{
		{"test.panic", ErrCrashed, "the reader crashed on it"},
		{"test.exit", ErrCrashed, "exit status 7"},
		{"test.sleep", ErrTimeout, "it took too long to read"},
		{"test.alloc", ErrMemory, "more memory than allowed"},
	}
	for _, c := range cases {
		t0 := time.Now()
		_, err := p.Do(ctx, c.job, nil, 2*time.Second)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
			t.Fatalf("%s: got %v, want %v with %q", c.job, err, c.want, c.text)
		}
		if d := time.Since(t0); d > 8*time.Second {
			t.Fatalf("%s took %v", c.job, d)
		}
		got, err := p.Do(ctx, "test.echo", []byte("after "+c.job), 10*time.Second)
		if err != nil || string(got) != "echo:after "+c.job {
			t.Fatalf("after %s: %q, %v", c.job, got, err)
		}
	}
}

func TestStdoutNoiseDoesNotBreakTheProtocol(t *testing.T) {
	p := newPool(t)
	for i := 0; i < 3; i++ {
		got, err := p.Do(context.Background(), "test.stdout", []byte("payload"), 10*time.Second)
		if err != nil || string(got) != "payload" {
			t.Fatalf("got %q, %v", got, err)
		}
	}
}

func TestCancelKillsTheJob(t *testing.T) {
	p := newPool(t)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := p.Do(ctx, "test.sleep", nil, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's error", err)
	}
}

func TestParallelJobsUseAtMostMaxWorkers(t *testing.T) {
	p := newPool(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := p.Do(context.Background(), "test.echo", []byte(fmt.Sprint(i)), 20*time.Second)
			if err == nil && string(got) != fmt.Sprintf("echo:%d", i) {
				err = fmt.Errorf("job %d got %q", i, got)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := p.Started(); n > 2 {
		t.Fatalf("%d workers started, MaxWorkers is 2", n)
	}
}

func TestIdleWorkerStopsAndClosedPoolRefuses(t *testing.T) {
	p := &Pool{MaxWorkers: 1, IdleTimeout: 200 * time.Millisecond}
	if _, err := p.Do(context.Background(), "test.echo", nil, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	p.mu.Lock()
	idle := len(p.idle)
	p.mu.Unlock()
	if idle != 0 {
		t.Fatalf("%d idle workers left after the idle timeout", idle)
	}
	_ = p.Close()
	if _, err := p.Do(context.Background(), "test.echo", nil, time.Second); !errors.Is(err, ErrClosed) {
		t.Fatalf("got %v, want ErrClosed", err)
	}
}
