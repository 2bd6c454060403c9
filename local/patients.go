package local

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/referraldesk/referraldesk/app"
)

const patientCols = `id, mrn, family, given, birth_date, sex, address_line, city, state, postal_code,
	phone, insurance_type, server_id, last_action_at, created_at, country, language, interpreter_needed, clinic_mrn, clinic_mrn_system`

type scanner interface{ Scan(dest ...any) error }

// scanPatient reads patientCols, then any extra columns into extra.
func scanPatient(sc scanner, extra ...any) (app.Patient, error) {
	var p app.Patient
	var sex string
	dest := []any{
		&p.ID, &p.MRN, &p.Family, &p.Given,
		dateCol{&p.BirthDate},
		&sex, &p.Address.Line, &p.Address.City,
		&p.Address.State, &p.Address.PostalCode, &p.Phone, &p.InsuranceType, &p.ServerID,
		msTime{&p.LastActionAt},
		msTime{&p.CreatedAt},
		&p.Address.Country, &p.Language, &p.InterpreterNeeded, &p.ClinicMRN, &p.ClinicMRNSystem,
	}
	err := sc.Scan(append(dest, extra...)...)
	p.Sex = app.Sex(sex)
	return p, err
}

// patientArgs are the values of every stored column but id and the timestamps, in insert order.
func patientArgs(p *app.Patient) []any {
	return []any{
		p.MRN, app.Fold(p.MRN), p.Family, p.Given, app.Fold(p.Family), app.Fold(p.Given),
		dateValue(p.BirthDate), string(p.Sex), p.Address.Line, p.Address.City, p.Address.State,
		p.Address.PostalCode, p.Phone, p.InsuranceType, p.ServerID,
		countryValue(p.Address.Country), p.Language, p.InterpreterNeeded,
		strings.TrimSpace(p.ClinicMRN), clinicMRNSystem(p),
	}
}

// clinicMRNSystem is the stored system of the clinic's MRN: none without a number (a system
// alone identifies nothing).
func clinicMRNSystem(p *app.Patient) string {
	if strings.TrimSpace(p.ClinicMRN) == "" {
		return ""
	}
	return strings.TrimSpace(p.ClinicMRNSystem)
}

// PatientsByClinicMRN finds the charts that carry this clinic MRN in this identifier system (an
// import's match); none for an empty number or system.
func (s *Store) PatientsByClinicMRN(ctx context.Context, system, mrn string) ([]app.Patient, error) {
	system, mrn = strings.TrimSpace(system), strings.TrimSpace(mrn)
	if system == "" || mrn == "" {
		return nil, nil
	}
	out, err := s.queryPatients(ctx, `SELECT `+patientCols+` FROM patients WHERE clinic_mrn_system = ? AND clinic_mrn = ?
		AND clinic_mrn <> '' ORDER BY id LIMIT ?`, system, mrn, 10)
	if err != nil {
		return nil, fmt.Errorf("local: patients by clinic MRN: %w", err)
	}
	return out, nil
}

// countryValue is the stored country: upper case. An empty one stays empty (the chart form
// fills the institution's country; the checks read empty as the US, as charts were before).
func countryValue(c string) string { return strings.ToUpper(strings.TrimSpace(c)) }

const insertPatient = `INSERT INTO patients (mrn, mrn_fold, family, given, family_fold, given_fold,
	birth_date, sex, address_line, city, state, postal_code, phone, insurance_type, server_id,
	country, language, interpreter_needed, clinic_mrn, clinic_mrn_system,
	last_action_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// CreatePatient inserts p and sets p.ID, CreatedAt and LastActionAt.
func (s *Store) CreatePatient(ctx context.Context, p *app.Patient) error {
	if p.ID != 0 {
		return fmt.Errorf("local: create patient: already has id %d", p.ID)
	}
	now := s.stamp()
	var id int64
	err := s.write(ctx, "create patient", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, insertPatient, append(patientArgs(p), ms(now), ms(now))...)
		if err != nil {
			return constraint(err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.audit(ctx, tx, ActionPatientCreate, "patient", id, "")
	})
	if err != nil {
		return err
	}
	p.ID, p.CreatedAt, p.LastActionAt = id, now, now
	return nil
}

// UpdatePatient stores every field of p but CreatedAt and bumps its LastActionAt.
func (s *Store) UpdatePatient(ctx context.Context, p *app.Patient) error {
	now := s.stamp()
	err := s.write(ctx, fmt.Sprintf("update patient %d", p.ID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE patients SET mrn = ?, mrn_fold = ?, family = ?, given = ?,
			family_fold = ?, given_fold = ?, birth_date = ?, sex = ?, address_line = ?, city = ?, state = ?,
			postal_code = ?, phone = ?, insurance_type = ?, server_id = ?, country = ?, language = ?,
			interpreter_needed = ?, clinic_mrn = ?, clinic_mrn_system = ?, last_action_at = ? WHERE id = ?`, append(patientArgs(p), ms(now), p.ID)...)
		if err != nil {
			return constraint(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return app.ErrNotFound
		}
		return s.audit(ctx, tx, ActionPatientUpdate, "patient", p.ID, "")
	})
	if err != nil {
		return err
	}
	p.LastActionAt = now
	return nil
}

