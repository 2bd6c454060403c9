package referral

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/intl"
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
// with a message that says what to do. No problems means the order may be signed.
func Check(in Input) []Problem {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	c := checker{in: in, prof: in.Profile, inst: "the institution"}
	if in.Profile == nil {
		c.add(FieldInstitution, "No institution profile is loaded. Restart ReferralDesk, or choose a profile in Settings.")
	} else if in.Profile.ShortName != "" {
		c.inst = in.Profile.ShortName
	}

	// Patient, and the age the pediatric rules need (-1 when unknown).
	age := -1
	if in.Order.PatientID == 0 {
		c.add(FieldPatient, "Choose the patient, or create a new chart.")
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
		c.add(FieldReason, "Enter the reason for referral: the medical issue and the services you would like %s to provide.", c.inst)
	}
	c.diagnoses()
	c.location(age)
	c.attachments()
	return c.ps
}

type checker struct {
	in   Input
	prof *institution.Profile
	inst string // the institution's short name for messages
	ps   []Problem
}

func (c *checker) add(field, format string, args ...any) {
	c.ps = append(c.ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) provider() {
	o, pr := c.in.Order, c.in.Provider
	switch {
	case o.ProviderID == 0:
		c.add(FieldProvider, "Choose the authorizing provider.")
		return
	case pr == nil:
		c.add(FieldProvider, "The chosen provider is no longer in the provider list. Choose the authorizing provider again.")
		return
	}
	name := pr.DisplayName()
	if blank(name) {
		name = "The chosen provider"
	}
	if !pr.Active {
		c.add(FieldProvider, "%s is marked inactive. Choose an active provider, or make them active again under Providers.", name)
	}
	npi := strings.TrimSpace(pr.NPI)
	switch {
	case npi == "" && pr.HasLicence():
		// Outside the US a provider has a licence to practise instead of an NPI.
		if _, ok := intl.LookupCountry(pr.LicenceCountry); !ok {
			c.add(FieldProvider, "The licence of %s names the country %q, which is not a country. Choose the issuing country under Providers.", name, pr.LicenceCountry)
		}
	case npi == "":
		c.add(FieldProvider, "%s has no NPI. Add their 10-digit National Provider Identifier under Providers (outside the US: their licence number and the country that issued it).", name)
	case !allDigits(npi) || len(npi) != 10:
		c.add(FieldProvider, "The NPI %q of %s must be exactly 10 digits. Correct it under Providers.", pr.NPI, name)
	case !ValidNPI(npi):
		c.add(FieldProvider, "The NPI %s of %s is not a valid NPI: a digit is probably mistyped or swapped. Correct it under Providers.", npi, name)
	}
}

func (c *checker) department(age int) {
	code := strings.TrimSpace(c.in.Order.Department)
	if code == "" {
		c.add(FieldDepartment, "Choose the requested department.")
		return
	}
	if c.prof == nil {
		return
	}
	d, ok := c.prof.Department(code)
	if !ok {
		c.add(FieldDepartment, "The department %q is not on %s's list. Choose the department again.", code, c.inst)
		return
	}
	if d.PediatricOnly && age >= 0 && !c.prof.IsPediatric(age) {
		c.add(FieldDepartment, "%s sees only patients under %d, and the patient is %d. Choose another department.", d.Name, c.prof.Rules.PediatricAgeLimit, age)
	}
}

func (c *checker) priority() {
	switch p := c.in.Order.Priority; p {
	case app.PriorityRoutine, app.PriorityUrgent:
	case "":
		c.add(FieldPriority, "Choose the priority: routine or urgent.")
	default:
		c.add(FieldPriority, "The priority %q is not one of the choices. Choose routine or urgent.", p)
	}
}

func (c *checker) diagnoses() {
	ds := c.in.Order.Diagnoses
	if len(ds) == 0 {
		c.add(FieldDiagnosis, "Add at least one diagnosis (ICD-10 code or keyword search).")
		return
	}
	seen := map[string]bool{}
	for i, d := range ds {
		code := strings.ToUpper(strings.TrimSpace(d.Code))
		switch {
		case code == "":
			c.add(FieldDiagnosis, "Diagnosis %d has no code. Search for it again, or remove it.", i+1)
		case !icd10RE.MatchString(code):
			c.add(FieldDiagnosis, "The diagnosis code %q is not an ICD-10 code (like E11.9). Search for it again, or remove it.", d.Code)
		case seen[code]:
			c.add(FieldDiagnosis, "The diagnosis %s is listed twice. Remove one.", code)
		}
		seen[code] = true
	}
}

func (c *checker) location(age int) {
	code := strings.TrimSpace(c.in.Order.Location)
	if code == "" {
		c.add(FieldLocation, "Choose the %s location (campus or region).", c.inst)
		return
	}
	if c.prof == nil {
		return
	}
	l, ok := c.prof.Location(code)
	if !ok {
		c.add(FieldLocation, "The location %q is not on %s's list. Choose the location again.", code, c.inst)
		return
	}
	if age < 0 || !c.prof.IsPediatric(age) || c.prof.AllowsPediatrics(l.Code) {
		return
	}
	limit := c.prof.Rules.PediatricAgeLimit
	var names []string
	for _, pl := range c.prof.PediatricLocations() {
		names = append(names, pl.Name)
	}
	if len(names) == 0 {
		c.add(FieldLocation, "The patient is %d; %s does not list any location that sees pediatric patients (under %d). Call %s at %s to ask where the patient can be seen.", age, c.inst, limit, l.Name, l.ReferralPhone)
		return
	}
	c.add(FieldLocation, "The patient is %d; pediatric patients (under %d) are seen only at %s. Choose %s as the location.", age, limit, orList(names), orList(names))
}

func (c *checker) attachments() {
	o := c.in.Order
	if o.UploadRecords == app.AnswerYes && !hasRecords(o.Attachments) {
		c.add(FieldAttachments, "You answered yes to \"Will you be uploading records?\" but no medical records file is attached. Attach the records, or answer no.")
	}
	var perFile, total int64
	if c.prof != nil {
		perFile, total = c.prof.Rules.MaxUploadBytes, c.prof.Rules.MaxTotalAttachmentBytes
	}
	var sum int64
	for _, a := range o.Attachments {
		name := a.FileName
		if blank(name) && a.Path != "" {
			name = filepath.Base(a.Path)
		}
		if blank(name) {
			name = "(unnamed file)"
		}
		sum += max(a.Size, 0)
		switch {
		case a.Size <= 0:
			c.add(FieldAttachments, "%q is empty. Remove it and attach the right file.", name)
		case perFile > 0 && a.Size > perFile:
			size, limit := formatOver(a.Size, perFile)
			c.add(FieldAttachments, "%q is %s; each file can be at most %s. Split it into smaller files.", name, size, limit)
		}
		if blank(a.Description) {
			c.add(FieldAttachments, "Add a description for %q (for example: 13-page PDF of medical records).", name)
		}
	}
	if total > 0 && sum > total {
		size, limit := formatOver(sum, total)
		c.add(FieldAttachments, "The attached files add up to %s; all files together can be at most %s. Remove some files.", size, limit)
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
