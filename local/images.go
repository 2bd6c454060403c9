package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app/dicom"
)

// Audit actions of the image upload. Details hold counts and problem codes, never the user's
// reasons (patient data) nor UIDs.
const (
	ActionImagesPlan             = "images.plan"
	ActionStudyMismatchConfirmed = "study.mismatch_confirmed"
	ActionImagesUploaded         = "images.uploaded"
)

var _ dicom.UploadStore = (*Store)(nil)

// PlanImageUpload records the studies chosen for an order's image upload, with their description,
// and their images as pending, idempotently: an image already recorded keeps its state (so a
// confirmed one is never sent again) and a study's description is updated. Pending images of
// studies or series no longer selected are dropped; sent or confirmed ones stay. One audit row
// ("images.plan") when something changed.
func (s *Store) PlanImageUpload(ctx context.Context, orderID int64, studies []dicom.PlannedStudy) error {
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("plan images of order %d", orderID), func(tx *sql.Tx) error {
		if err := exists(ctx, tx, "orders", orderID); err != nil {
			return fmt.Errorf("order %d: %w", orderID, err)
		}
		stStudy, err := tx.PrepareContext(ctx, `INSERT INTO image_studies (order_id, study_uid, description, selected_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (order_id, study_uid) DO UPDATE SET description = excluded.description`)
		if err != nil {
			return err
		}
		defer stStudy.Close()
		stInst, err := tx.PrepareContext(ctx, `INSERT INTO image_instances (order_id, sop_uid, study_uid, series_uid, size)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id, sop_uid) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stInst.Close()
		keep := map[string]bool{}
		added, total := int64(0), 0
		for _, st := range studies {
			if st.UID == "" {
				return errors.New("a study without a Study Instance UID")
			}
			if _, err := stStudy.ExecContext(ctx, orderID, st.UID, st.Description, now.UnixMilli()); err != nil {
				return err
			}
			for _, in := range st.Instances {
				if in.SOPInstanceUID == "" {
					return errors.New("an image without a SOP Instance UID")
				}
				keep[in.SOPInstanceUID] = true
				total++
				res, err := stInst.ExecContext(ctx, orderID, in.SOPInstanceUID, st.UID, in.SeriesInstanceUID, in.Size)
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				added += n
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT sop_uid FROM image_instances WHERE order_id = ? AND state = 'pending'`, orderID)
		if err != nil {
			return err
		}
		var drop []string
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return err
			}
			if !keep[u] {
				drop = append(drop, u)
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, u := range drop {
			if _, err := tx.ExecContext(ctx, `DELETE FROM image_instances WHERE order_id = ? AND sop_uid = ?`, orderID, u); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM image_studies WHERE order_id = ? AND NOT EXISTS
			(SELECT 1 FROM image_instances i WHERE i.order_id = image_studies.order_id AND i.study_uid = image_studies.study_uid)`,
			orderID); err != nil {
			return err
		}
		if added == 0 && len(drop) == 0 {
			return nil
		}
		return s.audit(ctx, tx, ActionImagesPlan, "order", orderID,
			fmt.Sprintf("studies=%d images=%d added=%d dropped=%d", len(studies), total, added, len(drop)))
	})
}

// ImageRecords lists every image recorded for the order's upload, by study then SOP Instance UID.
func (s *Store) ImageRecords(ctx context.Context, orderID int64) ([]dicom.ImageRecord, error) {
	return s.imageRecords(ctx, orderID, false)
}

// MissingImages lists the images of the order's upload that the server has not confirmed.
func (s *Store) MissingImages(ctx context.Context, orderID int64) ([]dicom.ImageRecord, error) {
	return s.imageRecords(ctx, orderID, true)
}

func (s *Store) imageRecords(ctx context.Context, orderID int64, missingOnly bool) ([]dicom.ImageRecord, error) {
	q := `SELECT study_uid, series_uid, sop_uid, size, state, coalesce(batch_id, 0), sends
		FROM image_instances WHERE order_id = ?`
	if missingOnly {
		q += ` AND state != 'confirmed'`
	}
	rows, err := s.ro.QueryContext(ctx, q+` ORDER BY study_uid, sop_uid`, orderID)
	if err != nil {
		return nil, fmt.Errorf("local: images of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []dicom.ImageRecord
	for rows.Next() {
		var r dicom.ImageRecord
		if err := rows.Scan(&r.StudyUID, &r.SeriesInstanceUID, &r.SOPInstanceUID, &r.Size, &r.State, &r.Batch, &r.Sends); err != nil {
			return nil, fmt.Errorf("local: images of order %d: %w", orderID, err)
		}
		out = append(out, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: images of order %d: %w", orderID, err)
	}
	return out, nil
}

// MarkImagesSent opens a request (batch) row and marks its images sent, before the request goes
// out. It fails, changing nothing, when an image is unknown or already confirmed: a confirmed
// image is never sent again.
func (s *Store) MarkImagesSent(ctx context.Context, orderID int64, sopUIDs []string, bytes int64) (int64, error) {
	now := s.stamp()
	var id int64
	err := s.write(ctx, fmt.Sprintf("mark images of order %d sent", orderID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO image_batches (order_id, started_at, instances, bytes) VALUES (?, ?, ?, ?)`,
			orderID, now.UnixMilli(), len(sopUIDs), bytes)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `UPDATE image_instances SET state = 'sent', batch_id = ?, sends = sends + 1, sent_at = ?
			WHERE order_id = ? AND sop_uid = ? AND state != 'confirmed'`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, u := range sopUIDs {
			res, err := st.ExecContext(ctx, id, now.UnixMilli(), orderID, u)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("image %d of the request is unknown or already confirmed", i+1)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// ConfirmImages marks images stored on the server and closes the request row with its outcome
// (batch 0: found on the server by a query). When the last image of the order gets confirmed,
// the audit log gets "images.uploaded" with the counts.
func (s *Store) ConfirmImages(ctx context.Context, orderID, batch int64, sopUIDs []string, outcome string) error {
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("confirm images of order %d", orderID), func(tx *sql.Tx) error {
		if batch != 0 {
			res, err := tx.ExecContext(ctx, `UPDATE image_batches SET finished_at = ?, stored = ?, outcome = ? WHERE id = ? AND order_id = ?`,
				now.UnixMilli(), len(sopUIDs), outcome, batch, orderID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("request %d: %w", batch, sql.ErrNoRows)
			}
		}
		if len(sopUIDs) == 0 {
			return nil
		}
		st, err := tx.PrepareContext(ctx, `UPDATE image_instances SET state = 'confirmed', confirmed_at = ?
			WHERE order_id = ? AND sop_uid = ? AND state != 'confirmed'`)
		if err != nil {
			return err
		}
		defer st.Close()
		changed := int64(0)
		for _, u := range sopUIDs {
			res, err := st.ExecContext(ctx, now.UnixMilli(), orderID, u)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			changed += n
		}
		if changed == 0 {
			return nil
		}
		var left, images, studies int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE state != 'confirmed'), count(*), count(DISTINCT study_uid)
			FROM image_instances WHERE order_id = ?`, orderID).Scan(&left, &images, &studies); err != nil {
			return err
		}
		if left > 0 {
			return nil
		}
		return s.audit(ctx, tx, ActionImagesUploaded, "order", orderID, fmt.Sprintf("studies=%d images=%d", studies, images))
	})
}

// SentStudies lists the Study Instance UIDs of the order whose every recorded image the server
// confirmed: what the order records as sent (and links to the ServiceRequest), so a retry never
// sends a study twice.
func (s *Store) SentStudies(ctx context.Context, orderID int64) ([]string, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT study_uid FROM image_instances WHERE order_id = ?
		GROUP BY study_uid HAVING count(*) = count(*) FILTER (WHERE state = 'confirmed') ORDER BY study_uid`, orderID)
	if err != nil {
		return nil, fmt.Errorf("local: sent studies of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("local: sent studies of order %d: %w", orderID, err)
		}
		out = append(out, u)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: sent studies of order %d: %w", orderID, err)
	}
	return out, nil
}

// ImageStudy is one study chosen for an order's upload, with its progress.
type ImageStudy struct {
	UID         string
	Description string
	Images      int
	Confirmed   int
}

// ImageStudies lists the studies chosen for the order's upload with their description and counts.
func (s *Store) ImageStudies(ctx context.Context, orderID int64) ([]ImageStudy, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT st.study_uid, st.description, count(i.sop_uid),
			count(i.sop_uid) FILTER (WHERE i.state = 'confirmed')
		FROM image_studies st LEFT JOIN image_instances i ON i.order_id = st.order_id AND i.study_uid = st.study_uid
		WHERE st.order_id = ? GROUP BY st.study_uid ORDER BY st.selected_at, st.study_uid`, orderID)
	if err != nil {
		return nil, fmt.Errorf("local: image studies of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []ImageStudy
	for rows.Next() {
		var st ImageStudy
		if err := rows.Scan(&st.UID, &st.Description, &st.Images, &st.Confirmed); err != nil {
			return nil, fmt.Errorf("local: image studies of order %d: %w", orderID, err)
		}
		out = append(out, st)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: image studies of order %d: %w", orderID, err)
	}
	return out, nil
}

// ConfirmStudyMismatch records the user's confirmation that a study CheckSelection flagged
// belongs with the order, with their reason (replacing an earlier one). The reason is patient
// data and stays in the database; the audit log gets "study.mismatch_confirmed" with the order id
// and the problem codes only.
func (s *Store) ConfirmStudyMismatch(ctx context.Context, orderID int64, studyUID string, codes []string, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("local: confirm study for order %d: a reason is required", orderID)
	}
	if studyUID == "" {
		return fmt.Errorf("local: confirm study for order %d: no Study Instance UID", orderID)
	}
	for _, c := range codes {
		if strings.ContainsAny(c, ", =") {
			return fmt.Errorf("local: confirm study for order %d: bad problem code", orderID)
		}
	}
	now := s.stamp()
	return s.write(ctx, fmt.Sprintf("confirm study for order %d", orderID), func(tx *sql.Tx) error {
		if err := exists(ctx, tx, "orders", orderID); err != nil {
			return fmt.Errorf("order %d: %w", orderID, err)
		}
		joined := strings.Join(codes, ",")
		if _, err := tx.ExecContext(ctx, `INSERT INTO image_confirmations (order_id, study_uid, codes, reason, confirmed_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id, study_uid) DO UPDATE SET codes = excluded.codes,
			reason = excluded.reason, confirmed_at = excluded.confirmed_at`,
			orderID, studyUID, joined, reason, now.UnixMilli()); err != nil {
			return err
		}
		return s.audit(ctx, tx, ActionStudyMismatchConfirmed, "order", orderID, "codes="+joined)
	})
}

// StudyConfirmations maps each confirmed study of the order to the user's reason.
func (s *Store) StudyConfirmations(ctx context.Context, orderID int64) (map[string]string, error) {
	out, err := queryPairs(ctx, s.ro, `SELECT study_uid, reason FROM image_confirmations WHERE order_id = ?`, orderID)
	if err != nil {
		return nil, fmt.Errorf("local: study confirmations of order %d: %w", orderID, err)
	}
	return out, nil
}
