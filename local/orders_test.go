package local

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// seedOrder creates a patient, a provider and a full draft.
func seedOrder(t *testing.T, s *Store) (app.Patient, app.Provider, app.Order) {
	t.Helper()
	ctx := context.Background()
	p := makePatient("Quixote", "Alonso", "1947-09-29", "MRN-777")
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	pr := app.Provider{Family: "Watson", Given: "John", Credentials: "MD", NPI: "1003000126", Active: true}
	if err := s.SaveProvider(ctx, &pr); err != nil {
		t.Fatal(err)
	}
	o := app.Order{
		PatientID: p.ID, ProviderID: pr.ID, Department: "CARD", Priority: app.PriorityUrgent,
		Reason: "Chest pain on exertion", Location: "MAIN",
		Diagnoses: []app.Diagnosis{
			{Code: "R07.9", Description: "Chest pain, unspecified"},
			{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"},
			{Code: "I10", Description: "Essential (primary) hypertension"},
		},
		UploadImages: app.AnswerYes, UploadRecords: app.AnswerNo,
		Insurance: app.Insurance{Payer: "Acme Health", MemberID: "M-1", GroupID: "G-2"},
		Attachments: []app.Attachment{
			{
				Path: "/home/dr/ecg.pdf", FileName: "ecg.pdf", Description: "ECG", Kind: app.KindRecords,
				ContentType: "application/pdf", Size: 12345, SHA1: strings.Repeat("ab", 20),
				AddedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
			},
			{Path: "/home/dr/x.jpg", FileName: "x.jpg", Kind: app.KindPhoto, ContentType: "image/jpeg", Size: 9},
		},
		SchedulingComment: "Mornings only",
		StatusReason:      "",
	}
	if err := s.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	return p, pr, o
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestDraftRoundTrip(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	_, _, o := seedOrder(t, s)
	if o.ID == 0 || !uuidV4.MatchString(o.UUID) || o.Status != app.StatusDraft ||
		!o.CreatedAt.Equal(c.Now()) || !o.UpdatedAt.Equal(c.Now()) {
		t.Fatalf("after insert: %+v", o)
	}
	for i, a := range o.Attachments {
		if a.ID == 0 || a.OrderID != o.ID || a.AddedAt.IsZero() {
			t.Fatalf("attachment %d after insert: %+v", i, a)
		}
	}
	if !o.Attachments[1].AddedAt.Equal(c.Now()) {
		t.Fatalf("unset AddedAt not stamped: %v", o.Attachments[1].AddedAt)
	}
	got, err := s.Order(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, o)
	}

	// Update: reorder diagnoses, drop an attachment (IDs kept), change status; all of it sticks.
	c.Add(time.Minute)
	firstAtt := o.Attachments[0].ID
	o.Diagnoses = []app.Diagnosis{o.Diagnoses[2], o.Diagnoses[0]}
	o.Attachments = o.Attachments[:1]
	o.Status = app.StatusReady
	o.UploadImages = app.AnswerUnset
	o.Insurance = app.Insurance{}
	o.ProviderID = 0
	if err := s.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	got, err = s.Order(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) || got.Attachments[0].ID != firstAtt || !got.UpdatedAt.Equal(c.Now()) {
		t.Fatalf("after update:\n got %+v\nwant %+v", got, o)
	}
	var n int
	if err := s.ro.QueryRow(`SELECT (SELECT count(*) FROM attachments) + (SELECT count(*) FROM order_diagnoses)`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("child rows left behind: %d, %v", n, err)
	}

	if _, err := s.Order(ctx, 999); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("missing order: %v", err)
	}
	// Audit: the insert and the status change, not every save.
	c.Add(time.Minute)
	o.Reason = "typing..."
	if err := s.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	entries, _ := s.Audit(ctx, 100)
	var saves []string
	for _, e := range entries {
		if e.Action == ActionOrderSave {
			saves = append(saves, e.Detail)
		}
	}
	if strings.Join(saves, " / ") != "status draft->ready / created status=draft diagnoses=3 attachments=2" {
		t.Fatalf("order.save audit rows: %q", saves)
	}
}

