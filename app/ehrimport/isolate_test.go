package ehrimport

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The app parses exports in a sandbox worker: the document that comes back is the one Parse reads,
// and a refused file keeps its reason (errors.Is) across the process boundary.
func TestParseIsolated(t *testing.T) {
	src := filepath.Join(sharedData, "ccda", "Referral_Note--Referral_Note.xml")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("shared C-CDA examples not found (%v): skipping", err)
	}
	ctx := context.Background()
	want, err := ParseFile(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseIsolated(ctx, nil, src, 30*time.Second)
	if err != nil {
		t.Fatalf("ParseIsolated: %v", err)
	}
	if got.ChartPatient().DisplayName() != want.ChartPatient().DisplayName() || !got.Patient.BirthDate.Time.Equal(want.Patient.BirthDate.Time) ||
		len(got.Problems) != len(want.Problems) || len(got.Sections) != len(want.Sections) || !got.Date.Time.Equal(want.Date.Time) {
		t.Errorf("the worker's document differs from Parse's")
	}

	bomb := filepath.Join(t.TempDir(), "laughs.xml")
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><ClinicalDocument>&lol2;</ClinicalDocument>`
	if err := os.WriteFile(bomb, []byte(laughs), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseIsolated(ctx, nil, bomb, 30*time.Second); !errors.Is(err, ErrEntities) {
		t.Errorf("entities through the worker: %v, want ErrEntities", err)
	}
}
