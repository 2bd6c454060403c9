package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMemoryLimit is the memory a worker may take for its jobs (on Linux: address space beyond
// what it reserved at start) when Pool.MemoryLimit is 0: room for the largest input the app reads
// (512 MB) parsed by pdfcpu and MuPDF together.
const DefaultMemoryLimit = 3 << 30

// DefaultIdleTimeout is how long an idle worker waits for its next job before it is stopped.
const DefaultIdleTimeout = 30 * time.Second

// Pool runs jobs in worker processes, at most MaxWorkers at a time, reusing idle workers. The zero
// value is ready to use; Default is the pool of the process.
type Pool struct {
	// Exe is the worker binary and Args its arguments; empty Exe: the worker program next to this
	// executable (WorkerProgram) when it is from the same build, else this executable with WorkerArg.
	Exe  string
	Args []string
	// MaxWorkers bounds the workers running at once (0: runtime.NumCPU()).
	MaxWorkers int
	// MemoryLimit is each worker's memory limit in bytes (0: DefaultMemoryLimit).
	MemoryLimit int64
	// IdleTimeout stops a worker idle this long (0: DefaultIdleTimeout).
	IdleTimeout time.Duration

	initOnce sync.Once
	slots    chan struct{}
	mu       sync.Mutex
	idle     []*worker
	busy     map[*worker]bool
	closed   bool
	started  int // workers started so far (for tests)
}

var defaultPool = &Pool{}

// Default is the process-wide pool: this executable as worker, one worker per core.
func Default() *Pool { return defaultPool }

type worker struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *output
	done   chan struct{} // closed once the process has exited
	status error         // cmd.Wait's result, valid after done
}

func (p *Pool) init() {
	p.initOnce.Do(func() {
		n := p.MaxWorkers
		if n <= 0 {
			n = runtime.NumCPU()
		}
		p.slots = make(chan struct{}, n)
	})
}

func (p *Pool) memoryLimit() int64 {
	if p.MemoryLimit > 0 {
		return p.MemoryLimit
	}
	return DefaultMemoryLimit
}

// Started says how many worker processes the pool has started so far.
func (p *Pool) Started() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started
}

// Do runs the job in a worker and returns its answer. It waits for a free worker first (ctx bounds
// the wait). When the job runs past limit (0: no limit besides ctx) or ctx ends, the worker is
// killed: ErrTimeout, or ctx's error. When the worker dies: ErrCrashed, or ErrMemory when it ran out
// of memory. A handler's own error comes back as a *JobError. The worker is reused afterwards only
// when the job ended normally.
func (p *Pool) Do(ctx context.Context, job string, body []byte, limit time.Duration) ([]byte, error) {
	p.init()
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.slots }()
	w, err := p.get()
	if err != nil {
		return nil, err
	}
	p.setBusy(w, true)
	defer p.setBusy(w, false)
	type result struct {
		resp response
		err  error
	}
	ch := make(chan result, 1)
	w.stderr.reset()
	go func() {
		var r result
		if r.err = writeFrame(w.stdin, request{Job: job, Body: body}); r.err == nil {
			r.err = readFrame(w.stdout, &r.resp)
		}
		ch <- r
	}()
	var timeout <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, w.failure(r.err)
		}
		p.put(w)
		switch {
		case r.resp.Unknown:
			return nil, fmt.Errorf("sandbox: %s: %w", job, ErrUnknownJob)
		case r.resp.Err != "":
			return r.resp.Body, &JobError{Job: job, Msg: r.resp.Err}
		}
		return r.resp.Body, nil
	case <-timeout:
		w.kill()
		return nil, fmt.Errorf("%w (over %s)", ErrTimeout, limit)
	case <-ctx.Done():
		w.kill()
		return nil, ctx.Err()
	}
}

func (p *Pool) setBusy(w *worker, busy bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.busy == nil {
		p.busy = map[*worker]bool{}
	}
	if busy {
		p.busy[w] = true
	} else {
		delete(p.busy, w)
	}
}

// Busy lists the process ids of the workers running a job now.
func (p *Pool) Busy() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var pids []int
	for w := range p.busy {
		pids = append(pids, w.cmd.Process.Pid)
	}
	return pids
}

// get takes an idle live worker or starts one.
func (p *Pool) get() (*worker, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	for len(p.idle) > 0 {
		w := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		select {
		case <-w.done: // died while idle
			continue
		default:
		}
		p.mu.Unlock()
		return w, nil
	}
	p.started++
	p.mu.Unlock()
	return p.start()
}

