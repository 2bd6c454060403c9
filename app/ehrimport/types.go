package ehrimport

import (
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
)

// Kind of file read.
type Kind string

const (
	KindCCDA         Kind = "C-CDA"
	KindFHIRBundle   Kind = "FHIR Bundle"
	KindFHIRPatient  Kind = "FHIR Patient"
	DateSourceHeader      = "document"         // the document's own date (effectiveTime, Composition.date, timestamp)
	DateSourceLatest      = "latest encounter" // a bundle without a date: its most recent encounter
)

// Precision of an HL7 date (TS) or FHIR date.
type Precision int

const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
	PrecisionTime
)

// Date is a date of any precision: Time holds its first instant.
type Date struct {
	Time      time.Time
	Precision Precision
}

// IsZero reports whether no date is known.
func (d Date) IsZero() bool { return d.Precision == PrecisionNone }

// String writes the date at its own precision: "1950", "1950-12", "1950-12-19".
func (d Date) String() string {
	switch d.Precision {
	case PrecisionYear:
		return d.Time.Format("2006")
	case PrecisionMonth:
		return d.Time.Format("2006-01")
	case PrecisionDay, PrecisionTime:
		return d.Time.Format(app.DateLayout)
	}
	return ""
}

// Name is one name of the patient.
type Name struct {
	Use    string   // as sent: L, official, usual, nickname, ...
	Family string   // family name parts joined by a space
	Given  []string // given names in order, without nicknames and titles
	Prefix string
	Suffix string
}

// Full is "Given Family".
func (n Name) Full() string {
	return strings.TrimSpace(strings.Join(n.Given, " ") + " " + n.Family)
}

// Identifier is one of the patient's identifiers with its assigning authority.
type Identifier struct {
	Value     string
	System    string // root OID (C-CDA) or system URI (FHIR)
	Authority string // assigning authority or identifier type as named in the file, or a known name
	Type      string // e.g. MR, SS, DL when the file says so
}

// Address is a postal address with its use.
type Address struct {
	app.Address
	Use     string
	Country string
}

// Telecom is a phone, fax or e-mail.
type Telecom struct {
	System string // phone, fax, email, url
	Value  string // without the tel:/mailto: prefix
	Use    string
}

// PatientInfo is the patient as the file describes them.
type PatientInfo struct {
	Names       []Name // the legal/official name first
	BirthDate   Date
	Sex         app.Sex
	Addresses   []Address
	Telecoms    []Telecom
	Languages   []string // preferred first
	Identifiers []Identifier
	Deceased    bool
}

// Code is one coding of a concept.
type Code struct {
	System   string // readable name: SNOMED CT, ICD-10-CM, RxNorm, ... or the raw system
	SystemID string // OID or URI as sent
	Code     string
	Display  string
}

// ICD10 statuses.
const (
	ICD10Valid     = "valid"                                          // billable in FY2026
	ICD10Category  = "not billable: a category, pick a code under it" // header of billable codes
	ICD10NotInList = "not in the FY2026 list (retired or invalid)"    // retired, or never existed
)

// ICD10Check is what became of an ICD-10-CM code found in the file.
type ICD10Check struct {
	Code        string // as sent
	Status      string // one of the ICD10* statuses
	Description string // FY2026 description when valid
}

// Problem is one problem (diagnosis, condition) of the file.
type Problem struct {
	Name     string
	Status   string // active, resolved, inactive, ... or "" when the file does not say
	Active   bool   // active or status unknown: offered first
	Onset    Date
	Resolved Date
	Codes    []Code
	// Filled by Suggest:
	ICD10       []ICD10Check    // the ICD-10-CM codes of the file, checked against FY2026
	Suggestions []app.Diagnosis // FY2026 codes to offer, best first (valid file codes, then search results)
}

// Medication is one medication entry (read-only).
type Medication struct {
	Name   string
	Status string
	Dose   string
	Start  Date
	Codes  []Code
}

