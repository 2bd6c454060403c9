package ehrimport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// jobParse is the sandbox job that reads and parses one export in a worker process: a crash, a hang
// or an allocation bomb in the XML/JSON/zip readers then costs that file, never the app.
const jobParse = "ehrimport.parse"

func init() { sandbox.Handle(jobParse, serveParse) }

type parseResult struct {
	Doc  *Document
	Err  string
	Code string // the sentinel, to be matched with errors.Is on the app's side
}

var parseSentinels = map[string]error{
	"too-large": ErrTooLarge, "truncated": ErrTruncated, "entities": ErrEntities, "unknown": ErrUnknownFormat,
	"damaged": ErrDamaged, "zip": ErrZipLimits, "no-patient": ErrNoPatient,
}

// ParseFile reads the file at path (its size checked before anything is read) and parses it.
func ParseFile(path string) (*Document, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("ehrimport: %w", err)
	}
	if fi.Size() > MaxSize {
		return nil, fmt.Errorf("ehrimport: %w: %s, the limit is %s", ErrTooLarge, megabytes(int(fi.Size())), megabytes(MaxSize))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ehrimport: %w", err)
	}
	return Parse(data)
}

func serveParse(_ context.Context, body []byte) ([]byte, error) {
	var path string
	if err := sandbox.Decode(body, &path); err != nil {
		return nil, err
	}
	doc, err := ParseFile(path)
	res := parseResult{Doc: doc}
	if err != nil {
		res.Doc, res.Err = nil, err.Error()
		for code, s := range parseSentinels {
			if errors.Is(err, s) {
				res.Code = code
			}
		}
	}
	return sandbox.Encode(res)
}

// parseError carries the worker's message and its sentinel across the process boundary.
type parseError struct {
	msg      string
	sentinel error
}

func (e *parseError) Error() string { return e.msg }
func (e *parseError) Unwrap() error { return e.sentinel }

// ParseIsolated is ParseFile in a sandbox worker (pool nil: sandbox.Default()). timeout (0: one
// minute) is enforced by killing the worker; a crash, a hang or too much memory fails with
// ErrDamaged wrapping sandbox.ErrCrashed, ErrTimeout or ErrMemory.
func ParseIsolated(ctx context.Context, pool *sandbox.Pool, path string, timeout time.Duration) (*Document, error) {
	if pool == nil {
		pool = sandbox.Default()
	}
	if timeout <= 0 {
		timeout = time.Minute
	}
	body, err := sandbox.Encode(path)
	if err == nil {
		body, err = pool.Do(ctx, jobParse, body, timeout)
	}
	var res parseResult
	if err == nil {
		err = sandbox.Decode(body, &res)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("ehrimport: %w", ctx.Err())
		}
		return nil, fmt.Errorf("ehrimport: this file could not be read: %w: %w", ErrDamaged, err)
	}
	if res.Err != "" {
		return nil, &parseError{msg: res.Err, sentinel: parseSentinels[res.Code]}
	}
	if res.Doc == nil {
		return nil, fmt.Errorf("ehrimport: %w", ErrUnknownFormat)
	}
	return res.Doc, nil
}
