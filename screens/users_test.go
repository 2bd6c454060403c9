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
	"github.com/referraldesk/referraldesk/app/users"
	"github.com/referraldesk/referraldesk/local"
)

func tapRow(t *testing.T, u *UI, s *usersScreen, id int64, text string) {
	t.Helper()
	b := s.rows[id][text]
	if b == nil {
		t.Fatalf("no %q button for user %d", text, id)
	}
	test.Tap(b)
	u.Idle()
}

func auditKinds(t *testing.T, st *local.Store, id int64) []string {
	t.Helper()
	ev, err := st.AuditEvents(context.Background(), app.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ev {
		if e.Entity == "user" && e.EntityID == id {
			out = append(out, e.Action)
		}
	}
	return out
}

// A user changes their own PIN (the current one is checked), an administrator resets another's
// and edits a role; a non-administrator sees only what they may do.
func TestUsersScreenEditAndPINs(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	prov := addProvider(t, st, "1234567893")
	mia := addUser(t, st, "Mia Lund", users.RoleStaff, 0, "1111") // the first user: administrator
	ana := addUser(t, st, "Ana Ruiz", users.RoleStaff, 0, "2468")
	u, w := newTestUI(t, testDeps(t, st))
	if msg := signIn(t, u, "Ana Ruiz", "2468"); msg != "" {
		t.Fatal(msg)
	}
	tapButton(t, u, w, "Settings")
	tapButton(t, u, w, "Users…")
	s := newUsersScreen(u)
	u.setBody(s.content)
	u.Idle()
	// Ana is not an administrator: her own row has Change my PIN and Edit; Mia's row nothing.
	if s.rows[ana.ID]["Change my PIN"] == nil || s.rows[ana.ID]["Edit"] == nil || len(s.rows[mia.ID]) != 0 || s.addCard.Visible() {
		t.Fatalf("a staff user's rights: %v %v add %v", s.rows[ana.ID], s.rows[mia.ID], s.addCard.Visible())
	}
	if !strings.Contains(windowTexts(w), "Mia Lund — Staff · administrator") {
		t.Fatal("the administrator is not marked")
	}

	tapRow(t, u, s, ana.ID, "Change my PIN")
	d := s.pinDialog
	entries := passwordEntries(d)
	test.Type(entries[0], "9999")
	test.Type(entries[1], "97531")
	test.Type(entries[2], "97531")
	tapButton(t, u, w, "Save PIN")
	if !strings.Contains(d.msg.Text, "The current PIN is wrong. Try again in 1 s") {
		t.Fatalf("wrong current PIN: %q", d.msg.Text)
	}
	u.guard.Now = func() time.Time { return fixedNow.Add(time.Minute) }
	test.Type(entries[0], "2468")
	tapButton(t, u, w, "Save PIN")
	if got, _ := st.User(context.Background(), ana.ID); !users.Matches(got.PINHash, "97531") {
		t.Fatalf("the new PIN was not stored (%q)", d.msg.Text)
	}
	if s.msg.Text != "Your PIN was changed." || len(w.Canvas().Overlays().List()) != 0 {
		t.Fatalf("after the change: %q", s.msg.Text)
	}

	// Ana renames herself; the status bar follows.
	tapRow(t, u, s, ana.ID, "Edit")
	e := s.editDialog
	name := firstEntry(e)
	name.SetText("Ana Ruiz-Lund")
	tapButton(t, u, w, "Save changes")
	if got, _ := st.User(context.Background(), ana.ID); got.Name != "Ana Ruiz-Lund" || u.who.Text != "Ana Ruiz-Lund" {
		t.Fatalf("rename: %q, status bar %q (%s)", got.Name, u.who.Text, e.msg.Text)
	}

	// Mia, the administrator, resets Ana's forgotten PIN and makes her a physician.
	u.lockNow()
	if msg := signIn(t, u, "Mia Lund", "1111"); msg != "" {
		t.Fatal(msg)
	}
	s = newUsersScreen(u)
	u.setBody(s.content)
	u.Idle()
	if !s.addCard.Visible() || s.rows[ana.ID]["Reset PIN"] == nil || s.rows[mia.ID]["Remove"] != nil {
		t.Fatalf("an administrator's rights: %v / %v", s.rows[ana.ID], s.rows[mia.ID])
	}
	tapRow(t, u, s, ana.ID, "Reset PIN")
	entries = passwordEntries(s.pinDialog)
	test.Type(entries[0], "86420")
	test.Type(entries[1], "86420")
	tapButton(t, u, w, "Set new PIN")
	if got, _ := st.User(context.Background(), ana.ID); !users.Matches(got.PINHash, "86420") {
		t.Fatalf("reset: %q", s.pinDialog.msg.Text)
	}
	tapRow(t, u, s, ana.ID, "Edit")
	e = s.editDialog
	role, provider := selects(e)
	role.SetSelected("Physician")
	provider.SetSelected(prov.SigningName())
	tapButton(t, u, w, "Save changes")
	if got, _ := st.User(context.Background(), ana.ID); got.Role != users.RolePhysician || got.ProviderID != prov.ID {
		t.Fatalf("role: %+v (%s)", got, e.msg.Text)
	}
	// Mia cannot hand away the last administrator right.
	tapRow(t, u, s, mia.ID, "Edit")
	checks(s.editDialog)[0].SetChecked(false)
	tapButton(t, u, w, "Save changes")
	if !strings.Contains(s.editDialog.msg.Text, "at least one user stays one") {
		t.Fatalf("last administrator: %q", s.editDialog.msg.Text)
	}
	tapButton(t, u, w, "Cancel")

	kinds := strings.Join(auditKinds(t, st, ana.ID), " ")
	if kinds != "user.save user.pin_change user.save user.pin_reset user.save" {
		t.Fatalf("audit of Ana: %s", kinds)
	}
	// The new PIN works at the lock screen.
	u.lockNow()
	if msg := signIn(t, u, "Ana Ruiz-Lund", "86420"); msg != "" {
		t.Fatalf("the reset PIN does not unlock: %q", msg)
	}
}

// The lock screen says what to do about a forgotten PIN, naming the administrators and the command.
func TestLockScreenForgotPIN(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	addUser(t, st, "Mia Lund", users.RoleStaff, 0, "1111")
	addUser(t, st, "Ana Ruiz", users.RoleStaff, 0, "2468")
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, w, "Forgot PIN?")
	got := windowTexts(w)
	if !strings.Contains(got, "Ask an administrator (Mia Lund)") || !strings.Contains(got, `referraldesk users reset-pin "Your Name"`) {
		t.Fatalf("forgot PIN help:\n%s", got)
	}
	if msg := signIn(t, u, "Mia Lund", "1111"); msg != "" || len(w.Canvas().Overlays().List()) != 0 {
		t.Fatalf("the help stays after unlocking: %q", msg)
	}
}

func passwordEntries(d *userDialog) []*widget.Entry {
	var out []*widget.Entry
	for _, it := range d.form.Items {
		if e, ok := it.Widget.(*widget.Entry); ok && e.Password {
			out = append(out, e)
		}
	}
	return out
}

func firstEntry(d *userDialog) *widget.Entry {
	for _, it := range d.form.Items {
		if e, ok := it.Widget.(*widget.Entry); ok {
			return e
		}
	}
	return nil
}

func selects(d *userDialog) (role, provider *widget.Select) {
	var out []*widget.Select
	for _, it := range d.form.Items {
		if s, ok := it.Widget.(*widget.Select); ok {
			out = append(out, s)
		}
	}
	return out[0], out[1]
}

func checks(d *userDialog) []*widget.Check {
	var out []*widget.Check
	for _, it := range d.form.Items {
		if c, ok := it.Widget.(*widget.Check); ok {
			out = append(out, c)
		}
	}
	return out
}
