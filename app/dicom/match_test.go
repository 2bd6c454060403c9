package dicom

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/catalog"

	"github.com/referraldesk/referraldesk/app"
)

func date(s string) time.Time {
	t, err := time.Parse(app.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMatchPatient(t *testing.T) {
	jane := app.Patient{Family: "Doe", Given: "Jane Marie", BirthDate: date("1980-01-02"), MRN: "00123"}
	nunez := app.Patient{Family: "Núñez-O'Brien", Given: "María", BirthDate: date("1975-12-31")}
	cases := []struct {
		name  string
		p     app.Patient
		in    PatientInfo
		ok    bool
		codes []string
	}{
		{"standard PN", jane, PatientInfo{Name: "DOE^JANE", BirthDate: "19800102"}, true, nil},
		{"middle name and suffix", jane, PatientInfo{Name: "Doe^Jane^M^^Jr", BirthDate: "19800102"}, true, nil},
		{"ID with leading zeros proves it", jane, PatientInfo{Name: "DOE^JANE", ID: "123"}, true, nil},
		{"Last, First", jane, PatientInfo{Name: "Doe, Jane", BirthDate: "19800102"}, true, nil},
		{"Given Family", jane, PatientInfo{Name: "Jane Doe", BirthDate: "19800102"}, true, nil},
		{"Given Middle Family", jane, PatientInfo{Name: "jane marie doe", BirthDate: "19800102"}, true, nil},
		{"accents and punctuation", nunez, PatientInfo{Name: "NUNEZ OBRIEN^MARIA", BirthDate: "19751231"}, true, nil},
		{"accents kept", nunez, PatientInfo{Name: "Núñez-O'Brien^María", BirthDate: "1975.12.31"}, true, nil},
		{"other first name", jane, PatientInfo{Name: "DOE^JOHN", BirthDate: "19800102"}, false, []string{CodeName}},
		{"swapped", jane, PatientInfo{Name: "JANE^DOE", BirthDate: "19800102"}, false, []string{CodeNameOrder}},
		{"initial only", jane, PatientInfo{Name: "DOE^J", BirthDate: "19800102"}, false, []string{CodeNameInitial}},
		{"birth date differs", jane, PatientInfo{Name: "DOE^JANE", BirthDate: "19800201"}, false, []string{CodeBirthDate}},
		{"ID differs", jane, PatientInfo{Name: "DOE^JANE", ID: "77654033", BirthDate: "19800102"}, false, []string{CodePatientID}},
		{"name only", jane, PatientInfo{Name: "DOE^JANE"}, false, []string{CodeUnproven}},
		{"no name", jane, PatientInfo{BirthDate: "19800102"}, false, []string{CodeNameMissing}},
		{"everything differs", jane, PatientInfo{Name: "Doe^Archibald", ID: "77654033", BirthDate: "19500101"}, false, []string{CodeName, CodeBirthDate, CodePatientID}},
	}
	for _, c := range cases {
		m := MatchPatient(c.p, c.in)
		if m.OK != c.ok || !slices.Equal(m.Codes, c.codes) {
			t.Errorf("%s: OK=%v codes=%v, want %v %v (reasons %q)", c.name, m.OK, m.Codes, c.ok, c.codes, m.Reasons)
		}
		if len(m.Reasons) != len(m.Codes) {
			t.Errorf("%s: %d reasons for %d codes", c.name, len(m.Reasons), len(m.Codes))
		}
	}
	m := MatchPatient(jane, PatientInfo{Name: "DOE^JOHN", BirthDate: "19800201"})
	want := []string{
		`name differs: the images say "DOE, JOHN", the order says "Doe, Jane Marie"`,
		"birth date differs: the images say 1980-02-01, the order says 1980-01-02",
	}
	var got []string
	for _, r := range m.Reasons {
		got = append(got, catalog.For("en").Text(r))
	}
	if !slices.Equal(got, want) || m.Reasons[0].Code != ReasonName || m.Reasons[1].Code != ReasonBirthDate {
		t.Errorf("reasons:\n%q\nwant\n%q", got, want)
	}
}

// img2dcm makes a one-image DICOM file with DCMTK for the given patient.
func img2dcm(t *testing.T, dir, name string, keys ...string) string {
	t.Helper()
	bin, err := exec.LookPath("img2dcm")
	if err != nil {
		t.Skip("img2dcm (DCMTK) is not installed: scripts/orthanc.sh start installs it, or apt-get install dcmtk")
	}
	src := filepath.Join(dir, "src.jpg")
	if _, err := os.Stat(src); err != nil {
		img := image.NewRGBA(image.Rect(0, 0, 16, 16))
		for i := range img.Pix {
			img.Pix[i] = byte(i)
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, nil); err != nil {
			t.Fatal(err)
		}
		writeFile(t, src, b.Bytes())
	}
	out := filepath.Join(dir, name)
	args := []string{src, out, "-k", "Modality=OT"}
	for _, k := range keys {
		args = append(args, "-k", k)
	}
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("img2dcm: %v\n%s", err, b)
	}
	return out
}

func TestCheckSelectionWithSecondPatient(t *testing.T) {
	if _, err := os.Stat(filepath.Join(sampleDir, "study_77654033")); err != nil {
		t.Skipf("sample DICOM set not found: %v", err)
	}
	dir := t.TempDir()
	// The sample study (Doe^Archibald, ID 77654033, no birth date) plus two studies of
	// another patient, made with img2dcm.
	for _, f := range []string{"CR1/6154", "CT2/17106"} {
		b, err := os.ReadFile(filepath.Join(sampleDir, "study_77654033", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "cd", filepath.FromSlash(f)), b)
	}
	img2dcm(t, dir, "cd/other1", "PatientName=Smith^John", "PatientID=SM-42", "PatientBirthDate=19610704",
		"StudyDate=20240315", "StudyDescription=CHEST", "PatientSex=M")
	img2dcm(t, dir, "cd/other2", "PatientName=Smith^John", "PatientID=SM-42", "PatientBirthDate=19610704",
		"StudyDate=20240316", "StudyDescription=KNEE", "PatientSex=M")
	os.Remove(filepath.Join(dir, "src.jpg"))

	res, err := Scan(context.Background(), filepath.Join(dir, "cd"), ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 0 || len(res.Instances) != 4 || len(res.Patients) != 2 {
		t.Fatalf("scan: %d instances, %d patients, rejected %+v", len(res.Instances), len(res.Patients), res.Rejected)
	}
	smith, doe := res.Patients[0], res.Patients[1]
	if smith.ID != "SM-42" || len(smith.Studies) != 2 || smith.Studies[0].Date != "20240316" || doe.ID != "77654033" {
		t.Fatalf("grouping: %s/%d, %s", smith.ID, len(smith.Studies), doe.ID)
	}

	order := app.Patient{Family: "Doe", Given: "Archibald", MRN: "77654033", BirthDate: date("1950-01-01")}
	// Only Doe's studies: fine.
	if probs := CheckSelection(order, doe.Studies); len(probs) != 0 {
		t.Errorf("Doe's own studies flagged: %+v", probs)
	}
	// Doe's plus one of Smith's: the Smith study is a mismatch; every study is flagged
	// because the selection holds two patients.
	sel := append(slices.Clone(doe.Studies), smith.Studies[1])
	probs := CheckSelection(order, sel)
	if len(probs) != len(sel) {
		t.Fatalf("%d problems for %d studies: %+v", len(probs), len(sel), probs)
	}
	for _, p := range probs {
		if !slices.Contains(p.Codes, CodeSeveralPatients) {
			t.Errorf("study %s: codes %v, want several_patients", p.StudyUID, p.Codes)
		}
		isSmith := p.StudyUID == smith.Studies[1].UID
		if isSmith != slices.Contains(p.Codes, CodeName) || isSmith != slices.Contains(p.Codes, CodeBirthDate) ||
			isSmith != slices.Contains(p.Codes, CodePatientID) {
			t.Errorf("study %s (smith=%v): codes %v", p.StudyUID, isSmith, p.Codes)
		}
	}
	// Smith's studies for Smith: fine; for Doe's order: blocked.
	smithOrder := app.Patient{Family: "Smith", Given: "John", BirthDate: date("1961-07-04")}
	if probs := CheckSelection(smithOrder, smith.Studies); len(probs) != 0 {
		t.Errorf("Smith's studies flagged for Smith: %+v", probs)
	}
	if probs := CheckSelection(order, smith.Studies); len(probs) != 2 {
		t.Errorf("Smith's studies for Doe's order: %d problems", len(probs))
	}
	// A study whose files name two patients.
	mixed := smith.Studies[0]
	mixed.OtherPatients = []PatientInfo{doe.PatientInfo}
	probs = CheckSelection(smithOrder, []Study{mixed})
	if len(probs) != 1 || !slices.Contains(probs[0].Codes, CodeMixedStudy) {
		t.Errorf("mixed study: %+v", probs)
	}
}

func TestPACSText(t *testing.T) {
	p := app.Patient{Family: "Doe", Given: "Jane", BirthDate: date("1980-01-02"), Sex: app.SexFemale, MRN: "123"}
	studies := []Study{{
		UID: "1.2.3", Date: "20240102", Description: "CT HEAD", AccessionNumber: "ACC9",
		Patient: PatientInfo{Name: "DOE^JANE", ID: "X1", BirthDate: "19800102"}, Modalities: []string{"CT"},
		Series: []Series{{UID: "1.2.3.1"}}, Instances: 4,
	}}
	got := PACSText(p, studies, "University Hospital Radiology (AE UHRAD)")
	for _, want := range []string{
		"Destination: University Hospital Radiology (AE UHRAD)",
		"Patient: Doe, Jane", "Date of birth: 1980-01-02", "MRN: 123",
		"1. 2024-01-02  CT  CT HEAD", "Study Instance UID: 1.2.3", "Accession number: ACC9",
		"1 series, 4 images", "Patient in the images: DOE, JANE, ID X1, born 1980-01-02",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("PACS text lacks %q:\n%s", want, got)
		}
	}
}

// A grey image for the photo tests.
func testJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			img.SetGray(x, y, color.Gray{Y: uint8(x * 6)})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
