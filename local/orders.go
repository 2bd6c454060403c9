package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

const orderCols = `id, uuid, patient_id, coalesce(provider_id, 0), department, priority, reason, location,
	upload_images, upload_records, insurance_payer, insurance_member_id, insurance_group_id,
	scheduling_comment, status, status_reason, created_at, updated_at, signed_at, signed_by, signer_role,
	coalesce(signed_for_provider_id, 0), signed_for, signer_os_user, last_step, coalesce(created_by, 0)`

func scanOrder(sc scanner) (app.Order, error) {
	var o app.Order
	err := sc.Scan(&o.ID, &o.UUID, &o.PatientID, &o.ProviderID, &o.Department, &o.Priority, &o.Reason,
		&o.Location, &o.UploadImages, &o.UploadRecords, &o.Insurance.Payer, &o.Insurance.MemberID,
		&o.Insurance.GroupID, &o.SchedulingComment, &o.Status, &o.StatusReason, msTime{&o.CreatedAt},
		msTime{&o.UpdatedAt}, msTime{&o.SignedAt}, &o.SignedBy, &o.Signature.SignerRole,
		&o.Signature.ForProviderID, &o.Signature.ForProvider, &o.Signature.OSUser, &o.LastStep, &o.CreatedBy)
	o.Signature.SignerName = o.SignedBy
	return o, err
}

