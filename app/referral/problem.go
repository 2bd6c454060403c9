package referral

import (
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/msg"
)

// Steps of the order form, the values of Problem.Field, in form order.
const (
	FieldInstitution = "institution" // no institution profile loaded
	FieldPatient     = "patient"
	FieldProvider    = "provider"
	FieldDepartment  = "department"
	FieldPriority    = "priority"
	FieldReason      = "reason"
	FieldDiagnosis   = "diagnosis"
	FieldLocation    = "location"
	FieldAttachments = "attachments"
)

// Fields lists the form steps in the order the form shows them.
var Fields = []string{
	FieldInstitution, FieldPatient, FieldProvider, FieldDepartment, FieldPriority, FieldReason,
	FieldDiagnosis, FieldLocation, FieldAttachments,
}

// Problem is one thing to fix before an order can be signed: the form step and what to say
// (a code with its arguments; the catalog has the words). The arguments may hold patient data.
type Problem struct {
	Field string // the form step, one of the Field constants
	msg.Msg
}

// Message is the problem's message for the user.
func (p Problem) Message() msg.Msg { return p.Msg }

// String names the step and the code, never the arguments (they may hold patient data).
func (p Problem) String() string { return p.Field + ": " + string(p.Code) }

// NotReadyError carries the problems that stop an order from being signed. It matches
// app.ErrNotReady with errors.Is; its text lists the problems' codes.
type NotReadyError struct{ Problems []Problem }

func (e *NotReadyError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.String()
	}
	return fmt.Sprintf("referral: %s: %s", app.ErrNotReady, strings.Join(msgs, "; "))
}

// Is makes errors.Is(err, app.ErrNotReady) true.
func (e *NotReadyError) Is(target error) bool { return target == app.ErrNotReady }

// Message says how many problems stop the order.
func (e *NotReadyError) Message() msg.Msg { return msg.New(NotReady, len(e.Problems)) }

// Messages are the problems, for the user.
func (e *NotReadyError) Messages() []msg.Msg {
	out := make([]msg.Msg, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Msg
	}
	return out
}

// Err is nil when there are no problems, else a *NotReadyError holding them.
func Err(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	return &NotReadyError{Problems: problems}
}

// Message codes of the readiness check. Arguments named institution are the institution's
// short name, or the message TheInstitution when the profile has none.
var (
	NotReady       = msg.Define("referral.not_ready", "n")
	TheInstitution = msg.Define("referral.the_institution")

	NoProfile = msg.Define("referral.no_profile")
	NoPatient = msg.Define("referral.no_patient")

	// Provider arguments are the provider's display name, or the message ChosenProvider.
	ChosenProvider     = msg.Define("referral.provider.chosen")
	NoProvider         = msg.Define("referral.provider.none")
	ProviderGone       = msg.Define("referral.provider.gone")
	ProviderInactive   = msg.Define("referral.provider.inactive", "provider")
	ProviderNoNPI      = msg.Define("referral.provider.no_npi", "provider")
	ProviderNPIFormat  = msg.Define("referral.provider.npi_format", "provider", "npi")
	ProviderNPIInvalid = msg.Define("referral.provider.npi_invalid", "provider", "npi")

	NoDepartment           = msg.Define("referral.department.none")
	DepartmentUnknown      = msg.Define("referral.department.unknown", "department", "institution")
	DepartmentPediatricOff = msg.Define("referral.department.pediatric_only", "department", "limit", "age")

	NoPriority      = msg.Define("referral.priority.none")
	PriorityUnknown = msg.Define("referral.priority.unknown", "priority")

	NoReason = msg.Define("referral.reason.none", "institution")

	NoDiagnosis        = msg.Define("referral.diagnosis.none")
	DiagnosisNoCode    = msg.Define("referral.diagnosis.no_code", "n")
	DiagnosisNotICD10  = msg.Define("referral.diagnosis.not_icd10", "code")
	DiagnosisDuplicate = msg.Define("referral.diagnosis.duplicate", "code")

	NoLocation         = msg.Define("referral.location.none", "institution")
	LocationUnknown    = msg.Define("referral.location.unknown", "location", "institution")
	LocationNoChildren = msg.Define("referral.location.no_pediatric", "age", "institution", "limit", "location", "phone")
	LocationChildrenAt = msg.Define("referral.location.pediatric_only_at", "age", "limit", "locations")

	// File arguments are the attachment's name, or the message UnnamedFile.
	UnnamedFile             = msg.Define("referral.attachments.unnamed")
	RecordsMissing          = msg.Define("referral.attachments.no_records")
	AttachmentEmpty         = msg.Define("referral.attachments.empty", "file")
	AttachmentTooBig        = msg.Define("referral.attachments.too_big", "file", "size", "limit")
	AttachmentNoDescription = msg.Define("referral.attachments.no_description", "file")
	AttachmentsTooBig       = msg.Define("referral.attachments.total_too_big", "size", "limit")

	PatientNoFamily          = msg.Define("referral.patient.no_family")
	PatientNoGiven           = msg.Define("referral.patient.no_given")
	PatientNoBirthDate       = msg.Define("referral.patient.no_birth_date")
	PatientBirthFuture       = msg.Define("referral.patient.birth_future", "date")
	PatientBirthTooOld       = msg.Define("referral.patient.birth_too_old", "date", "years")
	PatientBirthUnreadable   = msg.Define("referral.patient.birth_unreadable", "reason")
	PatientNoSex             = msg.Define("referral.patient.no_sex")
	PatientSexUnknown        = msg.Define("referral.patient.sex_unknown", "sex", "choices")
	PatientNoAddress         = msg.Define("referral.patient.no_address")
	PatientAddressIncomplete = msg.Define("referral.patient.address_incomplete", "missing")
	AddressStreet            = msg.Define("referral.patient.address.street")
	AddressCity              = msg.Define("referral.patient.address.city")
	AddressState             = msg.Define("referral.patient.address.state")
	AddressPostalCode        = msg.Define("referral.patient.address.postal_code")
	PatientZIPInvalid        = msg.Define("referral.patient.zip_invalid", "zip")
	PatientNoPhone           = msg.Define("referral.patient.no_phone")
	PatientPhoneInvalid      = msg.Define("referral.patient.phone_invalid", "phone")
	PatientNoInsurance       = msg.Define("referral.patient.no_insurance")
	PatientInsuranceUnknown  = msg.Define("referral.patient.insurance_unknown", "insurance", "choices")
	InsuranceFromList        = msg.Define("referral.patient.insurance_from_list")
)

// BirthDateCodes are the chart problems about the date of birth (a form may replace them when
// what was typed cannot be read as a date).
var BirthDateCodes = []msg.Code{PatientNoBirthDate, PatientBirthFuture, PatientBirthTooOld}
