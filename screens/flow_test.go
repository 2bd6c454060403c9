package screens

import (
	"bytes"
	"context"
	"crypto/sha1" //nolint:gosec // the attachment hash is SHA-1 by definition
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

// fillChart types a complete new chart into the form the way a user would.
func fillChart(t *testing.T, u *UI, w interface{}, family, given, dob string) {
	t.Helper()
	f := u.editor.patientStep.chart
	if f == nil {
		t.Fatal("the new chart form is not showing")
	}
	test.Type(f.family, family)
	test.Type(f.given, given)
	test.Type(f.dob, dob)
	f.sex.SetSelected("female")
	test.Type(f.line, "200 First St SW")
	test.Type(f.city, "Rochester")
	test.Type(f.state, "MN")
	test.Type(f.zip, "55905")
	test.Type(f.phone, "(507) 555-0100")
	f.insurance.SetSelected("HMO")
}

func addProvider(t *testing.T, st interface {
	SaveProvider(context.Context, *app.Provider) error
}, npi string,
) app.Provider {
	t.Helper()
	p := app.Provider{Family: "Okafor", Given: "Adaeze", Credentials: "MD", NPI: npi, Active: true}
	if err := st.SaveProvider(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// enterOrderUpToDiagnosis taps from the home screen through a new chart to the diagnosis step.
func enterOrderUpToDiagnosis(t *testing.T, u *UI, w interface{}) {
	t.Helper()
	win := u.win
	tapButton(t, u, win, "Place an order")
	if u.editor == nil || u.editor.step != stepPatient {
		t.Fatal("Place an order did not open the patient step")
	}
	tapButton(t, u, win, "Create a new chart")
	fillChart(t, u, w, "Núñez", "María", "03/14/1961")
	tapButton(t, u, win, "Save chart")
	e := u.editor
	if e.order.ID == 0 || e.step != stepProvider {
		t.Fatalf("after saving the chart: order %d at step %d, want a draft at the provider step", e.order.ID, e.step)
	}
	e.providerSel.SetSelected("Okafor, Adaeze, MD")
	tapButton(t, u, win, "Accept and continue")
	e.deptRadio.SetSelected("Endocrinology")
	e.prioRadio.SetSelected("Urgent")
	tapButton(t, u, win, "Accept and continue")
	test.Type(e.reasonEntry, "Poorly controlled diabetes despite two agents")
	tapButton(t, u, win, "Accept and continue")
	if e.step != stepDiagnosis {
		t.Fatalf("at step %d, want diagnosis", e.step)
	}
}

func finishOrder(t *testing.T, u *UI, pdf string) {
	t.Helper()
	win, e := u.win, u.editor
	test.Type(e.diag.search, "type 2 diabetes")
	u.Idle()
	var picked bool
	for _, d := range e.diag.results {
		if d.Code == "E11.9" {
			e.diag.add(d)
			picked = true
		}
	}
	if !picked {
		t.Fatalf("keyword search did not offer E11.9: %v", e.diag.results)
	}
	tapButton(t, u, win, "Accept and continue")
	e.quest.location.SetSelected("Rochester, Minnesota")
	e.quest.images.SetSelected("No")
	e.quest.records.SetSelected("Yes")
	test.Type(e.quest.payer, "Blue Cross MN")
	tapButton(t, u, win, "Accept and continue")
	e.addFiles([]string{pdf})
	u.Idle()
	if len(e.order.Attachments) != 1 {
		t.Fatalf("attachments = %d, want 1", len(e.order.Attachments))
	}
	e.attach.describe(pdf, "3-page PDF of medical records")
	tapButton(t, u, win, "Accept and continue")
	test.Type(e.comment, "Mornings preferred")
	tapButton(t, u, win, "Accept and continue")
	if e.step != stepReview {
		t.Fatalf("at step %d, want review", e.step)
	}
	if len(e.review.issues) != 0 {
		t.Fatalf("review lists problems for a complete order: %+v", e.review.issues)
	}
	tapButton(t, u, win, "Sign order")
	tapButton(t, u, win, "Sign")
}

func TestOrderFlowStoresEverythingAndSigns(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	prov := addProvider(t, st, "1234567893")
	u, w := newTestUI(t, testDeps(t, st))

	enterOrderUpToDiagnosis(t, u, w)
	id := u.editor.order.ID
	finishOrder(t, u, writeFile(t, dir, "records.pdf", 2048))

	ctx := context.Background()
	o, err := st.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// The provider signed (the dialog's default): the signer is the person, never the computer login.
	if o.Status != app.StatusQueued || o.SignedBy != "Dr Adaeze Okafor" {
		t.Fatalf("status %q signed by %q, want queued, signed by Dr Adaeze Okafor", o.Status, o.SignedBy)
	}
	p, err := st.Patient(ctx, o.PatientID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Family != "Núñez" || p.Given != "María" || app.FormatDate(p.BirthDate) != "1961-03-14" || p.InsuranceType != "HMO" {
		t.Fatalf("patient stored as %+v", p)
	}
	checks := map[string]bool{
		"provider":   o.ProviderID == prov.ID,
		"department": o.Department == "endocrinology",
		"priority":   o.Priority == app.PriorityUrgent,
		"reason":     strings.Contains(o.Reason, "Poorly controlled"),
		"diagnosis":  len(o.Diagnoses) == 1 && o.Diagnoses[0].Code == "E11.9",
		"location":   o.Location != "",
		"answers":    o.UploadImages == app.AnswerNo && o.UploadRecords == app.AnswerYes,
		"insurance":  o.Insurance.Payer == "Blue Cross MN",
		"attachment": len(o.Attachments) == 1 && o.Attachments[0].Description == "3-page PDF of medical records" && o.Attachments[0].SHA1 != "",
		"comment":    o.SchedulingComment == "Mornings preferred",
	}
	for k, ok := range checks {
		if !ok {
			t.Errorf("%s not stored as entered: %+v", k, o)
		}
	}
	out, err := st.Outbox(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].OrderID != id {
		t.Fatalf("outbox = %+v, want exactly one entry for order %d", out, id)
	}
	if u.editor != nil || u.home == nil {
		t.Fatal("after signing the app should be back home")
	}
	if !strings.Contains(u.status.Text, "1 signed order waiting") {
		t.Fatalf("status bar says %q", u.status.Text)
	}
}

// An order entered while offline survives closing the app and is signed with one outbox entry.
func TestDraftSurvivesRestartAndSignsOnce(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rd.db")
	st := openStore(t, dbPath)
	addProvider(t, st, "1234567893")
	u, w := newTestUI(t, testDeps(t, st))
	enterOrderUpToDiagnosis(t, u, w)
	id := u.editor.order.ID
	// Quit without any explicit save: every change was already written as the user typed.
	u.Idle()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2 := openStore(t, dbPath)
	defer st2.Close()
	u2, _ := newTestUI(t, testDeps(t, st2))
	tapButton(t, u2, u2.win, "Resume")
	if u2.editor == nil || u2.editor.order.ID != id {
		t.Fatal("Resume did not reopen the draft")
	}
	if u2.editor.step != stepDiagnosis {
		t.Fatalf("Resume opened step %d, want the diagnosis step where the user left off", u2.editor.step)
	}
	e := u2.editor
	if e.order.Reason != "Poorly controlled diabetes despite two agents" || e.order.Department != "endocrinology" || e.order.Priority != app.PriorityUrgent {
		t.Fatalf("draft not restored: %+v", e.order)
	}
	e.goTo(stepDiagnosis)
	u2.Idle()
	finishOrder(t, u2, writeFile(t, dir, "records.pdf", 1024))

	out, err := st2.Outbox(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("outbox has %d entries, want 1", len(out))
	}
	// Signing again (e.g. a double click that got through) must not queue it twice.
	if err := st2.SignOrder(context.Background(), id, app.Signature{SignerName: "dr.tester", SignerRole: app.SignerStaff}, fixedNow); err == nil {
		t.Fatal("second sign succeeded")
	}
}

func TestReviewBlocksSignUntilComplete(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	addProvider(t, st, "1234567890") // fails the check digit
	ctx := context.Background()
	child := app.Patient{
		Family: "Young", Given: "Ada", BirthDate: fixedNow.AddDate(-9, 0, 0), Sex: app.SexFemale,
		Address: app.Address{Line: "1 Main St", City: "Phoenix", State: "AZ", PostalCode: "85004"}, Phone: "602-555-0100", InsuranceType: "HMO",
	}
	if err := st.CreatePatient(ctx, &child); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, w, "Place an order")
	ps := u.editor.patientStep
	test.Type(ps.search, "young, a")
	u.Idle()
	if len(ps.results) != 1 {
		t.Fatalf("search found %d patients, want 1", len(ps.results))
	}
	ps.list.Select(0)
	u.Idle()
	e := u.editor
	e.providerSel.SetSelected(e.providerSel.Options[0])
	e.goTo(stepQuestions)
	e.quest.location.SetSelected("Phoenix/Scottsdale, Arizona")
	e.quest.records.SetSelected("Yes")
	e.goTo(stepReview)
	u.Idle()
	var all []string
	for _, p := range e.review.issues {
		all = append(all, catalog.Default().Text(p.Msg))
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"NPI", "diagnos", "Rochester", "reason", "department", "record"} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) {
			t.Errorf("readiness check does not mention %q:\n%s", want, text)
		}
	}
	if !e.review.sign.Disabled() {
		t.Fatal("Sign is enabled for an incomplete order")
	}
	out, _ := st.Outbox(ctx, "")
	if len(out) != 0 {
		t.Fatal("an incomplete order reached the outbox")
	}
}

func TestDuplicateChartOffersExisting(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	ctx := context.Background()
	dob, _ := app.ParseDate("1961-03-14")
	existing := app.Patient{
		Family: "Nunez", Given: "Maria", BirthDate: dob, Sex: app.SexFemale, MRN: "555",
		Address: app.Address{Line: "1 Main", City: "Rochester", State: "MN", PostalCode: "55901"}, Phone: "5075550100", InsuranceType: "HMO",
	}
	if err := st.CreatePatient(ctx, &existing); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, w, "Finish later") // a new installation opens the first-start setup
	tapButton(t, u, w, "Place an order")
	tapButton(t, u, w, "Create a new chart")
	fillChart(t, u, w, "NÚÑEZ", "Marisol", "1961-03-14")
	tapButton(t, u, w, "Save chart")
	tapButton(t, u, w, "Use the existing chart")
	if u.editor.order.PatientID != existing.ID {
		t.Fatalf("order patient %d, want the existing chart %d", u.editor.order.PatientID, existing.ID)
	}
	n, _ := st.CountPatients(ctx)
	if n != 1 {
		t.Fatalf("%d patients stored, want 1 (no duplicate)", n)
	}
}

func TestChartFormRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, w, "Finish later") // a new installation opens the first-start setup
	tapButton(t, u, w, "Place an order")
	tapButton(t, u, w, "Create a new chart")
	f := u.editor.patientStep.chart
	test.Type(f.family, "Doe")
	test.Type(f.dob, "2099-01-01")
	tapButton(t, u, w, "Save chart")
	msg := f.problems.Text
	for _, want := range []string{"first name", "future", "phone"} {
		if !strings.Contains(strings.ToLower(msg), want) {
			t.Errorf("problems do not mention %q: %s", want, msg)
		}
	}
	n, _ := st.CountPatients(context.Background())
	if n != 0 {
		t.Fatal("an invalid chart was saved")
	}
}

func TestFaxFormFromReview(t *testing.T) {
	u, w, _, _ := startOrder(t)
	e := u.editor
	e.goTo(stepQuestions)
	e.quest.location.SetSelected("Rochester, Minnesota")
	e.goTo(stepReview)
	u.Idle()
	tapButton(t, u, w, "Fax form…")
	matches, _ := filepath.Glob(filepath.Join(u.deps.DataDir, "fax", e.order.UUID, "*.pdf"))
	if len(matches) != 1 || filepath.Base(matches[0]) != "Núñez, María 1961-03-14 fax.pdf" {
		t.Fatalf("fax form files: %v", matches)
	}
}

