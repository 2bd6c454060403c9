package screens

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/ehrimport"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/users"
)

// ScreenSize is the window size used for screenshots (a common laptop size).
var ScreenSize = fyne.NewSize(1200, 760)

// RenderAll draws every screen with the data in deps, using Fyne's in-memory driver (no display
// needed), and writes one PNG per screen into outDir. deps should hold demo data only.
func RenderAll(outDir string, deps Deps) ([]string, error) {
	// Private like every file the app writes, although the screens should show demo data only.
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return nil, fmt.Errorf("screens: %w", err)
	}
	syncFyneLanguage()
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	w := test.NewWindow(nil)
	w.Resize(ScreenSize)
	u := newUI(w, deps, true)
	u.Idle()

	var files []string
	shot := func(name string) error {
		u.Idle()
		path := filepath.Join(outDir, name+".png")
		if err := writePNG(path, capture(w)); err != nil {
			return err
		}
		files = append(files, path)
		return nil
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"setup", func() {
			u.ShowSetup(1)
			u.Idle()
			u.setupClinic.set(app.Clinic{
				Name: "Lakeside Family Medicine", AddressLines: []string{"120 Lake Street"}, City: "Winona",
				State: "MN", PostalCode: "55987", Country: "US", Phone: "507-555-0142", Fax: "507-555-0143",
			})
		}},
		{"home", func() { u.ShowHome() }},
		{"quick-links", func() { u.home.tabs.SelectIndex(tabQuickLinks) }},
		{"patient-search", func() {
			u.NewOrder()
			u.Idle()
			q := "smi"
			if r := u.editor.patientStep.results; len(r) > 0 {
				q = string([]rune(r[0].Family)[:3])
			}
			test.Type(u.editor.patientStep.search, q)
		}},
		{"new-chart", func() {
			f := showChartForm(u, u.editor.patientStep.prefill(), func(app.Patient) {}, func() {})
			test.Type(f.dob, "1980-02-30")
			f.submit()
		}},
		{"order-diagnosis", func() {
			u.NewOrder()
			u.Idle()
			ps := u.editor.patientStep
			if len(ps.results) > 0 {
				ps.choose(ps.results[0])
			}
			u.Idle()
			u.editor.goTo(stepDiagnosis)
			u.Idle()
			test.Type(u.editor.diag.search, "type 2 diabetes")
		}},
		{"order-questions", func() {
			u.editor.goTo(stepQuestions)
			if len(deps.Profile.Locations) > 2 {
				u.editor.quest.location.SetSelected(deps.Profile.Locations[2].Label(uiLang()))
			}
			u.editor.quest.images.SetSelected("No")
			u.editor.quest.records.SetSelected("Yes")
		}},
		{"packet", func() {
			u.editor.goTo(stepAttachments)
			ps := u.editor.showPacket()
			ps.addPaths(sampleRecords(u.editor, deps.DataDir))
			u.Idle()
			ps.list.Select(0)
		}},
		{"review", func() { u.editor.goTo(stepReview) }},
		{"import", func() {
			u.NewOrder()
			u.Idle()
			u.showImported(sampleImport())
		}},
		{"providers", func() { u.ShowProviders() }},
		{"account", func() { u.ShowAccount() }},
		{"settings", func() { u.ShowSettings() }},
		{"activity", func() { u.ShowActivity() }},
		{"users", func() { u.ShowUsers() }},
		{"lock", func() { u.lockNow() }},
		{"lock-forgot", func() { showSampleForgot(u) }},
	}
	for _, s := range steps {
		s.do()
		if err := shot(s.name); err != nil {
			return files, err
		}
		for o := w.Canvas().Overlays().Top(); o != nil; o = w.Canvas().Overlays().Top() {
			w.Canvas().Overlays().Remove(o) // a dialog belongs to its own screenshot only
		}
	}
	u.unlock(u.current)
	return files, nil
}

// showSampleForgot shows "Forgot PIN?" for sample people and a sample account, for its screenshot
// (the demo database has no users, and nothing here is saved or sent).
func showSampleForgot(u *UI) {
	l := u.lockView
	if l == nil {
		return
	}
	people := []users.User{
		{ID: -1, Name: "Mia Lund", Role: users.RoleStaff, Admin: true, Active: true},
		{ID: -2, Name: "Ana Ruiz", Role: users.RoleStaff, Active: true},
	}
	l.fill(people)
	l.who.SetSelected(people[1].Name)
	f := &forgotPIN{l: l, who: people[1], acct: creds.Account{FHIRBase: "https://fhir.example.org/R4", User: "clinic-frontdesk"}}
	l.recover = f
	l.showForgotDialog(f.signInStep(), "")
}

// sampleImport is a synthetic EHR export as read, for the screenshot of the import dialog.
func sampleImport() Imported {
	born := ehrimport.Date{Time: time.Date(1961, 3, 14, 0, 0, 0, 0, time.UTC), Precision: ehrimport.PrecisionDay}
	doc := &ehrimport.Document{
		Format: "C-CDA R2.1", DocType: "Referral Note", Title: "Referral Note",
		Patient: ehrimport.PatientInfo{
			Names: []ehrimport.Name{{Family: "Sample", Given: []string{"Maria"}}}, BirthDate: born, Sex: app.SexFemale,
		},
		Problems:    []ehrimport.Problem{{Name: "Type 2 diabetes mellitus", Active: true}, {Name: "Essential hypertension", Active: true}},
		Medications: []ehrimport.Medication{{Name: "Metformin 500 mg"}},
		Warnings:    []string{"the file declares UTF-8 but holds Windows-1252 bytes; read as Windows-1252"},
		Skipped:     []string{"section Vital Signs (coded entries not read)"},
	}
	return Imported{Doc: doc, Match: ehrimport.Match{Kind: ehrimport.MatchNone}, Files: make([]app.PacketInput, 1)}
}

// sampleRecords writes two small synthetic record PDFs for the packet screenshot.
func sampleRecords(e *orderEditor, dir string) []string {
	var out []string
	for i, what := range []string{"Cardiology consult", "Laboratory results"} {
		path := filepath.Join(dir, fmt.Sprintf("sample-%d.pdf", i+1))
		info := packet.FaxInfo{
			Institution: what, FaxNumber: "555-0100", Patient: e.patientIDs(), Reason: what + " (synthetic sample)",
			Date: time.Date(2026, time.Month(9-i*3), 10, 0, 0, 0, 0, time.UTC),
		}
		if err := packet.FaxForm(context.Background(), info, path); err == nil {
			out = append(out, path)
		}
	}
	return out
}

// lightTheme is the default theme in its light variant, so screenshots do not follow the machine's setting.
type lightTheme struct{ fyne.Theme }

func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}

// capture paints the window's content (and any dialog on top) with the software renderer.
func capture(w fyne.Window) image.Image {
	content := w.Content()
	overlays := w.Canvas().Overlays().List()
	c := software.NewCanvas()
	c.SetPadded(false)
	c.SetContent(content)
	for _, o := range overlays {
		c.Overlays().Add(o)
	}
	c.Resize(w.Canvas().Size())
	img := c.Capture()
	w.SetContent(content)
	for _, o := range overlays {
		w.Canvas().Overlays().Add(o)
	}
	return img
}

func writePNG(path string, img image.Image) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("screens: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("screens: encode %s: %w", path, err)
	}
	return f.Close()
}
