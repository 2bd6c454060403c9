package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/ehrimport"
	"github.com/referraldesk/referraldesk/app/icd10"
)

// importResult is what `referraldesk import --json` prints for one file.
type importResult struct {
	File         string                 `json:"file"`
	Error        string                 `json:"error,omitempty"`
	Kind         ehrimport.Kind         `json:"kind,omitempty"`
	Format       string                 `json:"format,omitempty"`
	Title        string                 `json:"title,omitempty"`
	Date         string                 `json:"date,omitempty"`
	Author       string                 `json:"author,omitempty"`
	Organization string                 `json:"organization,omitempty"`
	Patient      *importPatient         `json:"patient,omitempty"`
	Problems     []ehrimport.Problem    `json:"problems,omitempty"`
	Medications  []ehrimport.Medication `json:"medications,omitempty"`
	Allergies    []ehrimport.Allergy    `json:"allergies,omitempty"`
	Skipped      []string               `json:"skipped,omitempty"`
	Warnings     []string               `json:"warnings,omitempty"`
	Files        []importFile           `json:"files,omitempty"`
	Match        string                 `json:"match,omitempty"`
}

type importPatient struct {
	Names       []ehrimport.Name       `json:"names"`
	BirthDate   string                 `json:"birthDate"`
	Sex         string                 `json:"sex"`
	Identifiers []ehrimport.Identifier `json:"identifiers"`
	// ClinicMRN is the identifier kept on the chart as the sending clinic's MRN (system as FHIR
	// sends it); absent when the file has none.
	ClinicMRN *importClinicMRN    `json:"clinicMRN,omitempty"`
	Addresses []ehrimport.Address `json:"addresses,omitempty"`
	Telecoms  []ehrimport.Telecom `json:"telecoms,omitempty"`
	Languages []string            `json:"languages,omitempty"`
	Deceased  bool                `json:"deceased,omitempty"`
}

type importClinicMRN struct {
	Value  string `json:"value"`
	System string `json:"system"`
}

type importFile struct {
	Path  string `json:"path"`
	Title string `json:"title"`
	Date  string `json:"date,omitempty"`
}

// importCmd: `referraldesk import [--json] [--data DIR] FILE...` reads C-CDA / FHIR exports and prints
// what would prefill the chart, the diagnoses and the packet. Nothing is saved to the database; the
// rendered PDFs go to the data folder's private work folder.
func importCmd(args []string, env Env) error {
	fs, data := newFlags("import", env)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: import needs at least one file", errUsage)
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		return err
	}
	if err := datadir.Ensure(dir); err != nil {
		return err
	}
	work, err := datadir.Work(dir)
	if err != nil {
		return err
	}
	ix, err := icd10.Load()
	if err != nil {
		return err
	}
	var store Store
	if _, err := os.Stat(datadir.Database(dir)); err == nil && env.OpenStore != nil {
		// Compare with the local charts only when a database exists: import never creates one.
		if store, err = env.OpenStore(dir); err != nil {
			return err
		}
		defer store.Close()
	}
	var results []importResult
	failed := 0
	for _, path := range fs.Args() {
		r := importOne(path, work, ix, store)
		if r.Error != "" {
			failed++
		}
		results = append(results, r)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	} else {
		for _, r := range results {
			printImport(env, r)
		}
	}
	if failed > 0 {
		return fmt.Errorf("import: %d of %d files could not be read", failed, len(results))
	}
	return nil
}

