package fhir

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// Searches the pull makes. srID is the ServiceRequest's server id.

// TaskQuery finds the order's Task by its identifier.
func TaskQuery(orderUUID string) url.Values { return SearchByIdentifier(TaskIdentifier(orderUUID)) }

// AppointmentQuery finds the appointments booked for the ServiceRequest.
func AppointmentQuery(srID string) url.Values {
	return url.Values{"based-on": {"ServiceRequest/" + srID}}
}

// CommunicationQuery finds the messages about the ServiceRequest.
func CommunicationQuery(srID string) url.Values {
	return url.Values{"based-on": {"ServiceRequest/" + srID}}
}

// DiagnosticReportQuery finds reports based on the ServiceRequest.
func DiagnosticReportQuery(srID string) url.Values {
	return url.Values{"based-on": {"ServiceRequest/" + srID}}
}

// DocumentReferenceQuery finds documents related to the ServiceRequest (results; the files we
// sent are related by identifier only, and Results skips them anyway).
func DocumentReferenceQuery(srID string) url.Values {
	return url.Values{"related": {"ServiceRequest/" + srID}}
}

// OrderStatus maps the institution's Task status to the order's status. ok is false for a Task
// status that says nothing new (draft) or is unknown: keep the local status then. The mapping:
//
//	requested          → sent
//	received           → received
//	accepted, ready    → accepted (scheduled when an appointment is booked)
//	in-progress        → scheduled when an appointment is booked, else accepted: the institution
//	                     is working on it but the patient has no date yet
//	on-hold            → received: waiting on the institution or for more information (reason kept)
//	rejected, failed   → declined, with Task.statusReason as the reason
//	completed          → completed
//	cancelled, entered-in-error → cancelled
//
// reason is the statusReason text (or businessStatus) when the Task gives one.
func OrderStatus(t *Task, hasAppointment bool) (status app.Status, reason string, ok bool) {
	if t == nil {
		return "", "", false
	}
	reason = t.StatusReason.Display()
	if reason == "" {
		reason = t.BusinessStatus.Display()
	}
	switch t.Status {
	case "requested":
		return app.StatusSent, reason, true
	case "received":
		return app.StatusReceived, reason, true
	case "on-hold":
		return app.StatusReceived, reason, true
	case "accepted", "ready", "in-progress":
		if hasAppointment {
			return app.StatusScheduled, reason, true
		}
		return app.StatusAccepted, reason, true
	case "rejected", "failed":
		return app.StatusDeclined, reason, true
	case "completed":
		return app.StatusCompleted, reason, true
	case "cancelled", "entered-in-error":
		return app.StatusCancelled, reason, true
	}
	return "", reason, false
}

// Appointment is an appointment the institution booked for the order.
type Appointment struct {
	ID               string
	Status           string // FHIR appointment status: booked, arrived, fulfilled, cancelled...
	Start, End       time.Time
	Location         string
	Description      string
	ServiceRequestID string
}

// Booked reports whether the appointment stands (booked, arrived, checked in or fulfilled); a
// proposed, pending, cancelled or missed one does not make the order scheduled.
func (a Appointment) Booked() bool {
	switch a.Status {
	case "booked", "arrived", "checked-in", "fulfilled":
		return true
	}
	return false
}

// Message is a Communication from the institution.
type Message struct {
	ID               string
	Status           string
	Sent             time.Time
	Sender           string
	Text             string // the text payloads, joined by blank lines
	Files            []File // attachment payloads
	ServiceRequestID string
}

// Result is a report or document the institution sent back.
type Result struct {
	ID               string
	Source           string // "DiagnosticReport" or "DocumentReference"
	Title            string
	Kind             string // e.g. Radiology, Discharge summary
	Status           string
	Date             time.Time
	Conclusion       string
	Files            []File
	ServiceRequestID string
}

// File is an attachment of a result or message: inline Data, or a URL to download (relative
// URLs are relative to the FHIR base; Client.Open fetches both).
type File struct {
	Title       string
	ContentType string
	URL         string
	Data        []byte
	Size        int64
	Hash        []byte // SHA-1, when the server gives one
}

