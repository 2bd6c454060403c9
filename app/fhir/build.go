package fhir

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
)

// MaxConditionalEntries is the most conditional entries (ifNoneExist) one transaction may carry:
// Medplum refuses more than 8 ("Transaction requires strict isolation but has too many entries").
// BuildBundle makes at most 8 (Patient, Practitioner, Organization, PractitionerRole, Coverage,
// QuestionnaireResponse, ServiceRequest, Task); DocumentReferences go before it and the Provenance
// after it, each on its own.
const MaxConditionalEntries = 8

// Submission is everything one signed order sends.
type Submission struct {
	Order    app.Order
	Patient  app.Patient
	Provider app.Provider
	Profile  *institution.Profile
	// Installation is a stable, unique id (a UUID kept in the settings) of this ReferralDesk data
	// directory. It qualifies local ids (patient ids, the provider's role) so that two clinics'
	// "patient 5" never meet at the institution. Required unless Patient.ServerID is known.
	Installation string
	// Clinic is the referring clinic, sent as the Organization of the requester's role; nil when it
	// has not been set up (the submission then goes without it, as before the clinic existed).
	Clinic *app.Clinic
	Files  []FileRef
}

// FileRef is one attached file and its server ids as the syncer learns them.
type FileRef struct {
	Attachment app.Attachment
	// BinaryID is the id of the uploaded Binary (step 1; BinaryID() gives a stable one for PUT).
	BinaryID string
	// DocumentReferenceID is the server id of the file's DocumentReference (step 2); BuildBundle
	// needs it for ServiceRequest.supportingInfo.
	DocumentReferenceID string
}

// The submission goes in four steps, each safe to repeat after a crash:
//
//  1. upload each file as a Binary: Client.PutBinary(ctx, BinaryID(key), ...) with the key from
//     AttachmentIdentifiers, and record the id in FileRef.BinaryID;
//  2. create each DocumentReferences(sub)[i] with Client.CreateIfNoneExist(ctx, d,
//     IfNoneExist(d.Identifier[0])) and record the id in FileRef.DocumentReferenceID;
//  3. BuildBundle(sub), Validate it, and post it with Client.Transaction;
//  4. keep the ids Transaction returns (by resource type): the ServiceRequest and Task ids are what
//     the pull needs.

// PatientIdentifier is our identifier of the submission's patient.
func PatientIdentifier(s Submission) Identifier {
	return Identifier{Use: "usual", System: SystemPatient, Value: localPatientValue(s.Installation, s.Patient.ID)}
}

// OrderIdentifier is the ServiceRequest's identifier: the order UUID.
func OrderIdentifier(orderUUID string) Identifier { return orderIdentifier(orderUUID, "") }

// TaskIdentifier is the identifier of the order's Task.
func TaskIdentifier(orderUUID string) Identifier { return orderIdentifier(orderUUID, "task") }

// CoverageIdentifier is the identifier of the order's Coverage.
func CoverageIdentifier(orderUUID string) Identifier { return orderIdentifier(orderUUID, "coverage") }

// QuestionnaireResponseIdentifier is the identifier of the order's question panel answers.
func QuestionnaireResponseIdentifier(orderUUID string) Identifier {
	return orderIdentifier(orderUUID, "qr")
}

// PractitionerRoleIdentifier is the identifier of the provider's role at this clinic.
func PractitionerRoleIdentifier(installation, npi string) Identifier {
	return Identifier{System: SystemPractitionerRole, Value: installation + "/" + npi}
}

// OrganizationIdentifiers are the clinic's identifiers: its NPI when it has one, and ours
// (SystemOrganization, the installation). The first is the one the conditional create matches on,
// so clinics sharing an NPI are one Organization at the institution.
func OrganizationIdentifiers(installation string, c app.Clinic) []Identifier {
	var ids []Identifier
	if npi := strings.TrimSpace(c.NPI); npi != "" {
		ids = append(ids, Identifier{Use: "official", System: SystemNPI, Value: npi})
	}
	return append(ids, Identifier{Use: "usual", System: SystemOrganization, Value: installation})
}

