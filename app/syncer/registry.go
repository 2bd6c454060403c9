package syncer

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/msg"
)

var dateInQuery = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b`)

// RegistryQuery turns one typed line ("Last, First 1970-01-02") into Patient search parameters.
func RegistryQuery(line string) (url.Values, error) {
	q := url.Values{}
	if m := dateInQuery.FindString(line); m != "" {
		d, err := app.ParseDate(m)
		if err != nil {
			return nil, err
		}
		q.Set("birthdate", app.FormatDate(d))
		line = strings.Replace(line, m, "", 1)
	}
	last, first, _ := strings.Cut(line, ",")
	if last = strings.TrimSpace(last); last != "" {
		q.Set("family", last)
	}
	if first = strings.TrimSpace(first); first != "" {
		q.Set("given", first)
	}
	if len(q) == 0 {
		return nil, ErrRegistryQuery
	}
	q.Set("_count", "50")
	return q, nil
}

// registryPages bounds a registry search: two pages of 50 is more than anyone reads in a pick
// list, and a common name must not pull the institution's whole registry.
const registryPages = 2 // of _count=50: ErrRegistryTooBroad's "100"

// ErrRegistryQuery: the registry search text names neither a name nor a date of birth.
var ErrRegistryQuery = msg.NewSentinel("syncer.registry_query", `syncer: registry query without a name or date of birth`)

// ErrRegistryTooBroad: the registry search matched more patients than one list shows.
// Its text is shown as it is in the search dialog.
var ErrRegistryTooBroad = msg.NewSentinel("syncer.registry_too_broad", "more than 100 patients match: add the first name or the date of birth")

// pagedSearcher is a Transport that can stop a search after some pages (fhir.Client does).
type pagedSearcher interface {
	SearchPages(ctx context.Context, resourceType string, query url.Values, maxPages int) (*fhir.Bundle, error)
}

// SearchRegistry searches the server's Patient registry by name and birth date, reading at most
// registryPages pages; a broader match fails with ErrRegistryTooBroad.
func (w *Worker) SearchRegistry(ctx context.Context, line string) ([]app.Patient, error) {
	q, err := RegistryQuery(line)
	if err != nil {
		return nil, err
	}
	if err := w.demoGuard(ctx); err != nil {
		return nil, err
	}
	var b *fhir.Bundle
	if ps, ok := w.Transport.(pagedSearcher); ok {
		b, err = ps.SearchPages(ctx, "Patient", q, registryPages)
	} else {
		b, err = w.Transport.Search(ctx, "Patient", q)
	}
	if errors.Is(err, fhir.ErrTooManyResults) {
		return nil, ErrRegistryTooBroad
	}
	if err != nil {
		return nil, err
	}
	mrnSystem := ""
	if w.Profile != nil {
		mrnSystem = fhir.MRNSystem(w.Profile.ID)
	}
	var out []app.Patient
	for _, e := range b.Entry {
		p, ok := e.Resource.(*fhir.Patient)
		if !ok {
			continue
		}
		out = append(out, patientFromFHIR(p, mrnSystem))
	}
	return out, nil
}

func patientFromFHIR(p *fhir.Patient, mrnSystem string) app.Patient {
	out := app.Patient{ServerID: p.ID, Sex: app.Sex(p.Gender)}
	if len(p.Name) > 0 {
		out.Family = p.Name[0].Family
		out.Given = strings.Join(p.Name[0].Given, " ")
	}
	out.BirthDate, _ = time.Parse(app.DateLayout, p.BirthDate)
	for _, id := range p.Identifier {
		if id.System == mrnSystem {
			out.MRN = id.Value
		}
	}
	for _, t := range p.Telecom {
		if t.System == "phone" && out.Phone == "" {
			out.Phone = t.Value
		}
	}
	if len(p.Address) > 0 {
		a := p.Address[0]
		out.Address = app.Address{Line: strings.Join(a.Line, ", "), City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country}
	}
	out.Language, out.InterpreterNeeded = fhir.PatientLanguage(p)
	return out
}