func TestEnterConfirmsAndEscapeCancelsDialogs(t *testing.T) {
	u, w, st, _ := startOrder(t)
	id := u.editor.order.ID
	tapButton(t, u, w, "Discard draft")
	w.Canvas().Unfocus()
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	u.Idle()
	if _, err := st.Order(context.Background(), id); err != nil {
		t.Fatal("Escape discarded the draft")
	}
	tapButton(t, u, w, "Discard draft")
	w.Canvas().Unfocus()
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	u.Idle()
	if _, err := st.Order(context.Background(), id); err == nil {
		t.Fatal("Enter did not confirm the discard")
	}
}

// jpegWithGPS makes a small JPEG carrying an Exif block with a GPS position.
func jpegWithGPS(t *testing.T, dir string) string {
	t.Helper()
	var img bytes.Buffer
	if err := jpeg.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8)
	// IFD0: one entry, GPSInfo (0x8825) pointing at the GPS IFD at offset 26.
	tiff = le.AppendUint16(tiff, 1)
	tiff = append(le.AppendUint16(le.AppendUint16(tiff, 0x8825), 4), 1, 0, 0, 0)
	tiff = le.AppendUint32(tiff, 26)
	tiff = le.AppendUint32(tiff, 0)
	// GPS IFD: GPSLatitudeRef = "N".
	tiff = le.AppendUint16(tiff, 1)
	tiff = append(le.AppendUint16(le.AppendUint16(tiff, 0x0001), 2), 2, 0, 0, 0, 'N', 0, 0, 0)
	tiff = le.AppendUint32(tiff, 0)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xFF, 0xE1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}, app1...)
	data := append(append([]byte{0xFF, 0xD8}, seg...), img.Bytes()[2:]...)
	p := filepath.Join(dir, "wound photo.jpg")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPhotoAttachmentLosesLocation(t *testing.T) {
	u, _, _, dir := startOrder(t)
	e := u.editor
	orig := jpegWithGPS(t, dir)
	e.addFiles([]string{orig})
	u.Idle()
	if len(e.order.Attachments) != 1 {
		t.Fatalf("attachments %+v", e.order.Attachments)
	}
	at := e.order.Attachments[0]
	if at.Path == orig || at.Kind != app.KindPhoto {
		t.Fatalf("the photo itself was attached, not a copy without location: %+v", at)
	}
	data, err := os.ReadFile(at.Path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte{0x25, 0x88}) || !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
		t.Fatal("the attached copy still carries the GPS pointer")
	}
	if fi, _ := os.Stat(at.Path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("copy mode %v", fi.Mode().Perm())
	}
}

