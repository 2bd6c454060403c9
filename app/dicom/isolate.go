package dicom

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// jobHeader is the sandbox job that reads one DICOM header in a worker process.
const jobHeader = "dicom.header"

func init() { sandbox.Handle(jobHeader, serveHeader) }

type headerRequest struct {
	Path    string
	Timeout time.Duration
}

type headerResult struct {
	Instance Instance
	Err      string
	Code     string
}

var headerSentinels = map[string]error{
	"not-dicom": ErrNotDICOM, "damaged": ErrDamaged, "incomplete": ErrIncomplete, "unreadable": ErrUnreadable,
}

// ReadHeaderIsolated is ReadHeader in a sandbox worker (pool nil: sandbox.Default()), for files from
// outside the clinic when a crash, a hang or an allocation bomb in the reader must cost only that
// file: it then fails with ErrUnreadable wrapping sandbox.ErrCrashed, ErrTimeout or ErrMemory.
// timeout (0: one minute) is enforced by killing the worker.
func ReadHeaderIsolated(ctx context.Context, pool *sandbox.Pool, path string, timeout time.Duration) (Instance, error) {
	if pool == nil {
		pool = sandbox.Default()
	}
	if timeout <= 0 {
		timeout = time.Minute
	}
	body, err := sandbox.Encode(headerRequest{Path: path, Timeout: timeout + 10*time.Second})
	if err == nil {
		body, err = pool.Do(ctx, jobHeader, body, timeout)
	}
	var res headerResult
	if err == nil {
		err = sandbox.Decode(body, &res)
	}
	if err != nil {
		if ctx.Err() != nil {
			return Instance{}, fmt.Errorf("dicom: read %s: %w", filepath.Base(path), ctx.Err())
		}
		return Instance{}, fmt.Errorf("dicom: read %s: %w: %w", filepath.Base(path), ErrUnreadable, err)
	}
	if res.Err != "" {
		if s, ok := headerSentinels[res.Code]; ok {
			return Instance{}, &headerError{msg: res.Err, sentinel: s}
		}
		return Instance{}, errors.New(res.Err)
	}
	res.Instance.Path = path
	return res.Instance, nil
}

type headerError struct {
	msg      string
	sentinel error
}

func (e *headerError) Error() string { return e.msg }
func (e *headerError) Unwrap() error { return e.sentinel }

func serveHeader(ctx context.Context, body []byte) ([]byte, error) {
	var req headerRequest
	if err := sandbox.Decode(body, &req); err != nil {
		return nil, err
	}
	in, err := ReadHeader(ctx, req.Path, req.Timeout)
	res := headerResult{Instance: in}
	if err != nil {
		res.Err = err.Error()
		for code, s := range headerSentinels {
			if errors.Is(err, s) {
				res.Code = code
			}
		}
	}
	return sandbox.Encode(res)
}
