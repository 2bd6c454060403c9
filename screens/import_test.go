package screens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/ehrimport"
	"github.com/referraldesk/referraldesk/local"
)

// fileImporter is main's importer without the lazy loading: the real parser, suggestions from the
// real ICD-10-CM index, the real chart match and files written in the test's data folder.
type fileImporter struct {
	st  *local.Store
	dir string
}

func (im fileImporter) Import(_ context.Context, path string) (Imported, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Imported{}, err
	}
	doc, err := ehrimport.Parse(data)
	if err != nil {
		return Imported{}, err
	}
	ehrimport.Suggest(testIndex, doc)
	m, err := ehrimport.MatchPatient(context.Background(), im.st, doc)
	if err != nil {
		return Imported{}, err
	}
	files, err := ehrimport.WriteFiles(doc, im.dir)
	return Imported{Doc: doc, Match: m, Files: files}, err
}

// A clerk drops the clinic's C-CDA on the window: the chart comes prefilled for checking, the order
// starts for it, the document's problems are suggested in the diagnosis step, and the document is
// in the records packet at its own date.
func TestDropCCDAStartsPrefilledOrder(t *testing.T) {
	src := filepath.Join("..", "..", "shared", "data", "ccda", "Referral_Note--Referral_Note.xml")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("shared C-CDA examples not found (%v): skipping the import GUI test", err)
	}
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	t.Cleanup(func() { st.Close() })
	addProvider(t, st, "1234567893")
	deps := testDeps(t, st)
	deps.Imports = fileImporter{st: st, dir: filepath.Join(dir, "imports")}
	u, w := newTestUI(t, deps)

	f := dropAndSaveChart(t, u, w, src)
	e := u.editor
	if e.order.ID == 0 {
		t.Fatalf("no order started after saving the imported chart: %s", f.problems.Text)
	}
	if e.imported == nil {
		t.Fatal("the order does not carry the import")
	}
	ins, err := st.PacketInputs(context.Background(), e.order.ID)
	if err != nil || len(ins) == 0 {
		t.Fatalf("the imported document is not in the records packet: %v %v", ins, err)
	}
	if ins[0].Date.IsZero() {
		t.Errorf("the imported document has no date for the packet's chronology: %+v", ins[0])
	}
	e.goTo(stepDiagnosis)
	u.Idle()
	var suggested bool
	for _, dx := range e.diag.results {
		if strings.HasPrefix(dx.Why, "from the imported document") {
			suggested = true
		}
	}
	if !suggested {
		t.Errorf("no diagnosis suggested from the import; results %+v", e.diag.results)
	}
}

// dropAndSaveChart drops an EHR export on the window, takes the prefilled new chart, completes what
// the file does not carry and saves it: the imported order starts.
func dropAndSaveChart(t *testing.T, u *UI, w fyne.Window, src string) *chartForm {
	t.Helper()
	u.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(src)})
	u.Idle()
	tapButton(t, u, w, "Create a new chart from the import (check it first)")
	f := u.editor.patientStep.chart
	if f == nil || f.family.Text == "" || f.dob.Text == "" {
		t.Fatalf("the chart form is not prefilled from the import")
	}
	// What a C-CDA does not carry (the insurance type) the clerk completes.
	f.insurance.SetSelected("HMO")
	if f.sex.Selected == "" {
		f.sex.SetSelected("female")
	}
	if strings.TrimSpace(f.phone.Text) == "" {
		f.phone.SetText("507-555-0100")
	}
	if f.line.Text == "" {
		f.line.SetText("1 Main St")
	}
	if f.city.Text == "" {
		f.city.SetText("Rochester")
	}
	if len(f.state.Text) != 2 {
		f.state.SetText("MN")
	}
	if f.zip.Text == "" {
		f.zip.SetText("55901")
	}
	tapButton(t, u, w, "Save chart")
	return f
}