// Seen (issue 12 §6): a second photo called like the first overwrote the first one's copy.
func TestPhotosWithTheSameNameKeepBothCopies(t *testing.T) {
	u, _, _, dir := startOrder(t)
	e := u.editor
	var photos []string
	for i, shade := range []uint8{30, 220} {
		var img bytes.Buffer
		g := image.NewGray(image.Rect(0, 0, 8, 8))
		for j := range g.Pix {
			g.Pix[j] = shade
		}
		if err := jpeg.Encode(&img, g, nil); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "camera"+strconv.Itoa(i), "IMG_0001.JPG")
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, img.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		photos = append(photos, p)
	}
	e.addFiles(photos)
	u.Idle()
	e.addFiles(photos[:1]) // the same photo again: already attached, no third copy
	u.Idle()
	ats := e.order.Attachments
	if len(ats) != 2 || ats[0].Path == ats[1].Path || ats[0].SHA1 == ats[1].SHA1 {
		t.Fatalf("attachments %+v", ats)
	}
	copies, _ := os.ReadDir(filepath.Dir(ats[0].Path))
	if len(copies) != 2 {
		t.Fatalf("%d copies in the private folder", len(copies))
	}
	for _, a := range ats {
		data, err := os.ReadFile(a.Path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha1.Sum(data)); got != a.SHA1 {
			t.Fatalf("%s no longer holds the photo that was attached", a.Path)
		}
	}
}
