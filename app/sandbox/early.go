package sandbox

import "sync"

// Workers started by StartEarly, for the first pools with the default settings to take.
var early struct {
	sync.Mutex
	started chan struct{} // closed once StartEarly has started its workers (nil: not called)
	workers []*worker
}

// StartEarly starts n workers with the default settings (the default worker program and memory
// limit) in the background, for pools with those settings to take instead of starting their own. A
// command that will read files in workers calls it as early as it can (see app/cli/early), so that
// the workers start up while the rest of the program initialises. A worker no pool takes ends with
// the program, when its input closes. Only the first call starts workers.
func StartEarly(n int) {
	early.Lock()
	defer early.Unlock()
	if early.started != nil || StartedByPool() {
		return
	}
	started := make(chan struct{})
	early.started = started
	go func() {
		defer close(started)
		for range n {
			w, err := startWorker("", nil, DefaultMemoryLimit)
			if err != nil {
				return // the pool starts its own, and says what went wrong
			}
			early.Lock()
			early.workers = append(early.workers, w)
			early.Unlock()
		}
	}()
}

// takeEarly returns a live worker StartEarly started, once it has started them, or nil.
func takeEarly() *worker {
	early.Lock()
	started := early.started
	early.Unlock()
	if started == nil {
		return nil
	}
	<-started
	early.Lock()
	defer early.Unlock()
	for len(early.workers) > 0 {
		w := early.workers[0]
		early.workers = early.workers[1:]
		select {
		case <-w.done: // died while waiting
		default:
			return w
		}
	}
	return nil
}
