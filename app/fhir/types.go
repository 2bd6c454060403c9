package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The FHIR R4 data types and resources ReferralDesk writes, as plain structs with JSON tags. Only
// the elements we use are declared; decoding ignores the rest.

// Identifier is a business identifier (system + value).
type Identifier struct {
	Use      string           `json:"use,omitempty"`
	Type     *CodeableConcept `json:"type,omitempty"`
	System   string           `json:"system,omitempty"`
	Value    string           `json:"value,omitempty"`
	Assigner *Reference       `json:"assigner,omitempty"` // e.g. the authority that issued a licence
}

// Extension is a FHIR extension with a boolean value (the only kind we send).
type Extension struct {
	URL          string `json:"url"`
	ValueBoolean *bool  `json:"valueBoolean,omitempty"`
}

// PatientCommunication is a language the patient speaks (Patient.communication).
type PatientCommunication struct {
	Language  CodeableConcept `json:"language"`
	Preferred *bool           `json:"preferred,omitempty"`
}

// Coding is one code in a code system.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is codes plus text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Display is the concept's text, else the first coding's display, else its code.
func (c *CodeableConcept) Display() string {
	if c == nil {
		return ""
	}
	if c.Text != "" {
		return c.Text
	}
	for _, cd := range c.Coding {
		if cd.Display != "" {
			return cd.Display
		}
	}
	for _, cd := range c.Coding {
		if cd.Code != "" {
			return cd.Code
		}
	}
	return ""
}

// Reference points at another resource: a literal reference ("Type/id" or "urn:uuid:..."), a
// logical one (Identifier), or only a display text.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Type       string      `json:"type,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// HumanName is a person's name.
type HumanName struct {
	Use    string   `json:"use,omitempty"`
	Text   string   `json:"text,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
	Suffix []string `json:"suffix,omitempty"`
}

// Address is a postal address.
type Address struct {
	Use        string   `json:"use,omitempty"`
	Line       []string `json:"line,omitempty"`
	City       string   `json:"city,omitempty"`
	State      string   `json:"state,omitempty"`
	PostalCode string   `json:"postalCode,omitempty"`
	Country    string   `json:"country,omitempty"`
}

// ContactPoint is a phone number, e-mail address...
type ContactPoint struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
	Use    string `json:"use,omitempty"`
}

// Attachment is file content inline (Data) or by URL. Hash is the SHA-1 of the content; both Data
// and Hash are base64 in JSON, as FHIR's base64Binary is.
type Attachment struct {
	ContentType string `json:"contentType,omitempty"`
	Data        []byte `json:"data,omitempty"`
	URL         string `json:"url,omitempty"`
	Size        int64  `json:"size,omitempty"`
	Hash        []byte `json:"hash,omitempty"`
	Title       string `json:"title,omitempty"`
	Creation    string `json:"creation,omitempty"`
}

// Annotation is a note.
type Annotation struct {
	Text string `json:"text"`
	Time string `json:"time,omitempty"`
}

// Period is a start and end dateTime.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Resource is a FHIR resource this package knows.
type Resource interface {
	// FHIRType is the resource type, e.g. "Patient".
	FHIRType() string
}

// Patient resource.
type Patient struct {
	ResourceType  string                 `json:"resourceType"`
	ID            string                 `json:"id,omitempty"`
	Extension     []Extension            `json:"extension,omitempty"`
	Identifier    []Identifier           `json:"identifier,omitempty"`
	Name          []HumanName            `json:"name,omitempty"`
	Telecom       []ContactPoint         `json:"telecom,omitempty"`
	Gender        string                 `json:"gender,omitempty"`
	BirthDate     string                 `json:"birthDate,omitempty"`
	Address       []Address              `json:"address,omitempty"`
	Communication []PatientCommunication `json:"communication,omitempty"`
}

// Practitioner resource.
type Practitioner struct {
	ResourceType string         `json:"resourceType"`
	ID           string         `json:"id,omitempty"`
	Identifier   []Identifier   `json:"identifier,omitempty"`
	Name         []HumanName    `json:"name,omitempty"`
	Telecom      []ContactPoint `json:"telecom,omitempty"`
	Address      []Address      `json:"address,omitempty"`
}

// PractitionerRole resource.
type PractitionerRole struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id,omitempty"`
	Identifier   []Identifier      `json:"identifier,omitempty"`
	Active       *bool             `json:"active,omitempty"`
	Practitioner *Reference        `json:"practitioner,omitempty"`
	Code         []CodeableConcept `json:"code,omitempty"`
	Organization *Reference        `json:"organization,omitempty"`
}

