package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// Audit actions written by the store.
const (
	ActionPatientCreate = "patient.create"
	ActionPatientUpdate = "patient.update"
	ActionPatientBulk   = "patient.bulk_insert"
	ActionProviderSave  = "provider.save"
	ActionOrderSave     = "order.save"   // insert, or a status change through SaveDraft
	ActionOrderStatus   = "order.status" // any status transition ("ready->signed")
	ActionOrderSign     = "order.sign"
	ActionOrderDelete   = "order.delete"
	ActionOutboxDead    = "outbox.dead"
	ActionUserSave      = "user.save"
)

// audit writes one audit row inside tx. detail must hold ids, statuses and counts only.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, at time.Time, action, entity string, id int64, detail string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		at.UnixMilli(), s.actorFor(ctx), action, entity, id, detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// actorFor is who the audit row names: the signed-in person with the computer login in parentheses
// ("Ana Ruiz (clinic-pc)"), or the login alone when nobody is signed in.
func (s *Store) actorFor(ctx context.Context) string {
	if name, ok := app.ActorFrom(ctx); ok {
		return name + " (" + s.actor + ")"
	}
	return s.actor
}

// Audit lists the newest limit entries, newest first (limit <= 0: 100).
func (s *Store) Audit(ctx context.Context, limit int) ([]app.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.ro.QueryContext(ctx,
		`SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("local: audit: %w", err)
	}
	defer rows.Close()
	var out []app.AuditEntry
	for rows.Next() {
		var e app.AuditEntry
		if err := rows.Scan(&e.ID, msTime{&e.At}, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Detail); err != nil {
			return nil, fmt.Errorf("local: audit: %w", err)
		}
		out = append(out, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: audit: %w", err)
	}
	return out, nil
}