// Patient reads one chart.
func (s *Store) Patient(ctx context.Context, id int64) (app.Patient, error) {
	p, err := scanPatient(s.ro.QueryRowContext(ctx, `SELECT `+patientCols+` FROM patients WHERE id = ?`, id))
	if err != nil {
		return app.Patient{}, fmt.Errorf("local: patient %d: %w", id, notFound(err))
	}
	return p, nil
}

// PatientByServerID finds the chart linked to the institution's registry id, or app.ErrNotFound.
func (s *Store) PatientByServerID(ctx context.Context, serverID string) (app.Patient, error) {
	if serverID == "" {
		return app.Patient{}, fmt.Errorf("local: patient by server id: %w", app.ErrNotFound)
	}
	p, err := scanPatient(s.ro.QueryRowContext(ctx, `SELECT `+patientCols+` FROM patients WHERE server_id = ?`, serverID))
	if err != nil {
		return app.Patient{}, fmt.Errorf("local: patient by server id: %w", notFound(err))
	}
	return p, nil
}

// LinkPatient records the institution's registry id of a chart that has none yet (after its first
// submission), so a later registry search finds this chart instead of adding a second one.
func (s *Store) LinkPatient(ctx context.Context, id int64, serverID string) error {
	return s.write(ctx, fmt.Sprintf("link patient %d", id), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE patients SET server_id = ? WHERE id = ? AND server_id = ''
			AND NOT EXISTS (SELECT 1 FROM patients WHERE server_id = ?)`, serverID, id, serverID)
		return err
	})
}

// TouchPatient records an action on the patient at the given time (never moving it backwards).
func (s *Store) TouchPatient(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx, fmt.Sprintf("touch patient %d", id), func(tx *sql.Tx) error {
		return bumpPatient(ctx, tx, id, toMS(at))
	})
}

// bumpPatient moves the patient's last_action_at forward to at.
func bumpPatient(ctx context.Context, tx *sql.Tx, id int64, at time.Time) error {
	res, err := tx.ExecContext(ctx,
		`UPDATE patients SET last_action_at = max(last_action_at, ?) WHERE id = ?`, at.UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("patient %d: %w", id, app.ErrNotFound)
	}
	return nil
}

// MyPatients lists patients with an action at or after now-app.MyPatientsWindow, most recent first.
func (s *Store) MyPatients(ctx context.Context, now time.Time, limit int) ([]app.Patient, error) {
	if limit <= 0 {
		limit = 100
	}
	since := now.Add(-app.MyPatientsWindow).UnixMilli()
	out, err := s.queryPatients(ctx, `SELECT `+patientCols+` FROM patients WHERE last_action_at >= ?
		ORDER BY last_action_at DESC, id DESC LIMIT ?`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("local: my patients: %w", err)
	}
	return out, nil
}

// PossibleDuplicates finds other charts with the same folded family name, the same birth date and
// the same first letter of the folded given name (any given name when p has none).
func (s *Store) PossibleDuplicates(ctx context.Context, p app.Patient) ([]app.Patient, error) {
	q := `SELECT ` + patientCols + ` FROM patients WHERE family_fold = ? AND birth_date IS ? AND id <> ?`
	args := []any{app.Fold(p.Family), dateValue(p.BirthDate), p.ID}
	if given := app.Fold(p.Given); given != "" {
		_, size := utf8.DecodeRuneInString(given)
		lo := given[:size]
		hi, _ := successor(lo)
		q += ` AND given_fold >= ? AND given_fold < ?`
		args = append(args, lo, hi)
	}
	out, err := s.queryPatients(ctx, q+` ORDER BY given_fold, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("local: possible duplicates of %d: %w", p.ID, err)
	}
	return out, nil
}

// nameQuery is one reading of a typed name: folded prefixes of the family and given names.
type nameQuery struct{ family, given string }

// patientQuery is how a search line is understood: exactly one of the fields is set.
type patientQuery struct {
	birth string // YYYY-MM-DD
	mrn   string // folded
	names []nameQuery
}

// searchDateLayouts are the accepted ways to type a date of birth ("1/2/2006" also takes 01/02/2006).
var searchDateLayouts = []string{app.DateLayout, "1/2/2006"}

