package screens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

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
