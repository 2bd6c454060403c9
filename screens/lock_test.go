package screens

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/smart"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/users"
	"github.com/referraldesk/referraldesk/local"
)

// windowTexts is every text drawn in the window: content, dialogs and the title.
func windowTexts(w fyne.Window) string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.RichText:
			out = append(out, x.String())
		case *widget.Entry:
			out = append(out, x.Text)
		case *widget.Select:
			out = append(out, x.Selected)
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	walk(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
	return w.Title() + "\n" + strings.Join(out, "\n")
}

// clock is a settable fake clock, read by the UI's workers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestIdleLockHidesPatientData(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	addProvider(t, st, "1234567893")
	deps := testDeps(t, st)
	clk := &clock{t: fixedNow}
	deps.Now, deps.LockAfter = clk.now, 2*time.Minute
	u, w := newTestUI(t, deps)
	enterOrderUpToDiagnosis(t, u, w)
	showConfirm(w, "Leave?", "The order for Núñez stays a draft.", func(bool) {})
	u.Idle()
	if !strings.Contains(windowTexts(w), "Núñez") {
		t.Fatal("the patient should be on screen before the lock")
	}

	u.checkIdle() // the poll notices the dialog: that was input
	clk.add(time.Minute)
	u.checkIdle()
	if u.locked {
		t.Fatal("locked after one minute of a two-minute idle time")
	}
	clk.add(90 * time.Second)
	u.checkIdle()
	u.Idle()
	if !u.locked {
		t.Fatal("not locked after the idle time")
	}
	if got := windowTexts(w); strings.Contains(got, "Núñez") || strings.Contains(got, "María") {
		t.Fatalf("patient data visible while locked:\n%s", got)
	}
	// Keys and drops do nothing while locked: no dialog's Enter, no Ctrl+N, no files taken in.
	drafts, _ := st.Orders(context.Background(), app.StatusDraft)
	u.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(writeFile(t, dir, "records.pdf", 2048))})
	u.Idle()
	if h := w.Canvas().OnTypedKey(); h != nil {
		h(&fyne.KeyEvent{Name: fyne.KeyEscape})
	}
	if len(w.Canvas().Overlays().List()) != 0 {
		t.Fatal("a dialog is shown over the lock screen")
	}

	// No users: the lock screen has just Unlock; the same person gets their order and dialog back.
	tapButton(t, u, w, "Unlock")
	if u.locked || !strings.Contains(windowTexts(w), "Núñez") {
		t.Fatal("Unlock did not bring the order back")
	}
	if len(w.Canvas().Overlays().List()) != 1 {
		t.Fatal("the dialog open at the lock did not come back")
	}
	after, _ := st.Orders(context.Background(), app.StatusDraft)
	if len(after) != len(drafts) || len(u.editor.order.Attachments) != 0 {
		t.Fatal("something changed the drafts while locked")
	}

	// Ctrl+L locks at once; Ctrl+N does nothing while locked.
	closeOverlays(w)
	u.shortcut(fyne.KeyL)
	if !u.locked {
		t.Fatal("Ctrl+L did not lock")
	}
	u.shortcut(fyne.KeyN)
	u.Idle()
	if !u.locked || strings.Contains(windowTexts(w), "Place an order") {
		t.Fatal("Ctrl+N acted while locked")
	}
}

func addUser(t *testing.T, st *local.Store, name string, role users.Role, providerID int64, pin string) users.User {
	t.Helper()
	h, err := users.Hash(pin)
	if err != nil {
		t.Fatal(err)
	}
	u := users.User{Name: name, Role: role, ProviderID: providerID, PINHash: h, Active: true}
	if err := st.SaveUser(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	return u
}

func addDraft(t *testing.T, st *local.Store, family string, by int64) {
	t.Helper()
	ctx := context.Background()
	p := app.Patient{Family: family, Given: "Test", BirthDate: fixedNow.AddDate(-50, 0, 0), Sex: app.SexFemale}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, Priority: app.PriorityRoutine, CreatedBy: by}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
}

// signIn picks name on the lock screen, types pin and taps Unlock.
func signIn(t *testing.T, u *UI, name, pin string) string {
	t.Helper()
	u.Idle() // the lock screen reads the users in the background
	l := u.lockView
	if l == nil || l.who == nil {
		t.Fatalf("no sign-in form on the lock screen (locked %v): %s", u.locked, windowTexts(u.win))
	}
	l.who.SetSelected(name)
	test.Type(l.pin, pin)
	tapButton(t, u, u.win, "Unlock")
	if u.lockView != nil {
		return u.lockView.msg.Text
	}
	return ""
}

