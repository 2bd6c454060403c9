// Package demo makes synthetic patients, providers and referral orders in every state, for demos,
// screenshots, benchmarks and the sync tests. Nothing here is real patient data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
)

// Store is what filling a database needs beyond app.Store.
type Store interface {
	app.Store
	BulkInsertPatients(ctx context.Context, ps []app.Patient) error
	SetOrderStatus(ctx context.Context, id int64, status app.Status, reason string) error
	// MarkDemo marks the database as a demo database, or fails with app.ErrNotDemoData (changing
	// nothing) when it holds patients, orders, providers or an account that demo-data did not make.
	MarkDemo(ctx context.Context) error
	// RecordDemoRows remembers the rows demo-data made (entity: "patient", "provider" or "order").
	RecordDemoRows(ctx context.Context, entity string, ids []int64) error
	IsDemo(ctx context.Context) (bool, error)
}

// Names are synthetic; a few carry accents so accent-insensitive search shows in demos.
var (
	families = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodríguez", "Martínez",
		"Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
		"Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
		"Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller",
		"Olson", "Larson", "Peterson", "Hanson", "Johansson", "Koepp", "Fonseca", "Wyman", "Aufderhar",
	}
	givens = []string{
		"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
		"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
		"Agustín", "Zoë", "José", "Chloé", "Noah", "Emma", "Liam", "Olivia", "Ava", "Sophia", "Mateo", "Amelia",
		"Ingrid", "Søren", "Abdul", "Alda", "Alexia", "Barry", "Beatrice", "Darin",
	}
	cities = []struct{ city, state, zip string }{
		{"Rochester", "MN", "55901"},
		{"Minneapolis", "MN", "55401"},
		{"Eau Claire", "WI", "54701"},
		{"La Crosse", "WI", "54601"},
		{"Mankato", "MN", "56001"},
		{"Des Moines", "IA", "50309"},
		{"Jacksonville", "FL", "32202"},
		{"Phoenix", "AZ", "85004"},
		{"Scottsdale", "AZ", "85251"},
	}
	streets = []string{"Main St", "Oak Ave", "Maple Dr", "2nd St SW", "Broadway", "Lakeview Rd", "Elm St"}
	reasons = []string{
		"Persistent chest pain on exertion despite medical therapy; please evaluate for ischemia.",
		"Poorly controlled type 2 diabetes with rising A1c; request endocrinology consultation.",
		"New-onset seizures; MRI shows a small lesion. Neurosurgical opinion requested.",
		"Chronic low back pain radiating to the left leg; failed 12 weeks of physical therapy.",
		"Suspicious pulmonary nodule on CT; please evaluate for biopsy.",
	}
	diagnoses = []app.Diagnosis{
		{Code: "R07.9", Description: "Chest pain, unspecified"},
		{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"},
		{Code: "R56.9", Description: "Unspecified convulsions"},
		{Code: "M54.50", Description: "Low back pain, unspecified"},
		{Code: "R91.1", Description: "Solitary pulmonary nodule"},
	}
)

// Providers returns a few synthetic providers with valid NPIs (check digit over the 80840 prefix).
func Providers() []app.Provider {
	return []app.Provider{
		{Family: "Okafor", Given: "Adaeze", Credentials: "MD", NPI: "1234567893", Active: true},
		{Family: "Lindqvist", Given: "Erik", Credentials: "DO", NPI: "1245319599", Active: true},
		{Family: "Reyes", Given: "Marisol", Credentials: "NP", NPI: "1679576722", Active: true},
	}
}

// Patients makes n synthetic patients, deterministically from seed. Roughly a third had an action
// within the last 120 days of now, so "my patients" is populated but not everyone.
func Patients(n int, seed uint64, now time.Time) []app.Patient {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	out := make([]app.Patient, n)
	for i := range out {
		c := cities[r.IntN(len(cities))]
		born := now.AddDate(-r.IntN(90)-1, -r.IntN(12), -r.IntN(28))
		p := app.Patient{
			Family:    families[r.IntN(len(families))],
			Given:     givens[r.IntN(len(givens))],
			BirthDate: time.Date(born.Year(), born.Month(), born.Day(), 0, 0, 0, 0, time.UTC),
			Sex:       []app.Sex{app.SexFemale, app.SexMale}[r.IntN(2)],
			Address: app.Address{
				Line: fmt.Sprintf("%d %s", 100+r.IntN(9800), streets[r.IntN(len(streets))]),
				City: c.city, State: c.state, PostalCode: c.zip,
			},
			Phone:         fmt.Sprintf("(507) 555-%04d", r.IntN(10000)),
			InsuranceType: []string{"HMO", "Medicare", "Medicaid", "Commercial / PPO", "Workers' compensation"}[r.IntN(5)],
			LastActionAt:  now.Add(-time.Duration(r.IntN(360*24)) * time.Hour),
		}
		if r.IntN(4) == 0 {
			p.MRN = fmt.Sprintf("%08d", 10000000+i)
		}
		out[i] = p
	}
	return out
}

