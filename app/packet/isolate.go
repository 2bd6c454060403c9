package packet

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// Outside files are first opened in a sandbox worker (a child process with a memory and a time
// limit; see app/sandbox): a crash, a hang or an allocation bomb in pdfcpu or MuPDF costs that file a
// message and never the app. Once a file has been inspected there, this process trusts it as it was
// then (same size and modification time): thumbnails of it and the packet build read it here, which
// keeps them fast. A file that changed since is read in a worker again (thumbnails) or refused (Build).

// Job names served by the worker.
const (
	jobInspect   = "packet.inspect"
	jobThumbnail = "packet.thumbnail"
	jobReady     = "packet.ready"
)

func init() {
	sandbox.OnIdle(trimC) // MuPDF's and Tesseract's freed memory, kept while files follow each other
	sandbox.Handle(jobInspect, serveInspect)
	sandbox.Handle(jobThumbnail, serveThumbnail)
	sandbox.Handle(jobReady, func(context.Context, []byte) ([]byte, error) {
		// The first thumbnail's MuPDF contexts (one a band, see renderThumbnailSplit), made while
		// the user picks a file.
		warmRenderer(thumbnailParts())
		return nil, nil
	})
}

// Prestart starts a sandbox worker and waits until it answers, so that the first file a user adds is
// not kept waiting for a process to start (most of a first thumbnail's time). The worker then waits,
// idle, for its first file (the pool stops it after its idle timeout).
func Prestart(ctx context.Context, opt Options) error {
	if _, err := opt.pool().Do(ctx, jobReady, nil, opt.timeout()); err != nil {
		return fmt.Errorf("packet: start a file reader: %w", err)
	}
	return nil
}

// ErrChanged: the file changed after it was inspected; inspect it again.
var ErrChanged = errors.New("the file changed after it was checked; add it again")

// workerGrace is the worker's own time limit beyond the pool's: the pool kills the worker at the
// limit, so the worker's limit never decides (a MuPDF call it cannot interrupt would outlive it).
const workerGrace = 10 * time.Second

// fileStamp identifies one version of a file.
type fileStamp struct {
	size  int64
	mtime time.Time
}

func stampOf(path string) (fileStamp, bool) {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return fileStamp{}, false
	}
	return fileStamp{st.Size(), st.ModTime()}, true
}

// checked maps a cleaned path to the stamp of the version a worker inspected without trouble.
var checked sync.Map

func markChecked(path string, st fileStamp) { checked.Store(filepath.Clean(path), st) }

// isChecked says whether path, as it is now, was inspected in a worker without trouble.
func isChecked(path string) bool {
	v, ok := checked.Load(filepath.Clean(path))
	if !ok {
		return false
	}
	now, ok := stampOf(path)
	return ok && now == v.(fileStamp)
}

func (o Options) pool() *sandbox.Pool {
	if o.Sandbox != nil {
		return o.Sandbox
	}
	return sandbox.Default()
}

// Inspect reads one file: its kind, page count, document date, blank and duplicate pages and
// wrong-patient warnings. The file is read in a sandbox worker; the call never panics and never
// hangs past opt.FileTimeout or ctx. Problems end up in Input.Err (ErrEncrypted, ErrWrongPassword,
// ErrDamaged, ErrUnsupported, ErrUnreadable: a size it claims that it cannot hold, a crash of the
// reader, too much memory or ErrTimeout).
func Inspect(ctx context.Context, path string, pt Patient, opt Options) *Input {
	in := &Input{Path: path, Title: defaultTitle(path)}
	before, _ := stampOf(path)
	req := inspectRequest{
		Path: path, Patient: pt, Password: opt.password(path),
		Timeout: opt.timeout() + workerGrace, RenderDPI: opt.RenderDPI, Now: opt.now(),
	}
	body, err := sandbox.Encode(req)
	if err == nil {
		body, err = opt.pool().Do(ctx, jobInspect, body, opt.timeout())
	}
	var res inspectResult
	if err == nil {
		err = sandbox.Decode(body, &res)
	}
	if err != nil {
		in.Err = isolationError("inspect", path, err)
		return in
	}
	res.fill(in)
	if in.Err == nil {
		if after, ok := stampOf(path); ok && after == before {
			markChecked(path, after)
		}
		recogniseScans(ctx, in, pt, opt) // image-only pages: OCR in workers (scan.go)
	}
	return in
}