func TestSaveDraftErrors(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	p, _, o := seedOrder(t, s)

	bad := app.Order{PatientID: 999}
	if err := s.SaveDraft(ctx, &bad); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("unknown patient: %v", err)
	}
	bad = app.Order{PatientID: p.ID, ProviderID: 999}
	if err := s.SaveDraft(ctx, &bad); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("unknown provider: %v", err)
	}
	bad = app.Order{PatientID: p.ID, Status: app.StatusQueued}
	if err := s.SaveDraft(ctx, &bad); !errors.Is(err, app.ErrNotEditable) {
		t.Fatalf("draft saved as queued: %v", err)
	}
	bad = app.Order{PatientID: p.ID, UUID: o.UUID}
	if err := s.SaveDraft(ctx, &bad); !errors.Is(err, app.ErrAlreadyExists) || bad.ID != 0 {
		t.Fatalf("duplicate uuid: %v (id %d)", err, bad.ID)
	}
	// Stealing another order's attachment id fails and leaves both orders as they were.
	other := app.Order{PatientID: p.ID, Attachments: []app.Attachment{{ID: o.Attachments[0].ID, FileName: "steal"}}}
	if err := s.SaveDraft(ctx, &other); !errors.Is(err, app.ErrAlreadyExists) {
		t.Fatalf("foreign attachment id: %v", err)
	}
	if got, _ := s.Order(ctx, o.ID); got.Attachments[0].FileName != "ecg.pdf" {
		t.Fatal("attachment of another order overwritten")
	}
	missing := app.Order{ID: 999, PatientID: p.ID}
	if err := s.SaveDraft(ctx, &missing); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("update missing order: %v", err)
	}
}