// Organization resource: the referring clinic.
type Organization struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id,omitempty"`
	Identifier   []Identifier      `json:"identifier,omitempty"`
	Active       *bool             `json:"active,omitempty"`
	Type         []CodeableConcept `json:"type,omitempty"`
	Name         string            `json:"name,omitempty"`
	Telecom      []ContactPoint    `json:"telecom,omitempty"`
	Address      []Address         `json:"address,omitempty"`
}

// ProvenanceAgent is one participant of a Provenance: who, in which role, on whose behalf.
type ProvenanceAgent struct {
	Type       *CodeableConcept `json:"type,omitempty"`
	Who        Reference        `json:"who"`
	OnBehalfOf *Reference       `json:"onBehalfOf,omitempty"`
}

// Provenance resource: who signed the order, for whom, and when.
type Provenance struct {
	ResourceType     string            `json:"resourceType"`
	ID               string            `json:"id,omitempty"`
	Target           []Reference       `json:"target"`
	OccurredDateTime string            `json:"occurredDateTime,omitempty"`
	Recorded         string            `json:"recorded"`
	Agent            []ProvenanceAgent `json:"agent"`
}

// CoverageClass is a Coverage's group, plan...
type CoverageClass struct {
	Type  CodeableConcept `json:"type"`
	Value string          `json:"value"`
	Name  string          `json:"name,omitempty"`
}

// Coverage resource.
type Coverage struct {
	ResourceType string           `json:"resourceType"`
	ID           string           `json:"id,omitempty"`
	Identifier   []Identifier     `json:"identifier,omitempty"`
	Status       string           `json:"status"`
	Type         *CodeableConcept `json:"type,omitempty"`
	SubscriberID string           `json:"subscriberId,omitempty"`
	Beneficiary  Reference        `json:"beneficiary"`
	Payor        []Reference      `json:"payor"`
	Class        []CoverageClass  `json:"class,omitempty"`
}

// QRAnswer is one answer of a QuestionnaireResponse item.
type QRAnswer struct {
	ValueBoolean *bool   `json:"valueBoolean,omitempty"`
	ValueString  string  `json:"valueString,omitempty"`
	ValueCoding  *Coding `json:"valueCoding,omitempty"`
}

// QRItem is one question and its answers.
type QRItem struct {
	LinkID string     `json:"linkId"`
	Text   string     `json:"text,omitempty"`
	Answer []QRAnswer `json:"answer,omitempty"`
}

// QuestionnaireResponse resource (R4: a single identifier).
type QuestionnaireResponse struct {
	ResourceType string      `json:"resourceType"`
	ID           string      `json:"id,omitempty"`
	Identifier   *Identifier `json:"identifier,omitempty"`
	Status       string      `json:"status"`
	Subject      *Reference  `json:"subject,omitempty"`
	Authored     string      `json:"authored,omitempty"`
	Item         []QRItem    `json:"item,omitempty"`
}