// Thumbnail renders one page (1-based) of a file so that its longer side is at most maxPx pixels.
// A file not yet inspected (or changed since) is rendered in a sandbox worker.
func Thumbnail(ctx context.Context, path string, page, maxPx int, opt Options) (image.Image, error) {
	if isChecked(path) {
		return thumbnailHere(ctx, path, page, maxPx, opt)
	}
	req := thumbnailRequest{Path: path, Page: page, MaxPx: maxPx, Password: opt.password(path), Timeout: opt.timeout() + workerGrace}
	body, err := sandbox.Encode(req)
	if err == nil {
		body, err = opt.pool().Do(ctx, jobThumbnail, body, opt.timeout())
	}
	var res thumbnailResult
	if err == nil {
		err = sandbox.Decode(body, &res)
	}
	if err != nil {
		return nil, isolationError(fmt.Sprintf("thumbnail page %d of", page), path, err)
	}
	if res.Err != "" {
		return nil, &remoteError{msg: res.Err, sentinel: sentinelOf(res.Code)}
	}
	img := &image.RGBA{Pix: res.Pix, Stride: res.Stride, Rect: res.Rect}
	if res.Stride < 4*res.Rect.Dx() || len(res.Pix) < res.Stride*res.Rect.Dy() || res.Rect.Empty() {
		return nil, fmt.Errorf("packet: thumbnail %s page %d: %w: bad image from the reader", filepath.Base(path), page, ErrDamaged)
	}
	return img, nil
}

// isolationError turns a failed worker job into the file's message.
func isolationError(what, path string, err error) error {
	base := filepath.Base(path)
	var cause error
	switch {
	case errors.Is(err, sandbox.ErrTimeout):
		cause = ErrTimeout
	case errors.Is(err, sandbox.ErrCrashed), errors.Is(err, sandbox.ErrMemory):
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("packet: %s %s: %w", what, base, err)
	default: // the worker could not be started or answered nonsense
		return fmt.Errorf("packet: %s %s: reading files safely failed: %w", what, base, err)
	}
	causes := []error{ErrUnreadable, err}
	if cause != nil {
		causes = append(causes, cause)
	}
	return &remoteError{msg: fmt.Sprintf("packet: %s %s: %s: %s", what, base, ErrUnreadable, err), causes: causes}
}

// remoteError carries an error's text across the process boundary, with the sentinels it wrapped.
type remoteError struct {
	msg      string
	sentinel error
	causes   []error
}

func (e *remoteError) Error() string { return e.msg }

func (e *remoteError) Unwrap() []error {
	if e.sentinel != nil {
		return append([]error{e.sentinel}, e.causes...)
	}
	return e.causes
}

// The sentinels that cross the pipe, by name, in the order they are looked for.
var sentinels = []struct {
	code string
	err  error
}{
	{"encrypted", ErrEncrypted},
	{"wrong-password", ErrWrongPassword},
	{"damaged", ErrDamaged},
	{"unsupported", ErrUnsupported},
	{"timeout", ErrTimeout},
	{"unreadable", ErrUnreadable},
	{"not-exist", os.ErrNotExist},
	{"permission", os.ErrPermission},
}

func codeOf(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.code
		}
	}
	return ""
}

func sentinelOf(code string) error {
	for _, s := range sentinels {
		if s.code == code {
			return s.err
		}
	}
	return nil
}

type inspectRequest struct {
	Path      string
	Patient   Patient
	Password  string
	Timeout   time.Duration
	RenderDPI float64
	Now       time.Time
}

