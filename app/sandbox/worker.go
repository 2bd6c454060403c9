package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
)

// RunWorkerIfAsked turns the process into a worker when the pool started it (see the package
// comment): it serves jobs until its input closes and exits. Call it first thing in a TestMain so that
// the test binary can be its own worker; it returns at once in any other process.
func RunWorkerIfAsked() {
	if os.Getenv(workerEnv) == "" {
		return
	}
	if err := ServeProcess(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

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
	return Serve(os.Stdin, out)
}

// Serve answers requests read from r on w, one at a time, until r ends. A panic in a handler ends the
// worker (the pool reports it as a crash and starts a new one): a parser that panicked may have left
// shared state behind.
func Serve(r io.Reader, w io.Writer) error {
	for {
		var req request
		if err := readFrame(r, &req); err != nil {
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
		// Give memory of a large file back to the system before waiting for the next job, so that
		// an idle worker stays small. Only when there is much to give: a forced collection costs
		// milliseconds, more than a small job (a DICOM header) itself.
		if heldMemory() > freeAbove {
			debug.FreeOSMemory()
		}
	}
}

// freeAbove is the memory an idle worker may keep from the Go runtime before it returns it.
const freeAbove = 64 << 20

// heldMemory is the memory the Go runtime holds from the system and has not released.
func heldMemory() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return freeAbove + 1 // unknown: free, as before
	}
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}
