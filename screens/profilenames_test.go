package screens

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/referraldesk/referraldesk/app/catalog"
)

// In Spanish the chart's insurance types, the order's departments and the campuses are shown with
// the profile's Spanish names, and the chart and the order still store the canonical English
// name and the code.
func TestProfileNamesInTheChosenLanguage(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	addProvider(t, st, "1234567893")
	ctx := context.Background()
	SetLanguage("es")
	t.Cleanup(func() { SetLanguage("en") })
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, w, catalog.T(catalog.UIHomePlaceOrder))
	tapButton(t, u, w, catalog.T(catalog.UIPatientsCreateNewChart))
	f := u.editor.patientStep.chart
	if !slices.Contains(f.insurance.Options, "Compensación para trabajadores") || slices.Contains(f.insurance.Options, "Workers' compensation") {
		t.Fatalf("insurance choices in Spanish: %q", f.insurance.Options)
	}
	test.Type(f.family, "Ruiz")
	test.Type(f.given, "Ana")
	test.Type(f.dob, "1970-01-02")
	f.sex.SetSelected(f.sex.Options[0])
	test.Type(f.line, "1 Main St")
	test.Type(f.city, "Winona")
	test.Type(f.state, "MN")
	test.Type(f.zip, "55987")
	test.Type(f.phone, "507 555 0100")
	f.insurance.SetSelected("Compensación para trabajadores")
	tapButton(t, u, w, catalog.T(catalog.UIChartSaveChart))
	e := u.editor
	if e.order.ID == 0 {
		t.Fatalf("chart not saved: %q", f.problems.Text)
	}
	p, err := st.Patient(ctx, e.order.PatientID)
	if err != nil {
		t.Fatal(err)
	}
	if p.InsuranceType != "Workers' compensation" {
		t.Fatalf("insurance stored as %q, want the profile's English name", p.InsuranceType)
	}
	e.providerSel.SetSelected(e.providerSel.Options[0])
	tapButton(t, u, w, catalog.T(catalog.UIOrderAcceptContinue))
	if !slices.Contains(e.deptRadio.options, "Hematología") || !slices.Contains(e.deptRadio.options, "Neurología y neurocirugía") {
		t.Fatalf("departments in Spanish: %q", e.deptRadio.options)
	}
	e.deptRadio.SetSelected("Hematología")
	if e.order.Department != "hematology" {
		t.Fatalf("department stored as %q, want the code", e.order.Department)
	}
	q := newQuestionStep(e)
	if !slices.Contains(q.location.Options, "Jacksonville, Florida") {
		t.Fatalf("campuses: %q", q.location.Options)
	}
	SetLanguage("zh-Hans")
	q = newQuestionStep(e)
	q.location.SetSelected("佛罗里达州杰克逊维尔")
	if e.order.Location != "florida" {
		t.Fatalf("location stored as %q, want the code", e.order.Location)
	}
}