func TestUsersSeeTheirOwnDraftsAndWrongPINsWait(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	prov := addProvider(t, st, "1234567893")
	ana := addUser(t, st, "Ana Ruiz", users.RoleStaff, 0, "2468")
	doc := addUser(t, st, "Adaeze Okafor", users.RolePhysician, prov.ID, "13579")
	addDraft(t, st, "Lindqvist", ana.ID)
	addDraft(t, st, "Marchetti", doc.ID)
	deps := testDeps(t, st)
	clk := &clock{t: fixedNow}
	deps.Now = clk.now
	u, w := newTestUI(t, deps)

	if !u.locked {
		t.Fatal("with users set up the app must start by asking who is working")
	}
	if got := windowTexts(w); strings.Contains(got, "Lindqvist") || strings.Contains(got, "Marchetti") {
		t.Fatalf("patient data before sign-in:\n%s", got)
	}
	if msg := signIn(t, u, "Ana Ruiz", "2468"); msg != "" || u.locked {
		t.Fatalf("Ana could not sign in: %q", msg)
	}
	got := windowTexts(w)
	if !strings.Contains(got, "Lindqvist") || strings.Contains(got, "Marchetti") {
		t.Fatalf("Ana should see her draft only:\n%s", got)
	}
	if !strings.Contains(got, "Ana Ruiz") {
		t.Fatal("the status bar does not say who is working")
	}

	u.lockNow()
	// Wrong PINs: each one makes the next try wait longer; a try during the wait is refused.
	if msg := signIn(t, u, "Adaeze Okafor", "0000"); !strings.Contains(msg, "Wrong PIN. Try again in 1 s") {
		t.Fatalf("first wrong PIN: %q", msg)
	}
	if msg := signIn(t, u, "Adaeze Okafor", "13579"); !strings.Contains(msg, "Too many wrong PINs. Try again in 1 s") || !u.locked {
		t.Fatalf("a try during the wait: %q", msg)
	}
	clk.add(time.Second)
	if msg := signIn(t, u, "Adaeze Okafor", "1111"); !strings.Contains(msg, "Try again in 2 s") {
		t.Fatalf("second wrong PIN: %q", msg)
	}
	clk.add(2 * time.Second)
	if msg := signIn(t, u, "Adaeze Okafor", "2222"); !strings.Contains(msg, "Try again in 4 s") {
		t.Fatalf("third wrong PIN: %q", msg)
	}
	if got := windowTexts(w); strings.Contains(got, "Lindqvist") {
		t.Fatal("patient data shown after wrong PINs")
	}
	clk.add(4 * time.Second)
	if msg := signIn(t, u, "Adaeze Okafor", "13579"); msg != "" || u.locked {
		t.Fatalf("right PIN after the wait: %q", msg)
	}
	got = windowTexts(w)
	if !strings.Contains(got, "Marchetti") || strings.Contains(got, "Lindqvist") {
		t.Fatalf("Dr Okafor should see her own draft only:\n%s", got)
	}
	if u.deps.User != "dr.tester" {
		t.Fatal("the computer login must stay recorded")
	}
	// The audit trail names the person, with the computer login.
	tapButton(t, u, w, "Place an order")
	tapButton(t, u, w, "Create a new chart")
	fillChart(t, u, w, "Quispe", "Rosa", "03/14/1961")
	tapButton(t, u, w, "Save chart")
	entries, err := st.Audit(context.Background(), 5)
	if err != nil || len(entries) == 0 || entries[0].Actor != "Adaeze Okafor (tester)" {
		t.Fatalf("audit: %+v %v", entries, err)
	}
	if u.editor.order.CreatedBy != doc.ID {
		t.Fatalf("the new order was started by user %d", u.editor.order.CreatedBy)
	}
}

// slowSync is a sync service whose send finishes only when told, to lock in the middle of it.
type slowSync struct {
	release chan struct{}
	done    chan struct{}
	status  func(syncer.Status)
}

func (s *slowSync) OnStatus(f func(syncer.Status)) { s.status = f }
func (s *slowSync) SyncNow() {
	go func() {
		<-s.release
		s.status(syncer.Status{Configured: true, Online: true, Attention: 7})
		close(s.done)
	}()
}

func (s *slowSync) Account(context.Context) (creds.Account, bool, error) {
	return creds.Account{}, false, nil
}
func (s *slowSync) SignIn(context.Context, creds.Account, string) error { return nil }
func (s *slowSync) SignInSMART(context.Context, creds.Account, func(string) error) (*smart.Session, error) {
	return nil, errors.New("not in this test")
}
func (s *slowSync) SignOut(context.Context) error { return nil }
func (s *slowSync) ConfirmSignIn(context.Context, string, func(string) error) (string, error) {
	return "", errors.New("not in this test")
}

func (s *slowSync) SearchRegistry(context.Context, string) ([]app.Patient, error) {
	return nil, nil
}