// Fill marks s as a demo database, then adds n patients, the demo providers, and orders in every
// status for its own new patients; some orders are signed and wait in the outbox (a demo database
// only ever sends them to a server on this machine). It refuses, with app.ErrNotDemoData and without
// changing anything, a database holding data it did not make. It returns the number of orders made.
func Fill(ctx context.Context, s Store, prof *institution.Profile, n int, now time.Time) (made int, err error) {
	if n < 1 {
		return 0, errors.New("demo: at least one patient is needed")
	}
	if err := s.MarkDemo(ctx); err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	ps := Patients(n, uint64(now.Unix()), now)
	if err := s.BulkInsertPatients(ctx, ps); err != nil {
		return 0, fmt.Errorf("demo: patients: %w", err)
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	if err := s.RecordDemoRows(ctx, "patient", ids); err != nil {
		return 0, fmt.Errorf("demo: patients: %w", err)
	}
	// Running demo-data again reuses the demo providers (an NPI is unique); MarkDemo has checked
	// that every provider here is one demo-data made.
	known, err := s.Providers(ctx, true)
	if err != nil {
		return 0, fmt.Errorf("demo: providers: %w", err)
	}
	byNPI := map[string]app.Provider{}
	for _, p := range known {
		byNPI[p.NPI] = p
	}
	var provs []app.Provider
	for _, p := range Providers() {
		if have, ok := byNPI[p.NPI]; ok {
			provs = append(provs, have)
			continue
		}
		if err := s.SaveProvider(ctx, &p); err != nil {
			return 0, fmt.Errorf("demo: provider: %w", err)
		}
		if err := s.RecordDemoRows(ctx, "provider", []int64{p.ID}); err != nil {
			return 0, fmt.Errorf("demo: provider: %w", err)
		}
		provs = append(provs, p)
	}
	// Orders go to the patients made just now, never to anyone already in the database; recently
	// seen ones first, so "my patients" shows them.
	mine := recent(ps, now)
	var orderIDs []int64
	defer func() {
		if len(orderIDs) == 0 {
			return
		}
		if rerr := s.RecordDemoRows(context.WithoutCancel(ctx), "order", orderIDs); rerr != nil && err == nil {
			err = fmt.Errorf("demo: orders: %w", rerr)
		}
	}()
	for i, st := range app.Statuses {
		p := mine[i%len(mine)]
		o := demoOrder(i, p, provs[i%len(provs)], prof)
		if err := s.SaveDraft(ctx, &o); err != nil {
			return made, fmt.Errorf("demo: order: %w", err)
		}
		orderIDs = append(orderIDs, o.ID)
		made++
		switch st {
		case app.StatusDraft:
			continue
		case app.StatusReady:
			if err := s.SetOrderStatus(ctx, o.ID, st, ""); err != nil {
				return made, fmt.Errorf("demo: status: %w", err)
			}
			continue
		}
		if err := s.SignOrder(ctx, o.ID, demoSignature(i), now.Add(-time.Duration(i)*time.Hour)); err != nil {
			return made, fmt.Errorf("demo: sign: %w", err)
		}
		if st == app.StatusSigned || st == app.StatusQueued {
			continue // waits in the outbox
		}
		reason := ""
		switch st {
		case app.StatusDeclined:
			reason = "Outside the scope of the requested department; please refer to Neurology."
		case app.StatusNeedsAttention:
			reason = "The server refused the submission: Coverage.payor is required."
		}
		if err := s.SetOrderStatus(ctx, o.ID, st, reason); err != nil {
			return made, fmt.Errorf("demo: status: %w", err)
		}
	}
	return made, nil
}

// recent picks up to len(app.Statuses)+4 of ps, those seen within the "my patients" window first.
func recent(ps []app.Patient, now time.Time) []app.Patient {
	want := min(len(app.Statuses)+4, len(ps))
	out := make([]app.Patient, 0, want)
	for _, p := range ps {
		if len(out) < want && now.Sub(p.LastActionAt) < app.MyPatientsWindow {
			out = append(out, p)
		}
	}
	for _, p := range ps {
		if len(out) < want && now.Sub(p.LastActionAt) >= app.MyPatientsWindow {
			out = append(out, p)
		}
	}
	return out
}

func demoOrder(i int, p app.Patient, prov app.Provider, prof *institution.Profile) app.Order {
	dept, loc := "", ""
	if len(prof.Departments) > 0 {
		dept = prof.Departments[i%len(prof.Departments)].Code
	}
	for _, l := range prof.Locations {
		if prof.AllowsPediatrics(l.Code) || i%2 == 0 {
			loc = l.Code
			break
		}
	}
	prio := app.PriorityRoutine
	if i%3 == 0 {
		prio = app.PriorityUrgent
	}
	return app.Order{
		PatientID: p.ID, ProviderID: prov.ID, Department: dept, Priority: prio,
		Reason: reasons[i%len(reasons)], Diagnoses: []app.Diagnosis{diagnoses[i%len(diagnoses)]},
		Location: loc, UploadImages: app.AnswerNo, UploadRecords: app.AnswerNo,
		SchedulingComment: "Prefers mornings.", Status: app.StatusDraft,
	}
}

// demoSignature alternates between a provider signing themself and a staff member entering the
// order on the provider's behalf, so both kinds of signature appear in the demo.
func demoSignature(i int) app.Signature {
	if i%2 == 0 {
		return app.Signature{SignerRole: app.SignerProvider, OSUser: "demo"}
	}
	return app.Signature{SignerName: "Ana Ruiz", SignerRole: app.SignerStaff, OSUser: "demo"}
}
