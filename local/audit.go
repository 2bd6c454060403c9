package local

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
	ActionOrderSend     = "order.send" // the institution confirmed the submission
	ActionOrderDelete   = "order.delete"
	ActionOutboxDead    = "outbox.dead"
	ActionUserSave      = "user.save"
)

// maxDetail caps an event's detail: ids and counts fit easily, a pasted document does not.
const maxDetail = 500

const auditColumns = `id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash`

// audit writes one audit row inside tx, at the store's clock. detail must hold ids, statuses and
// counts only. The patient is taken from the entity (for an order, its patient, so an order's audit
// must be written before the order is deleted).
func (s *Store) audit(ctx context.Context, tx *sql.Tx, action, entity string, id int64, detail string) error {
	var patientID int64
	switch entity {
	case "patient":
		patientID = id
	case "order":
		err := tx.QueryRowContext(ctx, `SELECT patient_id FROM orders WHERE id = ?`, id).Scan(&patientID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("audit %s: %w", action, err)
		}
	}
	return s.appendAudit(ctx, tx, app.AuditEntry{Action: action, Entity: entity, EntityID: id, PatientID: patientID, Detail: detail})
}

// appendAudit seals e onto the end of the chain: the next id, the store's clock and user, the
// previous row's hash and its own. Writes are serialised on the one read-write connection, so
// the last row cannot change under us.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, e app.AuditEntry) error {
	e.At, e.Actor = s.stamp(), s.actorFor(ctx)
	if len(e.Detail) > maxDetail {
		e.Detail = e.Detail[:maxDetail]
	}
	var lastID int64
	var lastHash string
	err := tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&lastID, &lastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	e.ID, e.PrevHash = lastID+1, lastHash
	e.Hash = chainHash(e)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At.UnixMilli(), e.Actor, e.Action, e.Entity, e.EntityID, e.PatientID, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// chainHash is the hex SHA-256 over a row's content fields and the previous row's hash. Every
// field is length-prefixed, so no two different rows encode alike.
func chainHash(e app.AuditEntry) string {
	h := sha256.New()
	for _, f := range []string{
		"referraldesk-audit-v1", e.PrevHash, strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.At.UnixMilli(), 10),
		e.Actor, e.Action, e.Entity, strconv.FormatInt(e.EntityID, 10), strconv.FormatInt(e.PatientID, 10), e.Detail,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// RecordEvent writes one audit event that is not a change of the store's own data (a chart viewed,
// a packet built, a result opened, an account added...). See app.EventRecorder.
func (s *Store) RecordEvent(ctx context.Context, kind string, patientID, orderID int64, detail string) error {
	if kind == "" {
		return errors.New("local: record event: no kind")
	}
	return s.write(ctx, "record event "+kind, func(tx *sql.Tx) error {
		if orderID != 0 && patientID == 0 {
			err := tx.QueryRowContext(ctx, `SELECT patient_id FROM orders WHERE id = ?`, orderID).Scan(&patientID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		e := app.AuditEntry{Action: kind, Entity: "app", PatientID: patientID, Detail: detail}
		switch {
		case orderID != 0:
			e.Entity, e.EntityID = "order", orderID
		case patientID != 0:
			e.Entity, e.EntityID = "patient", patientID
		}
		return s.appendAudit(ctx, tx, e)
	})
}

var _ app.EventRecorder = (*Store)(nil)

var _ app.AuditReader = (*Store)(nil)

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
	rows, err := s.ro.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("local: audit: %w", err)
	}
	out, err := scanAudit(rows)
	if err != nil {
		return nil, fmt.Errorf("local: audit: %w", err)
	}
	return out, nil
}

// AuditEvents lists the entries matching q, oldest first (with a limit, the newest that many).
func (s *Store) AuditEvents(ctx context.Context, q app.AuditQuery) ([]app.AuditEntry, error) {
	var where []string
	var args []any
	if !q.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, q.Since.UnixMilli())
	}
	if q.PatientID != 0 {
		where, args = append(where, "patient_id = ?"), append(args, q.PatientID)
	}
	if q.Actor != "" {
		where, args = append(where, "actor = ?"), append(args, q.Actor)
	}
	query := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	query = `SELECT * FROM (` + query + ` ORDER BY id DESC LIMIT ?) ORDER BY id`
	rows, err := s.ro.QueryContext(ctx, query, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("local: audit events: %w", err)
	}
	out, err := scanAudit(rows)
	if err != nil {
		return nil, fmt.Errorf("local: audit events: %w", err)
	}
	return out, nil
}

// AuditActors lists the users that appear in the trail, for a filter.
func (s *Store) AuditActors(ctx context.Context) ([]string, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT DISTINCT actor FROM audit_log ORDER BY actor`)
	if err != nil {
		return nil, fmt.Errorf("local: audit actors: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("local: audit actors: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanAudit(rows *sql.Rows) ([]app.AuditEntry, error) {
	defer rows.Close()
	var out []app.AuditEntry
	for rows.Next() {
		e, err := scanAuditRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	return out, nil
}

func scanAuditRow(rows *sql.Rows) (app.AuditEntry, error) {
	var e app.AuditEntry
	err := rows.Scan(&e.ID, msTime{&e.At}, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.PatientID, &e.Detail,
		&e.PrevHash, &e.Hash)
	return e, err
}

// VerifyAudit walks the whole trail in one read snapshot and recomputes the chain. It returns the
// number of rows checked and, at the first row that does not hold, an *app.ChainError.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("local: verify audit: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("local: verify audit: %w", err)
	}
	defer rows.Close()
	n := 0
	var prev app.AuditEntry
	for rows.Next() {
		e, err := scanAuditRow(rows)
		if err != nil {
			return n, fmt.Errorf("local: verify audit: %w", err)
		}
		if reason := chainBreak(prev, e, n == 0); reason != "" {
			return n, &app.ChainError{ID: e.ID, Reason: reason}
		}
		n++
		prev = e
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("local: verify audit: %w", err)
	}
	return n, nil
}

// chainBreak says why e does not follow prev, or "" when it does.
func chainBreak(prev, e app.AuditEntry, first bool) string {
	switch {
	case first && e.PrevHash != "":
		return "it follows a row that is no longer there (the start of the trail was removed)"
	case !first && e.ID != prev.ID+1:
		return fmt.Sprintf("rows %d to %d before it were removed", prev.ID+1, e.ID-1)
	case !first && e.PrevHash != prev.Hash:
		return fmt.Sprintf("it does not follow row %d (row %d was changed or replaced)", prev.ID, prev.ID)
	case e.Hash == "":
		return "it carries no hash (written outside the app)"
	case chainHash(e) != e.Hash:
		return "its content was changed after it was written"
	}
	return ""
}

// sealLegacyAudit hashes, in order, the rows written before migration 0005 (empty hash). It runs once,
// inside that migration's transaction; never at Open, so blanking a hash cannot get a row re-sealed.
func sealLegacyAudit(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	all, err := scanAudit(rows)
	if err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	prev := ""
	for _, e := range all {
		if e.Hash == "" {
			e.PrevHash = prev
			e.Hash = chainHash(e)
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`,
				e.PrevHash, e.Hash, e.ID); err != nil {
				return fmt.Errorf("seal audit row %d: %w", e.ID, err)
			}
		}
		prev = e.Hash
	}
	return nil
}
