package screens

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/demo"
	"github.com/referraldesk/referraldesk/app/settings"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/users"
	"github.com/referraldesk/referraldesk/local"
)

// The walk taps every enabled button and tab on every screen, one at a time from a freshly built
// screen, and fails on a panic or an error dialog. It is how a clerk meets the app on the first day;
// it caught the file dialogs that closed the app (Resize before Show, fyne-io/fyne#6495).

// walkState is one place in the app, reached from a new window by setup.
type walkState struct {
	name  string
	setup func(t *testing.T, u *UI)
}

// walkStates lists every screen a user can reach. Order steps need a patient, so each begins one.
func walkStates() []walkState {
	states := []walkState{
		{"home", func(*testing.T, *UI) {}},
		{"providers", func(_ *testing.T, u *UI) { u.ShowProviders() }},
		{"account", func(_ *testing.T, u *UI) { u.ShowAccount() }},
		{"order/patient", func(_ *testing.T, u *UI) { u.NewOrder() }},
		{"settings", func(_ *testing.T, u *UI) { u.ShowSettings() }},
		{"activity", func(_ *testing.T, u *UI) { u.ShowActivity() }},
		{"users", func(_ *testing.T, u *UI) { u.ShowUsers() }},
		{"lock", func(_ *testing.T, u *UI) { u.lockNow() }},
		{"setup/clinic", func(_ *testing.T, u *UI) { u.ShowSetup(1) }},
		{"setup/provider", func(_ *testing.T, u *UI) { u.ShowSetup(2) }},
		{"setup/account", func(_ *testing.T, u *UI) { u.ShowSetup(3) }},
	}
	for i := 0; i < int(stepCount); i++ {
		s := step(i)
		if s == stepPatient {
			continue
		}
		states = append(states, walkState{"order/" + stepTitle(s), func(t *testing.T, u *UI) {
			walkStartOrder(t, u)
			u.editor.goTo(s)
		}})
	}
	states = append(states,
		walkState{"order/packet", func(t *testing.T, u *UI) {
			walkStartOrder(t, u)
			u.editor.goTo(stepAttachments)
			u.editor.showPacket()
		}},
		walkState{"images", func(t *testing.T, u *UI) {
			walkStartOrder(t, u)
			u.ShowImages(u.editor.order, u.editor.patient)
		}},
		// Last: these add users, after which every new window starts at the lock screen.
		walkState{"users/signed-in administrator", func(t *testing.T, u *UI) { walkUsers(t, u) }},
		walkState{"users/change my PIN", func(t *testing.T, u *UI) {
			s := walkUsers(t, u)
			s.showChangePIN(*u.current)
		}},
		walkState{"users/edit", func(t *testing.T, u *UI) {
			s := walkUsers(t, u)
			s.showEdit(*u.current)
		}},
		walkState{"users/reset PIN", func(t *testing.T, u *UI) {
			s := walkUsers(t, u)
			s.showResetPIN(s.people[0])
		}},
		walkState{"lock/forgot PIN", func(t *testing.T, u *UI) {
			walkUsers(t, u)
			u.lockNow()
			u.Idle()
			u.lockView.showForgot()
		}},
		walkState{"lock/forgot PIN with an account", func(t *testing.T, u *UI) {
			walkUsers(t, u)
			st, ok := u.deps.Users.(*local.Store)
			if !ok {
				t.Fatal("the walk's users are not in the local store")
			}
			// Nothing listens on the discard port: a sign-in tapped here fails as offline.
			acct := creds.Account{FHIRBase: "http://127.0.0.1:9/fhir/R4", User: "clinic"}
			if err := syncer.SaveAccount(context.Background(), st, acct); err != nil {
				t.Fatal(err)
			}
			u.deps.Sync = &syncer.Service{Store: st, Keychain: &credstest.Keychain{}, Profile: u.deps.Profile}
			u.lockNow()
			u.Idle()
			u.lockView.showForgot()
		}},
	)
	return states
}

// walkUsers makes sure two users exist, signs in the administrator and shows the Users screen.
func walkUsers(t *testing.T, u *UI) *usersScreen {
	t.Helper()
	ctx := context.Background()
	list, err := u.deps.Users.Users(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		for _, name := range []string{"Mia Lund", "Ana Ruiz"} {
			h, err := users.Hash("2468")
			if err != nil {
				t.Fatal(err)
			}
			nu := users.User{Name: name, Role: users.RoleStaff, PINHash: h, Active: true}
			if err := u.deps.Users.SaveUser(ctx, &nu); err != nil {
				t.Fatal(err)
			}
		}
		list, _ = u.deps.Users.Users(ctx, false)
	}
	u.Idle()
	for _, p := range list {
		if p.Admin {
			u.unlock(&p)
		}
	}
	s := newUsersScreen(u)
	u.setBody(s.content)
	u.Idle()
	return s
}