// nullID stores 0 as NULL (no provider chosen yet).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SaveDraft inserts o (ID 0: status draft unless set, a new UUID unless set) or updates it when its
// stored status is editable (draft, ready, needs attention), replacing its diagnoses and attachments,
// all in one transaction; it sets o.ID, UUID, CreatedAt, UpdatedAt, CreatedBy (written on insert only) and the attachments' ID, OrderID
// and AddedAt. A stored order that is signed, or a status that is not editable, fails with
// app.ErrNotEditable (signing goes through SignOrder). SignedAt/SignedBy/Signature are never written here.
//
// The audit log gets an "order.save" row on insert and when the status changes, not on every
// save: the editor saves as the user types, and a row per keystroke pause would bury the entries
// that matter.
func (s *Store) SaveDraft(ctx context.Context, o *app.Order) error {
	now := s.stamp()
	status := o.Status
	if status == "" {
		status = app.StatusDraft
	}
	if !status.Editable() {
		return fmt.Errorf("local: save draft %d: status %q: %w", o.ID, status, app.ErrNotEditable)
	}
	id, uuid, created, createdBy := o.ID, o.UUID, o.CreatedAt, o.CreatedBy
	var attIDs []int64
	var attAdded []time.Time
	err := s.write(ctx, fmt.Sprintf("save draft %d", o.ID), func(tx *sql.Tx) error {
		if err := exists(ctx, tx, "patients", o.PatientID); err != nil {
			return fmt.Errorf("patient %d: %w", o.PatientID, err)
		}
		if o.ProviderID != 0 {
			if err := exists(ctx, tx, "providers", o.ProviderID); err != nil {
				return fmt.Errorf("provider %d: %w", o.ProviderID, err)
			}
		}
		args := []any{
			o.PatientID, nullID(o.ProviderID), o.Department, string(o.Priority), o.Reason, o.Location,
			string(o.UploadImages), string(o.UploadRecords), o.Insurance.Payer, o.Insurance.MemberID,
			o.Insurance.GroupID, o.SchedulingComment, string(status), o.StatusReason, now.UnixMilli(),
		}
		var detail string
		if id == 0 {
			if uuid == "" {
				uuid = app.NewUUID()
			}
			created = now
			res, err := tx.ExecContext(ctx, `INSERT INTO orders (patient_id, provider_id, department, priority,
				reason, location, upload_images, upload_records, insurance_payer, insurance_member_id,
				insurance_group_id, scheduling_comment, status, status_reason, updated_at, uuid, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, uuid, now.UnixMilli(), nullID(o.CreatedBy))...)
			if err != nil {
				return constraint(err)
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			detail = fmt.Sprintf("created status=%s diagnoses=%d attachments=%d",
				status, len(o.Diagnoses), len(o.Attachments))
		} else {
			var old app.Status
			err := tx.QueryRowContext(ctx, `SELECT status, uuid, created_at, coalesce(created_by, 0) FROM orders
				WHERE id = ?`, id).Scan(&old, &uuid, msTime{&created}, &createdBy)
			if err != nil {
				return notFound(err)
			}
			if !old.Editable() {
				return fmt.Errorf("status %q: %w", old, app.ErrNotEditable)
			}
			_, err = tx.ExecContext(ctx, `UPDATE orders SET patient_id = ?, provider_id = ?, department = ?,
				priority = ?, reason = ?, location = ?, upload_images = ?, upload_records = ?,
				insurance_payer = ?, insurance_member_id = ?, insurance_group_id = ?, scheduling_comment = ?,
				status = ?, status_reason = ?, updated_at = ? WHERE id = ?`, append(args, id)...)
			if err != nil {
				return err
			}
			if old != status {
				detail = fmt.Sprintf("status %s->%s", old, status)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET last_step = ? WHERE id = ?`, o.LastStep, id); err != nil {
			return err
		}
		var err error
		if err = replaceDiagnoses(ctx, tx, id, o.Diagnoses); err != nil {
			return err
		}
		if attIDs, attAdded, err = replaceAttachments(ctx, tx, id, o.Attachments, now); err != nil {
			return err
		}
		if detail != "" {
			if err := s.audit(ctx, tx, ActionOrderSave, "order", id, detail); err != nil {
				return err
			}
		}
		return bumpPatient(ctx, tx, o.PatientID, now)
	})
	if err != nil {
		return err
	}
	o.ID, o.UUID, o.Status, o.CreatedAt, o.UpdatedAt, o.CreatedBy = id, uuid, status, created, now, createdBy
	for i := range o.Attachments {
		o.Attachments[i].ID, o.Attachments[i].OrderID, o.Attachments[i].AddedAt = attIDs[i], id, attAdded[i]
	}
	return nil
}

// exists reports app.ErrNotFound when table has no row with id.
func exists(ctx context.Context, tx *sql.Tx, table string, id int64) error {
	var one int
	return notFound(tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = ?`, id).Scan(&one))
}

func replaceDiagnoses(ctx context.Context, tx *sql.Tx, orderID int64, ds []app.Diagnosis) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM order_diagnoses WHERE order_id = ?`, orderID); err != nil {
		return err
	}
	for i, d := range ds {
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_diagnoses (order_id, position, code, description)
			VALUES (?, ?, ?, ?)`, orderID, i, d.Code, d.Description); err != nil {
			return fmt.Errorf("diagnosis %d: %w", i, err)
		}
	}
	return nil
}

// replaceAttachments rewrites the order's attachments, keeping the IDs of those that have one (an ID
// belonging to another order fails with app.ErrAlreadyExists). It returns every row's ID and AddedAt.
func replaceAttachments(ctx context.Context, tx *sql.Tx, orderID int64, as []app.Attachment, now time.Time) ([]int64, []time.Time, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE order_id = ?`, orderID); err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(as))
	added := make([]time.Time, len(as))
	for i, a := range as {
		added[i] = toMS(a.AddedAt)
		if added[i].IsZero() {
			added[i] = now
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO attachments (id, order_id, position, path, file_name,
			description, kind, content_type, size, sha1, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			nullID(a.ID), orderID, i, a.Path, a.FileName, a.Description, string(a.Kind), a.ContentType,
			a.Size, a.SHA1, added[i].UnixMilli())
		if err != nil {
			return nil, nil, fmt.Errorf("attachment %d: %w", i, constraint(err))
		}
		if ids[i], err = res.LastInsertId(); err != nil {
			return nil, nil, err
		}
	}
	return ids, added, nil
}

// Order reads one order with its diagnoses and attachments, in their saved order.
func (s *Store) Order(ctx context.Context, id int64) (app.Order, error) {
	o, err := s.readOrder(ctx, id)
	if err != nil {
		return app.Order{}, fmt.Errorf("local: order %d: %w", id, err)
	}
	return o, nil
}

func (s *Store) readOrder(ctx context.Context, id int64) (app.Order, error) {
	// One read transaction so the order and its children are one snapshot.
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return app.Order{}, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	o, err := scanOrder(tx.QueryRowContext(ctx, `SELECT `+orderCols+` FROM orders WHERE id = ?`, id))
	if err != nil {
		return app.Order{}, notFound(err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT code, description FROM order_diagnoses WHERE order_id = ?
		ORDER BY position`, id)
	if err != nil {
		return app.Order{}, err
	}
	for rows.Next() {
		var d app.Diagnosis
		if err := rows.Scan(&d.Code, &d.Description); err != nil {
			rows.Close()
			return app.Order{}, err
		}
		o.Diagnoses = append(o.Diagnoses, d)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return app.Order{}, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, order_id, path, file_name, description, kind, content_type,
		size, sha1, added_at FROM attachments WHERE order_id = ? ORDER BY position`, id)
	if err != nil {
		return app.Order{}, err
	}
	for rows.Next() {
		var a app.Attachment
		if err := rows.Scan(&a.ID, &a.OrderID, &a.Path, &a.FileName, &a.Description, &a.Kind, &a.ContentType,
			&a.Size, &a.SHA1, msTime{&a.AddedAt}); err != nil {
			rows.Close()
			return app.Order{}, err
		}
		o.Attachments = append(o.Attachments, a)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return app.Order{}, err
	}
	return o, nil
}

// Orders lists orders with their patient's name ("Last, First"), most recently updated first;
// with statuses given, only those.
func (s *Store) Orders(ctx context.Context, statuses ...app.Status) ([]app.OrderSummary, error) {
	q := `SELECT o.id, o.uuid, o.patient_id, p.family, p.given, o.department, o.priority, o.status,
		o.updated_at, o.signed_at, coalesce(o.created_by, 0) FROM orders o JOIN patients p ON p.id = o.patient_id`
	args := make([]any, len(statuses))
	for i, st := range statuses {
		args[i] = string(st)
	}
	if len(statuses) > 0 {
		q += ` WHERE o.status IN (` + placeholders(len(statuses)) + `)`
	}
	rows, err := s.ro.QueryContext(ctx, q+` ORDER BY o.updated_at DESC, o.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("local: orders: %w", err)
	}
	defer rows.Close()
	var out []app.OrderSummary
	for rows.Next() {
		var o app.OrderSummary
		var p app.Patient
		if err := rows.Scan(&o.ID, &o.UUID, &o.PatientID, &p.Family, &p.Given, &o.Department, &o.Priority,
			&o.Status, msTime{&o.UpdatedAt}, msTime{&o.SignedAt}, &o.CreatedBy); err != nil {
			return nil, fmt.Errorf("local: orders: %w", err)
		}
		o.PatientName = p.DisplayName()
		out = append(out, o)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: orders: %w", err)
	}
	return out, nil
}

// LatestDraft is the most recently updated order in status draft or ready, or app.ErrNotFound.
func (s *Store) LatestDraft(ctx context.Context) (app.Order, error) {
	var id int64
	err := s.ro.QueryRowContext(ctx, `SELECT id FROM orders WHERE status IN (?, ?)
		ORDER BY updated_at DESC, id DESC LIMIT 1`, app.StatusDraft, app.StatusReady).Scan(&id)
	if err != nil {
		return app.Order{}, fmt.Errorf("local: latest draft: %w", notFound(err))
	}
	o, err := s.readOrder(ctx, id)
	if err != nil {
		return app.Order{}, fmt.Errorf("local: latest draft: %w", err)
	}
	return o, nil
}

// DeleteDraft deletes an order that was never signed (draft or ready) with its diagnoses and
// attachment rows (not the files). Other statuses fail with app.ErrNotEditable.
func (s *Store) DeleteDraft(ctx context.Context, id int64) error {
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("delete draft %d", id), func(tx *sql.Tx) error {
		var st app.Status
		var patientID int64
		err := tx.QueryRowContext(ctx, `SELECT status, patient_id FROM orders WHERE id = ?`, id).Scan(&st, &patientID)
		if err != nil {
			return notFound(err)
		}
		if st != app.StatusDraft && st != app.StatusReady {
			return fmt.Errorf("status %q: %w", st, app.ErrNotEditable)
		}
		// Audit first: the row names the order's patient, looked up from the order.
		if err := s.audit(ctx, tx, ActionOrderDelete, "order", id, "status="+string(st)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM orders WHERE id = ?`, id); err != nil {
			return err
		}
		return bumpPatient(ctx, tx, patientID, now)
	})
}

