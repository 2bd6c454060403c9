package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
)

// RunWorkerIfAsked turns the process into a worker when the pool started it (see the package
// comment): it serves jobs until its input closes and exits. Call it first thing in a TestMain so that
// the test binary can be its own worker; it returns at once in any other process.
func RunWorkerIfAsked() {
	if !StartedByPool() {
		return
	}
	if err := ServeProcess(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// StartedByPool tells whether a pool started this process as its worker.
func StartedByPool() bool { return os.Getenv(workerEnv) != "" }

// ServeProcess is the worker's main: it applies the memory limit the pool passed, moves the
// protocol off file descriptor 1 (so that a C library printing to stdout cannot corrupt it) and
// serves jobs from stdin until it closes.
func ServeProcess() error {
	limit, _ := strconv.ParseInt(os.Getenv(workerEnv), 10, 64)
	if limit > 0 {
		if err := limitMemory(limit); err != nil {
			return fmt.Errorf("sandbox: worker: %w", err)
		}
	}
	out, err := privateStdout()
	if err != nil {
		return fmt.Errorf("sandbox: worker: %w", err)
	}
	SparerGC()
	return Serve(os.Stdin, out)
}

// SparerGC lets the Go heap grow to three times what is live between collections (GOGC=200) unless
// GOGC is set. For a worker, and for a command that runs once (referraldesk packet): their Go heap
// is small beside what MuPDF holds in C, so the peak hardly moves (a 250-page input's worker peaked
// as before, scripts/bench-packet.sh), and the packet command took about 7 % less CPU (41 runs each,
// in turns).
func SparerGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}

// idleFree is how long a worker waits for its next job before it gives its free memory back.
const idleFree = 200 * time.Millisecond

var idleHooks struct {
	sync.Mutex
	fns []func()
}

// OnIdle registers f to run in a worker idle for idleFree, when the Go heap's free memory goes back to
// the system: a package whose C library keeps freed memory gives it back there. Call it from an init
// function.
func OnIdle(f func()) {
	idleHooks.Lock()
	defer idleHooks.Unlock()
	idleHooks.fns = append(idleHooks.fns, f)
}

func releaseIdle() {
	debug.FreeOSMemory()
	idleHooks.Lock()
	defer idleHooks.Unlock()
	for _, f := range idleHooks.fns {
		f()
	}
}

// Serve answers requests read from r on w, one at a time, until r ends. A panic in a handler ends the
// worker (the pool reports it as a crash and starts a new one): a parser that panicked may have left
// shared state behind.
func Serve(r io.Reader, w io.Writer) error {
	// Memory of a large file goes back to the system once the worker is idle, so that an idle worker
	// stays small; not between jobs that follow each other (a packet's files), which would then
	// fault the same pages in again for each file.
	idle := time.AfterFunc(time.Hour, releaseIdle)
	idle.Stop()
	defer idle.Stop()
	for {
		var req request
		err := readFrame(r, &req)
		idle.Stop()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("sandbox: worker: read request: %w", err)
		}
		var resp response
		if h, ok := handler(req.Job); !ok {
			resp.Unknown = true
		} else {
			body, err := h(context.Background(), req.Body)
			resp.Body = body
			if err != nil {
				resp.Err = err.Error()
			}
		}
		if err := writeFrame(w, resp); err != nil {
			return fmt.Errorf("sandbox: worker: write response: %w", err)
		}
		idle.Reset(idleFree)
	}
}