// parseSearch understands a search line: a date of birth, a registration number (a single word
// with a digit in it), "Last, First" (either part a prefix, "Last, F" an initial), or words without
// a comma, read as a family-name prefix and also as every Last First and First Last split.
func parseSearch(line string) patientQuery {
	line = capSearch(line)
	if line == "" {
		return patientQuery{}
	}
	for _, layout := range searchDateLayouts {
		if t, err := time.Parse(layout, line); err == nil {
			return patientQuery{birth: t.Format(app.DateLayout)}
		}
	}
	f := app.Fold(line)
	if looksLikeMRN(f) {
		return patientQuery{mrn: f}
	}
	if family, given, ok := strings.Cut(f, ","); ok {
		given, _, _ = strings.Cut(given, ",")
		return patientQuery{names: []nameQuery{{strings.TrimSpace(family), strings.TrimSpace(given)}}}
	}
	q := patientQuery{names: []nameQuery{{family: f}}}
	words := strings.Fields(f)
	for i := 1; i < len(words); i++ {
		first, rest := strings.Join(words[:i], " "), strings.Join(words[i:], " ")
		q.names = append(q.names, nameQuery{family: first, given: rest}, nameQuery{family: rest, given: first})
	}
	return q
}

// A search line is capped before it is read: every split of n words is a query of its own, so the
// cost grows with n squared (5,000 pasted words took 3.3 s and 216 MB). No name has more words.
const (
	maxSearchWords = 8
	maxSearchBytes = 200
)

// capSearch keeps the first maxSearchBytes (on a character boundary) and maxSearchWords words.
func capSearch(line string) string {
	if len(line) > maxSearchBytes {
		cut := maxSearchBytes
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut]
	}
	if words := strings.Fields(line); len(words) > maxSearchWords {
		return strings.Join(words[:maxSearchWords], " ")
	}
	return strings.TrimSpace(line)
}

// looksLikeMRN: one word of letters, digits and dashes with at least one digit (names have none).
func looksLikeMRN(f string) bool {
	digit := false
	for _, r := range f {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsLetter(r) || r == '-':
		default:
			return false
		}
	}
	return digit
}

// SearchPatients finds charts from one line as typed (see parseSearch), case- and
// accent-insensitively, ordered by family name, given name and birth date (registration-number
// searches put the exact match first). Every reading is an index range scan. limit <= 0: 50.
func (s *Store) SearchPatients(ctx context.Context, line string, limit int) ([]app.Patient, error) {
	if limit <= 0 {
		limit = 50
	}
	q := parseSearch(line)
	var (
		out []app.Patient
		err error
	)
	switch {
	case q.birth != "":
		out, err = s.queryPatients(ctx, searchBirthSQL, q.birth, limit)
	case q.mrn != "":
		out, err = s.searchMRN(ctx, q.mrn, limit)
	case len(q.names) > 0:
		out, err = s.searchNames(ctx, q.names, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("local: search patients: %w", err)
	}
	return out, nil
}

const (
	searchBirthSQL = `SELECT ` + patientCols + ` FROM patients WHERE birth_date = ?
		ORDER BY family_fold, given_fold, id LIMIT ?`
	searchMRNSQL = `SELECT ` + patientCols + `, mrn_fold, family_fold, given_fold
		FROM patients WHERE mrn_fold <> '' AND mrn_fold >= ? AND mrn_fold < ? ORDER BY mrn_fold, id LIMIT ?`
)

func (s *Store) searchMRN(ctx context.Context, mrn string, limit int) ([]app.Patient, error) {
	hi, _ := successor(mrn) // mrn is non-empty text, so it has a successor
	type hit struct {
		p            app.Patient
		mrn, fam, gv string
	}
	rows, err := s.ro.QueryContext(ctx, searchMRNSQL, mrn, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []hit
	for rows.Next() {
		var h hit
		if h.p, err = scanPatient(rows, &h.mrn, &h.fam, &h.gv); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if ea, eb := a.mrn == mrn, b.mrn == mrn; ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.fam, b.fam), strings.Compare(a.gv, b.gv),
			a.p.BirthDate.Compare(b.p.BirthDate), cmp.Compare(a.p.ID, b.p.ID))
	})
	out := make([]app.Patient, len(hits))
	for i, h := range hits {
		out[i] = h.p
	}
	return out, nil
}