// The imported order's suggestions, medications and allergies survive closing the app: a new
// window on the same database resumes the draft with them.
func TestImportedSuggestionsSurviveRestart(t *testing.T) {
	src := filepath.Join("..", "..", "shared", "data", "ccda", "Referral_Note--Referral_Note.xml")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("shared C-CDA examples not found (%v): skipping the import GUI test", err)
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rd.db")
	st := openStore(t, dbPath)
	addProvider(t, st, "1234567893")
	deps := testDeps(t, st)
	deps.Imports = fileImporter{st: st, dir: filepath.Join(dir, "imports")}
	u, w := newTestUI(t, deps)
	dropAndSaveChart(t, u, w, src)
	e := u.editor
	if e.order.ID == 0 || e.imported == nil {
		t.Fatal("the imported order did not start")
	}
	id := e.order.ID
	e.goTo(stepDiagnosis)
	u.Idle()
	var before []string
	for _, dx := range e.diag.results {
		if strings.HasPrefix(dx.Why, "from the imported document") {
			before = append(before, dx.Code)
		}
	}
	if len(before) == 0 {
		t.Fatal("the diagnosis step suggests nothing from the import before the restart")
	}
	// Quit: nothing but what was written as the user went.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2 := openStore(t, dbPath)
	defer st2.Close()
	u2, w2 := newTestUI(t, testDeps(t, st2)) // no importer: the summary comes from the database
	tapButton(t, u2, w2, "Resume")
	e2 := u2.editor
	if e2 == nil || e2.order.ID != id || e2.step != stepDiagnosis {
		t.Fatalf("Resume did not reopen the imported draft at the diagnosis step: %+v", e2)
	}
	if e2.imported == nil {
		t.Fatal("the resumed draft lost its import")
	}
	var after []string
	for _, dx := range e2.diag.results {
		if strings.HasPrefix(dx.Why, "from the imported document") {
			after = append(after, dx.Code)
		}
	}
	if strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("diagnosis step after the restart suggests %v, want %v", after, before)
	}
	e2.goTo(stepReview)
	u2.Idle()
	texts := map[string]string{}
	for _, it := range e2.review.summary.Items {
		if l, ok := it.Widget.(*widget.Label); ok {
			texts[it.Text] = l.Text
		}
	}
	meds, allergies := texts["Medications (from the EHR export)"], texts["Allergies (from the EHR export)"]
	if !strings.Contains(meds, "atenolol 25 MG Oral Tablet") || !strings.Contains(meds, "albuterol") {
		t.Errorf("review page medications after the restart: %q", meds)
	}
	if !strings.Contains(allergies, "Penicillin") || !strings.Contains(allergies, "codeine") {
		t.Errorf("review page allergies after the restart: %q", allergies)
	}
}

// The chart form shows the clinic's MRN from the export and the saved chart keeps it with its
// system; a number typed instead is the clinic's own (no system).
func TestImportedClinicMRNOnChartForm(t *testing.T) {
	src := filepath.Join("..", "..", "shared", "data", "ccda", "Discharge_Summary--Discharge_Summary.xml")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("shared C-CDA examples not found (%v): skipping the import GUI test", err)
	}
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	t.Cleanup(func() { st.Close() })
	addProvider(t, st, "1234567893")
	deps := testDeps(t, st)
	deps.Imports = fileImporter{st: st, dir: filepath.Join(dir, "imports")}
	u, w := newTestUI(t, deps)
	f := dropAndSaveChart(t, u, w, src)
	if f.clinicMRN.Text != "998991" {
		t.Errorf("Clinic's MRN field = %q, want the export's 998991", f.clinicMRN.Text)
	}
	p, err := st.Patient(context.Background(), u.editor.order.PatientID)
	if err != nil {
		t.Fatal(err)
	}
	if p.ClinicMRN != "998991" || p.ClinicMRNSystem != "urn:oid:2.16.840.1.113883.19.5.99999.2" {
		t.Errorf("saved chart's clinic MRN %q %q", p.ClinicMRN, p.ClinicMRNSystem)
	}
	f.clinicMRN.SetText("C-42")
	if got := f.patient(); got.ClinicMRN != "C-42" || got.ClinicMRNSystem != "" {
		t.Errorf("a typed number: %q %q, want the clinic's own with no system", got.ClinicMRN, got.ClinicMRNSystem)
	}
}
