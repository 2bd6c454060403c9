package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadResponse is matched by answers from the server that cannot be understood.
var ErrBadResponse = errors.New("unexpected answer from the FHIR server")

// ParseLocation reads a Location ("Patient/123/_history/2", relative or absolute, with or without
// the history part) into its resource type, id and version ("" when absent).
func ParseLocation(loc string) (typ, id, version string, err error) {
	s := loc
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	segs := strings.Split(strings.Trim(s, "/"), "/")
	n := len(segs)
	if n >= 4 && segs[n-2] == "_history" {
		version = segs[n-1]
		segs = segs[:n-2]
		n -= 2
	}
	if n < 2 || !typeRE.MatchString(segs[n-2]) || !ValidID(segs[n-1]) {
		return "", "", "", fmt.Errorf("fhir: location %q: %w", loc, ErrBadResponse)
	}
	return segs[n-2], segs[n-1], version, nil
}

// TransactionIDs reads the transaction-response Bundle of req: the server id each entry got,
// keyed by resource type (a submission has one of each). An entry that failed (a non-2xx status)
// makes an error matching ErrRejected with the server's explanation in the *EntryError.
func TransactionIDs(req, resp *Bundle) (map[string]string, error) {
	if resp == nil || resp.ResourceType != "Bundle" || resp.Type != "transaction-response" {
		return nil, fmt.Errorf("fhir: the transaction answer is not a transaction-response Bundle: %w", ErrBadResponse)
	}
	if len(resp.Entry) != len(req.Entry) {
		return nil, fmt.Errorf("fhir: the transaction answer has %d entries for %d sent: %w", len(resp.Entry), len(req.Entry), ErrBadResponse)
	}
	ids := make(map[string]string, len(req.Entry))
	var errs []error
	for i, e := range resp.Entry {
		want := ""
		if req.Entry[i].Resource != nil {
			want = req.Entry[i].Resource.FHIRType()
		}
		if e.Response == nil {
			return nil, fmt.Errorf("fhir: transaction answer entry %d has no response: %w", i+1, ErrBadResponse)
		}
		code := statusCode(e.Response.Status)
		if code < 200 || code > 299 {
			errs = append(errs, &EntryError{Index: i, ResourceType: want, Status: e.Response.Status, Outcome: outcomeFromRaw(e.Response.Outcome)})
			continue
		}
		typ, id := "", ""
		if e.Response.Location != "" {
			t, i2, _, err := ParseLocation(e.Response.Location)
			if err != nil {
				return nil, err
			}
			typ, id = t, i2
		} else if e.Resource != nil {
			typ, id = e.Resource.FHIRType(), resourceID(e.Resource)
		}
		if id == "" {
			return nil, fmt.Errorf("fhir: transaction answer entry %d (%s) has no location: %w", i+1, want, ErrBadResponse)
		}
		if typ != want {
			return nil, fmt.Errorf("fhir: transaction answer entry %d is a %s, sent a %s: %w", i+1, typ, want, ErrBadResponse)
		}
		ids[typ] = id
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return ids, nil
}

// EntryError is a transaction entry the server refused.
type EntryError struct {
	Index        int
	ResourceType string
	Status       string
	Outcome      string // the server's explanation; may quote submitted data: show, never log
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("fhir: the server refused the %s (entry %d): %s", e.ResourceType, e.Index+1, e.Status)
}

// Is makes an EntryError match ErrRejected.
func (e *EntryError) Is(target error) bool { return target == ErrRejected }

// statusCode reads the number at the start of "201 Created".
func statusCode(s string) int {
	f, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	n, err := strconv.Atoi(f)
	if err != nil {
		return 0
	}
	return n
}

func resourceID(r Resource) string {
	switch r := r.(type) {
	case *Patient:
		return r.ID
	case *Practitioner:
		return r.ID
	case *PractitionerRole:
		return r.ID
	case *Coverage:
		return r.ID
	case *QuestionnaireResponse:
		return r.ID
	case *ServiceRequest:
		return r.ID
	case *Task:
		return r.ID
	case *DocumentReference:
		return r.ID
	case *Bundle:
		return r.ID
	case *Raw:
		var head struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(r.JSON, &head)
		return head.ID
	}
	return ""
}

// Text is the outcome in words: each issue's details text and diagnostics (without repeats), with
// where it is ("at Patient.birthDate"), joined by "; ". The text may quote submitted data: show it
// to the user, never log it.
func (o *OperationOutcome) Text() string {
	if o == nil {
		return ""
	}
	var parts []string
	seen := map[string]bool{}
	for _, is := range o.Issue {
		var msg []string
		if t := strings.TrimSpace(is.Details.Display()); t != "" {
			msg = append(msg, t)
		}
		if d := strings.TrimSpace(is.Diagnostics); d != "" && (len(msg) == 0 || d != msg[0]) {
			msg = append(msg, d)
		}
		if len(msg) == 0 {
			msg = append(msg, is.Code)
		}
		s := strings.Join(msg, ": ")
		if len(is.Expression) > 0 {
			s += " (at " + strings.Join(is.Expression, ", ") + ")"
		}
		if s != "" && !seen[s] {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// OutcomeText reads an OperationOutcome from a response body and returns its Text; "" when the
// body is not one.
func OutcomeText(body []byte) string {
	var o OperationOutcome
	if err := json.Unmarshal(body, &o); err != nil || o.ResourceType != "OperationOutcome" {
		return ""
	}
	return o.Text()
}

func outcomeFromRaw(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	return OutcomeText(raw)
}