func TestSignOrder(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	p, _, o := seedOrder(t, s)
	c.Add(time.Hour)
	at := c.Now()
	// A staff member signs for the provider; the computer login is recorded, not shown.
	sig := app.Signature{SignerName: " Ana Ruiz ", SignerRole: app.SignerStaff, ForProviderID: o.ProviderID, OSUser: "root"}
	if err := s.SignOrder(ctx, o.ID, sig, at); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Order(ctx, o.ID)
	if got.Status != app.StatusQueued || !got.SignedAt.Equal(at) || got.SignedBy != "Ana Ruiz" || !got.UpdatedAt.Equal(at) {
		t.Fatalf("after sign: status %s, signed %v by %q", got.Status, got.SignedAt, got.SignedBy)
	}
	wantSig := app.Signature{SignerName: "Ana Ruiz", SignerRole: app.SignerStaff, ForProviderID: o.ProviderID, ForProvider: "Dr John Watson", OSUser: "root"}
	if got.Signature != wantSig {
		t.Fatalf("signature:\n got %+v\nwant %+v", got.Signature, wantSig)
	}
	if txt := app.SignatureText(got.Signature); txt != "entered by Ana Ruiz for Dr John Watson" {
		t.Fatalf("signature text %q", txt)
	}
	pat, _ := s.Patient(ctx, p.ID)
	if !pat.LastActionAt.Equal(at) {
		t.Fatalf("patient not bumped: %v", pat.LastActionAt)
	}
	out, err := s.Outbox(ctx, app.OutboxPending)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].OrderID != o.ID || out[0].Kind != OutboxKindSubmit || out[0].Attempts != 0 ||
		!out[0].NextAttemptAt.Equal(at) || !out[0].CreatedAt.Equal(at) {
		t.Fatalf("outbox: %+v", out)
	}

	// A second sign fails and queues nothing more; so does editing.
	if err := s.SignOrder(ctx, o.ID, testSig, at); !errors.Is(err, app.ErrNotEditable) {
		t.Fatalf("second sign: %v", err)
	}
	got.Reason = "changed after signing"
	if err := s.SaveDraft(ctx, &got); !errors.Is(err, app.ErrNotEditable) {
		t.Fatalf("save after sign: %v", err)
	}
	if err := s.DeleteDraft(ctx, o.ID); !errors.Is(err, app.ErrNotEditable) {
		t.Fatalf("delete after sign: %v", err)
	}
	if all, _ := s.Outbox(ctx, ""); len(all) != 1 {
		t.Fatalf("outbox has %d entries", len(all))
	}
	if err := s.SignOrder(ctx, 999, testSig, at); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("sign missing: %v", err)
	}

	// Audit: draft->signed, signed->queued, order.sign; nothing of the chart in any detail.
	entries, _ := s.Audit(ctx, 3)
	var got3 []string
	for _, e := range entries {
		got3 = append(got3, e.Action+" "+e.Detail)
	}
	want := []string{fmt.Sprintf("order.sign outbox=1 role=staff provider=%d", o.ProviderID), "order.status status signed->queued", "order.status status draft->signed"}
	if !reflect.DeepEqual(got3, want) {
		t.Fatalf("audit:\n got %q\nwant %q", got3, want)
	}
	all, _ := s.Audit(ctx, 1000)
	for _, e := range all {
		for _, secret := range []string{"Quixote", "Alonso", "MRN-777", "1947", "Chest", "R07", "ecg", "Acme"} {
			if strings.Contains(strings.ToLower(e.Detail), strings.ToLower(secret)) {
				t.Errorf("audit detail %q holds patient data %q", e.Detail, secret)
			}
		}
	}

	// Sync reports trouble; the user fixes and re-signs: still one outbox row, re-armed.
	c.Add(time.Hour)
	claimed, err := s.ClaimOutbox(ctx, c.Now(), time.Minute)
	if err != nil || claimed.Attempts != 1 {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	if err := s.FailOutbox(ctx, claimed.ID, "HTTP 422", c.Now().Add(time.Hour), 5); err != nil {
		t.Fatal(err)
	}
	if err := s.SetOrderStatus(ctx, o.ID, app.StatusNeedsAttention, "missing insurance"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Order(ctx, o.ID)
	if got.Status != app.StatusNeedsAttention || got.StatusReason != "missing insurance" {
		t.Fatalf("after SetOrderStatus: %s %q", got.Status, got.StatusReason)
	}
	if err := s.SaveDraft(ctx, &got); err != nil {
		t.Fatalf("needs attention must be editable: %v", err)
	}
	if err := s.SignOrder(ctx, o.ID, testSig, c.Now()); err != nil {
		t.Fatal(err)
	}
	all2, _ := s.Outbox(ctx, "")
	if len(all2) != 1 || all2[0].State != app.OutboxPending || all2[0].Attempts != 0 || all2[0].LastError != "" ||
		!all2[0].NextAttemptAt.Equal(c.Now()) {
		t.Fatalf("outbox after re-sign: %+v", all2)
	}
	if got, _ = s.Order(ctx, o.ID); got.StatusReason != "" || got.Status != app.StatusQueued {
		t.Fatalf("after re-sign: %s %q", got.Status, got.StatusReason)
	}
	if err := s.SetOrderStatus(ctx, o.ID, "bogus", ""); err == nil {
		t.Fatal("unknown status accepted")
	}
	if err := s.SetOrderStatus(ctx, 999, app.StatusSent, ""); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("status of missing order: %v", err)
	}
}

func TestOutboxWorkerCycle(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	_, _, o := seedOrder(t, s)
	if err := s.SignOrder(ctx, o.ID, testSig, c.Now()); err != nil {
		t.Fatal(err)
	}
	// Nothing due before next_attempt_at.
	if _, err := s.ClaimOutbox(ctx, c.Now().Add(-time.Second), time.Minute); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("claim early: %v", err)
	}
	e, err := s.ClaimOutbox(ctx, c.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// Leased: invisible until the lease ends, then back (the worker died).
	if _, err := s.ClaimOutbox(ctx, c.Now().Add(30*time.Second), time.Minute); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("claim while leased: %v", err)
	}
	e2, err := s.ClaimOutbox(ctx, c.Now().Add(2*time.Minute), time.Minute)
	if err != nil || e2.ID != e.ID || e2.Attempts != 2 {
		t.Fatalf("reclaim: %+v, %v", e2, err)
	}
	// Second failure with maxAttempts 2: dead, kept, audited.
	if err := s.FailOutbox(ctx, e.ID, "timeout", c.Now().Add(time.Hour), 2); err != nil {
		t.Fatal(err)
	}
	dead, _ := s.Outbox(ctx, app.OutboxDead)
	if len(dead) != 1 || dead[0].LastError != "timeout" {
		t.Fatalf("dead letters: %+v", dead)
	}
	if err := s.FailOutbox(ctx, e.ID, "again", c.Now(), 2); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("fail a dead entry: %v", err)
	}
	if entries, _ := s.Audit(ctx, 1); entries[0].Action != ActionOutboxDead || entries[0].EntityID != o.ID {
		t.Fatalf("audit: %+v", entries)
	}
	if err := s.CompleteOutbox(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if done, _ := s.Outbox(ctx, app.OutboxDone); len(done) != 1 {
		t.Fatalf("done: %+v", done)
	}
	if err := s.CompleteOutbox(ctx, 999); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("complete missing: %v", err)
	}
}

