package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/referraldesk/referraldesk/app"
)

// ErrNoPatient: an order is started for a chart that has not been kept yet.
var ErrNoPatient = errors.New("workflow: the order has no saved patient")

// NewOrder is an empty draft as every order starts: routine, by createdBy (0: no local user), for
// the authorizing provider when one carries over (the clinic's choice, not the patient's).
func NewOrder(createdBy, providerID int64, location string) app.Order {
	return app.Order{Priority: app.PriorityRoutine, Status: app.StatusDraft, CreatedBy: createdBy, ProviderID: providerID, Location: location}
}

// StartOrder starts the draft o for patient p: it saves the order for the first time (giving it
// its id and UUID) and keeps the patient on "my patients". o is a draft without an id.
func (s *Service) StartOrder(ctx context.Context, o app.Order, p app.Patient) (app.Order, error) {
	if p.ID == 0 {
		return o, ErrNoPatient
	}
	if o.ID != 0 {
		return o, fmt.Errorf("workflow: start order: order %d is already started", o.ID)
	}
	if o.Status == "" {
		o.Status = app.StatusDraft
	}
	if o.Priority == "" {
		o.Priority = app.PriorityRoutine
	}
	o.PatientID = p.ID
	if err := s.Orders.SaveDraft(ctx, &o); err != nil {
		return o, fmt.Errorf("workflow: start order: %w", err)
	}
	if err := s.Charts.TouchPatient(ctx, p.ID, s.now()); err != nil {
		return o, fmt.Errorf("workflow: start order: %w", err)
	}
	return o, nil
}
