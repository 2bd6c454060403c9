package local

import (
	"context"
	"maps"
	"testing"

	"github.com/referraldesk/referraldesk/app"
)

func TestDiagnosisCounts(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	if got, err := s.DiagnosisCounts(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	p, pr, o := seedOrder(t, s) // R07.9, E11.9, I10
	second := app.Order{
		PatientID: p.ID, ProviderID: pr.ID, Department: "CARD", Priority: app.PriorityRoutine, Location: "MAIN",
		Diagnoses: []app.Diagnosis{{Code: "I10", Description: "Essential (primary) hypertension"}, {Code: "N40.0"}},
	}
	if err := s.SaveDraft(ctx, &second); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"R07.9": 1, "E11.9": 1, "I10": 2, "N40.0": 1}
	if got, err := s.DiagnosisCounts(ctx); err != nil || !maps.Equal(got, want) {
		t.Fatalf("DiagnosisCounts = %v, %v; want %v", got, err, want)
	}
	// Replacing an order's diagnoses replaces its counts.
	o.Diagnoses = []app.Diagnosis{{Code: "J18.9", Description: "Pneumonia, unspecified organism"}}
	if err := s.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	want = map[string]int{"I10": 1, "N40.0": 1, "J18.9": 1}
	if got, err := s.DiagnosisCounts(ctx); err != nil || !maps.Equal(got, want) {
		t.Fatalf("after edit: DiagnosisCounts = %v, %v; want %v", got, err, want)
	}
}
