package workflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/attach"
)

// ErrNotStarted: files are attached to an order that has not been saved yet (no id, no UUID).
var ErrNotStarted = errors.New("workflow: the order is not started")

// Taken is one file read for an order: the attachment ready to add, or why it was refused
// (an *attach.RefusedError, or the error that stopped reading).
type Taken struct {
	Attachment app.Attachment
	Err        error
}

// photoDir is where the order's own copies of photos are kept (inside the private data folder).
func (s *Service) photoDir(o app.Order) string {
	return filepath.Join(s.DataDir, "attachments", o.UUID)
}

// ReadFiles checks each file against the institution's rules and hashes it; a JPEG photo is first
// copied, without its location, to a new file of the order's own (never replacing another). Slow:
// run it off the UI thread. It changes no order; AddFiles applies the result.
func (s *Service) ReadFiles(ctx context.Context, o app.Order, paths []string) []Taken {
	out := make([]Taken, 0, len(paths))
	for _, p := range paths {
		if attach.IsPhoto(p) {
			if o.UUID == "" {
				out = append(out, Taken{Err: ErrNotStarted})
				continue
			}
			cp, err := attach.PhotoWithoutLocation(p, s.photoDir(o))
			if err != nil {
				out = append(out, Taken{Err: err})
				continue
			}
			p = cp
		}
		at, err := attach.Describe(ctx, p, s.maxUpload())
		out = append(out, Taken{at, err})
	}
	return out
}

// AddFiles adds the files ReadFiles took to o, stamped with the order and the time. A file already
// on the order (the same file or the same content) is refused as attach.Duplicate, and the new
// copy of such a photo removed. It returns every refusal, ReadFiles' included, in order.
func (s *Service) AddFiles(o *app.Order, taken []Taken) []error {
	var refused []error
	for _, t := range taken {
		if t.Err != nil {
			refused = append(refused, t.Err)
			continue
		}
		at := t.Attachment
		if attach.Same(o.Attachments, at) {
			if o.UUID != "" && filepath.Dir(at.Path) == s.photoDir(*o) {
				_ = os.Remove(at.Path) // our own new copy of a photo already attached
			}
			refused = append(refused, &attach.RefusedError{Reason: attach.Duplicate, Name: at.FileName})
			continue
		}
		at.OrderID, at.AddedAt = o.ID, s.now()
		o.Attachments = append(o.Attachments, at)
	}
	return refused
}

// Attach is the whole operation for one saved, editable order: read the files, add the good ones
// and save the draft. It returns the order as saved and the refused files.
func (s *Service) Attach(ctx context.Context, orderID int64, paths []string) (app.Order, []error, error) {
	o, err := s.Orders.Order(ctx, orderID)
	if err != nil {
		return o, nil, fmt.Errorf("workflow: attach: %w", err)
	}
	if !o.Status.Editable() {
		return o, nil, fmt.Errorf("workflow: attach: %w", app.ErrNotEditable)
	}
	refused := s.AddFiles(&o, s.ReadFiles(ctx, o, paths))
	if err := s.Orders.SaveDraft(ctx, &o); err != nil {
		return o, refused, fmt.Errorf("workflow: attach: %w", err)
	}
	return o, refused, nil
}
