// Package sandbox runs the parsers of untrusted files (PDFs, images, DICOM, imported documents) in
// child processes, so that a crash, a hang or an allocation bomb in a parser costs one file a clear
// message and never the app.
//
// The child is the worker program installed next to the app (WorkerProgram, cmd/referraldesk-worker:
// the same jobs, without the GUI toolkit, so it starts in about half the time) when it is from the
// same build; else the same binary started with the hidden argument WorkerArg ("__worker"), for
// which main's command line dispatch calls ServeProcess. A test binary becomes a worker through its
// TestMain calling RunWorkerIfAsked first (the pool marks its children with an environment variable),
// so tests need no second build.
//
// Jobs are named; the packages that define them register a Handler with Handle in an init function,
// so every binary that links such a package serves its jobs. A Pool keeps up to MaxWorkers children
// alive and reuses them across jobs (process start is paid once per worker, not per file); a child
// that crashes, runs past its time limit or exceeds its memory limit is killed and replaced on the
// next job. One child runs one job at a time.
//
// The protocol over the child's stdin/stdout is a stream of frames: a 4-byte big-endian length, then
// a gob-encoded request or response. Frames are bounded both ways, since a child that a hostile file
// took over is no more trusted than the file.
package sandbox

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
)

// WorkerArg is the hidden first command-line argument that makes the binary a worker.
const WorkerArg = "__worker"

// workerEnv marks a worker process; its value is the memory limit in bytes.
const workerEnv = "REFERRALDESK_SANDBOX_WORKER"

// maxFrame bounds one request or response (a thumbnail or an inspection result is far smaller).
const maxFrame = 256 << 20

// Sentinel errors of a job run in a worker; compare with errors.Is.
var (
	// ErrCrashed: the worker died during the job (a crash in C code, a Go fatal error, a kill).
	ErrCrashed = errors.New("the reader crashed on it")
	// ErrTimeout: the job ran past its time limit; the worker was killed.
	ErrTimeout = errors.New("it took too long to read")
	// ErrMemory: the worker ran out of its memory limit during the job.
	ErrMemory = errors.New("it needed more memory than allowed")
	// ErrUnknownJob: no handler is registered under the job's name in the worker.
	ErrUnknownJob = errors.New("unknown job")
	// ErrClosed: the pool was closed.
	ErrClosed = errors.New("sandbox closed")
)

// Handler runs one job inside the worker: it decodes req, does the parsing and encodes the answer.
// An error is returned to the caller as a *JobError.
type Handler func(ctx context.Context, req []byte) ([]byte, error)

var (
	handlersMu sync.RWMutex
	handlers   = map[string]Handler{}
)

// Handle registers the handler of a job name (call it from an init function). A second registration
// of the same name panics: it is a programming error.
func Handle(name string, h Handler) {
	handlersMu.Lock()
	defer handlersMu.Unlock()
	if _, dup := handlers[name]; dup {
		panic("sandbox: job " + name + " registered twice")
	}
	handlers[name] = h
}

// Jobs lists the registered job names, sorted.
func Jobs() []string {
	handlersMu.RLock()
	defer handlersMu.RUnlock()
	names := make([]string, 0, len(handlers))
	for n := range handlers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func handler(name string) (Handler, bool) {
	handlersMu.RLock()
	defer handlersMu.RUnlock()
	h, ok := handlers[name]
	return h, ok
}

// JobError is an error a handler returned inside the worker (its text only crosses the pipe).
type JobError struct {
	Job, Msg string
}

func (e *JobError) Error() string { return "sandbox: " + e.Job + ": " + e.Msg }

type request struct {
	Job  string
	Body []byte
}

type response struct {
	Body []byte
	Err  string
	// Unknown is set when no handler is registered for the job.
	Unknown bool
}

func writeFrame(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.Write([]byte{0, 0, 0, 0})
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("sandbox: encode: %w", err)
	}
	b := buf.Bytes()
	if len(b)-4 > maxFrame {
		return fmt.Errorf("sandbox: frame of %d bytes is over the limit of %d", len(b)-4, maxFrame)
	}
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	_, err := w.Write(b)
	return err
}

func readFrame(r io.Reader, v any) error {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > maxFrame {
		return fmt.Errorf("sandbox: frame of %d bytes is over the limit of %d", size, maxFrame)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return err
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("sandbox: decode: %w", err)
	}
	return nil
}

// Encode gob-encodes v for a request or response body.
func Encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, fmt.Errorf("sandbox: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode gob-decodes a body made by Encode into v.
func Decode(b []byte, v any) error {
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("sandbox: decode: %w", err)
	}
	return nil
}
