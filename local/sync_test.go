package local

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

func signedOrder(t *testing.T, st *Store) (app.Order, app.OutboxEntry) {
	t.Helper()
	ctx := context.Background()
	p := app.Patient{Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if err := st.SignOrder(ctx, o.ID, testSig, time.Now()); err != nil {
		t.Fatal(err)
	}
	e, err := st.ClaimOutbox(ctx, time.Now().Add(time.Hour), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return o, e
}

func TestSyncStepsAndFinish(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	o, e := signedOrder(t, st)
	if err := st.RecordStep(ctx, o.ID, "binary:1", "b-1"); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordStep(ctx, o.ID, "binary:1", "b-other"); err != nil {
		t.Fatal(err)
	}
	steps, err := st.Steps(ctx, o.ID)
	if err != nil || steps["binary:1"] != "b-1" || len(steps) != 1 {
		t.Fatalf("steps %v %v: the first server id must stay", steps, err)
	}
	if err := st.RecordStep(ctx, o.ID, "bundle:ServiceRequest", "sr-9"); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishSubmit(ctx, e.ID, o.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Order(ctx, o.ID)
	pending, _ := st.Outbox(ctx, app.OutboxPending)
	if got.Status != app.StatusSent || len(pending) != 0 {
		t.Fatalf("after finish: %s, %d pending", got.Status, len(pending))
	}
	sent, err := st.SentOrders(ctx)
	if err != nil || len(sent) != 1 || sent[0].ServiceRequestID != "sr-9" {
		t.Fatalf("sent orders %+v %v", sent, err)
	}
	if ch, err := st.ApplyServerStatus(ctx, o.ID, app.StatusAccepted, ""); err != nil || !ch {
		t.Fatalf("apply accepted: %v %v", ch, err)
	}
	if ch, _ := st.ApplyServerStatus(ctx, o.ID, app.StatusAccepted, ""); ch {
		t.Fatal("the same status twice counted as a change")
	}
}

func TestNeedsAttentionThenResignSendsOnce(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	o, e := signedOrder(t, st)
	if err := st.NeedsAttention(ctx, e.ID, o.ID, "Coverage.payor is required"); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Order(ctx, o.ID)
	if got.Status != app.StatusNeedsAttention || got.StatusReason != "Coverage.payor is required" {
		t.Fatalf("order %s %q", got.Status, got.StatusReason)
	}
	// The server must never overwrite what the user is now fixing.
	if ch, _ := st.ApplyServerStatus(ctx, o.ID, app.StatusAccepted, ""); ch {
		t.Fatal("server status overwrote an order the user is editing")
	}
	if err := st.SaveDraft(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if err := st.SignOrder(ctx, o.ID, testSig, time.Now()); err != nil {
		t.Fatal(err)
	}
	all, _ := st.Outbox(ctx, "")
	if len(all) != 1 || all[0].State != app.OutboxPending {
		t.Fatalf("outbox after re-sign: %+v", all)
	}
}

func TestPulledItemsKeepReadFlag(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	o, _ := signedOrder(t, st)
	m := app.Message{OrderID: o.ID, ServerID: "Communication/1", Body: "Please send the MRI", Sent: time.Now()}
	if err := st.UpsertMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	list, _ := st.Messages(ctx, true)
	if len(list) != 1 || list[0].PatientName != "Doe, Jane" {
		t.Fatalf("unread %+v", list)
	}
	if err := st.MarkMessageRead(ctx, list[0].ID, true); err != nil {
		t.Fatal(err)
	}
	m.Body = "Please send the MRI (edited)"
	if err := st.UpsertMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if unread, _ := st.Messages(ctx, true); len(unread) != 0 {
		t.Fatal("a pulled update made a read message unread")
	}
	a := app.Appointment{OrderID: o.ID, ServerID: "Appointment/1", Start: time.Now().Add(48 * time.Hour), Location: "Gonda 5"}
	if err := st.UpsertAppointment(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertAppointment(ctx, a); err != nil {
		t.Fatal(err)
	}
	if as, _ := st.Appointments(ctx, time.Now()); len(as) != 1 {
		t.Fatalf("appointments %+v", as)
	}
	r := app.Result{OrderID: o.ID, ServerID: "DiagnosticReport/3", Title: "MRI brain", Data: []byte("report")}
	if err := st.UpsertResult(ctx, r); err != nil {
		t.Fatal(err)
	}
	if rs, _ := st.Results(ctx); len(rs) != 1 || string(rs[0].Data) != "report" {
		t.Fatalf("results %+v", rs)
	}
}

func TestPatientByServerID(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	p := app.Patient{Family: "Doe", Given: "Jane", ServerID: "pat-7"}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	got, err := st.PatientByServerID(ctx, "pat-7")
	if err != nil || got.ID != p.ID {
		t.Fatalf("found %+v %v", got, err)
	}
	if _, err := st.PatientByServerID(ctx, "pat-8"); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}