// searchNames runs every reading of a name (each a range scan on patients_name that returns rows
// already in order), then merges them.
func (s *Store) searchNames(ctx context.Context, names []nameQuery, limit int) ([]app.Patient, error) {
	type hit struct {
		p       app.Patient
		fam, gv string
	}
	seen := map[int64]bool{}
	var hits []hit
	for _, n := range names {
		q, args := nameSQL(n, limit)
		rows, err := s.ro.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var h hit
			if h.p, err = scanPatient(rows, &h.fam, &h.gv); err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[h.p.ID] {
				seen[h.p.ID] = true
				hits = append(hits, h)
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	if len(names) > 1 {
		slices.SortFunc(hits, func(a, b hit) int {
			return cmp.Or(strings.Compare(a.fam, b.fam), strings.Compare(a.gv, b.gv),
				a.p.BirthDate.Compare(b.p.BirthDate), cmp.Compare(a.p.ID, b.p.ID))
		})
	}
	out := make([]app.Patient, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.p)
	}
	return out, nil
}

// nameSQL is the query for one reading of a name: a range scan on patients_name.
func nameSQL(n nameQuery, limit int) (string, []any) {
	q := `SELECT ` + patientCols + `, family_fold, given_fold FROM patients WHERE 1`
	var args []any
	for _, r := range []struct{ col, prefix string }{{"family_fold", n.family}, {"given_fold", n.given}} {
		if r.prefix == "" {
			continue
		}
		q += ` AND ` + r.col + ` >= ?`
		args = append(args, r.prefix)
		if hi, ok := successor(r.prefix); ok {
			q += ` AND ` + r.col + ` < ?`
			args = append(args, hi)
		}
	}
	return q + ` ORDER BY family_fold, given_fold, birth_date, id LIMIT ?`, append(args, limit)
}

func (s *Store) queryPatients(ctx context.Context, q string, args ...any) ([]app.Patient, error) {
	return queryRows(ctx, s.ro, func(sc scanner) (app.Patient, error) { return scanPatient(sc) }, q, args...)
}

// PatientDiagnoses lists the distinct diagnoses (by code) of the patient's orders, most recently
// used first; the description is the one from the most recent use.
func (s *Store) PatientDiagnoses(ctx context.Context, patientID int64) ([]app.Diagnosis, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT d.code, d.description FROM order_diagnoses d
		JOIN orders o ON o.id = d.order_id WHERE o.patient_id = ?
		ORDER BY o.updated_at DESC, o.id DESC, d.position`, patientID)
	if err != nil {
		return nil, fmt.Errorf("local: diagnoses of patient %d: %w", patientID, err)
	}
	defer rows.Close()
	var out []app.Diagnosis
	seen := map[string]bool{}
	for rows.Next() {
		var d app.Diagnosis
		if err := rows.Scan(&d.Code, &d.Description); err != nil {
			return nil, fmt.Errorf("local: diagnoses of patient %d: %w", patientID, err)
		}
		if !seen[d.Code] {
			seen[d.Code] = true
			out = append(out, d)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("local: diagnoses of patient %d: %w", patientID, err)
	}
	return out, nil
}

// BulkInsertPatients inserts many charts in one transaction with one prepared statement (demo data,
// benchmarks, imports) and sets their IDs. CreatedAt and LastActionAt are kept when set, else now.
// One audit row records the count.
func (s *Store) BulkInsertPatients(ctx context.Context, ps []app.Patient) error {
	now := s.stamp()
	ids := make([]int64, len(ps))
	err := s.write(ctx, fmt.Sprintf("bulk insert %d patients", len(ps)), func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, insertPatient)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range ps {
			p := &ps[i]
			created, last := bulkStamps(p, now)
			res, err := stmt.ExecContext(ctx, append(patientArgs(p), ms(last), ms(created))...)
			if err != nil {
				return fmt.Errorf("row %d: %w", i, constraint(err))
			}
			if ids[i], err = res.LastInsertId(); err != nil {
				return err
			}
			if i%1000 == 999 {
				s.at("bulk:progress")
			}
		}
		return s.audit(ctx, tx, ActionPatientBulk, "patient", 0, fmt.Sprintf("count=%d", len(ps)))
	})
	if err != nil {
		return err
	}
	for i := range ps {
		ps[i].ID = ids[i]
		ps[i].CreatedAt, ps[i].LastActionAt = bulkStamps(&ps[i], now)
	}
	return nil
}

// bulkStamps gives a bulk-inserted chart's CreatedAt (now when unset) and LastActionAt (CreatedAt when unset).
func bulkStamps(p *app.Patient, now time.Time) (created, last time.Time) {
	created, last = toMS(p.CreatedAt), toMS(p.LastActionAt)
	if created.IsZero() {
		created = now
	}
	if last.IsZero() {
		last = created
	}
	return created, last
}

// CountPatients is the number of charts in the cache.
func (s *Store) CountPatients(ctx context.Context) (int, error) {
	var n int
	if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM patients`).Scan(&n); err != nil {
		return 0, fmt.Errorf("local: count patients: %w", err)
	}
	return n, nil
}
