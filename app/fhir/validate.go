package fhir

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// ErrInvalid is matched (errors.Is) by every problem Validate and the builders report.
var ErrInvalid = errors.New("invalid FHIR submission")

var errNoResourceType = errors.New("no resourceType")

var (
	icd10RE     = regexp.MustCompile(`^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`)
	dateRE      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	typeRE      = regexp.MustCompile(`^[A-Z][A-Za-z]+$`)
	validGender = map[string]bool{"male": true, "female": true, "other": true, "unknown": true}
	srPriority  = map[string]bool{"routine": true, "urgent": true, "asap": true, "stat": true}
)

// validator collects problems, each naming where it is.
type validator struct {
	errs     []error
	fullURLs map[string]string // fullUrl -> resource type
}

func (v *validator) add(where, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%w: %s: %s", ErrInvalid, where, fmt.Sprintf(format, args...)))
}

// Validate checks a transaction Bundle from BuildBundle before it is sent: its shape (transaction,
// urn:uuid fullUrls, POST with ifNoneExist on one of the resource's identifiers, at most
// MaxConditionalEntries), that every reference resolves inside the bundle or is a well-formed
// "Type/id", that required elements and codes are present, the NPI is valid and dates are well
// formed. It returns every problem joined, each matching ErrInvalid; nil when there is none.
func Validate(b *Bundle) error {
	if b == nil {
		return fmt.Errorf("%w: no bundle", ErrInvalid)
	}
	v := &validator{fullURLs: map[string]string{}}
	if b.ResourceType != "Bundle" {
		v.add("Bundle", "resourceType is %q", b.ResourceType)
	}
	if b.Type != "transaction" {
		v.add("Bundle", "type is %q, want transaction", b.Type)
	}
	if len(b.Entry) == 0 {
		v.add("Bundle", "no entries")
	}
	conditional := 0
	for i, e := range b.Entry {
		where := fmt.Sprintf("entry %d", i+1)
		if e.Resource != nil {
			where += " (" + e.Resource.FHIRType() + ")"
		}
		if !strings.HasPrefix(e.FullURL, "urn:uuid:") || !uuidRE.MatchString(strings.TrimPrefix(e.FullURL, "urn:uuid:")) {
			v.add(where, "fullUrl %q is not a urn:uuid", e.FullURL)
		} else if _, dup := v.fullURLs[e.FullURL]; dup {
			v.add(where, "fullUrl %s is used twice", e.FullURL)
		}
		if e.Resource != nil {
			v.fullURLs[e.FullURL] = e.Resource.FHIRType()
		}
		if e.Request != nil && e.Request.IfNoneExist != "" {
			conditional++
		}
	}
	if conditional > MaxConditionalEntries {
		v.add("Bundle", "%d conditional entries; the server accepts at most %d in one transaction", conditional, MaxConditionalEntries)
	}
	seenTypes := map[string]bool{}
	for i, e := range b.Entry {
		where := fmt.Sprintf("entry %d", i+1)
		if e.Resource == nil {
			v.add(where, "no resource")
			continue
		}
		typ := e.Resource.FHIRType()
		where += " (" + typ + ")"
		if seenTypes[typ] {
			v.add(where, "a second %s; the bundle has one of each type", typ)
		}
		seenTypes[typ] = true
		v.request(where, e)
		v.resource(where, e.Resource)
	}
	for _, need := range []string{"Practitioner", "PractitionerRole", "QuestionnaireResponse", "ServiceRequest", "Task"} {
		if !seenTypes[need] {
			v.add("Bundle", "no %s entry", need)
		}
	}
	return errors.Join(v.errs...)
}

// ValidateDocumentReference checks a DocumentReference from DocumentReferences before it is
// created.
func ValidateDocumentReference(d *DocumentReference) error {
	v := &validator{fullURLs: map[string]string{}}
	if d == nil {
		return fmt.Errorf("%w: no DocumentReference", ErrInvalid)
	}
	v.resource("DocumentReference", d)
	return errors.Join(v.errs...)
}

