package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/local"
)

// order sign runs the readiness check on the saved order: a draft with problems is listed and left
// as it was; a ready one is signed by staff for its provider and queued once.
func TestOrderSign(t *testing.T) {
	data := t.TempDir()
	st, err := local.Open(datadir.Database(data), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p := app.Patient{
		Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), Sex: app.SexFemale,
		Address: app.Address{Line: "1 Main St", City: "Rochester", State: "MN", PostalCode: "55901", Country: "US"},
		Phone:   "507-555-0100", InsuranceType: "HMO",
	}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	prov := app.Provider{Family: "Okafor", Given: "Adaeze", Credentials: "MD", NPI: "1234567893", Active: true}
	if err := st.SaveProvider(ctx, &prov); err != nil {
		t.Fatal(err)
	}
	draft := app.Order{PatientID: p.ID, ProviderID: prov.ID, Priority: app.PriorityRoutine, Reason: "Diabetes"}
	if err := st.SaveDraft(ctx, &draft); err != nil {
		t.Fatal(err)
	}
	ready := app.Order{
		PatientID: p.ID, ProviderID: prov.ID, Department: "endocrinology", Priority: app.PriorityRoutine,
		Reason: "Diabetes", Diagnoses: []app.Diagnosis{{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"}},
		Location: "rochester", UploadImages: app.AnswerNo, UploadRecords: app.AnswerNo,
	}
	if err := st.SaveDraft(ctx, &ready); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, stdout, errs := run(&credstest.Keychain{}, "", "order", "sign", "--data", data, "--order", strconv.FormatInt(draft.ID, 10))
	if code != 1 || !strings.Contains(errs, "is not ready") || !strings.Contains(errs, "Choose the requested department") {
		t.Fatalf("not-ready draft: exit %d\n%s%s", code, stdout, errs)
	}
	code, stdout, errs = run(&credstest.Keychain{}, "", "order", "sign", "--data", data, "--order", strconv.FormatInt(ready.ID, 10), "--staff", "Ana Ruiz")
	if code != 0 || !strings.Contains(stdout, "signed") {
		t.Fatalf("ready order: exit %d\n%s%s", code, stdout, errs)
	}

	st, err = local.Open(datadir.Database(data), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Order(ctx, draft.ID)
	if err != nil || got.Status != app.StatusDraft {
		t.Errorf("the draft with problems: %v %v", got.Status, err)
	}
	got, err = st.Order(ctx, ready.ID)
	if err != nil || got.Status != app.StatusQueued || got.Signature.SignerName != "Ana Ruiz" || got.Signature.SignerRole != app.SignerStaff {
		t.Errorf("signed order: status %v, signature %+v, %v", got.Status, got.Signature, err)
	}
	entries, err := st.Outbox(ctx, "")
	if err != nil || len(entries) != 1 {
		t.Errorf("outbox: %d entries, %v; want 1", len(entries), err)
	}
}
