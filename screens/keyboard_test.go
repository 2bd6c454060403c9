package screens

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
)

// press sends one key to whatever has the keyboard focus (or to the window when nothing has).
func press(u *UI, name fyne.KeyName) {
	c := u.win.Canvas()
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
	u.Idle()
}

// typeKeys types s into whatever has the keyboard focus.
func typeKeys(u *UI, s string) {
	if f := u.win.Canvas().Focused(); f != nil {
		for _, r := range s {
			f.TypedRune(r)
		}
	}
	u.Idle()
}

// tabTo presses Tab until the button with this text has the focus, then returns it.
func tabTo(t *testing.T, u *UI, text string) *widget.Button {
	t.Helper()
	c := u.win.Canvas()
	for i := 0; i < 80; i++ {
		c.FocusNext()
		if b, ok := c.Focused().(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("Tab never reaches the button %q", text)
	return nil
}

// A physician adds two diagnoses from search results and signs, with the keyboard only.
func TestKeyboardOnlyDiagnosesAndSign(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	t.Cleanup(func() { st.Close() })
	prov := addProvider(t, st, "1234567893")
	ctx := context.Background()
	p := app.Patient{
		Family: "Keys", Given: "Kim", BirthDate: fixedNow.AddDate(-50, 0, 0), Sex: app.SexMale,
		Phone: "507-555-0122", Address: app.Address{Line: "3 Oak St", City: "Rochester", State: "MN", PostalCode: "55901"},
		InsuranceType: "HMO",
	}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{
		PatientID: p.ID, ProviderID: prov.ID, Department: "endocrinology", Priority: app.PriorityRoutine,
		Status: app.StatusDraft, Reason: "Poorly controlled diabetes", Location: "rochester",
		UploadImages: app.AnswerNo, UploadRecords: app.AnswerNo, Insurance: app.Insurance{Payer: "Blue Cross MN"},
	}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, testDeps(t, st))
	u.OpenOrder(o.ID)
	u.Idle()
	u.editor.goTo(stepDiagnosis)
	u.Idle()
	e := u.editor

	// The search box has the focus on arrival.
	if _, ok := u.win.Canvas().Focused().(*keyEntry); !ok {
		t.Fatalf("focus on the diagnosis step is %T, want the search box", u.win.Canvas().Focused())
	}
	typeKeys(u, "type 2 diabetes")
	if len(e.diag.results) == 0 {
		t.Fatal("no results for type 2 diabetes")
	}
	first := e.diag.results[0]
	press(u, fyne.KeyDown)  // into the results, on the first row
	press(u, fyne.KeyEnter) // add it
	press(u, fyne.KeyUp)    // back to the search box
	if _, ok := u.win.Canvas().Focused().(*keyEntry); !ok {
		t.Fatalf("Up on the first result gave the focus to %T, want the search box", u.win.Canvas().Focused())
	}
	for range "type 2 diabetes" {
		press(u, fyne.KeyBackspace)
	}
	typeKeys(u, "hypertension")
	press(u, fyne.KeyReturn) // Enter in the search box moves into the results
	press(u, fyne.KeyDown)   // the second result
	second := e.diag.results[1]
	press(u, fyne.KeyEnter)
	if len(e.order.Diagnoses) != 2 || e.order.Diagnoses[0].Code != first.Code || e.order.Diagnoses[1].Code != second.Code {
		t.Fatalf("diagnoses on the order = %+v, want %s then %s", e.order.Diagnoses, first.Code, second.Code)
	}

	// Accept and continue, with Tab and Space, to the review; then sign and confirm with Enter.
	for e.step != stepReview {
		before := e.step
		press(u, fyne.KeyEscape) // leave the focused widget alone
		tabTo(t, u, "Accept and continue")
		press(u, fyne.KeySpace)
		if e.step == before {
			t.Fatalf("Accept and continue did not move on from step %d", before)
		}
	}
	if len(e.review.issues) != 0 {
		t.Fatalf("review lists problems: %+v", e.review.issues)
	}
	tabTo(t, u, "Sign order")
	press(u, fyne.KeySpace)
	signWithKeyboard(t, u)
	got, err := st.Order(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != app.StatusQueued || len(got.Diagnoses) != 2 {
		t.Fatalf("after signing: status %s with %d diagnoses, want queued with 2", got.Status, len(got.Diagnoses))
	}
}

// signWithKeyboard answers the sign dialog with the keyboard.
func signWithKeyboard(t *testing.T, u *UI) {
	t.Helper()
	u.win.Canvas().Unfocus()
	press(u, fyne.KeyReturn)
}