func (v *validator) request(where string, e BundleEntry) {
	r := e.Request
	if r == nil {
		v.add(where, "no request")
		return
	}
	if r.Method != "POST" {
		v.add(where, "request method %q, want POST", r.Method)
	}
	if r.URL != e.Resource.FHIRType() {
		v.add(where, "request url %q, want %q", r.URL, e.Resource.FHIRType())
	}
	if r.IfNoneExist == "" {
		v.add(where, "no ifNoneExist: a repeated post would create a duplicate")
		return
	}
	for _, id := range identifiersOf(e.Resource) {
		if IfNoneExist(id) == r.IfNoneExist {
			return
		}
	}
	v.add(where, "ifNoneExist %q does not match any of the resource's identifiers", r.IfNoneExist)
}

func identifiersOf(r Resource) []Identifier {
	switch r := r.(type) {
	case *Patient:
		return r.Identifier
	case *Practitioner:
		return r.Identifier
	case *PractitionerRole:
		return r.Identifier
	case *Organization:
		return r.Identifier
	case *Coverage:
		return r.Identifier
	case *QuestionnaireResponse:
		if r.Identifier != nil {
			return []Identifier{*r.Identifier}
		}
	case *ServiceRequest:
		return r.Identifier
	case *Task:
		return r.Identifier
	case *DocumentReference:
		return r.Identifier
	}
	return nil
}

// ref checks a reference: required means it must point somewhere (not only a display); want is
// the resource type it must point at ("" for any).
func (v *validator) ref(where, field string, r *Reference, required bool, want string) {
	if r == nil || (r.Reference == "" && r.Identifier == nil && r.Display == "") {
		if required {
			v.add(where, "%s is missing", field)
		}
		return
	}
	switch {
	case strings.HasPrefix(r.Reference, "urn:uuid:"):
		typ, ok := v.fullURLs[r.Reference]
		if !ok {
			v.add(where, "%s points at %s, which is not in the bundle", field, r.Reference)
		} else if want != "" && typ != want {
			v.add(where, "%s points at a %s, want a %s", field, typ, want)
		}
	case r.Reference != "":
		typ, id, ok := strings.Cut(r.Reference, "/")
		if !ok || !typeRE.MatchString(typ) || !ValidID(id) {
			v.add(where, "%s %q is not a Type/id reference", field, r.Reference)
		} else if want != "" && typ != want {
			v.add(where, "%s points at a %s, want a %s", field, typ, want)
		}
	case r.Identifier != nil:
		if r.Identifier.System == "" || r.Identifier.Value == "" {
			v.add(where, "%s has an identifier without system or value", field)
		}
		if want != "" && r.Type != want {
			v.add(where, "%s has type %q, want %q", field, r.Type, want)
		}
	case required:
		v.add(where, "%s has only a display text; it must point at a resource", field)
	}
}

func (v *validator) identifier(where string, ids []Identifier, system string) {
	for _, id := range ids {
		if id.System == "" || id.Value == "" {
			v.add(where, "an identifier has no system or value")
		}
	}
	for _, id := range ids {
		if id.System == system && id.Value != "" {
			return
		}
	}
	v.add(where, "no identifier in system %s", system)
}

func (v *validator) orderUUID(where string, ids []Identifier, suffix string) {
	for _, id := range ids {
		if id.System != SystemOrder {
			continue
		}
		u := strings.TrimSuffix(id.Value, suffix)
		if !uuidRE.MatchString(strings.ToLower(u)) || (suffix != "" && !strings.HasSuffix(id.Value, suffix)) {
			v.add(where, "identifier %q is not the order UUID%s", id.Value, suffix)
		}
	}
}

func (v *validator) dateTime(where, field, s string, required bool) {
	if s == "" {
		if required {
			v.add(where, "%s is missing", field)
		}
		return
	}
	if dateRE.MatchString(s) {
		if _, err := time.Parse("2006-01-02", s); err != nil {
			v.add(where, "%s %q is not a date", field, s)
		}
		return
	}
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		v.add(where, "%s %q is not a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)", field, s)
	}
}

func (v *validator) codes(where, field string, cc *CodeableConcept, required bool) {
	if cc == nil || (len(cc.Coding) == 0 && cc.Text == "") {
		if required {
			v.add(where, "%s is missing", field)
		}
		return
	}
	for _, c := range cc.Coding {
		if c.System == "" || c.Code == "" {
			v.add(where, "%s has a coding without system or code", field)
		}
	}
}