// ServiceRequest resource: the referral order.
type ServiceRequest struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id,omitempty"`
	Identifier        []Identifier      `json:"identifier,omitempty"`
	Status            string            `json:"status"`
	Intent            string            `json:"intent"`
	Category          []CodeableConcept `json:"category,omitempty"`
	Priority          string            `json:"priority,omitempty"`
	Code              *CodeableConcept  `json:"code,omitempty"`
	Subject           Reference         `json:"subject"`
	AuthoredOn        string            `json:"authoredOn,omitempty"`
	Requester         *Reference        `json:"requester,omitempty"`
	Performer         []Reference       `json:"performer,omitempty"`
	LocationCode      []CodeableConcept `json:"locationCode,omitempty"`
	LocationReference []Reference       `json:"locationReference,omitempty"`
	ReasonCode        []CodeableConcept `json:"reasonCode,omitempty"`
	Insurance         []Reference       `json:"insurance,omitempty"`
	SupportingInfo    []Reference       `json:"supportingInfo,omitempty"`
	Note              []Annotation      `json:"note,omitempty"`
}

// Task resource: the workflow the institution moves along.
type Task struct {
	ResourceType   string           `json:"resourceType"`
	ID             string           `json:"id,omitempty"`
	Identifier     []Identifier     `json:"identifier,omitempty"`
	BasedOn        []Reference      `json:"basedOn,omitempty"`
	Status         string           `json:"status"`
	StatusReason   *CodeableConcept `json:"statusReason,omitempty"`
	BusinessStatus *CodeableConcept `json:"businessStatus,omitempty"`
	Intent         string           `json:"intent"`
	Priority       string           `json:"priority,omitempty"`
	Code           *CodeableConcept `json:"code,omitempty"`
	Focus          *Reference       `json:"focus,omitempty"`
	For            *Reference       `json:"for,omitempty"`
	AuthoredOn     string           `json:"authoredOn,omitempty"`
	LastModified   string           `json:"lastModified,omitempty"`
	Requester      *Reference       `json:"requester,omitempty"`
	Owner          *Reference       `json:"owner,omitempty"`
}

// DocContent is one content element of a DocumentReference.
type DocContent struct {
	Attachment Attachment `json:"attachment"`
}

// DocContext is a DocumentReference's clinical context.
type DocContext struct {
	Related []Reference `json:"related,omitempty"`
}

// DocumentReference resource: one file (sent or received).
type DocumentReference struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id,omitempty"`
	Identifier   []Identifier      `json:"identifier,omitempty"`
	Status       string            `json:"status"`
	DocStatus    string            `json:"docStatus,omitempty"`
	Type         *CodeableConcept  `json:"type,omitempty"`
	Category     []CodeableConcept `json:"category,omitempty"`
	Subject      *Reference        `json:"subject,omitempty"`
	Date         string            `json:"date,omitempty"`
	Description  string            `json:"description,omitempty"`
	Content      []DocContent      `json:"content"`
	Context      *DocContext       `json:"context,omitempty"`
}

// Issue is one problem of an OperationOutcome.
type Issue struct {
	Severity    string           `json:"severity"`
	Code        string           `json:"code"`
	Details     *CodeableConcept `json:"details,omitempty"`
	Diagnostics string           `json:"diagnostics,omitempty"`
	Expression  []string         `json:"expression,omitempty"`
}

// OperationOutcome resource: what a server says about an error.
type OperationOutcome struct {
	ResourceType string  `json:"resourceType"`
	Issue        []Issue `json:"issue"`
}

// FHIRType implementations.
func (*Patient) FHIRType() string               { return "Patient" }
func (*Practitioner) FHIRType() string          { return "Practitioner" }
func (*PractitionerRole) FHIRType() string      { return "PractitionerRole" }
func (*Organization) FHIRType() string          { return "Organization" }
func (*Provenance) FHIRType() string            { return "Provenance" }
func (*Coverage) FHIRType() string              { return "Coverage" }
func (*QuestionnaireResponse) FHIRType() string { return "QuestionnaireResponse" }
func (*ServiceRequest) FHIRType() string        { return "ServiceRequest" }
func (*Task) FHIRType() string                  { return "Task" }
func (*DocumentReference) FHIRType() string     { return "DocumentReference" }
func (*OperationOutcome) FHIRType() string      { return "OperationOutcome" }
func (*Bundle) FHIRType() string                { return "Bundle" }

