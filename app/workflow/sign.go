package workflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/referral"
)

// Sign checks the saved order once more (the readiness check, on what is in the database, not on
// what a screen shows) and signs it: signed, queued and one outbox entry, in one transaction. An
// order that is not ready fails with a *referral.NotReadyError (errors.Is app.ErrNotReady) and is
// left as it was.
func (s *Service) Sign(ctx context.Context, orderID int64, sig app.Signature, at time.Time) error {
	o, err := s.Orders.Order(ctx, orderID)
	if err != nil {
		return fmt.Errorf("workflow: sign order %d: %w", orderID, err)
	}
	p, err := s.Charts.Patient(ctx, o.PatientID)
	if err != nil && !errors.Is(err, app.ErrNotFound) {
		return fmt.Errorf("workflow: sign order %d: patient: %w", orderID, err)
	}
	var prov *app.Provider
	if o.ProviderID != 0 {
		pr, err := s.Providers.Provider(ctx, o.ProviderID)
		switch {
		case err == nil:
			prov = &pr
		case !errors.Is(err, app.ErrNotFound):
			return fmt.Errorf("workflow: sign order %d: provider: %w", orderID, err)
		}
	}
	now := at
	if now.IsZero() {
		now = s.now()
	}
	if err := referral.Err(referral.Check(referral.Input{Order: o, Patient: p, Provider: prov, Profile: s.Profile, Now: now})); err != nil {
		return err
	}
	return s.Orders.SignOrder(ctx, orderID, sig, at)
}
