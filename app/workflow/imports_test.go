package workflow_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/ehrimport"
	"github.com/referraldesk/referraldesk/app/icd10"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// What an order keeps of a real C-CDA comes back whole from the database: problems with their
// ICD-10-CM checks and suggestions, medications and allergies.
func TestKeepAndRestoreImport(t *testing.T) {
	src := filepath.Join("..", "..", "..", "shared", "data", "ccda", "Referral_Note--Referral_Note.xml")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Skipf("shared C-CDA examples not found (%v): skipping", err)
	}
	doc, err := ehrimport.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := icd10.Load()
	if err != nil {
		t.Fatal(err)
	}
	ehrimport.Suggest(ix, doc)
	w, _, _ := newService(t)
	ctx := context.Background()
	p, err := w.CreateChart(ctx, chart())
	if err != nil {
		t.Fatal(err)
	}
	o, err := w.StartOrder(ctx, workflow.NewOrder(0, 0, ""), p)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := w.OrderImport(ctx, o.ID); err != nil || got != nil {
		t.Fatalf("an order not started from an import: %+v, %v", got, err)
	}
	if err := w.KeepImport(ctx, o.ID, doc); err != nil {
		t.Fatal(err)
	}
	got, err := w.OrderImport(ctx, o.ID)
	if err != nil || got == nil {
		t.Fatalf("restore: %v", err)
	}
	if len(got.Problems) != len(doc.Problems) || len(got.Medications) != 2 || len(got.Allergies) != 2 {
		t.Fatalf("restored %d problems, %d medications, %d allergies", len(got.Problems), len(got.Medications), len(got.Allergies))
	}
	suggested := 0
	for i, pr := range doc.Problems {
		g := got.Problems[i]
		if g.Name != pr.Name || g.Active != pr.Active || !reflect.DeepEqual(g.ICD10, pr.ICD10) {
			t.Errorf("problem %d: %+v, want %+v", i, g, pr)
		}
		want := make([]app.Diagnosis, len(pr.Suggestions))
		for j, d := range pr.Suggestions {
			want[j] = app.Diagnosis{Code: d.Code, Description: d.Description}
		}
		if len(want) > 0 && !reflect.DeepEqual(g.Suggestions, want) {
			t.Errorf("problem %d suggestions %+v, want %+v", i, g.Suggestions, want)
		}
		suggested += len(g.Suggestions)
	}
	if suggested == 0 {
		t.Error("no suggestions kept")
	}
	if got.Medications[1].Name != doc.Medications[1].Name || got.Allergies[0].Substance != doc.Allergies[0].Substance {
		t.Errorf("medications %+v allergies %+v", got.Medications, got.Allergies)
	}
	// Without a store the service says so instead of losing the summary silently.
	bare := &workflow.Service{}
	if err := bare.KeepImport(ctx, o.ID, doc); err == nil {
		t.Error("KeepImport without a store succeeded")
	}
}