// Raw is a resource of a type this package does not model (Appointment, Communication...), kept
// as its JSON.
type Raw struct {
	Type string
	JSON json.RawMessage
}

// FHIRType is the resource's resourceType.
func (r *Raw) FHIRType() string { return r.Type }

// MarshalJSON writes the JSON back unchanged.
func (r *Raw) MarshalJSON() ([]byte, error) { return r.JSON, nil }

// newResource makes an empty resource of a modelled type, or nil.
func newResource(typ string) Resource {
	switch typ {
	case "Patient":
		return &Patient{}
	case "Practitioner":
		return &Practitioner{}
	case "PractitionerRole":
		return &PractitionerRole{}
	case "Organization":
		return &Organization{}
	case "Provenance":
		return &Provenance{}
	case "Coverage":
		return &Coverage{}
	case "QuestionnaireResponse":
		return &QuestionnaireResponse{}
	case "ServiceRequest":
		return &ServiceRequest{}
	case "Task":
		return &Task{}
	case "DocumentReference":
		return &DocumentReference{}
	case "OperationOutcome":
		return &OperationOutcome{}
	case "Bundle":
		return &Bundle{}
	}
	return nil
}

// DecodeResource reads one resource: a modelled type into its struct, any other into *Raw.
func DecodeResource(data []byte) (Resource, error) {
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("fhir: decode resource: %w", err)
	}
	if head.ResourceType == "" {
		return nil, fmt.Errorf("fhir: decode resource: %w", errNoResourceType)
	}
	r := newResource(head.ResourceType)
	if r == nil {
		return &Raw{Type: head.ResourceType, JSON: append(json.RawMessage(nil), bytes.TrimSpace(data)...)}, nil
	}
	if err := json.Unmarshal(data, r); err != nil {
		return nil, fmt.Errorf("fhir: decode %s: %w", head.ResourceType, err)
	}
	return r, nil
}

// Bundle resource: a transaction, its response, or search results.
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitempty"`
	Type         string        `json:"type"`
	Total        *int          `json:"total,omitempty"`
	Link         []BundleLink  `json:"link,omitempty"`
	Entry        []BundleEntry `json:"entry,omitempty"`
}

// BundleLink is a search paging link ("self", "next"...).
type BundleLink struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
}

// BundleEntry is one entry of a Bundle.
type BundleEntry struct {
	FullURL  string          `json:"fullUrl,omitempty"`
	Resource Resource        `json:"resource,omitempty"`
	Search   *BundleSearch   `json:"search,omitempty"`
	Request  *BundleRequest  `json:"request,omitempty"`
	Response *BundleResponse `json:"response,omitempty"`
}

// BundleSearch says why a search result is in the Bundle ("match" or "include").
type BundleSearch struct {
	Mode string `json:"mode,omitempty"`
}

// BundleRequest is the HTTP request of a transaction entry.
type BundleRequest struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	IfNoneExist string `json:"ifNoneExist,omitempty"`
}

// BundleResponse is the outcome of one transaction entry.
type BundleResponse struct {
	Status       string          `json:"status"`
	Location     string          `json:"location,omitempty"`
	Etag         string          `json:"etag,omitempty"`
	LastModified string          `json:"lastModified,omitempty"`
	Outcome      json.RawMessage `json:"outcome,omitempty"`
}

// UnmarshalJSON decodes the entry's resource by its resourceType.
func (e *BundleEntry) UnmarshalJSON(data []byte) error {
	var aux struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
		Search   *BundleSearch   `json:"search"`
		Request  *BundleRequest  `json:"request"`
		Response *BundleResponse `json:"response"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*e = BundleEntry{FullURL: aux.FullURL, Search: aux.Search, Request: aux.Request, Response: aux.Response}
	if len(aux.Resource) > 0 && !bytes.Equal(bytes.TrimSpace(aux.Resource), []byte("null")) {
		r, err := DecodeResource(aux.Resource)
		if err != nil {
			return err
		}
		e.Resource = r
	}
	return nil
}
