package referral

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/msg"
)

var now = time.Date(2025, 7, 16, 10, 0, 0, 0, time.UTC)

func date(s string) time.Time {
	t, err := time.Parse(app.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func profile(t *testing.T) *institution.Profile {
	t.Helper()
	p, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func goodPatient() app.Patient {
	return app.Patient{
		ID: 7, Family: "Doe", Given: "Jane", BirthDate: date("1970-03-04"), Sex: app.SexFemale,
		Address:       app.Address{Line: "1 Main St", City: "Winona", State: "MN", PostalCode: "55987"},
		Phone:         "(507) 555-0100",
		InsuranceType: "HMO",
	}
}

func goodProvider() *app.Provider {
	return &app.Provider{ID: 3, Family: "Smith", Given: "Ann", Credentials: "MD", NPI: "1234567893", Active: true}
}

// goodInput is a complete order: Check finds nothing.
func goodInput(t *testing.T) Input {
	return Input{
		Order: app.Order{
			ID: 1, PatientID: 7, ProviderID: 3, Department: "cardiovascular", Priority: app.PriorityRoutine,
			Reason:        "Recurrent syncope; please evaluate for ablation.",
			Diagnoses:     []app.Diagnosis{{Code: "R55", Description: "Syncope and collapse"}, {Code: "I48.91"}},
			Location:      "arizona",
			UploadRecords: app.AnswerYes,
			Attachments: []app.Attachment{
				{FileName: "records.pdf", Description: "13-page PDF of medical records", Kind: app.KindRecords, Size: 2_000_000},
				{FileName: "ecg.jpg", Description: "ECG photo", Kind: app.KindPhoto, Size: 90_000_000},
			},
			Status: app.StatusDraft,
		},
		Patient:  goodPatient(),
		Provider: goodProvider(),
		Profile:  profile(t),
		Now:      now,
	}
}

func TestCheckCompleteOrder(t *testing.T) {
	if ps := Check(goodInput(t)); len(ps) != 0 {
		t.Fatalf("complete order has problems: %v", ps)
	}
	if err := Err(nil); err != nil {
		t.Errorf("Err(nil) = %v", err)
	}
	// A child at Rochester in Pediatrics is fine too.
	in := goodInput(t)
	in.Patient.BirthDate = date("2013-01-01")
	in.Order.Location = "rochester"
	in.Order.Department = "pediatrics"
	if ps := Check(in); len(ps) != 0 {
		t.Fatalf("child at Rochester has problems: %v", ps)
	}
}

// TestCheckEachProblem changes one thing at a time and expects exactly that problem.
func TestCheckEachProblem(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(in *Input)
		field  string
		code   msg.Code
		want   string // in the English catalog's words
	}{
		{"no profile", func(in *Input) { in.Profile = nil }, FieldInstitution, NoProfile, "No institution profile is loaded"},
		{"no patient", func(in *Input) { in.Order.PatientID = 0 }, FieldPatient, NoPatient, "Choose the patient, or create a new chart."},
		{"chart problem", func(in *Input) { in.Patient.Phone = "" }, FieldPatient, PatientNoPhone, "Enter the patient's phone number."},
		{"no provider", func(in *Input) { in.Order.ProviderID = 0 }, FieldProvider, NoProvider, "Choose the authorizing provider."},
		{"provider not found", func(in *Input) { in.Provider = nil }, FieldProvider, ProviderGone, "no longer in the provider list"},
		{"provider inactive", func(in *Input) { in.Provider.Active = false }, FieldProvider, ProviderInactive, "Smith, Ann, MD is marked inactive. Choose an active provider"},
		{"NPI missing", func(in *Input) { in.Provider.NPI = "" }, FieldProvider, ProviderNoNPI, "Smith, Ann, MD has no NPI. Add their 10-digit"},
		{"NPI short", func(in *Input) { in.Provider.NPI = "123456789" }, FieldProvider, ProviderNPIFormat, `The NPI "123456789" of Smith, Ann, MD must be exactly 10 digits`},
		{"NPI check digit", func(in *Input) { in.Provider.NPI = "1234567890" }, FieldProvider, ProviderNPIInvalid, "The NPI 1234567890 of Smith, Ann, MD is not a valid NPI: a digit is probably mistyped"},
		{"no department", func(in *Input) { in.Order.Department = "" }, FieldDepartment, NoDepartment, "Choose the requested department."},
		{"unknown department", func(in *Input) { in.Order.Department = "cardio" }, FieldDepartment, DepartmentUnknown, `The department "cardio" is not on Mayo Clinic's list.`},
		{"pediatrics for an adult", func(in *Input) { in.Order.Department = "pediatrics" }, FieldDepartment, DepartmentPediatricOff, "Pediatrics sees only patients under 18, and the patient is 55. Choose another department."},
		{"no priority", func(in *Input) { in.Order.Priority = "" }, FieldPriority, NoPriority, "Choose the priority: routine or urgent."},
		{"bad priority", func(in *Input) { in.Order.Priority = "asap" }, FieldPriority, PriorityUnknown, `The priority "asap" is not one of the choices.`},
		{"empty reason", func(in *Input) { in.Order.Reason = " \n" }, FieldReason, NoReason, "Enter the reason for referral: the medical issue and the services you would like Mayo Clinic to provide."},
		{"no diagnosis", func(in *Input) { in.Order.Diagnoses = nil }, FieldDiagnosis, NoDiagnosis, "Add at least one diagnosis"},
		{"diagnosis without code", func(in *Input) { in.Order.Diagnoses[1].Code = "" }, FieldDiagnosis, DiagnosisNoCode, "Diagnosis 2 has no code."},
		{"bad diagnosis code", func(in *Input) { in.Order.Diagnoses[1].Code = "I48-91" }, FieldDiagnosis, DiagnosisNotICD10, `The diagnosis code "I48-91" is not an ICD-10 code (like E11.9).`},
		{"duplicate diagnosis", func(in *Input) { in.Order.Diagnoses[1].Code = "r55" }, FieldDiagnosis, DiagnosisDuplicate, "The diagnosis R55 is listed twice. Remove one."},
		{"no location", func(in *Input) { in.Order.Location = "" }, FieldLocation, NoLocation, "Choose the Mayo Clinic location (campus or region)."},
		{"unknown location", func(in *Input) { in.Order.Location = "rochster" }, FieldLocation, LocationUnknown, `The location "rochster" is not on Mayo Clinic's list.`},
		{"child at Arizona", func(in *Input) { in.Patient.BirthDate = date("2012-09-01") }, FieldLocation, LocationChildrenAt, "The patient is 12; pediatric patients (under 18) are seen only at Rochester, Minnesota. Choose Rochester, Minnesota as the location."},
		{"records yes, none attached", func(in *Input) { in.Order.Attachments[0].Kind = app.KindOther }, FieldAttachments, RecordsMissing, `You answered yes to "Will you be uploading records?" but no medical records file is attached. Attach the records, or answer no.`},
		{"file too big", func(in *Input) { in.Order.Attachments[1].Size = 150_000_000 }, FieldAttachments, AttachmentTooBig, `"ecg.jpg" is 150 MB; each file can be at most 100 MB.`},
		{"file just too big", func(in *Input) { in.Order.Attachments[1].Size = 100_000_001 }, FieldAttachments, AttachmentTooBig, `"ecg.jpg" is 100,000,001 bytes; each file can be at most 100,000,000 bytes.`},
		{"empty file", func(in *Input) { in.Order.Attachments[1].Size = 0 }, FieldAttachments, AttachmentEmpty, `"ecg.jpg" is empty.`},
		{"no description", func(in *Input) { in.Order.Attachments[0].Description = "" }, FieldAttachments, AttachmentNoDescription, `Add a description for "records.pdf" (for example: 13-page PDF of medical records).`},
		{"no file name", func(in *Input) {
			in.Order.Attachments[0].FileName = ""
			in.Order.Attachments[0].Path = "/home/clerk/scans/chart.pdf"
			in.Order.Attachments[0].Description = ""
		}, FieldAttachments, AttachmentNoDescription, `Add a description for "chart.pdf"`},
		{"total too big", func(in *Input) {
			for range 11 {
				in.Order.Attachments = append(in.Order.Attachments, app.Attachment{FileName: "scan.pdf", Description: "x", Kind: app.KindOther, Size: 90_000_000})
			}
		}, FieldAttachments, AttachmentsTooBig, "The attached files add up to 1.1 GB; all files together can be at most 1 GB. Remove some files."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := goodInput(t)
			tc.mutate(&in)
			ps := Check(in)
			if len(ps) != 1 {
				t.Fatalf("%d problems, want 1:\n%s", len(ps), dump(ps))
			}
			if ps[0].Field != tc.field || ps[0].Code != tc.code {
				t.Errorf("got %v, want %s: %s", ps[0], tc.field, tc.code)
			}
			if err := ps[0].Valid(); err != nil {
				t.Error(err)
			}
			if text := catalog.For("en").Text(ps[0].Msg); !strings.Contains(text, tc.want) {
				t.Errorf("English: %q\nwant …%s…", text, tc.want)
			}
			err := Err(ps)
			if !errors.Is(err, app.ErrNotReady) || !strings.Contains(err.Error(), string(tc.code)) {
				t.Errorf("Err = %v", err)
			}
			if m, ok := msg.Of(err); !ok || m.Code != NotReady || m.Arg("n") != 1 {
				t.Errorf("Err's message = %v %v", m, m.Args)
			}
		})
	}
}

// TestCheckEmptyOrder lists everything, in form order.
func TestCheckEmptyOrder(t *testing.T) {
	in := Input{Order: app.Order{UploadRecords: app.AnswerYes}, Profile: profile(t), Now: now}
	ps := Check(in)
	var fields []string
	for _, p := range ps {
		if len(fields) == 0 || fields[len(fields)-1] != p.Field {
			fields = append(fields, p.Field)
		}
	}
	want := []string{FieldPatient, FieldProvider, FieldDepartment, FieldPriority, FieldReason, FieldDiagnosis, FieldLocation, FieldAttachments}
	if !slices.Equal(fields, want) {
		t.Errorf("fields = %v, want %v\n%s", fields, want, dump(ps))
	}
	// Form order agrees with Fields.
	last := -1
	for _, p := range ps {
		i := slices.Index(Fields, p.Field)
		if i < last {
			t.Errorf("%v out of form order", p)
		}
		last = i
	}
}

// TestCheckMessagesAreSentences keeps messages user-facing: capitalised, ending in a full stop
// (in English), with the arguments their codes were defined with.
func TestCheckMessagesAreSentences(t *testing.T) {
	in := goodInput(t)
	in.Patient = app.Patient{ID: 7, BirthDate: date("2099-01-01"), Sex: "x", Address: app.Address{State: "MN", PostalCode: "1"}, Phone: "1", InsuranceType: "Blue"}
	in.Provider.Active = false
	in.Provider.NPI = "1234567890"
	in.Order.Priority = "asap"
	in.Order.Department = "nope"
	in.Order.Location = "nowhere"
	ps := Check(in)
	if len(ps) < 10 {
		t.Fatalf("only %d problems:\n%s", len(ps), dump(ps))
	}
	for _, p := range ps {
		if err := p.Valid(); err != nil {
			t.Error(err)
		}
		m := catalog.For("en").Text(p.Msg)
		if m == "" || !strings.HasSuffix(m, ".") || strings.ToUpper(m[:1]) != m[:1] {
			t.Errorf("message not a sentence: %q", m)
		}
		if !slices.Contains(Fields, p.Field) {
			t.Errorf("unknown field %q", p.Field)
		}
	}
}

func TestCheckPediatricRules(t *testing.T) {
	cases := []struct {
		name, birth, location, department string
		wantField                         string // "" = no problem
	}{
		{"17 at Arizona", "2008-07-17", "arizona", "surgery", FieldLocation},
		{"turns 18 today at Arizona", "2007-07-16", "arizona", "surgery", ""},
		{"18 tomorrow at Florida", "2007-07-17", "florida", "surgery", FieldLocation},
		{"newborn at a Health System region", "2025-07-01", "mchs-wi", "surgery", FieldLocation},
		{"child at Rochester", "2015-01-01", "rochester", "pediatrics", ""},
		{"location code in capitals", "2015-01-01", "ROCHESTER", "pediatrics", ""},
		{"adult in Pediatrics at Rochester", "2000-01-01", "rochester", "pediatrics", FieldDepartment},
		{"17 in Pediatrics at Rochester", "2008-07-17", "rochester", "pediatrics", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := goodInput(t)
			in.Patient.BirthDate = date(tc.birth)
			in.Order.Location = tc.location
			in.Order.Department = tc.department
			ps := Check(in)
			switch {
			case tc.wantField == "" && len(ps) != 0:
				t.Errorf("unexpected problems:\n%s", dump(ps))
			case tc.wantField != "" && (len(ps) != 1 || ps[0].Field != tc.wantField):
				t.Errorf("want one %s problem, got:\n%s", tc.wantField, dump(ps))
			}
		})
	}

	// Without a usable birth date there is no age rule, only the chart problem.
	in := goodInput(t)
	in.Patient.BirthDate = time.Time{}
	in.Order.Department = "pediatrics"
	ps := Check(in)
	if len(ps) != 1 || ps[0].Code != PatientNoBirthDate {
		t.Errorf("no birth date: %s", dump(ps))
	}

	// A profile with no pediatric location says so and gives the location's phone.
	in = goodInput(t)
	in.Patient.BirthDate = date("2015-01-01")
	in.Profile.Rules.PediatricLocations = nil
	for i := range in.Profile.Locations {
		in.Profile.Locations[i].AcceptsPediatrics = false
	}
	ps = Check(in)
	if len(ps) != 1 || ps[0].Code != LocationNoChildren || ps[0].Arg("location") != "Phoenix/Scottsdale, Arizona" || ps[0].Arg("phone") != "866-629-6362" ||
		!strings.Contains(catalog.For("en").Text(ps[0].Msg), "does not list any location that sees pediatric patients (under 18). Call Phoenix/Scottsdale, Arizona at 866-629-6362") {
		t.Errorf("no pediatric location: %s", dump(ps))
	}
}

func TestCheckWithoutProfile(t *testing.T) {
	in := goodInput(t)
	in.Profile = nil
	in.Order.Attachments[1].Size = 5_000_000_000 // no limits known: not reported
	in.Patient.InsuranceType = "Blue Cross"      // no list: any type is accepted
	ps := Check(in)
	if len(ps) != 1 || ps[0].Field != FieldInstitution {
		t.Errorf("got:\n%s", dump(ps))
	}
}

func dump(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}
