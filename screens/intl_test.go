package screens

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
)

// A patient in San Salvador (no state, no postal code, a national number) referred by a physician
// with a Salvadoran licence and no NPI: the chart and the order are entered through the screens,
// the review finds nothing missing and shows the campus's international lines, the fax form goes
// to the international fax, and the order signs.
func TestInternationalOrderThroughTheScreens(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	ctx := context.Background()
	prov := app.Provider{
		Family: "Martínez", Given: "Rosa", Credentials: "MD", Active: true,
		LicenceNumber: "12345", LicenceCountry: "SV", LicenceAuthority: "Junta de Vigilancia de la Profesión Médica",
		PracticeAddress: app.Address{City: "San Salvador", Country: "SV"}, PracticePhone: "+50325550100",
	}
	if err := st.SaveProvider(ctx, &prov); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, w, "Place an order")
	tapButton(t, u, w, "Create a new chart")
	f := u.editor.patientStep.chart
	if got := selectedCountry(f.country); got != "US" {
		t.Fatalf("a new chart starts in %q, want the institution's country", got)
	}
	test.Type(f.family, "Ciudad-Real")
	test.Type(f.given, "Verónica")
	test.Type(f.dob, "1981-05-02")
	f.sex.SetSelected("female")
	test.Type(f.line, "Calle El Mirador 4520")
	test.Type(f.city, "San Salvador")
	f.country.SetSelected(intl.CountryLabel("SV"))
	if f.stateItem.Required || f.zipItem.Required {
		t.Error("state and postal code are still required for El Salvador")
	}
	test.Type(f.phone, "2222 3333")
	f.language.SetSelected(intl.LanguageLabel("es"))
	f.interpreter.SetChecked(true)
	f.insurance.SetSelected("Self-pay")
	tapButton(t, u, w, "Save chart")
	e := u.editor
	if e.order.ID == 0 || e.step != stepProvider {
		t.Fatalf("chart not saved: %q", f.problems.Text)
	}
	p, err := st.Patient(ctx, e.order.PatientID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Address.Country != "SV" || p.Phone != "+50322223333" || p.Language != "es" || !p.InterpreterNeeded || p.Address.State != "" {
		t.Fatalf("chart stored as %+v", p)
	}

	e.providerSel.SetSelected(prov.DisplayName())
	tapButton(t, u, w, "Accept and continue")
	e.deptRadio.SetSelected("Hematology")
	e.prioRadio.SetSelected("Urgent")
	tapButton(t, u, w, "Accept and continue")
	test.Type(e.reasonEntry, "Multiple myeloma; evaluation for stem cell transplant")
	tapButton(t, u, w, "Accept and continue")
	e.diag.add(app.Diagnosis{Code: "C90.00", Description: "Multiple myeloma not having achieved remission"})
	tapButton(t, u, w, "Accept and continue")
	e.quest.location.SetSelected("Jacksonville, Florida")
	if !strings.Contains(e.quest.locInfo.Text, "fax 904-953-7329") {
		t.Errorf("question panel does not show the international fax: %q", e.quest.locInfo.Text)
	}
	e.quest.images.SetSelected("No")
	e.quest.records.SetSelected("No")
	tapButton(t, u, w, "Accept and continue")
	tapButton(t, u, w, "Accept and continue")
	tapButton(t, u, w, "Accept and continue")
	u.Idle()
	if e.step != stepReview {
		t.Fatalf("at step %d, want review", e.step)
	}
	if len(e.review.issues) != 0 {
		t.Fatalf("review lists problems: %+v", e.review.issues)
	}
	var summary []string
	for _, it := range e.review.summary.Items {
		if l, ok := it.Widget.(*widget.Label); ok {
			summary = append(summary, it.Text+": "+l.Text)
		}
	}
	all := strings.Join(summary, "\n")
	for _, want := range []string{"Licence 12345 (SV)", "español — Spanish (es); interpreter needed", "San Salvador, El Salvador\n+503 2222 3333", "International order", "fax 904-953-7329"} {
		if !strings.Contains(all, want) {
			t.Errorf("review lacks %q:\n%s", want, all)
		}
	}
	tapButton(t, u, w, "Fax form…")
	u.Idle()
	matches, _ := filepath.Glob(filepath.Join(u.deps.DataDir, "fax", e.order.UUID, "*.pdf"))
	if len(matches) != 1 {
		t.Fatalf("fax form files: %v", matches)
	}
	tapButton(t, u, w, "Sign order")
	tapButton(t, u, w, "Sign")
	o, err := st.Order(ctx, e.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != app.StatusQueued {
		t.Fatalf("order status %q, want queued", o.Status)
	}
}

// The provider form saves a provider without an NPI when the licence and its country are given,
// and refuses one with neither.
func TestProviderFormLicence(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	u, _ := newTestUI(t, testDeps(t, st))
	s := newProvidersScreen(u, func() {})
	test.Type(s.family, "Martínez")
	test.Type(s.given, "Rosa")
	s.submit()
	if !strings.Contains(s.msg.Text, "licence number") {
		t.Fatalf("no identifier accepted: %q", s.msg.Text)
	}
	test.Type(s.intl.licence, "12345")
	s.intl.licenceCountry.SetSelected(intl.CountryLabel("SV"))
	test.Type(s.intl.authority, "Junta de Vigilancia de la Profesión Médica")
	s.intl.country.SetSelected(intl.CountryLabel("SV"))
	if s.intl.stateItem.Text != "State or region" {
		t.Errorf("state label for SV %q", s.intl.stateItem.Text)
	}
	test.Type(s.intl.city, "San Salvador")
	test.Type(s.intl.phone, "2555 0100")
	s.submit()
	u.Idle()
	ps, err := st.Providers(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("providers %+v (%s)", ps, s.msg.Text)
	}
	p := ps[0]
	if p.NPI != "" || p.LicenceCountry != "SV" || p.LicenceNumber != "12345" || p.PracticePhone != "+50325550100" || p.PracticeAddress.Country != "SV" {
		t.Fatalf("stored %+v", p)
	}
}
