package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
	"github.com/referraldesk/referraldesk/app/referral"
)

// ErrPossibleDuplicate is matched by *DuplicateError: a chart that looks like the same person exists.
var ErrPossibleDuplicate = errors.New("workflow: a chart that looks like the same person exists")

// DuplicateError holds the existing charts (same last name, birth date and first initial).
type DuplicateError struct{ Existing []app.Patient }

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%v (%d chart(s))", ErrPossibleDuplicate, len(e.Existing))
}

func (e *DuplicateError) Is(target error) bool { return target == ErrPossibleDuplicate }

// CheckChart lists what is missing or wrong in a new chart before it can be kept.
func (s *Service) CheckChart(p app.Patient) []referral.Problem {
	return referral.CheckPatient(p, s.now(), s.Profile)
}

// MatchChart finds existing charts that look like p (to offer them before making a second one).
func (s *Service) MatchChart(ctx context.Context, p app.Patient) ([]app.Patient, error) {
	dups, err := s.Charts.PossibleDuplicates(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("workflow: match chart: %w", err)
	}
	return dups, nil
}

// CreateChart keeps a new chart as entered (the user has seen the check and any match), its phone
// in E.164 (the check has made sure it parses).
func (s *Service) CreateChart(ctx context.Context, p app.Patient) (app.Patient, error) {
	country := p.Address.Country
	if country == "" && s.Profile != nil {
		country = s.Profile.HomeCountry()
	}
	p.Phone = intl.NormalizePhone(p.Phone, country)
	if err := s.Charts.CreatePatient(ctx, &p); err != nil {
		return p, fmt.Errorf("workflow: create chart: %w", err)
	}
	return p, nil
}

// NewChart is the whole "new chart" operation in one call: check (a *referral.NotReadyError lists
// the problems), match (a *DuplicateError unless allowDuplicate), create.
func (s *Service) NewChart(ctx context.Context, p app.Patient, allowDuplicate bool) (app.Patient, error) {
	if err := referral.Err(s.CheckChart(p)); err != nil {
		return p, err
	}
	if !allowDuplicate {
		dups, err := s.MatchChart(ctx, p)
		if err != nil {
			return p, err
		}
		if len(dups) > 0 {
			return p, &DuplicateError{Existing: dups}
		}
	}
	return s.CreateChart(ctx, p)
}

// ChartFromRegistry keeps a chart found in the institution's registry in the local list, once: a
// patient already on this computer (same server id) is that chart, touched.
func (s *Service) ChartFromRegistry(ctx context.Context, p app.Patient) (app.Patient, error) {
	known, err := s.Charts.PatientByServerID(ctx, p.ServerID)
	if err == nil {
		if err := s.Charts.TouchPatient(ctx, known.ID, s.now()); err != nil {
			return known, fmt.Errorf("workflow: touch chart: %w", err)
		}
		return known, nil
	}
	if !errors.Is(err, app.ErrNotFound) {
		return p, fmt.Errorf("workflow: find chart: %w", err)
	}
	return s.CreateChart(ctx, p)
}

// CleanChart is a chart as typed, tidied the one way both the form and the CLI keep it: spaces
// trimmed, the state in capitals.
func CleanChart(p app.Patient) app.Patient {
	t := strings.TrimSpace
	p.Family, p.Given, p.Phone, p.MRN, p.InsuranceType = t(p.Family), t(p.Given), t(p.Phone), t(p.MRN), t(p.InsuranceType)
	p.ClinicMRN, p.ClinicMRNSystem = t(p.ClinicMRN), t(p.ClinicMRNSystem)
	if p.ClinicMRN == "" {
		p.ClinicMRNSystem = "" // a system alone identifies nothing
	}
	// The country's rules: a US or Canadian state as its code, a postal code in its usual form.
	p.Address = referral.NormalizeAddress(p.Address)
	return p
}

// ClinicMRNAsTyped is the clinic MRN of a chart form: the number typed, under the system the
// import gave only while it is still the imported number. A number typed instead is the clinic's
// own (no system: FHIR sends it under this installation's), never another EHR's.
func ClinicMRNAsTyped(imported app.Patient, typed string) (mrn, system string) {
	mrn = strings.TrimSpace(typed)
	if mrn != "" && mrn == strings.TrimSpace(imported.ClinicMRN) {
		return mrn, strings.TrimSpace(imported.ClinicMRNSystem)
	}
	return mrn, ""
}