// AttachmentIdentifiers gives each file's DocumentReference identifier, in Files order: system
// SystemAttachment, value "<order uuid>/<sha1>" (the attachment id when the SHA-1 is unknown); a
// second file with the same content gets "/2", and so on. The value is also the key of BinaryID.
func AttachmentIdentifiers(s Submission) []Identifier {
	ids := make([]Identifier, len(s.Files))
	seen := map[string]int{}
	for i, f := range s.Files {
		key := strings.ToLower(f.Attachment.SHA1)
		if key == "" {
			key = "attachment-" + strconv.FormatInt(f.Attachment.ID, 10)
		}
		v := s.Order.UUID + "/" + key
		seen[v]++
		if n := seen[v]; n > 1 {
			v += "/" + strconv.Itoa(n)
		}
		ids[i] = Identifier{System: SystemAttachment, Value: v}
	}
	return ids
}

// instant formats a time as a FHIR instant/dateTime in UTC with milliseconds ("" for the zero time).
// Milliseconds matter: FHIRPath cannot order two instants of different precision within the same
// second, so a server stamping lastModified in ms would find "lastModified >= authoredOn" undecided.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// patientRef is how the submission's resources point at the patient: the server's id when the
// chart is linked to the registry, else the bundle's Patient entry (or, outside the bundle, our
// identifier).
func patientRef(s Submission, inBundle bool) *Reference {
	if s.Patient.ServerID != "" {
		return &Reference{Reference: "Patient/" + s.Patient.ServerID}
	}
	if inBundle {
		return &Reference{Reference: fullURL(s.Order.UUID, "Patient")}
	}
	id := PatientIdentifier(s)
	return &Reference{Type: "Patient", Identifier: &id}
}

var kindTitles = map[app.AttachmentKind]string{
	app.KindRecords: "Medical records",
	app.KindPhoto:   "Photograph",
	app.KindVideo:   "Video",
	app.KindOther:   "Other document",
}

