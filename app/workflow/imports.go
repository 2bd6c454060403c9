package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/ehrimport"
)

// ImportStore keeps, per order, what the order needs of the EHR export it was started from (a
// JSON ImportSummary), so its suggestions survive a restart (local.Store implements it).
type ImportStore interface {
	SaveOrderImport(ctx context.Context, orderID int64, summary []byte) error
	// OrderImport returns app.ErrNotFound when the order was not started from an import.
	OrderImport(ctx context.Context, orderID int64) ([]byte, error)
}

// ErrNoImportStore: the service was built without a place to keep import summaries.
var ErrNoImportStore = errors.New("workflow: no store for imported summaries")

// importSummaryVersion is written with each summary; a later layout can read older ones by it.
const importSummaryVersion = 1

// ImportSummary is what an order keeps of its import: the problems with their ICD-10-CM checks
// and suggestions (the diagnosis step), and the medications and allergies (the review page). The
// narrative and attached PDFs are not kept here: they are already in the records packet.
type ImportSummary struct {
	Version     int                  `json:"version"`
	Format      string               `json:"format,omitempty"`
	DocType     string               `json:"docType,omitempty"`
	Title       string               `json:"title,omitempty"`
	Date        string               `json:"date,omitempty"` // the document's own date, at its precision
	Problems    []ImportedProblem    `json:"problems"`
	Medications []ImportedMedication `json:"medications"`
	Allergies   []ImportedAllergy    `json:"allergies"`
}

// ImportedProblem is one problem of the import, as the diagnosis step offers it.
type ImportedProblem struct {
	Name        string            `json:"name"`
	Status      string            `json:"status,omitempty"`
	Active      bool              `json:"active"`
	ICD10       []ImportedICD10   `json:"icd10,omitempty"`
	Suggestions []ImportedDiagnos `json:"suggestions,omitempty"`
}

// ImportedICD10 is an ICD-10-CM code of the file and what its check found.
type ImportedICD10 struct {
	Code        string `json:"code"`
	Status      string `json:"status"`
	Description string `json:"description,omitempty"`
}

// ImportedDiagnos is one suggested FY2026 code.
type ImportedDiagnos struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// ImportedMedication is one medication of the import (read-only, for the physician).
type ImportedMedication struct {
	Name   string `json:"name"`
	Status string `json:"status,omitempty"`
	Dose   string `json:"dose,omitempty"`
}

// ImportedAllergy is one allergy of the import (read-only, for the physician).
type ImportedAllergy struct {
	Substance string `json:"substance"`
	Reaction  string `json:"reaction,omitempty"`
	Severity  string `json:"severity,omitempty"`
	Status    string `json:"status,omitempty"`
}

// SummarizeImport is the part of doc an order keeps.
func SummarizeImport(doc *ehrimport.Document) ImportSummary {
	s := ImportSummary{
		Version: importSummaryVersion, Format: doc.Format, DocType: doc.DocType, Title: doc.Title, Date: doc.Date.String(),
		Problems:    make([]ImportedProblem, 0, len(doc.Problems)),
		Medications: make([]ImportedMedication, 0, len(doc.Medications)),
		Allergies:   make([]ImportedAllergy, 0, len(doc.Allergies)),
	}
	for _, p := range doc.Problems {
		ip := ImportedProblem{Name: p.Name, Status: p.Status, Active: p.Active}
		for _, c := range p.ICD10 {
			ip.ICD10 = append(ip.ICD10, ImportedICD10(c))
		}
		for _, d := range p.Suggestions {
			ip.Suggestions = append(ip.Suggestions, ImportedDiagnos{Code: d.Code, Description: d.Description})
		}
		s.Problems = append(s.Problems, ip)
	}
	for _, m := range doc.Medications {
		s.Medications = append(s.Medications, ImportedMedication{Name: m.Name, Status: m.Status, Dose: m.Dose})
	}
	for _, a := range doc.Allergies {
		s.Allergies = append(s.Allergies, ImportedAllergy{Substance: a.Substance, Reaction: a.Reaction, Severity: a.Severity, Status: a.Status})
	}
	return s
}

// Document is the summary as the order editor reads an import: problems with their suggestions,
// medications and allergies; no patient, sections or attachments.
func (s ImportSummary) Document() *ehrimport.Document {
	d := &ehrimport.Document{Format: s.Format, DocType: s.DocType, Title: s.Title}
	for _, p := range s.Problems {
		pr := ehrimport.Problem{Name: p.Name, Status: p.Status, Active: p.Active}
		for _, c := range p.ICD10 {
			pr.ICD10 = append(pr.ICD10, ehrimport.ICD10Check(c))
		}
		for _, dx := range p.Suggestions {
			pr.Suggestions = append(pr.Suggestions, app.Diagnosis{Code: dx.Code, Description: dx.Description})
		}
		d.Problems = append(d.Problems, pr)
	}
	for _, m := range s.Medications {
		d.Medications = append(d.Medications, ehrimport.Medication{Name: m.Name, Status: m.Status, Dose: m.Dose})
	}
	for _, a := range s.Allergies {
		d.Allergies = append(d.Allergies, ehrimport.Allergy{Substance: a.Substance, Reaction: a.Reaction, Severity: a.Severity, Status: a.Status})
	}
	return d
}

// KeepImport stores the summary of doc with order orderID (replacing an earlier one), when the
// imported order is started.
func (s *Service) KeepImport(ctx context.Context, orderID int64, doc *ehrimport.Document) error {
	if s.Imports == nil {
		return ErrNoImportStore
	}
	if orderID == 0 || doc == nil {
		return fmt.Errorf("workflow: keep import: order %d, document %v: nothing to keep", orderID, doc != nil)
	}
	data, err := json.Marshal(SummarizeImport(doc))
	if err != nil {
		return fmt.Errorf("workflow: keep import of order %d: %w", orderID, err)
	}
	if err := s.Imports.SaveOrderImport(ctx, orderID, data); err != nil {
		return fmt.Errorf("workflow: keep import of order %d: %w", orderID, err)
	}
	return nil
}

// OrderImport restores what order orderID kept of its import, as KeepImport stored it; nil
// without an error when the order was not started from an import (or no store is set).
func (s *Service) OrderImport(ctx context.Context, orderID int64) (*ehrimport.Document, error) {
	if s.Imports == nil || orderID == 0 {
		return nil, nil
	}
	data, err := s.Imports.OrderImport(ctx, orderID)
	if errors.Is(err, app.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: import of order %d: %w", orderID, err)
	}
	var sum ImportSummary
	if err := json.Unmarshal(data, &sum); err != nil {
		return nil, fmt.Errorf("workflow: import of order %d: reading its summary: %w", orderID, err)
	}
	if sum.Version > importSummaryVersion {
		return nil, fmt.Errorf("workflow: import of order %d: summary version %d is newer than this app reads (%d)", orderID, sum.Version, importSummaryVersion)
	}
	return sum.Document(), nil
}