func (s *slowSync) SaveResult(context.Context, app.Result, string) (string, error) {
	return "", nil
}

func TestSendInProgressFinishesWhileLocked(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	deps := testDeps(t, st)
	s := &slowSync{release: make(chan struct{}), done: make(chan struct{})}
	deps.Sync = s
	u, w := newTestUI(t, deps)
	s.SyncNow() // a send starts (as after signing)
	u.lockNow()
	close(s.release)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the send did not finish while locked")
	}
	u.Idle()
	if !u.locked {
		t.Fatal("the status update unlocked the window")
	}
	if strings.Contains(windowTexts(w), "7 need attention") {
		t.Fatal("the status bar is hidden with the rest while locked")
	}
	tapButton(t, u, w, "Unlock")
	if u.status.Text != "Online — 7 need attention" {
		t.Fatalf("status after unlock: %q", u.status.Text)
	}
}

// readyOrder stores an order with everything the readiness check asks for.
func readyOrder(t *testing.T, st *local.Store, provID, by int64) app.Order {
	t.Helper()
	ctx := context.Background()
	pt := app.Patient{
		Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), Sex: app.SexFemale,
		Address: app.Address{Line: "1 Main St", City: "Rochester", State: "MN", PostalCode: "55901"}, Phone: "507-555-0100", InsuranceType: "HMO",
	}
	if err := st.CreatePatient(ctx, &pt); err != nil {
		t.Fatal(err)
	}
	o := app.Order{
		PatientID: pt.ID, ProviderID: provID, Department: "endocrinology", Priority: app.PriorityRoutine,
		Reason: "Diabetes", Diagnoses: []app.Diagnosis{{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"}},
		Location: "rochester", UploadImages: app.AnswerNo, UploadRecords: app.AnswerNo, CreatedBy: by,
	}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// The sign dialog follows who is working: a physician who is the order's provider signs as themself;
// a staff user enters the order for the provider under their own name, with nothing to type.
func TestSignerIsTheWorkingUser(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	prov := addProvider(t, st, "1234567893")
	ana := addUser(t, st, "Ana Ruiz", users.RoleStaff, 0, "2468")
	doc := addUser(t, st, "Adaeze Okafor", users.RolePhysician, prov.ID, "13579")
	deps := testDeps(t, st)
	u, w := newTestUI(t, deps)
	for _, c := range []struct {
		name, pin string
		id        int64
		role      app.SignerRole
		signer    string
	}{
		{"Ana Ruiz", "2468", ana.ID, app.SignerStaff, "Ana Ruiz"},
		{"Adaeze Okafor", "13579", doc.ID, app.SignerProvider, prov.SigningName()},
	} {
		if !u.locked {
			u.lockNow()
		}
		if msg := signIn(t, u, c.name, c.pin); msg != "" {
			t.Fatalf("%s: %s", c.name, msg)
		}
		o := readyOrder(t, st, prov.ID, c.id)
		u.OpenOrder(o.ID)
		u.Idle()
		u.editor.goTo(stepReview)
		u.Idle()
		tapButton(t, u, w, "Sign order")
		tapButton(t, u, w, "Sign")
		got, err := st.Order(context.Background(), o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Signature.SignerRole != c.role || got.SignedBy != c.signer || got.Signature.OSUser != "dr.tester" {
			t.Fatalf("%s: signature %+v", c.name, got.Signature)
		}
		closeOverlays(w)
	}
}

// The Users screen adds a user with a hashed PIN and removes one.
func TestUsersScreenAddsAndRemoves(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	prov := addProvider(t, st, "1234567893")
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, w, "Settings")
	tapButton(t, u, w, "Users…")
	s := newUsersScreen(u)
	u.setBody(s.content)
	u.Idle()
	test.Type(s.name, "Adaeze Okafor")
	s.role.SetSelected("Physician")
	s.provider.SetSelected(prov.SigningName())
	test.Type(s.pin, "13579")
	test.Type(s.pin2, "13570")
	s.add()
	u.Idle()
	if !strings.Contains(s.msg.Text, "differ") {
		t.Fatalf("two different PINs: %q", s.msg.Text)
	}
	s.pin.SetText("13579")
	s.pin2.SetText("13579")
	s.add()
	u.Idle()
	list, err := st.Users(context.Background(), false)
	if err != nil || len(list) != 1 || list[0].ProviderID != prov.ID || !users.Matches(list[0].PINHash, "13579") {
		t.Fatalf("users %+v %v (%s)", list, err, s.msg.Text)
	}
	tapButton(t, u, w, "Remove")
	tapButton(t, u, w, "Yes")
	if list, _ := st.Users(context.Background(), false); len(list) != 0 {
		t.Fatal("the user was not removed")
	}
}
