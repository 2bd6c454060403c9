package syncer_test

import (
	"context"
	"errors"
	"io"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/demo"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/local"
)

// accepting is a server that takes everything and counts every call.
type accepting struct{ calls int }

func (a *accepting) PutBinary(context.Context, string, string, io.Reader, int64) error {
	a.calls++
	return nil
}

func (a *accepting) CreateIfNoneExist(context.Context, fhir.Resource, string) (string, bool, error) {
	a.calls++
	return "doc-1", true, nil
}

func (a *accepting) Transaction(context.Context, *fhir.Bundle) (map[string]string, error) {
	a.calls++
	return map[string]string{
		"Patient": "p-1", "Practitioner": "pr-1", "PractitionerRole": "r-1", "Organization": "o-1",
		"ServiceRequest": "sr-1", "Task": "t-1",
	}, nil
}

func (a *accepting) Search(context.Context, string, url.Values) (*fhir.Bundle, error) {
	a.calls++
	return &fhir.Bundle{ResourceType: "Bundle", Type: "searchset"}, nil
}

func (a *accepting) Open(context.Context, string) (io.ReadCloser, string, error) {
	a.calls++
	return nil, "", io.EOF
}

func demoStore(t *testing.T) *local.Store {
	t.Helper()
	st, err := local.Open(filepath.Join(t.TempDir(), "rd.db"), local.Options{Actor: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	prof, _ := institution.LoadDefault()
	if _, err := demo.Fill(context.Background(), st, prof, 10, time.Now()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestIsLoopback(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080/fhir": true, "https://127.9.9.9/": true, "http://[::1]:9/x": true,
		"http://localhost:1/": true, "http://LOCALHOST./": true, "http://api.localhost/": true,
		"https://fhir.example.org/R4": false, "http://10.0.0.1/": false, "http://127.0.0.1.example.org/": false,
		"http://localhost.example.org/": false, "http://[::ffff:8.8.8.8]/": false, "": false, "127.0.0.1": false,
	} {
		if got := syncer.IsLoopback(u); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", u, got, want)
		}
	}
}

// The bug seen: demo orders queued in the outbox went to the institution on the next sync.
func TestDemoDatabaseSendsNothingOffThisComputer(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	prof, _ := institution.LoadDefault()
	pending, _ := st.Outbox(ctx, app.OutboxPending)
	if len(pending) == 0 {
		t.Fatal("demo data queued nothing: the test would prove nothing")
	}
	for _, target := range []string{"https://fhir.example.org/R4", ""} {
		tr := &accepting{}
		var last syncer.Status
		w := &syncer.Worker{Store: st, Transport: tr, Profile: prof, Target: target, OnStatus: func(s syncer.Status) { last = s }}
		_, err := w.Sync(ctx)
		if !errors.Is(err, syncer.ErrDemoData) {
			t.Fatalf("target %q: Sync = %v, want ErrDemoData", target, err)
		}
		if tr.calls != 0 {
			t.Errorf("target %q: %d calls reached the server", target, tr.calls)
		}
		if last.State() != syncer.StateDemoRefused {
			t.Errorf("target %q: status %+v", target, last)
		}
		if _, err := w.SearchRegistry(ctx, "Doe, J"); !errors.Is(err, syncer.ErrDemoData) || tr.calls != 0 {
			t.Errorf("target %q: registry search %v, %d calls", target, err, tr.calls)
		}
	}
	after, _ := st.Outbox(ctx, app.OutboxPending)
	for _, e := range after {
		if e.Attempts != 0 {
			t.Errorf("outbox entry %d attempted %d times", e.ID, e.Attempts)
		}
	}

	// The test peers are on this computer: there the demo orders go.
	tr := &accepting{}
	w := &syncer.Worker{Store: st, Transport: tr, Profile: prof, Target: "http://127.0.0.1:9/fhir"}
	sum, err := w.Push(ctx)
	if err != nil || sum.Sent != len(pending) || tr.calls == 0 {
		t.Fatalf("to a loopback server: %+v %v, %d calls", sum, err, tr.calls)
	}
}

// The service refuses a remote sign-in on a demo database before the credentials go anywhere, and
// its status says why it does not send with a remote account saved behind its back.
func TestServiceOnDemoDatabase(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	kc := &credstest.Keychain{}
	prof, _ := institution.LoadDefault()
	svc := &syncer.Service{Store: st, Keychain: kc, Profile: prof}
	acct := creds.Account{FHIRBase: "https://fhir.example.invalid/R4", User: "u"}
	if err := svc.SignIn(ctx, acct, "pw"); !errors.Is(err, syncer.ErrDemoData) {
		t.Fatalf("SignIn to a remote server on a demo database: %v", err)
	}
	if _, err := kc.Get(acct); err == nil {
		t.Error("the secret was kept")
	}
	if err := syncer.SaveAccount(ctx, st, acct); err != nil {
		t.Fatal(err)
	}
	_ = kc.Set(acct, "pw")
	var status syncer.Status
	svc.OnStatus(func(s syncer.Status) { status = s })
	if _, err := svc.Round(ctx); !errors.Is(err, syncer.ErrDemoData) {
		t.Fatalf("Round: %v", err)
	}
	if status.State() != syncer.StateDemoRefused {
		t.Errorf("status %+v", status)
	}
	im := syncer.Images{Store: st, Keychain: kc}
	acct.DICOMWebBase = "https://pacs.example.invalid/dicom-web/"
	if err := syncer.SaveAccount(ctx, st, acct); err != nil {
		t.Fatal(err)
	}
	_ = kc.Set(acct, "pw")
	if _, err := im.Upload(ctx, app.Order{ID: 1}, app.Patient{}, nil, nil, "", nil); !errors.Is(err, syncer.ErrDemoData) {
		t.Errorf("image upload: %v", err)
	}
}

// A SMART sign-in from the Account screen is refused on a demo database before the browser opens,
// and a finished SMART sign-in (the backend or a scripted one) is not kept either.
func TestSMARTSignInOnDemoDatabase(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	kc := &credstest.Keychain{}
	prof, _ := institution.LoadDefault()
	svc := &syncer.Service{Store: st, Keychain: kc, Profile: prof}
	acct := creds.Account{FHIRBase: "https://fhir.example.invalid/R4", ClientID: "referraldesk"}
	opened := false
	_, err := svc.SignInSMART(ctx, acct, func(string) error { opened = true; return nil })
	if !errors.Is(err, syncer.ErrDemoData) {
		t.Fatalf("SignInSMART to a remote server on a demo database: %v", err)
	}
	if opened {
		t.Error("the browser was opened")
	}
	if err := svc.SignedInSMART(ctx, acct, "refresh-token"); !errors.Is(err, syncer.ErrDemoData) {
		t.Fatalf("SignedInSMART on a demo database: %v", err)
	}
	if _, err := kc.Get(acct); err == nil {
		t.Error("the refresh token was kept")
	}
	if _, ok, _ := syncer.LoadAccount(ctx, st); ok {
		t.Error("the account was saved")
	}
}
