package screens

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
)

// Sign in through the account screen, send an order signed offline, and see what the institution
// did with it in the home tabs: status, appointment, message and result.
func TestSignInSyncAndPulledItemsInHomeTabs(t *testing.T) {
	p := synctest.StartFHIR(t, "..")
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	ctx := context.Background()
	prov := addProvider(t, st, "1234567893")
	pt := app.Patient{
		Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), Sex: app.SexFemale,
		Address: app.Address{Line: "1 Main St", City: "Rochester", State: "MN", PostalCode: "55901"}, Phone: "507-555-0100", InsuranceType: "HMO",
	}
	if err := st.CreatePatient(ctx, &pt); err != nil {
		t.Fatal(err)
	}
	o := app.Order{
		PatientID: pt.ID, ProviderID: prov.ID, Department: "endocrinology", Priority: app.PriorityRoutine,
		Reason: "Diabetes", Diagnoses: []app.Diagnosis{{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"}},
		Location: "rochester", UploadImages: app.AnswerNo, UploadRecords: app.AnswerNo,
	}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if err := st.SignOrder(ctx, o.ID, app.Signature{SignerName: "dr.tester", SignerRole: app.SignerStaff}, fixedNow); err != nil {
		t.Fatal(err)
	}
	deps := testDeps(t, st)
	svc := &syncer.Service{Store: st, Keychain: &credstest.Keychain{}, Profile: deps.Profile}
	deps.Sync, deps.Inbox = svc, st
	deps.Now = time.Now
	u, w := newTestUI(t, deps)

	tapButton(t, u, w, "Account")
	a := u.account
	test.Type(a.fhirURL, p.Base)
	test.Type(a.user, p.User)
	test.Type(a.secret, "wrong")
	tapButton(t, u, w, "Test connection and sign in")
	if a.msg.Importance != widget.DangerImportance || !strings.Contains(a.msg.Text, "refused") {
		t.Fatalf("a wrong password should say the server refused it, got %q", a.msg.Text)
	}
	if _, ok, _ := svc.Account(ctx); ok {
		t.Fatal("a wrong password was saved")
	}
	test.Type(a.secret, p.Password)
	tapButton(t, u, w, "Test connection and sign in")
	if _, ok, _ := svc.Account(ctx); !ok {
		t.Fatalf("sign-in failed: %s", a.msg.Text)
	}
	if _, err := svc.Round(ctx); err != nil {
		t.Fatal(err)
	}
	u.Idle()
	if got, _ := st.Order(ctx, o.ID); got.Status != app.StatusSent {
		t.Fatalf("order is %s after sync, want sent", got.Status)
	}
	if u.status.Text != "All sent" {
		t.Fatalf("status bar says %q", u.status.Text)
	}

	ref := "ServiceRequest?identifier=" + fhir.SystemOrder + "|" + o.UUID
	p.Admin(t, "POST", "task/_/status", map[string]any{"serviceRequest": ref, "status": "accepted"}, nil)
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	p.Admin(t, "POST", "appointment", map[string]any{
		"serviceRequest": ref, "start": start.Format(time.RFC3339),
		"end": start.Add(time.Hour).Format(time.RFC3339), "location": "Gonda Building",
	}, nil)
	p.Admin(t, "POST", "communication", map[string]any{"serviceRequest": ref, "text": "Please bring the glucose log.", "sent": time.Now().UTC().Format(time.RFC3339)}, nil)
	p.Admin(t, "POST", "report", map[string]any{"serviceRequest": ref, "kind": "note", "title": "Visit summary", "text": "Seen and treated."}, nil)
	if _, err := svc.Round(ctx); err != nil {
		t.Fatal(err)
	}
	u.ShowHome()
	u.Idle()
	h := u.home
	if len(h.appts) != 1 || len(h.messages) != 1 || len(h.results) != 1 {
		t.Fatalf("home tabs: %d appointments, %d messages, %d results; want 1 each", len(h.appts), len(h.messages), len(h.results))
	}
	if h.tabs.Items[tabMessages].Text != "Unread messages (1)" {
		t.Fatalf("messages tab says %q", h.tabs.Items[tabMessages].Text)
	}
	var scheduled bool
	for _, s := range h.orders {
		scheduled = scheduled || (s.ID == o.ID && s.Status == app.StatusScheduled)
	}
	if !scheduled {
		t.Fatalf("Requests does not show the order as scheduled: %+v", h.orders)
	}
	h.openMessage(h.messages[0])
	u.Idle()
	if len(h.messages) != 0 {
		t.Fatal("reading a message did not mark it read")
	}
	path, err := svc.SaveResult(ctx, h.results[0], filepath.Join(dir, "results"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := osStat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("saved result %s: %v", path, err)
	}
}

// Sign in with SMART on FHIR from the account screen: the browser step is a scripted user agent
// following the real authorization server's login and consent pages; a signed order is then sent.
func TestSignInWithSMARTFromAccountScreen(t *testing.T) {
	p := synctest.StartSMART(t, "..", 60)
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	deps := testDeps(t, st)
	svc := &syncer.Service{Store: st, Keychain: &credstest.Keychain{}, Profile: deps.Profile}
	deps.Sync, deps.Inbox = svc, st
	deps.Now = time.Now
	deps.OpenBrowser = (&synctest.Browser{User: "okafor"}).Open
	u, w := newTestUI(t, deps)
	tapButton(t, u, w, "Finish later")
	tapButton(t, u, w, "Account")
	a := u.account
	a.method.SetSelected(methodSMART())
	if a.secret.Visible() || !a.clientID.Visible() {
		t.Fatal("the SMART sign-in still shows the password field, or not the client id")
	}
	test.Type(a.fhirURL, p.Base)
	test.Type(a.clientID, p.ClientID)
	tapButton(t, u, w, "Sign in with the browser")
	if !strings.HasPrefix(a.msg.Text, "Signed in as") {
		t.Fatalf("after the browser sign-in the screen says %q", a.msg.Text)
	}
	acct, ok, err := svc.Account(context.Background())
	if err != nil || !ok || acct.Kind() != creds.AuthSMARTUser || acct.ClientID != p.ClientID {
		t.Fatalf("saved account = %+v (%v, %v)", acct, ok, err)
	}
}