func importOne(path, work string, ix *icd10.Index, store Store) importResult {
	r := importResult{File: path}
	// Read and parsed in a sandbox worker (size checked before reading), as the app does.
	doc, err := ehrimport.ParseIsolated(context.Background(), nil, path, 2*time.Minute)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	ehrimport.Suggest(ix, doc)
	r.Kind, r.Format, r.Title, r.Date = doc.Kind, doc.Format, doc.Title, doc.Date.String()
	r.Author, r.Organization = doc.Author, doc.Organization
	p := doc.Patient
	r.Patient = &importPatient{
		Names: p.Names, BirthDate: p.BirthDate.String(), Sex: string(p.Sex), Identifiers: p.Identifiers,
		Addresses: p.Addresses, Telecoms: p.Telecoms, Languages: p.Languages, Deceased: p.Deceased,
	}
	if c := doc.ChartPatient(); c.ClinicMRN != "" {
		r.Patient.ClinicMRN = &importClinicMRN{Value: c.ClinicMRN, System: c.ClinicMRNSystem}
	}
	r.Problems, r.Medications, r.Allergies = doc.Problems, doc.Medications, doc.Allergies
	r.Skipped, r.Warnings = doc.Skipped, doc.Warnings
	ins, err := ehrimport.WriteFiles(doc, work)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	for _, in := range ins {
		f := importFile{Path: in.Path, Title: in.Title}
		if !in.Date.IsZero() {
			f.Date = in.Date.Format("2006-01-02")
		}
		r.Files = append(r.Files, f)
	}
	if store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		m, err := ehrimport.MatchPatient(ctx, store, doc)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		r.Match = string(m.Kind)
		if m.Kind == ehrimport.MatchExact {
			r.Match += fmt.Sprintf(" (chart %d: %s)", m.Chart.ID, m.Reason)
		} else if m.Kind == ehrimport.MatchNear {
			r.Match += fmt.Sprintf(" (%d charts to check)", len(m.Candidates))
		}
	}
	return r
}

func printImport(env Env, r importResult) {
	w := env.Stdout
	fmt.Fprintf(w, "== %s\n", r.File)
	if r.Error != "" {
		fmt.Fprintf(w, "error: %s\n", r.Error)
		return
	}
	fmt.Fprintf(w, "%s %s: %s (%s)\n", r.Kind, r.Format, r.Title, r.Date)
	p := r.Patient
	if len(p.Names) > 0 {
		fmt.Fprintf(w, "patient: %s, %s\n", p.Names[0].Family, strings.Join(p.Names[0].Given, " "))
	}
	for _, n := range p.Names[min(1, len(p.Names)):] {
		fmt.Fprintf(w, "  also named: %s, %s (%s)\n", n.Family, strings.Join(n.Given, " "), n.Use)
	}
	fmt.Fprintf(w, "birth date: %s  sex: %s\n", p.BirthDate, p.Sex)
	for _, id := range p.Identifiers {
		fmt.Fprintf(w, "identifier: %s  (%s)\n", id.Value, strings.TrimSpace(id.Authority+" "+id.System))
	}
	if m := p.ClinicMRN; m != nil {
		fmt.Fprintf(w, "clinic's MRN: %s  (%s)\n", m.Value, m.System)
	}
	if r.Match != "" {
		fmt.Fprintf(w, "local chart: %s\n", r.Match)
	}
	fmt.Fprintf(w, "problems: %d\n", len(r.Problems))
	for _, pr := range r.Problems {
		var codes []string
		for _, c := range pr.Codes {
			codes = append(codes, c.System+" "+c.Code)
		}
		fmt.Fprintf(w, "  %s [%s] %s\n", pr.Name, orDash(pr.Status), strings.Join(codes, ", "))
		for _, c := range pr.ICD10 {
			fmt.Fprintf(w, "    ICD-10-CM %s: %s\n", c.Code, c.Status)
		}
		for _, s := range pr.Suggestions {
			fmt.Fprintf(w, "    suggest %s  %s\n", s.Code, s.Description)
		}
	}
	fmt.Fprintf(w, "medications: %d  allergies: %d\n", len(r.Medications), len(r.Allergies))
	for _, s := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "skipped: %s\n", s)
	}
	for _, f := range r.Files {
		fmt.Fprintf(w, "pdf: %s  (%s, %s)\n", f.Path, f.Title, orDash(f.Date))
	}
}
