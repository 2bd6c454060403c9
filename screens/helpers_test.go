package screens

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/icd10"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/local"
)

// fixedNow keeps ages and the 120-day window stable in tests.
var fixedNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

var testIndex *icd10.Index

type testPackets struct {
	packet.Service
	*local.Store
}

type indexCodes struct{ ix *icd10.Index }

func (c indexCodes) Search(_ context.Context, q string, limit int) ([]app.Diagnosis, error) {
	var out []app.Diagnosis
	for _, f := range c.ix.Search(q, limit) {
		out = append(out, app.Diagnosis{Code: f.Code, Description: f.Long})
	}
	return out, nil
}

func openStore(t *testing.T, path string) *local.Store {
	t.Helper()
	st, err := local.Open(path, local.Options{Actor: "tester", Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func testDeps(t *testing.T, st *local.Store) Deps {
	t.Helper()
	if testIndex == nil {
		ix, err := icd10.Load()
		if err != nil {
			t.Fatal(err)
		}
		testIndex = ix
	}
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return Deps{
		Patients: st, Providers: st, Orders: st, Codes: indexCodes{testIndex}, Clinics: st, Events: st, Activity: st, Demo: st, Users: st,
		Profile: prof,
		Packets: testPackets{packet.Service{WorkDir: dir}, st}, DataDir: dir,
		User: "dr.tester", Now: func() time.Time { return fixedNow },
	}
}

// newTestUI builds the real interface in Fyne's headless test driver.
func newTestUI(t *testing.T, deps Deps) (*UI, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(ScreenSize)
	u := newUI(w, deps, true)
	u.Idle()
	return u, w
}

// findButton finds a visible button with this text in the window or a dialog over it.
func findButton(w fyne.Window, text string) *widget.Button { return FindButton(w, text) }

func tapButton(t *testing.T, u *UI, w fyne.Window, text string) {
	t.Helper()
	b := findButton(w, text)
	if b == nil {
		t.Fatalf("no button %q on screen", text)
	}
	if b.Disabled() {
		t.Fatalf("button %q is disabled", text)
	}
	test.Tap(b)
	u.Idle()
}

func writeFile(t *testing.T, dir, name string, size int) string {
	t.Helper()
	p := filepath.Join(dir, name)
	data := make([]byte, size)
	copy(data, "%PDF-1.4\n")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var osStat = os.Stat

// startOrder opens a fresh store with one provider and taps a new order through to the diagnosis step.
func startOrder(t *testing.T) (*UI, fyne.Window, *local.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	t.Cleanup(func() { st.Close() })
	addProvider(t, st, "1234567893")
	u, w := newTestUI(t, testDeps(t, st))
	enterOrderUpToDiagnosis(t, u, w)
	return u, w, st, dir
}
