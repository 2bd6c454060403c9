package screens

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	_ "github.com/mattn/go-sqlite3" // the plain driver, to edit the file as an outsider would

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/local"
)

// visibleTexts collects the text of every label under o.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// The Activity view shows the trail newest first, filters by patient and by user, checks the chain,
// and names no patient.
func TestActivityView(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	open := func(actor string) *local.Store {
		st, err := local.Open(path, local.Options{Actor: actor, Now: func() time.Time { return fixedNow }})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	alice := open("alice")
	p1 := app.Patient{Family: "Zyxwarden", Given: "Ottoline", Sex: app.SexUnknown}
	p2 := app.Patient{Family: "Quillfeather", Given: "Barnaby", Sex: app.SexUnknown}
	for _, p := range []*app.Patient{&p1, &p2} {
		if err := alice.CreatePatient(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := alice.RecordEvent(ctx, app.EventChartViewed, p1.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	alice.Close()
	st := open("bob")
	t.Cleanup(func() { st.Close() })
	if err := st.RecordEvent(ctx, app.EventChartViewed, p2.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordEvent(ctx, app.EventResultOpened, p1.ID, 0, "result=7"); err != nil {
		t.Fatal(err)
	}

	test.NewTempApp(t)
	bg := &background{manual: true}
	v := newActivity(st, bg)
	w := test.NewTempWindow(t, v.content)
	w.Resize(fyne.NewSize(900, 700))
	bg.idle()
	if len(v.entries) != 5 || v.entries[0].Action != app.EventResultOpened || v.status.Text != "5 entries" {
		t.Fatalf("all: %d entries, first %+v, status %q", len(v.entries), v.entries[0], v.status.Text)
	}
	if got := v.user.Options; strings.Join(got, ",") != allUsers()+",alice,bob" {
		t.Fatalf("user choices %v", got)
	}
	texts := strings.Join(visibleTexts(w.Canvas().Content()), "\n")
	if !strings.Contains(texts, "bob · Result opened") || !strings.Contains(texts, "patient "+strconv.FormatInt(p1.ID, 10)+" · result=7") {
		t.Fatalf("rows not shown:\n%s", texts)
	}
	for _, name := range []string{"Zyxwarden", "Ottoline", "Quillfeather", "Barnaby"} {
		if strings.Contains(texts, name) {
			t.Fatalf("the Activity view shows the name %q", name)
		}
	}

	// By patient.
	v.patient.SetText(strconv.FormatInt(p1.ID, 10))
	v.load()
	bg.idle()
	if len(v.entries) != 3 {
		t.Fatalf("patient %d: %d entries", p1.ID, len(v.entries))
	}
	for _, e := range v.entries {
		if e.PatientID != p1.ID {
			t.Fatalf("patient filter let through %+v", e)
		}
	}
	// And by user (selecting runs the filter).
	v.user.SetSelected("bob")
	bg.idle()
	if len(v.entries) != 1 || v.entries[0].Actor != "bob" || v.entries[0].PatientID != p1.ID {
		t.Fatalf("patient and user: %+v", v.entries)
	}
	v.patient.SetText("Smith")
	v.load()
	bg.idle()
	if !strings.Contains(v.status.Text, "patient id (a number)") {
		t.Fatalf("non-numeric patient: %q", v.status.Text)
	}

	// Integrity check, before and after an outsider's edit.
	test.Tap(findButton(w, "Check integrity"))
	bg.idle()
	if !strings.Contains(v.chain.Text, "all 5 entries are intact") {
		t.Fatalf("check: %q", v.chain.Text)
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	test.Tap(findButton(w, "Check integrity"))
	bg.idle()
	if !strings.Contains(v.chain.Text, "row 3") || !strings.Contains(v.chain.Text, "2 rows before it are intact") {
		t.Fatalf("check after tampering: %q", v.chain.Text)
	}
}