func TestOrdersListsAndDrafts(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	p, _, o1 := seedOrder(t, s)
	if _, err := s.LatestDraft(ctx); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	o2 := app.Order{PatientID: p.ID, Status: app.StatusReady, Diagnoses: []app.Diagnosis{{Code: "E11.9", Description: "newer text"}, {Code: "Z00.00"}}}
	if err := s.SaveDraft(ctx, &o2); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	q := makePatient("Single", "", "", "")
	if err := s.CreatePatient(ctx, &q); err != nil {
		t.Fatal(err)
	}
	o3 := app.Order{PatientID: q.ID}
	if err := s.SaveDraft(ctx, &o3); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	if err := s.SignOrder(ctx, o3.ID, testSig, c.Now()); err != nil {
		t.Fatal(err)
	}

	latest, err := s.LatestDraft(ctx)
	if err != nil || latest.ID != o2.ID || len(latest.Diagnoses) != 2 {
		t.Fatalf("LatestDraft = %d (%v), want %d", latest.ID, err, o2.ID)
	}
	all, err := s.Orders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != o3.ID || all[1].ID != o2.ID || all[2].ID != o1.ID {
		t.Fatalf("Orders(): %+v", all)
	}
	if all[0].PatientName != "Single" || all[1].PatientName != "Quixote, Alonso" || all[0].SignedAt.IsZero() ||
		all[2].Priority != app.PriorityUrgent || all[2].Department != "CARD" || all[2].UUID != o1.UUID {
		t.Fatalf("summaries: %+v", all)
	}
	drafts, _ := s.Orders(ctx, app.StatusDraft, app.StatusReady)
	if len(drafts) != 2 || drafts[0].ID != o2.ID {
		t.Fatalf("drafts: %+v", drafts)
	}

	// Diagnoses across the patient's orders: most recent first, distinct, latest description.
	dx, err := s.PatientDiagnoses(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range dx {
		codes = append(codes, d.Code)
	}
	if strings.Join(codes, ",") != "E11.9,Z00.00,R07.9,I10" || dx[0].Description != "newer text" {
		t.Fatalf("PatientDiagnoses: %+v", dx)
	}

	// Delete drafts: children go, the audit row stays, LatestDraft falls back, then runs out.
	if err := s.DeleteDraft(ctx, o2.ID); err != nil {
		t.Fatal(err)
	}
	if latest, _ = s.LatestDraft(ctx); latest.ID != o1.ID {
		t.Fatalf("LatestDraft after delete = %d", latest.ID)
	}
	if err := s.DeleteDraft(ctx, o1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LatestDraft(ctx); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("LatestDraft with none: %v", err)
	}
	if err := s.DeleteDraft(ctx, o1.ID); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	var n int
	if err := s.ro.QueryRow(`SELECT (SELECT count(*) FROM attachments) + (SELECT count(*) FROM order_diagnoses)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("children of deleted drafts: %d, %v", n, err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestOrderChangesBumpPatient: every change to an order keeps its patient on "my patients".
func TestOrderChangesBumpPatient(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	p, _, o := seedOrder(t, s)
	last := func() time.Time {
		got, err := s.Patient(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.LastActionAt
	}
	steps := []func() error{
		func() error { return s.SaveDraft(ctx, &o) },
		func() error { return s.SignOrder(ctx, o.ID, testSig, c.Now()) },
		func() error { return s.SetOrderStatus(ctx, o.ID, app.StatusSent, "") },
	}
	for i, step := range steps {
		c.Add(time.Hour)
		if err := step(); err != nil {
			t.Fatal(err)
		}
		if !last().Equal(c.Now()) {
			t.Fatalf("step %d did not bump the patient", i)
		}
	}
}
