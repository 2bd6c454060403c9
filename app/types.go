package app

import (
	"errors"
	"strings"
	"time"
)

// Sentinel errors shared by the store and the services; compare with errors.Is.
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
	// ErrNotEditable is returned when an order that has been signed is saved as a draft.
	ErrNotEditable = errors.New("order is signed and can no longer be edited")
	// ErrNotReady is returned when Sign is attempted on an order that fails the readiness check.
	ErrNotReady = errors.New("order is not ready to sign")
)

// DateLayout is the one way dates of birth and other calendar dates are written as text.
const DateLayout = "2006-01-02"

// Sex as recorded on the chart (FHIR administrative gender).
type Sex string

const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexOther   Sex = "other"
	SexUnknown Sex = "unknown"
)

// Sexes lists the choices offered on the chart form, in display order.
var Sexes = []Sex{SexFemale, SexMale, SexOther, SexUnknown}

// Address is a postal address.
type Address struct {
	Line       string
	City       string
	State      string
	PostalCode string
	Country    string // ISO 3166-1 alpha-2; charts from before countries were recorded are "US"
}

// Empty reports whether no part of the address is filled in (the country, which has a default,
// does not count).
func (a Address) Empty() bool {
	return a.Line == "" && a.City == "" && a.State == "" && a.PostalCode == ""
}

// Patient is one chart in the local cache.
type Patient struct {
	ID            int64
	MRN           string // the institution's registration number, if the patient was seen before
	Family        string // legal last name
	Given         string // legal first (and middle) names
	BirthDate     time.Time
	Sex           Sex
	Address       Address
	Phone         string // E.164 ("+15075550100") once checked; as typed when it did not parse
	InsuranceType string // e.g. HMO, workers' compensation, medical assistance (profile list)
	Language      string // preferred language, BCP 47 ("es", "zh-Hans"); "" when not asked
	// InterpreterNeeded: the patient needs an interpreter to talk with the care team.
	InterpreterNeeded bool
	// ClinicMRN is the referring clinic's own medical record number of the patient (read from its
	// EHR export, or typed); ClinicMRNSystem is the identifier system it belongs to as sent
	// ("urn:oid:…" or a URI), "" when typed by hand (this installation's own numbering).
	ClinicMRN       string
	ClinicMRNSystem string
	ServerID        string // id in the institution's registry, once known
	LastActionAt    time.Time
	CreatedAt       time.Time
}

// DisplayName gives "Last, First" as the portal and the packet name it.
func (p Patient) DisplayName() string {
	if p.Given == "" {
		return p.Family
	}
	return p.Family + ", " + p.Given
}

// AgeOn is the patient's age in whole years on the given day.
func (p Patient) AgeOn(day time.Time) int {
	if p.BirthDate.IsZero() {
		return 0
	}
	y1, m1, d1 := p.BirthDate.Date()
	y2, m2, d2 := day.Date()
	age := y2 - y1
	if m2 < m1 || (m2 == m1 && d2 < d1) {
		age--
	}
	return age
}

// Provider is an authorizing (referring) provider kept in the clinic's managed list.
type Provider struct {
	ID          int64
	Family      string
	Given       string
	Credentials string // e.g. MD, DO, NP
	NPI         string // 10-digit National Provider Identifier (US providers)
	// A provider outside the US has no NPI but a licence to practise: its number, the country
	// that issued it (ISO alpha-2) and the issuing authority (e.g. "Junta de Vigilancia de la
	// Profesión Médica").
	LicenceNumber    string
	LicenceCountry   string
	LicenceAuthority string
	PracticeAddress  Address // the practice's address; its country says where the provider works
	PracticePhone    string  // E.164 once checked
	Active           bool
}

// HasLicence reports whether a licence number with its country is recorded.
func (p Provider) HasLicence() bool {
	return strings.TrimSpace(p.LicenceNumber) != "" && strings.TrimSpace(p.LicenceCountry) != ""
}

// Country is where the provider practises: the practice address's country, else the licence's,
// else "" (unknown; a provider with an NPI is taken to be in the US).
func (p Provider) Country() string {
	if c := strings.TrimSpace(p.PracticeAddress.Country); c != "" {
		return strings.ToUpper(c)
	}
	if c := strings.TrimSpace(p.LicenceCountry); c != "" {
		return strings.ToUpper(c)
	}
	if strings.TrimSpace(p.NPI) != "" {
		return "US"
	}
	return ""
}

// DisplayName gives "Last, First, MD".
func (p Provider) DisplayName() string {
	s := p.Family
	if p.Given != "" {
		s += ", " + p.Given
	}
	if p.Credentials != "" {
		s += ", " + p.Credentials
	}
	return s
}

// Status is where a referral order stands.
type Status string

const (
	StatusDraft          Status = "draft"
	StatusReady          Status = "ready"
	StatusSigned         Status = "signed"
	StatusQueued         Status = "queued"
	StatusSent           Status = "sent"
	StatusReceived       Status = "received"
	StatusAccepted       Status = "accepted"
	StatusDeclined       Status = "declined"
	StatusScheduled      Status = "scheduled"
	StatusCompleted      Status = "completed"
	StatusCancelled      Status = "cancelled"
	StatusNeedsAttention Status = "needs attention"
)

