package screens

import (
	"context"
	"sync"

	"github.com/referraldesk/referraldesk/app"
)

// draftSaver writes the order being edited to the store as the user types. Saves run one at a time
// off the UI thread; while one runs, newer snapshots replace each other so only the latest is written.
type draftSaver struct {
	store   app.OrderStore
	bg      *background
	onError func(error) // called on the UI thread

	mu      sync.Mutex
	idle    *sync.Cond
	pending *app.Order
	running bool
}

func newDraftSaver(store app.OrderStore, bg *background, onError func(error)) *draftSaver {
	s := &draftSaver{store: store, bg: bg, onError: onError}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// save queues a snapshot of an order that already has an ID.
func (s *draftSaver) save(o app.Order) {
	o.Diagnoses = append([]app.Diagnosis(nil), o.Diagnoses...)
	o.Attachments = append([]app.Attachment(nil), o.Attachments...)
	s.mu.Lock()
	s.pending = &o
	start := !s.running
	s.running = true
	s.mu.Unlock()
	if start {
		go s.loop()
	}
}

func (s *draftSaver) loop() {
	for {
		s.mu.Lock()
		o := s.pending
		s.pending = nil
		if o == nil {
			s.running = false
			s.idle.Broadcast()
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		err := s.store.SaveDraft(ctx, o)
		cancel()
		if err != nil && s.onError != nil {
			s.bg.deliver(func() { s.onError(err) })
		}
	}
}

// flush waits until every queued snapshot is on disk.
func (s *draftSaver) flush() {
	s.mu.Lock()
	for s.running {
		s.idle.Wait()
	}
	s.mu.Unlock()
}