// DocumentReferences builds one DocumentReference per file, in Files order, to be created one by
// one before the bundle (each with IfNoneExist(d.Identifier[0])). Each points at its Binary
// ("Binary/<BinaryID>"), at the patient, and at the ServiceRequest by its identifier (the
// ServiceRequest does not exist yet; it points back by server id in supportingInfo).
func DocumentReferences(s Submission) ([]*DocumentReference, error) {
	ids := AttachmentIdentifiers(s)
	out := make([]*DocumentReference, len(s.Files))
	var errs []error
	for i, f := range s.Files {
		a := f.Attachment
		if f.BinaryID == "" {
			errs = append(errs, fmt.Errorf("%w: file %d (%s) has no uploaded Binary yet", ErrInvalid, i+1, a.FileName))
		}
		var hash []byte
		if a.SHA1 != "" {
			h, err := hex.DecodeString(a.SHA1)
			if err != nil || len(h) != 20 {
				errs = append(errs, fmt.Errorf("%w: file %d (%s): SHA-1 %q is not 40 hex digits", ErrInvalid, i+1, a.FileName, a.SHA1))
			}
			hash = h
		}
		title := kindTitles[a.Kind]
		if title == "" {
			title = kindTitles[app.KindOther]
		}
		orderID := OrderIdentifier(s.Order.UUID)
		date := s.Order.SignedAt
		if date.IsZero() {
			date = a.AddedAt
		}
		out[i] = &DocumentReference{
			ResourceType: "DocumentReference",
			Identifier:   []Identifier{ids[i]},
			Status:       "current",
			DocStatus:    "final",
			Type:         &CodeableConcept{Text: title},
			Subject:      patientRef(s, false),
			Date:         instant(date),
			Description:  a.Description,
			Content: []DocContent{{Attachment: Attachment{
				ContentType: a.ContentType,
				URL:         "Binary/" + f.BinaryID,
				Size:        a.Size,
				Hash:        hash,
				Title:       a.FileName,
			}}},
			Context: &DocContext{Related: []Reference{{Type: "ServiceRequest", Identifier: &orderID}}},
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("fhir: document references:\n%w", err)
	}
	return out, nil
}

// BuildBundle builds the order's transaction Bundle: Patient (unless Patient.ServerID is known),
// Practitioner, Organization (the clinic, when set up), PractitionerRole, Coverage (when there is insurance), QuestionnaireResponse,
// ServiceRequest and Task, each a conditional create on our identifier with a urn:uuid fullUrl, so
// that posting it again finds what the first post made. The same Submission always gives the same
// Bundle. Every file needs its DocumentReferenceID. Run Validate before sending.
func BuildBundle(s Submission) (*Bundle, error) {
	var errs []error
	if s.Order.UUID == "" {
		errs = append(errs, fmt.Errorf("%w: the order has no UUID", ErrInvalid))
	}
	if s.Installation == "" && s.Patient.ServerID == "" {
		errs = append(errs, fmt.Errorf("%w: Submission.Installation is empty (the patient's identifier needs it)", ErrInvalid))
	}
	for i, f := range s.Files {
		if f.DocumentReferenceID == "" {
			errs = append(errs, fmt.Errorf("%w: file %d (%s) has no DocumentReference id yet", ErrInvalid, i+1, f.Attachment.FileName))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("fhir: build bundle:\n%w", err)
	}

	o := s.Order
	b := &Bundle{ResourceType: "Bundle", Type: "transaction"}
	add := func(r Resource, id Identifier) {
		b.Entry = append(b.Entry, BundleEntry{
			FullURL:  fullURL(o.UUID, r.FHIRType()),
			Resource: r,
			Request:  &BundleRequest{Method: "POST", URL: r.FHIRType(), IfNoneExist: IfNoneExist(id)},
		})
	}
	subject := patientRef(s, true)
	if s.Patient.ServerID == "" {
		p := buildPatient(s)
		add(p, p.Identifier[0])
	}

	npi := PractitionerIdentifier(s.Provider)
	pr := &Practitioner{
		ResourceType: "Practitioner",
		Identifier:   []Identifier{npi},
		Name:         []HumanName{personName(s.Provider.Family, s.Provider.Given, s.Provider.Credentials)},
	}
	if ph := strings.TrimSpace(s.Provider.PracticePhone); ph != "" {
		pr.Telecom = []ContactPoint{{System: "phone", Value: phoneValue(ph, s.Provider.PracticeAddress.Country), Use: "work"}}
	}
	if !s.Provider.PracticeAddress.Empty() {
		pr.Address = []Address{fhirAddress("work", s.Provider.PracticeAddress)}
	}
	add(pr, npi)

	var org *Reference
	if s.Clinic != nil {
		og := buildOrganization(s)
		add(og, og.Identifier[0])
		org = &Reference{Reference: fullURL(o.UUID, "Organization"), Display: og.Name}
	}

	roleID := PractitionerRoleIdentifier(s.Installation, practitionerRoleValue(npi))
	active := true
	add(&PractitionerRole{
		ResourceType: "PractitionerRole",
		Identifier:   []Identifier{roleID},
		Active:       &active,
		Practitioner: &Reference{Reference: fullURL(o.UUID, "Practitioner"), Display: s.Provider.DisplayName()},
		Code:         []CodeableConcept{{Text: "Referring provider"}},
		Organization: org,
	}, roleID)
	requester := &Reference{Reference: fullURL(o.UUID, "PractitionerRole"), Display: s.Provider.DisplayName()}

	cov := buildCoverage(s, subject)
	if cov != nil {
		add(cov, cov.Identifier[0])
	}

	qr := buildQuestionnaireResponse(s, subject)
	add(qr, *qr.Identifier)

	sr := buildServiceRequest(s, subject, requester, cov != nil)
	add(sr, sr.Identifier[0])

	taskID := TaskIdentifier(o.UUID)
	task := &Task{
		ResourceType: "Task",
		Identifier:   []Identifier{taskID},
		Status:       "requested",
		Intent:       "order",
		Priority:     string(o.Priority),
		Code:         &CodeableConcept{Coding: []Coding{{System: systemTaskCode, Code: "fulfill", Display: "Fulfill the focal request"}}},
		Focus:        &Reference{Reference: fullURL(o.UUID, "ServiceRequest")},
		For:          subject,
		AuthoredOn:   instant(o.SignedAt),
		Requester:    requester,
	}
	if s.Profile != nil && s.Profile.Name != "" {
		task.Owner = &Reference{Display: s.Profile.Name}
	}
	add(task, taskID)
	return b, nil
}

func buildOrganization(s Submission) *Organization {
	c := s.Clinic.Normalized()
	active := true
	og := &Organization{
		ResourceType: "Organization",
		Identifier:   OrganizationIdentifiers(s.Installation, c),
		Active:       &active,
		Type:         []CodeableConcept{{Coding: []Coding{{System: systemOrganizationType, Code: "prov", Display: "Healthcare Provider"}}}},
		Name:         c.Name,
	}
	for _, t := range []ContactPoint{{System: "phone", Value: c.Phone}, {System: "fax", Value: c.Fax}, {System: "email", Value: c.Email}} {
		if t.Value != "" {
			t.Use = "work"
			og.Telecom = append(og.Telecom, t)
		}
	}
	a := Address{Use: "work", Line: c.AddressLines, City: c.City, State: c.State, PostalCode: c.PostalCode, Country: c.Country}
	if len(a.Line) > 0 || a.City != "" || a.State != "" || a.PostalCode != "" {
		og.Address = []Address{a}
	}
	return og
}

func personName(family, given, credentials string) HumanName {
	n := HumanName{Use: "official", Family: strings.TrimSpace(family), Given: strings.Fields(given)}
	if c := strings.TrimSpace(credentials); c != "" {
		n.Suffix = []string{c}
	}
	return n
}

func buildPatient(s Submission) *Patient {
	pt := s.Patient
	p := &Patient{
		ResourceType: "Patient",
		Identifier:   []Identifier{PatientIdentifier(s)},
		Name:         []HumanName{personName(pt.Family, pt.Given, "")},
		Gender:       string(pt.Sex),
		BirthDate:    app.FormatDate(pt.BirthDate),
	}
	if mrn := strings.TrimSpace(pt.MRN); mrn != "" {
		profileID := ""
		if s.Profile != nil {
			profileID = s.Profile.ID
		}
		p.Identifier = append(p.Identifier, Identifier{
			Use:    "official",
			Type:   &CodeableConcept{Coding: []Coding{{System: systemV20203, Code: "MR", Display: "Medical record number"}}, Text: "Registration number"},
			System: MRNSystem(profileID),
			Value:  mrn,
		})
	}
	if cm := strings.TrimSpace(pt.ClinicMRN); cm != "" {
		// The referring clinic's own number: lets the institution find the chart it already
		// made for this clinic's patient.
		p.Identifier = append(p.Identifier, Identifier{
			Use:    "usual",
			Type:   &CodeableConcept{Coding: []Coding{{System: systemV20203, Code: "MR", Display: "Medical record number"}}, Text: "Referring clinic's MRN"},
			System: ClinicMRNSystem(s.Installation, pt.ClinicMRNSystem),
			Value:  cm,
		})
	}
	if ph := strings.TrimSpace(pt.Phone); ph != "" {
		p.Telecom = []ContactPoint{{System: "phone", Value: phoneValue(ph, pt.Address.Country)}}
	}
	if !pt.Address.Empty() {
		p.Address = []Address{fhirAddress("home", pt.Address)}
	}
	p.Communication, p.Extension = communication(pt)
	return p
}

// insuranceTypeName is the chart's insurance type as the profile names it.
func insuranceTypeName(s Submission) string {
	t := strings.TrimSpace(s.Patient.InsuranceType)
	if it, ok := s.Profile.InsuranceType(t); ok && it.Name != "" {
		return it.Name
	}
	return t
}

func buildCoverage(s Submission, subject *Reference) *Coverage {
	ins := s.Order.Insurance
	typeName := insuranceTypeName(s)
	if ins.Empty() && typeName == "" {
		return nil
	}
	payor := strings.TrimSpace(ins.Payer)
	if payor == "" {
		payor = typeName
	}
	if payor == "" {
		payor = "Unknown payer"
	}
	c := &Coverage{
		ResourceType: "Coverage",
		Identifier:   []Identifier{CoverageIdentifier(s.Order.UUID)},
		Status:       "active",
		SubscriberID: strings.TrimSpace(ins.MemberID),
		Beneficiary:  *subject,
		Payor:        []Reference{{Display: payor}},
	}
	if typeName != "" {
		c.Type = &CodeableConcept{Text: typeName}
	}
	if g := strings.TrimSpace(ins.GroupID); g != "" {
		c.Class = []CoverageClass{{
			Type:  CodeableConcept{Coding: []Coding{{System: systemCoverageClass, Code: "group", Display: "Group"}}},
			Value: g,
		}}
	}
	return c
}

// Question panel link ids.
const (
	LinkLocation      = "location"
	LinkUploadImages  = "upload-images"
	LinkUploadRecords = "upload-records"
	LinkInsurance     = "insurance"
)

func buildQuestionnaireResponse(s Submission, subject *Reference) *QuestionnaireResponse {
	o := s.Order
	id := QuestionnaireResponseIdentifier(o.UUID)
	qr := &QuestionnaireResponse{
		ResourceType: "QuestionnaireResponse",
		Identifier:   &id,
		Status:       "completed",
		Subject:      subject,
		Authored:     instant(o.SignedAt),
	}
	if o.Location != "" {
		loc := locationCoding(s)
		qr.Item = append(qr.Item, QRItem{LinkID: LinkLocation, Text: "Location", Answer: []QRAnswer{{ValueCoding: &loc}}})
	}
	yesNo := func(link, text string, a app.Answer) {
		if a != app.AnswerYes && a != app.AnswerNo {
			return
		}
		v := a == app.AnswerYes
		qr.Item = append(qr.Item, QRItem{LinkID: link, Text: text, Answer: []QRAnswer{{ValueBoolean: &v}}})
	}
	yesNo(LinkUploadImages, "Will you be uploading images?", o.UploadImages)
	yesNo(LinkUploadRecords, "Will you be uploading medical records?", o.UploadRecords)
	if ins := insuranceText(s); ins != "" {
		qr.Item = append(qr.Item, QRItem{LinkID: LinkInsurance, Text: "Insurance", Answer: []QRAnswer{{ValueString: ins}}})
	}
	return qr
}

func insuranceText(s Submission) string {
	var parts []string
	if t := insuranceTypeName(s); t != "" {
		parts = append(parts, "Type: "+t)
	}
	ins := s.Order.Insurance
	for _, p := range [][2]string{{"Payer", ins.Payer}, {"Member ID", ins.MemberID}, {"Group", ins.GroupID}} {
		if v := strings.TrimSpace(p[1]); v != "" {
			parts = append(parts, p[0]+": "+v)
		}
	}
	return strings.Join(parts, "; ")
}

func profileID(s Submission) string {
	if s.Profile == nil {
		return ""
	}
	return s.Profile.ID
}

func locationCoding(s Submission) Coding {
	name := s.Order.Location
	if l, ok := s.Profile.Location(s.Order.Location); ok {
		name = l.Name
	}
	return Coding{System: LocationSystem(profileID(s)), Code: s.Order.Location, Display: name}
}

func buildServiceRequest(s Submission, subject, requester *Reference, withCoverage bool) *ServiceRequest {
	o := s.Order
	sr := &ServiceRequest{
		ResourceType: "ServiceRequest",
		Identifier:   []Identifier{OrderIdentifier(o.UUID)},
		Status:       "active",
		Intent:       "order",
		Category: []CodeableConcept{{
			Coding: []Coding{{System: "http://snomed.info/sct", Code: "3457005", Display: "Patient referral"}},
		}},
		Priority:   string(o.Priority),
		Subject:    *subject,
		AuthoredOn: instant(o.SignedAt),
		Requester:  requester,
	}
	if o.Department != "" {
		name := o.Department
		if d, ok := s.Profile.Department(o.Department); ok {
			name = d.Name
		}
		sr.Code = &CodeableConcept{
			Coding: []Coding{{System: DepartmentSystem(profileID(s)), Code: o.Department, Display: name}},
			Text:   name,
		}
		sr.Performer = []Reference{{Display: name}}
	}
	if o.Location != "" {
		loc := locationCoding(s)
		sr.LocationCode = []CodeableConcept{{Coding: []Coding{loc}, Text: loc.Display}}
		sr.LocationReference = []Reference{{Display: loc.Display}}
	}
	for _, d := range o.Diagnoses {
		cc := CodeableConcept{Coding: []Coding{{System: SystemICD10CM, Code: strings.TrimSpace(d.Code), Display: d.Description}}}
		cc.Text = d.Description
		sr.ReasonCode = append(sr.ReasonCode, cc)
	}
	if r := strings.TrimSpace(o.Reason); r != "" {
		sr.Note = append(sr.Note, Annotation{Text: r})
	}
	if c := strings.TrimSpace(o.SchedulingComment); c != "" {
		sr.Note = append(sr.Note, Annotation{Text: "Scheduling: " + c})
	}
	if withCoverage {
		sr.Insurance = []Reference{{Reference: fullURL(o.UUID, "Coverage")}}
	}
	sr.SupportingInfo = append(sr.SupportingInfo, Reference{Reference: fullURL(o.UUID, "QuestionnaireResponse"), Display: "Question panel"})
	for _, f := range s.Files {
		sr.SupportingInfo = append(sr.SupportingInfo, Reference{Reference: "DocumentReference/" + f.DocumentReferenceID, Display: f.Attachment.FileName})
	}
	return sr
}