func (p *Pool) start() (*worker, error) {
	if p.Exe == "" && p.Args == nil && p.memoryLimit() == DefaultMemoryLimit {
		if w := takeEarly(); w != nil {
			return w, nil
		}
	}
	return startWorker(p.Exe, p.Args, p.memoryLimit())
}

// startWorker starts a worker process: exe with args (empty exe: the default worker program, see
// Pool.Exe), with a memory limit of limit bytes.
func startWorker(exe string, args []string, limit int64) (*worker, error) {
	if os.Getenv(workerEnv) != "" {
		// A test binary without RunWorkerIfAsked would otherwise start copies of itself forever.
		return nil, errors.New("sandbox: a worker cannot start workers (does TestMain call RunWorkerIfAsked?)")
	}
	if exe == "" {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("sandbox: find this program: %w", err)
		}
		exe, args = workerCommand(self)
	}
	cmd := exec.Command(exe, args...)
	// glibc reserves 64 MB of address space per thread that calls malloc; two arenas keep the
	// worker's address space (which the limit counts on Linux) close to what it uses. One OpenMP
	// thread: workers already run one per core, and Tesseract's OpenMP threads spinning on a busy
	// machine made a page three times slower (measured).
	cmd.Env = append(os.Environ(), workerEnv+"="+strconv.FormatInt(limit, 10), "MALLOC_ARENA_MAX=2", "OMP_THREAD_LIMIT=1")
	cmd.Env = append(cmd.Env, platformWorkerEnv...)
	w := &worker{cmd: cmd, stderr: &output{max: 4 << 10}, done: make(chan struct{})}
	cmd.Stderr = w.stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: start worker: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: start worker: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("sandbox: start worker: %w", err)
	}
	w.stdin, w.stdout = in, bufio.NewReader(out)
	go func() {
		w.status = cmd.Wait()
		close(w.done)
	}()
	return w, nil
}

// put returns a worker to the idle list; it is stopped after IdleTimeout without a job.
func (p *Pool) put(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		go w.stop()
		return
	}
	p.idle = append(p.idle, w)
	idle := p.IdleTimeout
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	time.AfterFunc(idle, func() { p.reap(w) })
}

// reap stops w if it is still idle (a worker taken since then is not in the list).
func (p *Pool) reap(w *worker) {
	p.mu.Lock()
	for i, x := range p.idle {
		if x == w {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			p.mu.Unlock()
			w.stop()
			return
		}
	}
	p.mu.Unlock()
}

// Close stops the idle workers; jobs running finish, and later calls of Do return ErrClosed.
func (p *Pool) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, w := range idle {
		w.stop()
	}
	return nil
}

// stop closes the worker's input (it exits when it sees the end) and kills it if it does not.
func (w *worker) stop() {
	_ = w.stdin.Close()
	select {
	case <-w.done:
	case <-time.After(2 * time.Second):
		w.kill()
	}
}

func (w *worker) kill() {
	_ = w.cmd.Process.Kill()
	<-w.done
}

// failure explains a worker that stopped answering: it waits for the process to end and tells a
// crash from running out of memory by what the worker printed last.
func (w *worker) failure(ioErr error) error {
	select {
	case <-w.done:
	case <-time.After(5 * time.Second):
		w.kill()
	}
	detail := "exited"
	if w.status != nil {
		detail = w.status.Error()
	}
	last := w.stderr.String()
	switch {
	case strings.Contains(last, "out of memory"), strings.Contains(last, "cannot allocate memory"),
		strings.Contains(last, "failed to allocate"): // the last: the race detector's runtime
		return fmt.Errorf("%w (%s)", ErrMemory, detail)
	case errors.Is(ioErr, io.EOF), errors.Is(ioErr, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w (%s)", ErrCrashed, detail)
	}
	// A broken frame: the worker may still be alive and is not to be trusted any more.
	return fmt.Errorf("%w (%s: %v)", ErrCrashed, detail, ioErr)
}

// output keeps the first and the last max bytes the worker wrote to stderr during the current job
// (a Go crash names its cause first, then dumps its goroutines). It is never shown to the user: it
// can hold text from the file.
type output struct {
	mu         sync.Mutex
	max        int
	head, tail []byte
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := len(p)
	if room := o.max - len(o.head); room > 0 {
		k := min(room, len(p))
		o.head = append(o.head, p[:k]...)
		p = p[k:]
	}
	o.tail = append(o.tail, p...)
	if len(o.tail) > o.max {
		o.tail = append(o.tail[:0], o.tail[len(o.tail)-o.max:]...)
	}
	return n, nil
}

func (o *output) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.head, o.tail = o.head[:0], o.tail[:0]
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return string(o.head) + string(o.tail)
}