// SignOrder, in one transaction: checks the order is editable (else app.ErrNotEditable), sets it
// signed and then queued, writes its "submit" outbox entry (pending, due at at), audits both
// transitions and "order.sign", and bumps the patient. Re-signing an order that came back as
// "needs attention" re-arms its one outbox row instead of adding a second.
//
// The signature names the person who signed (sig.SignerName; for the provider signing themself it
// defaults to the provider's SigningName) and the authorizing provider signed for: the order's
// provider, which sig.ForProviderID must match when set (the readiness check makes sure there is
// one before the user can sign). The provider's name is stored as it is now (sig.ForProvider is ignored), so the
// signature reads the same after the provider list changes. sig.OSUser is kept for the audit trail.
func (s *Store) SignOrder(ctx context.Context, id int64, sig app.Signature, at time.Time) error {
	if err := sig.Check(); err != nil {
		return fmt.Errorf("local: sign order %d: %w", id, err)
	}
	at = toMS(at)
	if at.IsZero() {
		at = s.stamp()
	}
	return s.write(ctx, fmt.Sprintf("sign order %d", id), func(tx *sql.Tx) error {
		var st app.Status
		var patientID, providerID int64
		err := tx.QueryRowContext(ctx, `SELECT status, patient_id, coalesce(provider_id, 0) FROM orders WHERE id = ?`,
			id).Scan(&st, &patientID, &providerID)
		if err != nil {
			return notFound(err)
		}
		if !st.Editable() {
			return fmt.Errorf("status %q: %w", st, app.ErrNotEditable)
		}
		if sig.ForProviderID != 0 && sig.ForProviderID != providerID {
			return fmt.Errorf("signed for provider %d, but the order's provider is %d", sig.ForProviderID, providerID)
		}
		// The readiness check has made sure there is a provider; the store only needs one to name
		// a provider who signs without giving a name.
		var forName string
		if providerID != 0 {
			prov, err := scanProvider(tx.QueryRowContext(ctx, `SELECT `+providerCols+` FROM providers WHERE id = ?`, providerID))
			if err != nil {
				return fmt.Errorf("provider %d: %w", providerID, notFound(err))
			}
			forName = prov.SigningName()
		}
		signer := strings.TrimSpace(sig.SignerName)
		if signer == "" {
			signer = forName
		}
		if signer == "" {
			return fmt.Errorf("no signer name and no provider to sign as: %w", app.ErrNotReady)
		}
		_, err = tx.ExecContext(ctx, `UPDATE orders SET status = ?, status_reason = '', signed_at = ?,
			signed_by = ?, signer_role = ?, signed_for_provider_id = ?, signed_for = ?, signer_os_user = ?,
			updated_at = ? WHERE id = ?`, app.StatusQueued, at.UnixMilli(), signer, string(sig.SignerRole),
			nullID(providerID), forName, sig.OSUser, at.UnixMilli(), id)
		if err != nil {
			return err
		}
		for _, step := range [][2]app.Status{{st, app.StatusSigned}, {app.StatusSigned, app.StatusQueued}} {
			if err := s.audit(ctx, tx, ActionOrderStatus, "order", id,
				fmt.Sprintf("status %s->%s", step[0], step[1])); err != nil {
				return err
			}
		}
		s.at("sign:before-outbox")
		var outboxID int64
		err = tx.QueryRowContext(ctx, `INSERT INTO outbox (order_id, kind, state, attempts, next_attempt_at,
			last_error, created_at) VALUES (?, ?, ?, 0, ?, '', ?)
			ON CONFLICT (order_id, kind) DO UPDATE SET state = excluded.state, attempts = 0,
				next_attempt_at = excluded.next_attempt_at, last_error = ''
			RETURNING id`, id, OutboxKindSubmit, app.OutboxPending, at.UnixMilli(), at.UnixMilli()).Scan(&outboxID)
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		if err := s.audit(ctx, tx, ActionOrderSign, "order", id,
			fmt.Sprintf("outbox=%d role=%s provider=%d", outboxID, sig.SignerRole, providerID)); err != nil {
			return err
		}
		return bumpPatient(ctx, tx, patientID, at)
	})
}

// SetOrderStatus records a status reported by the institution (used by sync), with its reason
// (stored on the order, never in the audit log). A change of status is audited; the patient is
// bumped either way. Unknown statuses are refused.
func (s *Store) SetOrderStatus(ctx context.Context, id int64, status app.Status, reason string) error {
	if !status.Valid() {
		return fmt.Errorf("local: set order %d status: unknown status %q", id, status)
	}
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("set order %d status", id), func(tx *sql.Tx) error {
		var old app.Status
		var patientID int64
		err := tx.QueryRowContext(ctx, `SELECT status, patient_id FROM orders WHERE id = ?`, id).Scan(&old, &patientID)
		if err != nil {
			return notFound(err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE orders SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`,
			status, reason, now.UnixMilli(), id)
		if err != nil {
			return err
		}
		if old != status {
			if err := s.audit(ctx, tx, ActionOrderStatus, "order", id,
				fmt.Sprintf("status %s->%s", old, status)); err != nil {
				return err
			}
		}
		return bumpPatient(ctx, tx, patientID, now)
	})
}
