package syncer_test

import (
	"context"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // matches FHIR's Attachment.hash
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/local"
)

// testClinic is the referring clinic of the test database.
var testClinic = app.Clinic{
	Name: "Lakeside Family Medicine", AddressLines: []string{"200 First St SW"}, City: "Winona", State: "MN",
	PostalCode: "55987", Phone: "507-555-0142", Fax: "507-555-0143", NPI: "1245319599",
}

// testSig is a staff member signing for the order's provider.
var testSig = app.Signature{SignerName: "Ana Ruiz", SignerRole: app.SignerStaff, OSUser: "tester"}

// fixture is a local database with signed orders waiting in the outbox.
type fixture struct {
	st     *local.Store
	orders []app.Order
	dir    string
}

func makeFile(t *testing.T, dir, name string, size int) app.Attachment {
	t.Helper()
	data := make([]byte, size)
	_, _ = rand.Read(data)
	copy(data, "%PDF-1.4\n")
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(data) //nolint:gosec // see import
	return app.Attachment{
		Path: p, FileName: name, Description: "records", Kind: app.KindRecords,
		ContentType: "application/pdf", Size: int64(size), SHA1: hex.EncodeToString(sum[:]),
	}
}

// signOffline makes n complete orders (each with files of the given sizes) and signs them.
func signOffline(t *testing.T, dbPath string, n int, sizes ...int) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := local.Open(dbPath, local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, dir: filepath.Dir(dbPath)}
	if err := st.SaveClinic(ctx, testClinic); err != nil {
		t.Fatal(err)
	}
	prov := app.Provider{Family: "Okafor", Given: "Adaeze", Credentials: "MD", NPI: "1234567893", Active: true}
	if known, _ := st.Providers(ctx, true); len(known) > 0 {
		prov = known[0]
	} else if err := st.SaveProvider(ctx, &prov); err != nil {
		t.Fatal(err)
	}
	first, _ := st.CountPatients(ctx)
	for i := first; i < first+n; i++ {
		p := app.Patient{
			Family: "Doe", Given: fmt.Sprintf("Jane%c", 'A'+i), BirthDate: time.Date(1970, 1, 2+i, 0, 0, 0, 0, time.UTC),
			Sex: app.SexFemale, Address: app.Address{Line: "1 Main St", City: "Rochester", State: "MN", PostalCode: "55901"},
			Phone: "507-555-0100", InsuranceType: "HMO",
		}
		if err := st.CreatePatient(ctx, &p); err != nil {
			t.Fatal(err)
		}
		o := app.Order{
			PatientID: p.ID, ProviderID: prov.ID, Department: "endocrinology", Priority: app.PriorityUrgent,
			Reason: "Poorly controlled diabetes", Diagnoses: []app.Diagnosis{{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"}},
			Location: "rochester", UploadImages: app.AnswerNo, UploadRecords: app.AnswerYes,
			Insurance: app.Insurance{Payer: "Blue Cross MN", MemberID: "X123"},
		}
		for j, size := range sizes {
			o.Attachments = append(o.Attachments, makeFile(t, f.dir, fmt.Sprintf("o%d-f%d.pdf", i, j), size))
		}
		if err := st.SaveDraft(ctx, &o); err != nil {
			t.Fatal(err)
		}
		if err := st.SignOrder(ctx, o.ID, testSig, time.Now()); err != nil {
			t.Fatal(err)
		}
		f.orders = append(f.orders, o)
	}
	return f
}

func newWorker(t *testing.T, st *local.Store, p *synctest.FHIRPeer, password string) *syncer.Worker {
	t.Helper()
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	acct := creds.Account{FHIRBase: p.Base, User: p.User}
	client, err := creds.NewHTTPClient(acct)
	if err != nil {
		t.Fatal(err)
	}
	tr := &fhir.Client{Base: p.Base, HTTP: client, Authorize: func(r *http.Request) { creds.SetAuth(r, acct, password) }}
	return &syncer.Worker{Store: st, Transport: tr, Profile: prof}
}

func orderStatus(t *testing.T, st *local.Store, id int64) app.Status {
	t.Helper()
	o, err := st.Order(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Status
}

// assertExactlyOnce checks the server holds one of each resource per order and every file intact.
func assertExactlyOnce(t *testing.T, p *synctest.FHIRPeer, f *fixture) {
	t.Helper()
	c := p.Counts(t)
	n := len(f.orders)
	files := 0
	for _, o := range f.orders {
		files += len(o.Attachments)
	}
	want := map[string]int{
		"ServiceRequest": n, "Task": n, "Patient": n, "Coverage": n, "QuestionnaireResponse": n,
		"Practitioner": 1, "PractitionerRole": 1, "DocumentReference": files, "Organization": 1, "Provenance": n,
	}
	for typ, w := range want {
		if c.Resources[typ] != w {
			t.Errorf("server holds %d %s, want %d", c.Resources[typ], typ, w)
		}
	}
	if c.Binaries.Count != files || len(c.Binaries.Orphans) != 0 || len(c.Duplicates) != 0 {
		t.Errorf("binaries %d (orphans %v), duplicates %v; want %d, none, none", c.Binaries.Count, c.Binaries.Orphans, c.Duplicates, files)
	}
	ctx := context.Background()
	for _, o := range f.orders {
		if s := orderStatus(t, f.st, o.ID); s != app.StatusSent && s != app.StatusReceived {
			t.Errorf("order %d is %s locally, want sent", o.ID, s)
		}
		steps, err := f.st.Steps(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.st.Order(ctx, o.ID)
		for _, a := range got.Attachments {
			id := steps[fmt.Sprintf("binary:%d", a.ID)]
			if id == "" {
				t.Errorf("no Binary recorded for attachment %d", a.ID)
				continue
			}
			if b := p.Binary(t, id); b.Size != a.Size || b.SHA1Hex != a.SHA1 {
				t.Errorf("Binary %s: %d bytes sha1 %s, want %d %s", id, b.Size, b.SHA1Hex, a.Size, a.SHA1)
			}
		}
	}
}

func TestSyncEndToEnd(t *testing.T) {
	p := synctest.StartFHIR(t, "../..")
	f := signOffline(t, filepath.Join(t.TempDir(), "rd.db"), 2, 300_000, 40_000)
	defer f.st.Close()
	ctx := context.Background()
	w := newWorker(t, f.st, p, p.Password)
	var last syncer.Status
	w.OnStatus = func(s syncer.Status) { last = s }

	sum, err := w.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 2 || sum.Bytes != 2*340_000 {
		t.Fatalf("summary %+v", sum)
	}
	assertExactlyOnce(t, p, f)
	if last.State() != syncer.StateAllSent {
		t.Fatalf("status %+v", last)
	}
	// A second round sends nothing more.
	if _, err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	assertExactlyOnce(t, p, f)

	// "Search all patients" finds the patient in the institution's registry by "Last, First" and birth date.
	found, err := w.SearchRegistry(ctx, "Doe, JaneA 1970-01-02")
	if err != nil || len(found) != 1 || found[0].ServerID == "" || found[0].Family != "Doe" {
		t.Fatalf("registry search: %+v %v", found, err)
	}
	// The local chart was linked to that registry entry when its order was sent.
	if linked, err := f.st.PatientByServerID(ctx, found[0].ServerID); err != nil || linked.ID != f.orders[0].PatientID {
		t.Fatalf("local chart not linked to registry id %s: %+v %v", found[0].ServerID, linked, err)
	}
	if none, _ := w.SearchRegistry(ctx, "Nobody, Such"); len(none) != 0 {
		t.Fatalf("registry search for a stranger found %+v", none)
	}

	// The institution works on order 1: accepted, booked, a message and a report.
	uuid := f.orders[0].UUID
	ref := "ServiceRequest?identifier=" + fhir.SystemOrder + "|" + uuid
	p.Admin(t, "POST", "task/_/status", map[string]any{"serviceRequest": ref, "status": "accepted"}, nil)
	start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
	p.Admin(t, "POST", "appointment", map[string]any{
		"serviceRequest": ref, "start": start.Format(time.RFC3339),
		"end": start.Add(time.Hour).Format(time.RFC3339), "location": "Gonda Building, floor 18",
	}, nil)
	p.Admin(t, "POST", "communication", map[string]any{"serviceRequest": ref, "text": "Please bring the glucose log.", "sent": time.Now().UTC().Format(time.RFC3339)}, nil)
	p.Admin(t, "POST", "report", map[string]any{"serviceRequest": ref, "kind": "radiology", "title": "MRI brain", "text": "No acute findings."}, nil)
	// Order 2 is declined, with the reason.
	ref2 := "ServiceRequest?identifier=" + fhir.SystemOrder + "|" + f.orders[1].UUID
	p.Admin(t, "POST", "task/_/status", map[string]any{"serviceRequest": ref2, "status": "rejected", "reason": "Please refer to Neurology"}, nil)

	sum, err = w.Pull(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := orderStatus(t, f.st, f.orders[0].ID); s != app.StatusScheduled {
		t.Fatalf("order 1 is %s, want scheduled", s)
	}
	o2, _ := f.st.Order(ctx, f.orders[1].ID)
	if o2.Status != app.StatusDeclined || o2.StatusReason != "Please refer to Neurology" {
		t.Fatalf("order 2 is %s (%q), want declined with the reason", o2.Status, o2.StatusReason)
	}
	appts, _ := f.st.Appointments(ctx, time.Now())
	msgs, _ := f.st.Messages(ctx, true)
	results, _ := f.st.Results(ctx)
	if len(appts) != 1 || !appts[0].Start.Equal(start) || appts[0].Location == "" {
		t.Fatalf("appointments %+v", appts)
	}
	if len(msgs) != 1 || msgs[0].Body != "Please bring the glucose log." {
		t.Fatalf("messages %+v", msgs)
	}
	if len(results) != 1 || results[0].Title != "MRI brain" {
		t.Fatalf("results %+v", results)
	}
}

func TestSyncRecoversFromServerFaults(t *testing.T) {
	p := synctest.StartFHIR(t, "../..")
	f := signOffline(t, filepath.Join(t.TempDir(), "rd.db"), 3, 2_000_000)
	defer f.st.Close()
	ctx := context.Background()
	clock := time.Now()
	w := newWorker(t, f.st, p, p.Password)
	w.Now = func() time.Time { return clock }
	later := func() { clock = clock.Add(2 * time.Hour) } // past any backoff

	// 500s for a while: nothing sent, nothing lost.
	p.Fault(t, map[string]any{"mode": "500", "count": 4})
	sum, err := w.Push(ctx)
	if !errors.Is(err, syncer.ErrOffline) || sum.Sent == 3 {
		t.Fatalf("with 500s: %+v %v", sum, err)
	}
	// 429 with Retry-After is honoured: the entry is not due before it.
	p.Fault(t, map[string]any{"mode": "429", "count": 1, "retryAfter": 3600})
	later()
	_, _ = w.Push(ctx)
	// A connection cut in the middle of an upload, and an answer lost after the server acted.
	p.Fault(t, map[string]any{"mode": "cut", "count": 1, "afterBytes": 500_000, "method": "PUT", "path": "Binary"})
	later()
	_, _ = w.Push(ctx)
	p.Fault(t, map[string]any{"mode": "lost", "count": 1, "method": "POST"})
	later()
	_, _ = w.Push(ctx)
	// Wrong credentials pause the queue and keep everything.
	bad := newWorker(t, f.st, p, "wrong-password")
	bad.Now = w.Now
	later()
	if _, err := bad.Push(ctx); !errors.Is(err, syncer.ErrAuth) {
		t.Fatalf("wrong password: %v, want ErrAuth", err)
	}
	// The server down: offline, retried later.
	p.Fault(t, map[string]any{"mode": "down", "seconds": 600})
	later()
	if _, err := w.Push(ctx); !errors.Is(err, syncer.ErrOffline) {
		t.Fatalf("server down: %v, want ErrOffline", err)
	}
	p.Fault(t, map[string]any{"mode": "none"})
	for i := 0; i < 5; i++ {
		later()
		if _, err := w.Push(ctx); err != nil {
			t.Logf("round %d: %v", i, err)
		}
	}
	pending, _ := f.st.Outbox(ctx, app.OutboxPending)
	if len(pending) != 0 {
		t.Fatalf("%d orders still waiting after the faults cleared", len(pending))
	}
	assertExactlyOnce(t, p, f)
}
