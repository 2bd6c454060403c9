package screens

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/referraldesk/referraldesk/app"
)

// A clerk fills an order for one patient, then picks another on step 1: the second patient's order
// must hold nothing of the first (reason, diagnoses, location, insurance, records), and the first
// patient's draft must still be there, untouched.
func TestChangingThePatientStartsClean(t *testing.T) {
	u, w, st, dir := startOrder(t)
	ctx := context.Background()
	e := u.editor
	first := e.order.ID
	test.Type(e.diag.search, "type 2 diabetes")
	u.Idle()
	if len(e.diag.results) == 0 {
		t.Fatal("no diagnosis found")
	}
	e.diag.add(e.diag.results[0])
	tapButton(t, u, w, "Accept and continue")
	e.quest.location.SetSelected("Rochester, Minnesota")
	test.Type(e.quest.payer, "Blue Cross MN")
	tapButton(t, u, w, "Accept and continue")
	pdf := writeFile(t, dir, "hernandez-labs.pdf", 2048)
	if err := u.deps.Packets.SavePacketInputs(ctx, first, []app.PacketInput{{Path: pdf, Title: "Labs"}}); err != nil {
		t.Fatal(err)
	}
	u.flush()

	other := app.Patient{
		Family: "Lopez", Given: "Ana", BirthDate: fixedNow.AddDate(-30, 0, 0), Sex: app.SexFemale,
		Phone: "507-555-0111", Address: app.Address{Line: "2 Elm St", City: "Rochester", State: "MN", PostalCode: "55902"},
	}
	if err := st.CreatePatient(ctx, &other); err != nil {
		t.Fatal(err)
	}
	e.goTo(stepPatient)
	u.Idle()
	e.patientStep.choose(other)
	u.Idle()
	tapButton(t, u, w, "Yes") // "Start an order for Lopez?"

	ne := u.editor
	if ne.order.ID == 0 || ne.order.ID == first {
		t.Fatalf("order id after the change = %d, want a new draft (first was %d)", ne.order.ID, first)
	}
	got, err := st.Order(ctx, ne.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.PatientID != other.ID {
		t.Errorf("new order's patient = %d, want %d", got.PatientID, other.ID)
	}
	if got.Reason != "" || len(got.Diagnoses) != 0 || got.Location != "" || got.Insurance != (app.Insurance{}) ||
		len(got.Attachments) != 0 || got.Department != "" {
		t.Errorf("the new patient's order carries the first patient's data: %+v", got)
	}
	if ins, err := st.PacketInputs(ctx, got.ID); err != nil || len(ins) != 0 {
		t.Errorf("the new order has packet records %v (err %v), want none", ins, err)
	}
	kept, err := st.Order(ctx, first)
	if err != nil {
		t.Fatalf("the first patient's draft is gone: %v", err)
	}
	if kept.Reason == "" || len(kept.Diagnoses) != 1 || kept.Insurance.Payer != "Blue Cross MN" {
		t.Errorf("the first patient's draft lost its content: %+v", kept)
	}
	if ins, _ := st.PacketInputs(ctx, first); len(ins) != 1 {
		t.Errorf("the first patient's draft has %d packet records, want 1", len(ins))
	}
}

// Picking a patient and then another without entering anything leaves no stray empty draft.
func TestChangingThePatientOfAnEmptyDraftLeavesNoStrayDraft(t *testing.T) {
	u, _, st, _ := startOrder(t)
	ctx := context.Background()
	// startOrder typed a reason: clear it so the draft holds nothing but patient, provider, department.
	e := u.editor
	e.order.Reason, e.order.Department = "", ""
	e.changed()
	u.flush()
	other := app.Patient{
		Family: "Lopez", Given: "Ana", BirthDate: fixedNow.AddDate(-30, 0, 0), Sex: app.SexFemale,
		Phone: "507-555-0111", Address: app.Address{Line: "2 Elm St", City: "Rochester", State: "MN", PostalCode: "55902"},
	}
	if err := st.CreatePatient(ctx, &other); err != nil {
		t.Fatal(err)
	}
	e.goTo(stepPatient)
	e.patientStep.choose(other)
	u.Idle()
	drafts, err := st.Orders(ctx, app.StatusDraft)
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 || drafts[0].ID != u.editor.order.ID {
		t.Errorf("drafts = %+v, want only the new order %d", drafts, u.editor.order.ID)
	}
}