// walkStartOrder starts an order for the first patient in the cache, or for a new chart.
func walkStartOrder(t *testing.T, u *UI) {
	t.Helper()
	u.NewOrder()
	u.Idle()
	ps := u.editor.patientStep
	if len(ps.results) > 0 {
		ps.choose(ps.results[0])
	} else {
		p := app.Patient{
			Family: "Walker", Given: "Wanda", BirthDate: fixedNow.AddDate(-40, 0, 0), Sex: app.SexFemale,
			Phone: "507-555-0100", Address: app.Address{Line: "1 Main St", City: "Rochester", State: "MN", PostalCode: "55901"},
		}
		if err := u.deps.Patients.CreatePatient(context.Background(), &p); err != nil {
			t.Fatal(err)
		}
		ps.choose(p)
	}
	u.Idle()
	if u.editor.order.ID == 0 {
		t.Fatal("walk: the order did not start")
	}
}

// tappable is one thing a user can click: a button or a tab.
type tappable struct {
	label string
	tap   func()
}

// tappables lists, in a stable order, the enabled and visible buttons and tabs of the window.
func tappables(w fyne.Window) []tappable {
	var out []tappable
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			if !x.Disabled() && x.OnTapped != nil {
				b := x
				out = append(out, tappable{"button " + labelOf(b), func() { test.Tap(b) }})
			}
			return
		case *container.AppTabs:
			for i, it := range x.Items {
				tabs, idx := x, i
				out = append(out, tappable{"tab " + it.Text, func() { tabs.SelectIndex(idx) }})
			}
			walk(x.Selected().Content)
			return
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
	walk(w.Canvas().Content())
	return out
}

func labelOf(b *widget.Button) string {
	if b.Text != "" {
		return fmt.Sprintf("%q", b.Text)
	}
	if b.Icon != nil {
		return "icon:" + b.Icon.Name()
	}
	return "(no label)"
}

// errorDialog returns the text of an error dialog on the window, if one is shown.
func errorDialog(w fyne.Window) string {
	for _, o := range w.Canvas().Overlays().List() {
		texts := allTexts(o)
		for i, s := range texts {
			if s == "Error" {
				return strings.Join(texts[i:], " | ")
			}
		}
	}
	return ""
}

// allTexts collects the text of every visible label, rich text and entry under o.
func allTexts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
			return
		case *widget.RichText:
			out = append(out, x.String())
			return
		case *widget.Entry:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	walk(o)
	return out
}

func closeOverlays(w fyne.Window) {
	for i := 0; i < 10; i++ {
		top := w.Canvas().Overlays().Top()
		if top == nil {
			return
		}
		top.Hide()
		w.Canvas().Overlays().Remove(top)
	}
}

func TestWalkEveryButton(t *testing.T) {
	for _, withDemo := range []bool{false, true} {
		name := "empty folder"
		if withDemo {
			name = "demo data"
		}
		t.Run(name, func(t *testing.T) { walkAll(t, withDemo) })
	}
}

func walkAll(t *testing.T, withDemo bool) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	t.Cleanup(func() { st.Close() })
	deps := testDeps(t, st)
	deps.Settings = settings.New(st, deps.Profile)
	if withDemo {
		if _, err := demo.Fill(context.Background(), st, deps.Profile, 12, fixedNow); err != nil {
			t.Fatal(err)
		}
	} else {
		addProvider(t, st, "1234567893") // the order steps need someone to authorize
	}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(ScreenSize)
	fresh := func(s walkState) *UI {
		closeOverlays(w)
		u := newUI(w, deps, true)
		u.Idle()
		s.setup(t, u)
		u.Idle()
		return u
	}
	tapped := 0
	for _, s := range walkStates() {
		u := fresh(s)
		if msg := errorDialog(w); msg != "" {
			t.Errorf("%s: an error dialog on arrival: %s", s.name, msg)
		}
		n := len(tappables(w))
		if n == 0 {
			t.Errorf("%s: nothing to tap", s.name)
		}
		u.Idle()
		for i := 0; i < n; i++ {
			u = fresh(s)
			items := tappables(w)
			if i >= len(items) {
				break // the screen changed its buttons (e.g. a list filled in later)
			}
			it := items[i]
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: %s panicked: %v", s.name, it.label, r)
					}
				}()
				it.tap()
				u.Idle()
			}()
			tapped++
			if msg := errorDialog(w); msg != "" {
				t.Errorf("%s: %s showed an error: %s", s.name, it.label, msg)
			}
			if u.editor != nil {
				u.flush()
			}
		}
		closeOverlays(w)
		u.Idle()
	}
	t.Logf("tapped %d buttons and tabs", tapped)
}
