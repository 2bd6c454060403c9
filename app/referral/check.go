package referral

import (
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/intl"
	"github.com/referraldesk/referraldesk/app/msg"
)

// Input is what the readiness check looks at.
type Input struct {
	Order    app.Order
	Patient  app.Patient          // the chart Order.PatientID points to
	Provider *app.Provider        // the provider Order.ProviderID points to; nil if none was found
	Profile  *institution.Profile // the receiving institution
	Now      time.Time            // today, for ages; zero means time.Now()
}

// icd10RE is the dotted ICD-10-CM form: a letter, two characters, then up to four after a dot.
var icd10RE = regexp.MustCompile(`^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`)

// Check is the readiness check run before Sign. It lists everything missing or wrong, in form
// order (patient, provider, department, priority, reason, diagnosis, location, attachments), each
// with a message (a code and its arguments) that says what to do. No problems means the order may be signed.
func Check(in Input) []Problem {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	c := checker{in: in, prof: in.Profile, inst: msg.New(TheInstitution)}
	if in.Profile == nil {
		c.add(FieldInstitution, NoProfile)
	} else if in.Profile.ShortName != "" {
		c.inst = in.Profile.ShortName
	}

	// Patient, and the age the pediatric rules need (-1 when unknown).
	age := -1
	if in.Order.PatientID == 0 {
		c.add(FieldPatient, NoPatient)
	} else {
		c.ps = append(c.ps, CheckPatient(in.Patient, now, in.Profile)...)
		if birthProblem(in.Patient.BirthDate, now) == birthOK {
			age = in.Patient.AgeOn(now)
		}
	}

	c.provider()
	c.department(age)
	c.priority()
	if blank(in.Order.Reason) {
		c.add(FieldReason, NoReason, c.inst)
	}
	c.diagnoses()
	c.location(age)
	c.attachments()
	return c.ps
}

type checker struct {
	in   Input
	prof *institution.Profile
	inst any // the institution's short name for messages, or the message TheInstitution
	ps   []Problem
}

func (c *checker) add(field string, code msg.Code, args ...any) {
	c.ps = append(c.ps, Problem{Field: field, Msg: msg.New(code, args...)})
}

func (c *checker) provider() {
	o, pr := c.in.Order, c.in.Provider
	switch {
	case o.ProviderID == 0:
		c.add(FieldProvider, NoProvider)
		return
	case pr == nil:
		c.add(FieldProvider, ProviderGone)
		return
	}
	var name any = pr.DisplayName()
	if blank(pr.DisplayName()) {
		name = msg.New(ChosenProvider)
	}
	if !pr.Active {
		c.add(FieldProvider, ProviderInactive, name)
	}
	npi := strings.TrimSpace(pr.NPI)
	switch {
	case npi == "" && pr.HasLicence():
		// Outside the US a provider has a licence to practise instead of an NPI.
		if _, ok := intl.LookupCountry(pr.LicenceCountry); !ok {
			c.add(FieldProvider, ProviderLicenceNation, name, pr.LicenceCountry)
		}
	case npi == "":
		c.add(FieldProvider, ProviderNoNPI, name)
	case !allDigits(npi) || len(npi) != 10:
		c.add(FieldProvider, ProviderNPIFormat, name, pr.NPI)
	case !ValidNPI(npi):
		c.add(FieldProvider, ProviderNPIInvalid, name, npi)
	}
}

func (c *checker) department(age int) {
	code := strings.TrimSpace(c.in.Order.Department)
	if code == "" {
		c.add(FieldDepartment, NoDepartment)
		return
	}
	if c.prof == nil {
		return
	}
	d, ok := c.prof.Department(code)
	if !ok {
		c.add(FieldDepartment, DepartmentUnknown, code, c.inst)
		return
	}
	if d.PediatricOnly && age >= 0 && !c.prof.IsPediatric(age) {
		c.add(FieldDepartment, DepartmentPediatricOff, d.Name, c.prof.Rules.PediatricAgeLimit, age)
	}
}

func (c *checker) priority() {
	switch p := c.in.Order.Priority; p {
	case app.PriorityRoutine, app.PriorityUrgent:
	case "":
		c.add(FieldPriority, NoPriority)
	default:
		c.add(FieldPriority, PriorityUnknown, string(p))
	}
}

func (c *checker) diagnoses() {
	ds := c.in.Order.Diagnoses
	if len(ds) == 0 {
		c.add(FieldDiagnosis, NoDiagnosis)
		return
	}
	seen := map[string]bool{}
	for i, d := range ds {
		code := strings.ToUpper(strings.TrimSpace(d.Code))
		switch {
		case code == "":
			c.add(FieldDiagnosis, DiagnosisNoCode, i+1)
		case !icd10RE.MatchString(code):
			c.add(FieldDiagnosis, DiagnosisNotICD10, d.Code)
		case seen[code]:
			c.add(FieldDiagnosis, DiagnosisDuplicate, code)
		}
		seen[code] = true
	}
}

func (c *checker) location(age int) {
	code := strings.TrimSpace(c.in.Order.Location)
	if code == "" {
		c.add(FieldLocation, NoLocation, c.inst)
		return
	}
	if c.prof == nil {
		return
	}
	l, ok := c.prof.Location(code)
	if !ok {
		c.add(FieldLocation, LocationUnknown, code, c.inst)
		return
	}
	if age < 0 || !c.prof.IsPediatric(age) || c.prof.AllowsPediatrics(l.Code) {
		return
	}
	limit := c.prof.Rules.PediatricAgeLimit
	var names msg.Or
	for _, pl := range c.prof.PediatricLocations() {
		names = append(names, pl.Name)
	}
	if len(names) == 0 {
		c.add(FieldLocation, LocationNoChildren, age, c.inst, limit, l.Name, l.ReferralPhone)
		return
	}
	c.add(FieldLocation, LocationChildrenAt, age, limit, names)
}

func (c *checker) attachments() {
	o := c.in.Order
	if o.UploadRecords == app.AnswerYes && !hasRecords(o.Attachments) {
		c.add(FieldAttachments, RecordsMissing)
	}
	var perFile, total int64
	if c.prof != nil {
		perFile, total = c.prof.Rules.MaxUploadBytes, c.prof.Rules.MaxTotalAttachmentBytes
	}
	var sum int64
	for _, a := range o.Attachments {
		var name any = a.FileName
		if blank(a.FileName) && a.Path != "" {
			name = filepath.Base(a.Path)
		}
		if s, _ := name.(string); blank(s) {
			name = msg.New(UnnamedFile)
		}
		sum += max(a.Size, 0)
		switch {
		case a.Size <= 0:
			c.add(FieldAttachments, AttachmentEmpty, name)
		case perFile > 0 && a.Size > perFile:
			c.add(FieldAttachments, AttachmentTooBig, name, msg.Bytes(a.Size), msg.Bytes(perFile))
		}
		if blank(a.Description) {
			c.add(FieldAttachments, AttachmentNoDescription, name)
		}
	}
	if total > 0 && sum > total {
		c.add(FieldAttachments, AttachmentsTooBig, msg.Bytes(sum), msg.Bytes(total))
	}
}

func hasRecords(as []app.Attachment) bool {
	for _, a := range as {
		if a.Kind == app.KindRecords {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