// Wire shapes of the resources the pull reads.
type (
	participant struct {
		Actor  *Reference        `json:"actor"`
		Type   []CodeableConcept `json:"type"`
		Status string            `json:"status"`
	}
	appointmentRes struct {
		ID          string        `json:"id"`
		Status      string        `json:"status"`
		Description string        `json:"description"`
		Start       string        `json:"start"`
		End         string        `json:"end"`
		BasedOn     []Reference   `json:"basedOn"`
		Participant []participant `json:"participant"`
	}
	payload struct {
		ContentString     string      `json:"contentString"`
		ContentAttachment *Attachment `json:"contentAttachment"`
	}
	communicationRes struct {
		ID      string      `json:"id"`
		Status  string      `json:"status"`
		Sent    string      `json:"sent"`
		Sender  *Reference  `json:"sender"`
		BasedOn []Reference `json:"basedOn"`
		Payload []payload   `json:"payload"`
	}
	diagnosticReportRes struct {
		ID                string            `json:"id"`
		Status            string            `json:"status"`
		Category          []CodeableConcept `json:"category"`
		Code              CodeableConcept   `json:"code"`
		EffectiveDateTime string            `json:"effectiveDateTime"`
		EffectivePeriod   *Period           `json:"effectivePeriod"`
		Issued            string            `json:"issued"`
		Conclusion        string            `json:"conclusion"`
		BasedOn           []Reference       `json:"basedOn"`
		PresentedForm     []Attachment      `json:"presentedForm"`
	}
)

// decodeAll reads the bundle's search matches of one type (see resourcesOf) into T.
func decodeAll[T any](b *Bundle, typ string) ([]T, error) {
	raws, err := resourcesOf(b, typ)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("fhir: read %s: %w", typ, err)
		}
	}
	return out, nil
}

// resourcesOf yields the JSON of the bundle's entries of one type that are search matches
// (included resources are skipped).
func resourcesOf(b *Bundle, typ string) ([]json.RawMessage, error) {
	if b == nil {
		return nil, nil
	}
	var out []json.RawMessage
	for _, e := range b.Entry {
		if e.Resource == nil || e.Resource.FHIRType() != typ {
			continue
		}
		if e.Search != nil && e.Search.Mode == "include" {
			continue
		}
		data, err := json.Marshal(e.Resource)
		if err != nil {
			return nil, fmt.Errorf("fhir: read %s: %w", typ, err)
		}
		out = append(out, data)
	}
	return out, nil
}

// Tasks lists the Tasks of a search Bundle.
func Tasks(b *Bundle) []*Task {
	var out []*Task
	if b == nil {
		return nil
	}
	for _, e := range b.Entry {
		if t, ok := e.Resource.(*Task); ok {
			out = append(out, t)
		}
	}
	return out
}

// serviceRequestID is the id of the first "ServiceRequest/id" in refs.
func serviceRequestID(refs []Reference) string {
	for _, r := range refs {
		if typ, id, _, err := ParseLocation(r.Reference); err == nil && typ == "ServiceRequest" {
			return id
		}
	}
	return ""
}