func (v *validator) resource(where string, r Resource) {
	switch r := r.(type) {
	case *Patient:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, r.Identifier, SystemPatient)
		if len(r.Name) == 0 || strings.TrimSpace(r.Name[0].Family) == "" {
			v.add(where, "the patient has no last name")
		}
		if r.BirthDate == "" {
			v.add(where, "the patient has no birth date")
		} else if _, err := time.Parse("2006-01-02", r.BirthDate); err != nil || !dateRE.MatchString(r.BirthDate) {
			v.add(where, "birthDate %q is not YYYY-MM-DD", r.BirthDate)
		}
		if r.Gender != "" && !validGender[r.Gender] {
			v.add(where, "gender %q is not male, female, other or unknown", r.Gender)
		}
	case *Practitioner:
		v.resourceType(where, r.ResourceType, r)
		if !hasLicence(r.Identifier) {
			v.identifier(where, r.Identifier, SystemNPI)
		}
		for _, id := range r.Identifier {
			if id.System == SystemNPI && !app.ValidNPI(id.Value) {
				v.add(where, "NPI %q is not a valid National Provider Identifier", id.Value)
			}
		}
		if len(r.Name) == 0 || strings.TrimSpace(r.Name[0].Family) == "" {
			v.add(where, "the provider has no last name")
		}
	case *PractitionerRole:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, r.Identifier, SystemPractitionerRole)
		v.ref(where, "practitioner", r.Practitioner, true, "Practitioner")
		v.ref(where, "organization", r.Organization, false, "Organization")
	case *Organization:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, r.Identifier, SystemOrganization)
		for _, id := range r.Identifier {
			if id.System == SystemNPI && !app.ValidNPI(id.Value) {
				v.add(where, "NPI %q is not a valid National Provider Identifier", id.Value)
			}
		}
		if strings.TrimSpace(r.Name) == "" {
			v.add(where, "the clinic has no name")
		}
	case *Provenance:
		v.resourceType(where, r.ResourceType, r)
		if len(r.Target) == 0 {
			v.add(where, "no target")
		}
		for i := range r.Target {
			v.ref(where, "target", &r.Target[i], true, "ServiceRequest")
		}
		v.dateTime(where, "recorded", r.Recorded, true)
		v.dateTime(where, "occurredDateTime", r.OccurredDateTime, false)
		if len(r.Agent) == 0 {
			v.add(where, "no agent (who signed)")
		}
		for _, a := range r.Agent {
			v.codes(where, "agent.type", a.Type, true)
			if strings.TrimSpace(a.Who.Reference) == "" && strings.TrimSpace(a.Who.Display) == "" {
				v.add(where, "an agent has no who (the signer's name or reference)")
			}
			who := a.Who
			v.ref(where, "agent.who", &who, false, "")
			v.ref(where, "agent.onBehalfOf", a.OnBehalfOf, false, "")
		}
	case *Coverage:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, r.Identifier, SystemOrder)
		v.orderUUID(where, r.Identifier, "/coverage")
		if r.Status != "active" {
			v.add(where, "status %q, want active", r.Status)
		}
		v.ref(where, "beneficiary", &r.Beneficiary, true, "Patient")
		if len(r.Payor) == 0 {
			v.add(where, "no payor")
		}
		for i := range r.Payor {
			v.ref(where, "payor", &r.Payor[i], false, "")
		}
		for _, c := range r.Class {
			v.codes(where, "class.type", &c.Type, true)
			if c.Value == "" {
				v.add(where, "a class has no value")
			}
		}
	case *QuestionnaireResponse:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, identifiersOf(r), SystemOrder)
		v.orderUUID(where, identifiersOf(r), "/qr")
		if r.Status != "completed" {
			v.add(where, "status %q, want completed", r.Status)
		}
		v.ref(where, "subject", r.Subject, true, "Patient")
		v.dateTime(where, "authored", r.Authored, true)
		for _, it := range r.Item {
			if it.LinkID == "" {
				v.add(where, "an item has no linkId")
			}
			for _, a := range it.Answer {
				if a.ValueBoolean == nil && a.ValueString == "" && a.ValueCoding == nil {
					v.add(where, "item %s has an empty answer", it.LinkID)
				}
			}
		}
	case *ServiceRequest:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, r.Identifier, SystemOrder)
		v.orderUUID(where, r.Identifier, "")
		if r.Status != "active" {
			v.add(where, "status %q, want active", r.Status)
		}
		if r.Intent != "order" {
			v.add(where, "intent %q, want order", r.Intent)
		}
		if !srPriority[r.Priority] {
			v.add(where, "priority %q is not routine or urgent", r.Priority)
		}
		v.codes(where, "code (the department)", r.Code, true)
		v.ref(where, "subject", &r.Subject, true, "Patient")
		v.ref(where, "requester", r.Requester, true, "PractitionerRole")
		v.dateTime(where, "authoredOn", r.AuthoredOn, true)
		if len(r.ReasonCode) == 0 {
			v.add(where, "no diagnosis (reasonCode)")
		}
		for i := range r.ReasonCode {
			v.codes(where, "reasonCode", &r.ReasonCode[i], true)
			for _, c := range r.ReasonCode[i].Coding {
				if c.System == SystemICD10CM && !icd10RE.MatchString(c.Code) {
					v.add(where, "ICD-10-CM code %q is not in the dotted form (e.g. E11.9)", c.Code)
				}
			}
		}
		for i := range r.LocationCode {
			v.codes(where, "locationCode", &r.LocationCode[i], true)
		}
		if len(r.Note) == 0 || strings.TrimSpace(r.Note[0].Text) == "" {
			v.add(where, "no reason for referral (note)")
		}
		for i := range r.Insurance {
			v.ref(where, "insurance", &r.Insurance[i], true, "Coverage")
		}
		for i := range r.SupportingInfo {
			v.ref(where, "supportingInfo", &r.SupportingInfo[i], true, "")
		}
		for i := range r.Performer {
			v.ref(where, "performer", &r.Performer[i], false, "")
		}
	case *Task:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, r.Identifier, SystemOrder)
		v.orderUUID(where, r.Identifier, "/task")
		if r.Status != "requested" {
			v.add(where, "status %q, want requested", r.Status)
		}
		if r.Intent != "order" {
			v.add(where, "intent %q, want order", r.Intent)
		}
		v.ref(where, "focus", r.Focus, true, "ServiceRequest")
		v.ref(where, "for", r.For, true, "Patient")
		v.ref(where, "requester", r.Requester, false, "PractitionerRole")
		v.dateTime(where, "authoredOn", r.AuthoredOn, true)
	case *DocumentReference:
		v.resourceType(where, r.ResourceType, r)
		v.identifier(where, r.Identifier, SystemAttachment)
		if r.Status != "current" {
			v.add(where, "status %q, want current", r.Status)
		}
		v.ref(where, "subject", r.Subject, true, "Patient")
		v.dateTime(where, "date", r.Date, false)
		if len(r.Content) == 0 {
			v.add(where, "no content")
		}
		for _, c := range r.Content {
			a := c.Attachment
			if a.ContentType == "" {
				v.add(where, "the attachment %q has no content type", a.Title)
			}
			if typ, id, ok := strings.Cut(a.URL, "/"); !ok || typ != "Binary" || !ValidID(id) {
				v.add(where, "the attachment %q has url %q, want Binary/<id>", a.Title, a.URL)
			}
			if a.Size <= 0 {
				v.add(where, "the attachment %q has no size", a.Title)
			}
			if len(a.Hash) != 20 {
				v.add(where, "the attachment %q has no SHA-1 hash", a.Title)
			}
			if a.Title == "" {
				v.add(where, "an attachment has no title (file name)")
			}
		}
		if r.Context != nil {
			for i := range r.Context.Related {
				v.ref(where, "context.related", &r.Context.Related[i], true, "ServiceRequest")
			}
		}
	default:
		v.add(where, "a %s does not belong in a submission", r.FHIRType())
	}
}

func (v *validator) resourceType(where, got string, r Resource) {
	if got != r.FHIRType() {
		v.add(where, "resourceType is %q, want %q", got, r.FHIRType())
	}
}

// hasLicence reports whether one of ids is a medical licence (a provider outside the US).
func hasLicence(ids []Identifier) bool {
	for _, id := range ids {
		if strings.HasPrefix(id.System, SystemLicencePrefix) && id.Value != "" {
			return true
		}
	}
	return false
}
