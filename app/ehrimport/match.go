package ehrimport

import (
	"context"
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// MatchKind is how an imported patient relates to the local charts.
type MatchKind string

const (
	MatchExact MatchKind = "exact" // open that chart
	MatchNear  MatchKind = "near"  // ask the user
	MatchNone  MatchKind = "none"  // prefill a new chart for checking
)

// Charts is what Match needs of the local store (local.Store implements it).
type Charts interface {
	PossibleDuplicates(ctx context.Context, p app.Patient) ([]app.Patient, error)
	SearchPatients(ctx context.Context, query string, limit int) ([]app.Patient, error)
	PatientsByClinicMRN(ctx context.Context, system, mrn string) ([]app.Patient, error)
}

// Match is the result of comparing an import with the local charts.
type Match struct {
	Kind       MatchKind
	Chart      app.Patient   // the chart to open (exact)
	Candidates []app.Patient // charts to ask about (near)
	Reason     string        // why, for the user
}

// MatchPatient compares the imported patient with the local charts using the duplicate rules of the
// chart form, and saves nothing. Exact: a chart that keeps the file's clinic MRN (same number and
// system, see PatientInfo.ClinicMRN) and whose birth date agrees, a chart whose registration number
// is one of the file's identifiers and whose birth date agrees, or one with the same folded family and given names and
// birth date. Near: the chart form's possible duplicates (same family name and birth date, same first
// initial), or a clinic MRN or identifier match whose birth date differs. Otherwise none.
func MatchPatient(ctx context.Context, charts Charts, doc *Document) (Match, error) {
	p := doc.ChartPatient()
	var near []app.Patient
	seen := map[int64]bool{}
	addNear := func(c app.Patient) {
		if !seen[c.ID] {
			seen[c.ID] = true
			near = append(near, c)
		}
	}
	if p.ClinicMRN != "" {
		found, err := charts.PatientsByClinicMRN(ctx, p.ClinicMRNSystem, p.ClinicMRN)
		if err != nil {
			return Match{}, fmt.Errorf("ehrimport: match clinic MRN: %w", err)
		}
		for _, c := range found {
			if !p.BirthDate.IsZero() && c.BirthDate.Equal(p.BirthDate) {
				return Match{Kind: MatchExact, Chart: c, Reason: "same clinic MRN and birth date"}, nil
			}
			addNear(c)
		}
	}
	for _, id := range doc.Patient.Identifiers {
		v := strings.TrimSpace(id.Value)
		if v == "" || isSSN(id) {
			continue // an SSN is never a registration number
		}
		found, err := charts.SearchPatients(ctx, v, 5)
		if err != nil {
			return Match{}, fmt.Errorf("ehrimport: match identifiers: %w", err)
		}
		for _, c := range found {
			if c.MRN == "" || app.Fold(c.MRN) != app.Fold(v) {
				continue
			}
			if !p.BirthDate.IsZero() && c.BirthDate.Equal(p.BirthDate) {
				return Match{Kind: MatchExact, Chart: c, Reason: "same registration number and birth date"}, nil
			}
			addNear(c)
		}
	}
	if p.Family != "" && !p.BirthDate.IsZero() {
		dups, err := charts.PossibleDuplicates(ctx, p)
		if err != nil {
			return Match{}, fmt.Errorf("ehrimport: match name and birth date: %w", err)
		}
		for _, c := range dups {
			if app.Fold(c.Family) == app.Fold(p.Family) && app.Fold(c.Given) == app.Fold(p.Given) && c.BirthDate.Equal(p.BirthDate) {
				return Match{Kind: MatchExact, Chart: c, Reason: "same name and birth date"}, nil
			}
			addNear(c)
		}
	}
	if len(near) > 0 {
		return Match{Kind: MatchNear, Candidates: near, Reason: "a chart with a similar name, the same birth date or the same registration number"}, nil
	}
	return Match{Kind: MatchNone, Reason: "no chart matches"}, nil
}

// isSSN tells a US Social Security number by its OID or FHIR system, its identifier type, or the
// authority name a file gave it; files differ in which of these they fill.
func isSSN(id Identifier) bool {
	sys := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(id.System)), "urn:oid:")
	switch {
	case sys == ssnOID, sys == "http://hl7.org/fhir/sid/us-ssn", strings.EqualFold(id.Type, "SS"), strings.EqualFold(id.Type, "SB"):
		return true
	}
	a := strings.ToLower(id.Authority)
	return a == strings.ToLower(authorityNames[ssnOID]) || a == "ssn" || strings.Contains(a, "social security")
}

const ssnOID = "2.16.840.1.113883.4.1"