// inspectResult is an Input as it crosses the pipe.
type inspectResult struct {
	Kind       Kind
	Pages      int
	Date       time.Time
	DateSource DateSource
	CheckDate  bool
	Repaired   string
	Err        string
	Code       string
	Flags      []PageFlag
	Blank      []int
	Render     bool
	ImageType  string
	Hashes     [][32]byte
	NoText     []int
	Texts      [][32]byte
	Drawn      []pageImage
	MustDraw   []int
}

func (r inspectResult) fill(in *Input) {
	in.Kind, in.Pages, in.Repaired = r.Kind, r.Pages, r.Repaired
	in.Date, in.DateSource, in.CheckDate = r.Date, r.DateSource, r.CheckDate
	in.Flags, in.Blank, in.render, in.imageType, in.hashes = r.Flags, r.Blank, r.Render, r.ImageType, r.Hashes
	in.noText = r.NoText
	if len(r.MustDraw) > 0 {
		in.mustDraw = make(map[int]bool, len(r.MustDraw))
		for _, p := range r.MustDraw {
			in.mustDraw[p] = true
		}
	}
	if len(r.Drawn) > 0 {
		in.drawn = make(map[int]pageImage, len(r.Drawn))
		for _, pi := range r.Drawn {
			in.drawn[pi.Page] = pi
		}
	}
	if len(r.Texts) == len(r.Hashes) {
		in.texts = r.Texts
	}
	if r.Err != "" {
		in.Err = &remoteError{msg: r.Err, sentinel: sentinelOf(r.Code)}
	}
	MarkDuplicates([]*Input{in})
}

func serveInspect(ctx context.Context, body []byte) ([]byte, error) {
	start := time.Now()
	var req inspectRequest
	if err := sandbox.Decode(body, &req); err != nil {
		return nil, err
	}
	opt := Options{FileTimeout: req.Timeout, RenderDPI: req.RenderDPI, Now: func() time.Time { return req.Now }}
	if req.Password != "" {
		opt.Passwords = map[string]string{req.Path: req.Password}
	}
	in := inspectHere(ctx, req.Path, req.Patient, opt)
	res := inspectResult{
		Kind: in.Kind, Pages: in.Pages, Date: in.Date, DateSource: in.DateSource, CheckDate: in.CheckDate,
		Repaired: in.Repaired, Flags: in.Flags, Blank: in.Blank, Render: in.render, ImageType: in.imageType,
		Hashes: in.hashes, NoText: in.noText, Texts: in.texts,
	}
	for p := range in.mustDraw {
		res.MustDraw = append(res.MustDraw, p)
	}
	if in.Err != nil {
		res.Err, res.Code = in.Err.Error(), codeOf(in.Err)
	} else if in.render || len(in.mustDraw) > 0 {
		// Half of the time left to the job at most: the inspection's answer must not time out.
		if data, err := readInput(req.Path); err == nil {
			res.Drawn = prerender(ctx, data, in, opt, start.Add((req.Timeout-workerGrace)/2))
		}
	}
	return sandbox.Encode(res)
}

type thumbnailRequest struct {
	Path     string
	Page     int
	MaxPx    int
	Password string
	Timeout  time.Duration
}

type thumbnailResult struct {
	Pix    []byte
	Stride int
	Rect   image.Rectangle
	Err    string
	Code   string
}

func serveThumbnail(ctx context.Context, body []byte) ([]byte, error) {
	var req thumbnailRequest
	if err := sandbox.Decode(body, &req); err != nil {
		return nil, err
	}
	opt := Options{FileTimeout: req.Timeout}
	if req.Password != "" {
		opt.Passwords = map[string]string{req.Path: req.Password}
	}
	var res thumbnailResult
	img, err := thumbnailHere(ctx, req.Path, req.Page, req.MaxPx, opt)
	if err != nil {
		res.Err, res.Code = err.Error(), codeOf(err)
		return sandbox.Encode(res)
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		return nil, fmt.Errorf("packet: thumbnail: unexpected image type %T", img)
	}
	res.Pix, res.Stride, res.Rect = rgba.Pix, rgba.Stride, rgba.Rect
	return sandbox.Encode(res)
}
