package local

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/dicom"
)

func draftOrder(t *testing.T, st *Store) app.Order {
	t.Helper()
	ctx := context.Background()
	p := app.Patient{Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, UploadImages: app.AnswerYes}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func plan(study string, sops ...string) dicom.PlannedStudy {
	ps := dicom.PlannedStudy{UID: study, Description: "desc " + study}
	for _, s := range sops {
		ps.Instances = append(ps.Instances, dicom.PlannedInstance{SOPInstanceUID: s, SeriesInstanceUID: study + ".1", Size: 100})
	}
	return ps
}

func states(t *testing.T, st *Store, orderID int64) map[string]dicom.InstanceState {
	t.Helper()
	recs, err := st.ImageRecords(context.Background(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]dicom.InstanceState{}
	for _, r := range recs {
		out[r.SOPInstanceUID] = r.State
	}
	return out
}

func TestImageUploadLifecycle(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	o := draftOrder(t, st)

	if err := st.PlanImageUpload(ctx, o.ID, []dicom.PlannedStudy{plan("1.1", "1.1.1", "1.1.2"), plan("2.2", "2.2.1")}); err != nil {
		t.Fatal(err)
	}
	// Idempotent: the same plan again changes nothing and writes no second audit row.
	if err := st.PlanImageUpload(ctx, o.ID, []dicom.PlannedStudy{plan("1.1", "1.1.1", "1.1.2"), plan("2.2", "2.2.1")}); err != nil {
		t.Fatal(err)
	}
	if got := states(t, st, o.ID); len(got) != 3 || got["1.1.1"] != dicom.StatePending {
		t.Fatalf("states %v", got)
	}
	batch, err := st.MarkImagesSent(ctx, o.ID, []string{"1.1.1", "1.1.2"}, 200)
	if err != nil || batch == 0 {
		t.Fatal(batch, err)
	}
	if err := st.ConfirmImages(ctx, o.ID, batch, []string{"1.1.1"}, "HTTP 200, 1 of 2 stored"); err != nil {
		t.Fatal(err)
	}
	got := states(t, st, o.ID)
	if got["1.1.1"] != dicom.StateConfirmed || got["1.1.2"] != dicom.StateSent || got["2.2.1"] != dicom.StatePending {
		t.Fatalf("states %v", got)
	}
	// A confirmed image can never go in a request again; the failed call changes nothing.
	if _, err := st.MarkImagesSent(ctx, o.ID, []string{"1.1.2", "1.1.1"}, 200); err == nil {
		t.Fatal("a confirmed image was marked sent again")
	}
	if _, err := st.MarkImagesSent(ctx, o.ID, []string{"9.9"}, 1); err == nil {
		t.Fatal("an unknown image was marked sent")
	}
	recs, _ := st.ImageRecords(ctx, o.ID)
	for _, r := range recs {
		if r.SOPInstanceUID == "1.1.2" && (r.Sends != 1 || r.Batch != batch) {
			t.Errorf("record %+v", r)
		}
	}
	// Planning again keeps the states (a restart never re-sends a confirmed image).
	if err := st.PlanImageUpload(ctx, o.ID, []dicom.PlannedStudy{plan("1.1", "1.1.1", "1.1.2"), plan("2.2", "2.2.1")}); err != nil {
		t.Fatal(err)
	}
	if got := states(t, st, o.ID); got["1.1.1"] != dicom.StateConfirmed || got["1.1.2"] != dicom.StateSent {
		t.Fatalf("states after re-plan %v", got)
	}
	missing, err := st.MissingImages(ctx, o.ID)
	if err != nil || len(missing) != 2 {
		t.Fatalf("missing %v %v", missing, err)
	}
	if sent, _ := st.SentStudies(ctx, o.ID); len(sent) != 0 {
		t.Errorf("sent studies %v before any study is complete", sent)
	}
	// Found on the server by a query (batch 0), then the rest in a second request.
	if err := st.ConfirmImages(ctx, o.ID, 0, []string{"1.1.2"}, "found"); err != nil {
		t.Fatal(err)
	}
	if sent, _ := st.SentStudies(ctx, o.ID); !slices.Equal(sent, []string{"1.1"}) {
		t.Errorf("sent studies %v", sent)
	}
	b2, err := st.MarkImagesSent(ctx, o.ID, []string{"2.2.1"}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ConfirmImages(ctx, o.ID, b2, []string{"2.2.1"}, "HTTP 200, 1 of 1 stored"); err != nil {
		t.Fatal(err)
	}
	if sent, _ := st.SentStudies(ctx, o.ID); !slices.Equal(sent, []string{"1.1", "2.2"}) {
		t.Errorf("sent studies %v", sent)
	}
	studies, err := st.ImageStudies(ctx, o.ID)
	if err != nil || len(studies) != 2 || studies[0].Description != "desc 1.1" || studies[0].Images != 2 || studies[0].Confirmed != 2 {
		t.Errorf("studies %+v %v", studies, err)
	}
	var outcome string
	if err := st.ro.QueryRow(`SELECT outcome FROM image_batches WHERE id = ?`, batch).Scan(&outcome); err != nil || outcome != "HTTP 200, 1 of 2 stored" {
		t.Errorf("batch outcome %q %v", outcome, err)
	}

	audit, _ := st.Audit(ctx, 0)
	var actions []string
	for _, e := range audit {
		if strings.HasPrefix(e.Action, "images.") {
			actions = append(actions, e.Action+" "+e.Detail)
		}
	}
	want := []string{"images.uploaded studies=2 images=3", "images.plan studies=2 images=3 added=3 dropped=0"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit %q, want %q", actions, want)
	}
	if err := st.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

// Unselecting a study drops its pending images; sent or confirmed ones stay.
func TestImagePlanDropsUnselectedPending(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	o := draftOrder(t, st)
	if err := st.PlanImageUpload(ctx, o.ID, []dicom.PlannedStudy{plan("1.1", "1.1.1", "1.1.2"), plan("2.2", "2.2.1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkImagesSent(ctx, o.ID, []string{"1.1.1"}, 100); err != nil {
		t.Fatal(err)
	}
	if err := st.PlanImageUpload(ctx, o.ID, []dicom.PlannedStudy{plan("3.3", "3.3.1")}); err != nil {
		t.Fatal(err)
	}
	got := states(t, st, o.ID)
	if len(got) != 2 || got["1.1.1"] != dicom.StateSent || got["3.3.1"] != dicom.StatePending {
		t.Fatalf("states %v", got)
	}
	studies, _ := st.ImageStudies(ctx, o.ID)
	if len(studies) != 2 {
		t.Errorf("studies %+v", studies)
	}
	if err := st.PlanImageUpload(ctx, 999, nil); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}

// The user's reason stays in the database; the audit log gets the action, the order id and the
// problem codes only.
func TestStudyMismatchConfirmation(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	o := draftOrder(t, st)
	reason := "Jane Doe's maiden name Smith on the old CD"
	if err := st.ConfirmStudyMismatch(ctx, o.ID, "1.2.3", []string{dicom.CodeName, dicom.CodeBirthDate}, reason); err != nil {
		t.Fatal(err)
	}
	if err := st.ConfirmStudyMismatch(ctx, o.ID, "1.2.4", nil, "  "); err == nil {
		t.Error("an empty reason was accepted")
	}
	got, err := st.StudyConfirmations(ctx, o.ID)
	if err != nil || got["1.2.3"] != reason || len(got) != 1 {
		t.Fatalf("confirmations %v %v", got, err)
	}
	audit, _ := st.Audit(ctx, 1)
	if len(audit) != 1 || audit[0].Action != ActionStudyMismatchConfirmed || audit[0].Entity != "order" ||
		audit[0].EntityID != o.ID || audit[0].Detail != "codes=name,birth_date" {
		t.Fatalf("audit %+v", audit)
	}
	if strings.Contains(audit[0].Detail, "Smith") || strings.Contains(audit[0].Detail, "1.2.3") {
		t.Errorf("audit detail %q holds patient data or a UID", audit[0].Detail)
	}
	// Deleting the draft takes its image rows along.
	if err := st.PlanImageUpload(ctx, o.ID, []dicom.PlannedStudy{plan("1.2.3", "1.2.3.1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkImagesSent(ctx, o.ID, []string{"1.2.3.1"}, 100); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteDraft(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.StudyConfirmations(ctx, o.ID); len(got) != 0 {
		t.Errorf("confirmations left %v", got)
	}
}