// Appointments reads the Appointments of a search Bundle, soonest first.
func Appointments(b *Bundle) ([]Appointment, error) {
	rs, err := decodeAll[appointmentRes](b, "Appointment")
	if err != nil {
		return nil, err
	}
	out := make([]Appointment, 0, len(rs))
	for _, r := range rs {
		a := Appointment{
			ID: r.ID, Status: r.Status, Description: r.Description,
			Start: parseDateTime(r.Start), End: parseDateTime(r.End),
			ServiceRequestID: serviceRequestID(r.BasedOn),
		}
		a.Location = appointmentLocation(r.Participant)
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// appointmentLocation is the display of the participant that is a Location: one referenced as
// Location/..., else the first actor given only by name (what the test peer and simple servers send).
func appointmentLocation(ps []participant) string {
	for _, p := range ps {
		if p.Actor != nil && strings.HasPrefix(p.Actor.Reference, "Location/") {
			if p.Actor.Display != "" {
				return p.Actor.Display
			}
			return strings.TrimPrefix(p.Actor.Reference, "Location/")
		}
	}
	for _, p := range ps {
		if p.Actor != nil && p.Actor.Reference == "" && p.Actor.Identifier == nil && p.Actor.Display != "" {
			return p.Actor.Display
		}
	}
	return ""
}

// Messages reads the Communications of a search Bundle, oldest first.
func Messages(b *Bundle) ([]Message, error) {
	rs, err := decodeAll[communicationRes](b, "Communication")
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(rs))
	for _, r := range rs {
		m := Message{ID: r.ID, Status: r.Status, Sent: parseDateTime(r.Sent), ServiceRequestID: serviceRequestID(r.BasedOn)}
		if r.Sender != nil {
			m.Sender = r.Sender.Display
		}
		var texts []string
		for _, p := range r.Payload {
			if t := strings.TrimSpace(p.ContentString); t != "" {
				texts = append(texts, t)
			}
			if p.ContentAttachment != nil {
				m.Files = append(m.Files, fileOf(*p.ContentAttachment))
			}
		}
		m.Text = strings.Join(texts, "\n\n")
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sent.Before(out[j].Sent) })
	return out, nil
}

func fileOf(a Attachment) File {
	size := a.Size
	if size == 0 && len(a.Data) > 0 {
		size = int64(len(a.Data))
	}
	return File{Title: a.Title, ContentType: a.ContentType, URL: a.URL, Data: a.Data, Size: size, Hash: a.Hash}
}

// Results reads the DiagnosticReports and DocumentReferences of one or more search Bundles,
// newest first. DocumentReferences carrying our own attachment identifier (the files we sent)
// are left out.
func Results(bundles ...*Bundle) ([]Result, error) {
	var out []Result
	for _, b := range bundles {
		rs, err := decodeAll[diagnosticReportRes](b, "DiagnosticReport")
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			res := Result{
				ID: r.ID, Source: "DiagnosticReport", Title: r.Code.Display(), Status: r.Status,
				Conclusion: r.Conclusion, ServiceRequestID: serviceRequestID(r.BasedOn),
			}
			if len(r.Category) > 0 {
				res.Kind = r.Category[0].Display()
			}
			res.Date = parseDateTime(r.EffectiveDateTime)
			if res.Date.IsZero() && r.EffectivePeriod != nil {
				res.Date = parseDateTime(r.EffectivePeriod.Start)
			}
			if res.Date.IsZero() {
				res.Date = parseDateTime(r.Issued)
			}
			for _, a := range r.PresentedForm {
				res.Files = append(res.Files, fileOf(a))
			}
			if res.Title == "" && len(res.Files) > 0 {
				res.Title = res.Files[0].Title
			}
			out = append(out, res)
		}
		if b == nil {
			continue
		}
		for _, e := range b.Entry {
			d, ok := e.Resource.(*DocumentReference)
			if !ok || (e.Search != nil && e.Search.Mode == "include") || ours(d) {
				continue
			}
			res := Result{ID: d.ID, Source: "DocumentReference", Status: d.Status, Date: parseDateTime(d.Date)}
			res.Title = d.Description
			if res.Title == "" {
				res.Title = d.Type.Display()
			}
			if d.Type != nil {
				for _, c := range d.Type.Coding {
					if c.Display != "" {
						res.Kind = c.Display
						break
					}
				}
			}
			if res.Kind == "" && len(d.Category) > 0 {
				res.Kind = d.Category[0].Display()
			}
			if d.Context != nil {
				res.ServiceRequestID = serviceRequestID(d.Context.Related)
			}
			for _, c := range d.Content {
				res.Files = append(res.Files, fileOf(c.Attachment))
			}
			if res.Title == "" && len(res.Files) > 0 {
				res.Title = res.Files[0].Title
			}
			out = append(out, res)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.After(out[j].Date) })
	return out, nil
}

func ours(d *DocumentReference) bool {
	for _, id := range d.Identifier {
		if id.System == SystemAttachment {
			return true
		}
	}
	return false
}

// parseDateTime reads a FHIR instant, dateTime or date (partial dates give the first day); the
// zero time when s is empty or unreadable.
func parseDateTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