// Statuses lists every status in the order of an order's life.
var Statuses = []Status{
	StatusDraft, StatusReady, StatusSigned, StatusQueued, StatusSent, StatusReceived,
	StatusAccepted, StatusDeclined, StatusScheduled, StatusCompleted, StatusCancelled,
	StatusNeedsAttention,
}

// Editable reports whether the user may still change an order in this status.
func (s Status) Editable() bool {
	return s == StatusDraft || s == StatusReady || s == StatusNeedsAttention
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	for _, k := range Statuses {
		if s == k {
			return true
		}
	}
	return false
}

// Priority of a referral.
type Priority string

const (
	PriorityRoutine Priority = "routine"
	PriorityUrgent  Priority = "urgent"
)

// Answer is a yes/no question from the question panel that may be left unanswered.
type Answer string

const (
	AnswerUnset Answer = ""
	AnswerYes   Answer = "yes"
	AnswerNo    Answer = "no"
)

// Diagnosis is an ICD-10-CM code attached to an order (dotted form, e.g. "E11.9").
type Diagnosis struct {
	Code        string
	Description string
	// Why says why the diagnosis search offered the code ("bph → benign prostatic hyperplasia",
	// "typo: pnuemonia → pneumonia"); set by the search only, not stored with an order.
	Why string
}

// Insurance is the optional insurance information of the question panel.
type Insurance struct {
	Payer    string
	MemberID string
	GroupID  string
}

// Empty reports whether nothing was entered.
func (i Insurance) Empty() bool { return i.Payer == "" && i.MemberID == "" && i.GroupID == "" }

// AttachmentKind tells the records packet apart from other files.
type AttachmentKind string

const (
	KindRecords AttachmentKind = "records" // medical records (the packet issue builds one PDF from them)
	KindPhoto   AttachmentKind = "photo"
	KindVideo   AttachmentKind = "video"
	KindOther   AttachmentKind = "other"
)

// Attachment is one file sent with an order.
type Attachment struct {
	ID          int64
	OrderID     int64
	Path        string // where the file is on this machine
	FileName    string
	Description string
	Kind        AttachmentKind
	ContentType string
	Size        int64
	SHA1        string // hex, computed when attached
	AddedAt     time.Time
}

// Order is a referral order, from the first keystroke of a draft to the institution's answer.
type Order struct {
	ID                int64
	UUID              string // our placer identifier, stable across retries
	PatientID         int64
	ProviderID        int64  // authorizing provider; 0 when not chosen yet
	Department        string // department code from the profile's preference list
	Priority          Priority
	Reason            string
	Diagnoses         []Diagnosis
	Location          string // location code from the profile
	UploadImages      Answer
	UploadRecords     Answer
	Insurance         Insurance
	Attachments       []Attachment
	SchedulingComment string
	Status            Status
	StatusReason      string // e.g. why it was declined or needs attention
	CreatedBy         int64  // the local user who started the order (0: none, or before users)
	CreatedAt         time.Time
	UpdatedAt         time.Time
	SignedAt          time.Time
	LastStep          int       // the order-entry step the user was last on (Resume opens there)
	SignedBy          string    // the signer's name as shown (Signature.SignerName); never the OS login
	Signature         Signature // who signed and for whom (zero until signed)
}

// OrderSummary is a row of the Requests list: an order with its patient's name.
type OrderSummary struct {
	ID          int64
	UUID        string
	PatientID   int64
	PatientName string
	Department  string
	Priority    Priority
	Status      Status
	UpdatedAt   time.Time
	SignedAt    time.Time
	CreatedBy   int64 // the local user who started the order (0: none)
}

// AuditEntry is one line of the audit log. Detail never holds patient data.
type AuditEntry struct {
	ID        int64
	At        time.Time // the store's clock when the row was written
	Actor     string
	Action    string // e.g. "patient.create", "order.sign"
	Entity    string // "patient", "order", "provider", "app"
	EntityID  int64
	PatientID int64 // the patient concerned, 0 for none
	Detail    string
	PrevHash  string // Hash of the row before (hex SHA-256), "" for the first row
	Hash      string // hex SHA-256 over this row's content and PrevHash
}

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxDone    = "done"
	OutboxDead    = "dead" // given up after repeated failures; shown to the user, never silently dropped
)

// OutboxEntry is a signed order waiting to be sent.
type OutboxEntry struct {
	ID            int64
	OrderID       int64
	Kind          string // "submit"
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
}

// PacketInput is one file chosen for an order's records packet, with the user's decisions about it:
// its place in the packet, its document date, the pages left out, and whether flagged pages were reviewed.
type PacketInput struct {
	Path       string
	Title      string
	Date       time.Time
	DateSource string // text, metadata, file or user
	Exclude    []int  // 1-based pages left out by the user
	Reviewed   bool   // the user checked the pages flagged as possibly another patient's and kept them
}