// Allergy is one allergy or intolerance (read-only).
type Allergy struct {
	Substance string
	Reaction  string
	Severity  string
	Status    string
	Codes     []Code
}

// BlockKind is the kind of a narrative block.
type BlockKind int

const (
	BlockPara BlockKind = iota
	BlockCaption
	BlockItem
	BlockTable
)

// Block is one piece of a section's narrative.
type Block struct {
	Kind   BlockKind
	Text   string     // para, caption, item
	Level  int        // list nesting (item)
	Marker string     // item bullet or number
	Rows   [][]string // table
	Header int        // table: how many leading rows are headers
}

// Section is one section of the human-readable part.
type Section struct {
	Title     string
	Level     int // 0 top level, 1 nested, ...
	Code      string
	Templates []string
	Blocks    []Block
}

// Attachment is a file carried inside the import (a PDF in a FHIR DocumentReference or Binary, a
// C-CDA nonXMLBody, a PDF member of a zip).
type Attachment struct {
	Title       string
	ContentType string
	Date        Date
	Data        []byte
}

// Document is everything read from one import.
type Document struct {
	Kind         Kind
	Format       string // e.g. "C-CDA R2.1", "FHIR R4 Bundle (transaction)"
	DocType      string // e.g. "Continuity of Care Document", "Referral Note"
	Title        string
	Date         Date   // the document's own date
	DateSource   string // DateSourceHeader or DateSourceLatest
	Author       string
	Organization string
	Patient      PatientInfo
	Problems     []Problem // active first
	Medications  []Medication
	Allergies    []Allergy
	Sections     []Section // human-readable part, for the PDF
	Attachments  []Attachment
	Skipped      []string // what was not read, for the user
	Warnings     []string // what was read with a doubt (year-only birth date, wrong encoding, ...)
}

func (d *Document) skip(s string) { d.Skipped = append(d.Skipped, s) }
func (d *Document) warn(s string) { d.Warnings = append(d.Warnings, s) }

// LegalName is the first name of the list (the legal or official one when the file marks it).
func (p PatientInfo) LegalName() Name {
	if len(p.Names) == 0 {
		return Name{}
	}
	return p.Names[0]
}

// Phone is the number to put on the chart: home, then mobile, then any.
func (p PatientInfo) Phone() string {
	best, rank := "", 99
	for _, t := range p.Telecoms {
		if t.System != "phone" {
			continue
		}
		r := 3
		switch strings.ToLower(t.Use) {
		case "hp", "h", "home":
			r = 0
		case "mc", "mobile":
			r = 1
		case "wp", "work":
			r = 2
		}
		if r < rank {
			best, rank = t.Value, r
		}
	}
	return best
}

// Email is the first e-mail address.
func (p PatientInfo) Email() string {
	for _, t := range p.Telecoms {
		if t.System == "email" {
			return t.Value
		}
	}
	return ""
}

// ChartPatient maps the patient to a chart to prefill (never saved here). A birth date known only
// to the year or month is left empty: the user must enter it (see Document.Warnings).
func (d *Document) ChartPatient() app.Patient {
	n := d.Patient.LegalName()
	p := app.Patient{
		Family: n.Family,
		Given:  strings.Join(n.Given, " "),
		Sex:    d.Patient.Sex,
		Phone:  d.Patient.Phone(),
	}
	if p.Sex == "" {
		p.Sex = app.SexUnknown
	}
	if id, ok := d.Patient.ClinicMRN(); ok {
		p.ClinicMRN, p.ClinicMRNSystem = strings.TrimSpace(id.Value), IdentifierSystem(id.System)
	}
	if d.Patient.BirthDate.Precision >= PrecisionDay {
		t := d.Patient.BirthDate.Time
		p.BirthDate = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	if len(d.Patient.Addresses) > 0 {
		a := d.Patient.Addresses[0]
		p.Address = a.Address
		// The file names the country as it likes ("USA", "El Salvador"): keep a code we know.
		if c, ok := intl.ParseCountryLabel(a.Country); ok {
			p.Address.Country = c
		}
	}
	return p
}
