package fhir

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

func TestOrderStatus(t *testing.T) {
	tests := []struct {
		status string
		appt   bool
		want   app.Status
		ok     bool
	}{
		{"draft", false, "", false},
		{"requested", false, app.StatusSent, true},
		{"received", false, app.StatusReceived, true},
		{"on-hold", false, app.StatusReceived, true},
		{"accepted", false, app.StatusAccepted, true},
		{"accepted", true, app.StatusScheduled, true},
		{"ready", false, app.StatusAccepted, true},
		{"in-progress", false, app.StatusAccepted, true},
		{"in-progress", true, app.StatusScheduled, true},
		{"rejected", false, app.StatusDeclined, true},
		{"failed", false, app.StatusDeclined, true},
		{"completed", true, app.StatusCompleted, true},
		{"cancelled", false, app.StatusCancelled, true},
		{"entered-in-error", false, app.StatusCancelled, true},
		{"bogus", false, "", false},
	}
	for _, tt := range tests {
		got, _, ok := OrderStatus(&Task{Status: tt.status}, tt.appt)
		if got != tt.want || ok != tt.ok {
			t.Errorf("OrderStatus(%s, appointment %v) = %q, %v; want %q, %v", tt.status, tt.appt, got, ok, tt.want, tt.ok)
		}
	}
	_, reason, _ := OrderStatus(&Task{Status: "rejected", StatusReason: &CodeableConcept{Text: "Outside our service area"}}, false)
	if reason != "Outside our service area" {
		t.Errorf("reason = %q", reason)
	}
	if _, _, ok := OrderStatus(nil, false); ok {
		t.Error("nil task gave a status")
	}
}

// Sample answers shaped like the test peer's (testdata/fhir-server) and Medplum's.
const (
	taskSearch = `{"resourceType":"Bundle","type":"searchset","total":1,"entry":[{"fullUrl":"http://x/fhir/R4/Task/t1",
"resource":{"resourceType":"Task","id":"t1","identifier":[{"system":"urn:referraldesk:order","value":"` + testOrderUUID + `/task"}],
"status":"rejected","statusReason":{"text":"Please send the echocardiogram"},"intent":"order","lastModified":"2026-11-21T10:00:00.000Z",
"focus":{"reference":"ServiceRequest/sr1"}},"search":{"mode":"match"}}]}`

	appointmentSearch = `{"resourceType":"Bundle","type":"searchset","entry":[
{"resource":{"resourceType":"Appointment","id":"a2","status":"booked","basedOn":[{"reference":"ServiceRequest/sr1"}],
 "description":"Appointment at Rochester","start":"2026-12-03T14:00:00Z","end":"2026-12-03T14:30:00Z",
 "participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"},{"actor":{"display":"Gonda Building, Rochester"},"status":"accepted"}]},"search":{"mode":"match"}},
{"resource":{"resourceType":"Appointment","id":"a1","status":"cancelled","basedOn":[{"reference":"ServiceRequest/sr1"}],
 "start":"2026-12-01T09:00:00-06:00","participant":[{"actor":{"reference":"Location/l9","display":"Mayo Clinic Hospital"},"status":"accepted"}]}},
{"resource":{"resourceType":"Patient","id":"p1"},"search":{"mode":"include"}}]}`

	communicationSearch = `{"resourceType":"Bundle","type":"searchset","entry":[
{"resource":{"resourceType":"Communication","id":"c1","status":"completed","basedOn":[{"reference":"ServiceRequest/sr1"}],
 "sent":"2026-11-22T08:30:00Z","sender":{"display":"Referral office"},
 "payload":[{"contentString":"We received the referral."},{"contentString":"Please call us."},
  {"contentAttachment":{"contentType":"application/pdf","url":"Binary/bin7","title":"Instructions.pdf","size":2048}}]}}]}`

	diagnosticReportSearch = `{"resourceType":"Bundle","type":"searchset","entry":[
{"resource":{"resourceType":"DiagnosticReport","id":"d1","status":"final","basedOn":[{"reference":"ServiceRequest/sr1"}],
 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"RAD","display":"Radiology"}]}],
 "code":{"coding":[{"system":"http://loinc.org","code":"18748-4","display":"Diagnostic imaging study"}],"text":"Chest CT"},
 "effectiveDateTime":"2026-12-04T10:00:00Z","issued":"2026-12-04T12:00:00Z","conclusion":"No acute findings.",
 "presentedForm":[{"contentType":"text/plain; charset=utf-8","data":"Tm8gYWN1dGUgZmluZGluZ3Mu","title":"Chest CT","hash":"AAECAwQFBgcICQoLDA0ODxAREhM="}]}}]}`

	documentReferenceSearch = `{"resourceType":"Bundle","type":"searchset","entry":[
{"resource":{"resourceType":"DocumentReference","id":"r1","status":"current","docStatus":"final",
 "type":{"coding":[{"system":"http://loinc.org","code":"18842-5","display":"Discharge summary"}],"text":"Discharge summary, Dec 5"},
 "category":[{"text":"result"}],"date":"2026-12-05T16:00:00Z","description":"Discharge summary, Dec 5",
 "content":[{"attachment":{"contentType":"application/pdf","url":"Binary/bin9","title":"Discharge summary, Dec 5","size":4000}}],
 "context":{"related":[{"reference":"ServiceRequest/sr1"}]}}},
{"resource":{"resourceType":"DocumentReference","id":"ours","status":"current",
 "identifier":[{"system":"urn:referraldesk:attachment","value":"` + testOrderUUID + `/abc"}],
 "content":[{"attachment":{"contentType":"application/pdf","url":"Binary/b1","title":"records.pdf"}}]}}]}`
)

func decodeBundle(t *testing.T, s string) *Bundle {
	t.Helper()
	var b Bundle
	if err := json.Unmarshal([]byte(s), &b); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestParseTask(t *testing.T) {
	tasks := Tasks(decodeBundle(t, taskSearch))
	if len(tasks) != 1 || tasks[0].ID != "t1" || tasks[0].Focus.Reference != "ServiceRequest/sr1" {
		t.Fatalf("tasks = %+v", tasks)
	}
	st, reason, ok := OrderStatus(tasks[0], false)
	if st != app.StatusDeclined || reason != "Please send the echocardiogram" || !ok {
		t.Errorf("status = %s %q %v", st, reason, ok)
	}
}

func TestParseAppointments(t *testing.T) {
	as, err := Appointments(decodeBundle(t, appointmentSearch))
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 {
		t.Fatalf("%d appointments (the included Patient must not count)", len(as))
	}
	// Soonest first.
	if as[0].ID != "a1" || as[0].Location != "Mayo Clinic Hospital" || as[0].Booked() {
		t.Errorf("first = %+v", as[0])
	}
	a := as[1]
	if a.ID != "a2" || !a.Booked() || a.Location != "Gonda Building, Rochester" || a.ServiceRequestID != "sr1" ||
		!a.Start.Equal(time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)) || a.End.Sub(a.Start) != 30*time.Minute {
		t.Errorf("second = %+v", a)
	}
}

func TestParseMessages(t *testing.T) {
	ms, err := Messages(decodeBundle(t, communicationSearch))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 {
		t.Fatalf("%d messages", len(ms))
	}
	m := ms[0]
	if m.Text != "We received the referral.\n\nPlease call us." || m.Sender != "Referral office" || m.ServiceRequestID != "sr1" ||
		m.Sent.IsZero() || len(m.Files) != 1 || m.Files[0].URL != "Binary/bin7" {
		t.Errorf("message = %+v", m)
	}
}

func TestParseResults(t *testing.T) {
	rs, err := Results(decodeBundle(t, diagnosticReportSearch), decodeBundle(t, documentReferenceSearch), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d results (our own DocumentReference must be skipped): %+v", len(rs), rs)
	}
	// Newest first.
	doc, rep := rs[0], rs[1]
	if doc.Source != "DocumentReference" || doc.Title != "Discharge summary, Dec 5" || doc.Kind != "Discharge summary" ||
		doc.Files[0].URL != "Binary/bin9" || doc.Files[0].ContentType != "application/pdf" || doc.ServiceRequestID != "sr1" {
		t.Errorf("document result = %+v", doc)
	}
	if rep.Source != "DiagnosticReport" || rep.Title != "Chest CT" || rep.Kind != "Radiology" || rep.Conclusion != "No acute findings." ||
		!rep.Date.Equal(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)) || string(rep.Files[0].Data) != "No acute findings." ||
		rep.Files[0].Size != int64(len("No acute findings.")) || len(rep.Files[0].Hash) != 20 {
		t.Errorf("report result = %+v", rep)
	}
}

func TestParseLocation(t *testing.T) {
	tests := []struct{ in, typ, id, ver string }{
		{"Patient/123/_history/1", "Patient", "123", "1"},
		{"Patient/123", "Patient", "123", ""},
		{"https://fhir.example.org/R4/ServiceRequest/ab-9.x/_history/12", "ServiceRequest", "ab-9.x", "12"},
		{"http://x/fhir/R4/Task/7?_format=json", "Task", "7", ""},
	}
	for _, tt := range tests {
		typ, id, ver, err := ParseLocation(tt.in)
		if err != nil || typ != tt.typ || id != tt.id || ver != tt.ver {
			t.Errorf("ParseLocation(%q) = %q %q %q %v", tt.in, typ, id, ver, err)
		}
	}
	for _, bad := range []string{"", "Patient", "patient/1", "Patient/", "Patient/a b"} {
		if _, _, _, err := ParseLocation(bad); !errors.Is(err, ErrBadResponse) {
			t.Errorf("ParseLocation(%q) err = %v", bad, err)
		}
	}
}

func TestTransactionIDs(t *testing.T) {
	req := mustBundle(t, testSubmission(t))
	var sb strings.Builder
	sb.WriteString(`{"resourceType":"Bundle","type":"transaction-response","entry":[`)
	for i, e := range req.Entry {
		if i > 0 {
			sb.WriteString(",")
		}
		status := "201 Created"
		if i == 0 {
			status = "200 OK" // the Patient existed already
		}
		sb.WriteString(`{"response":{"status":"` + status + `","location":"` + e.Resource.FHIRType() + `/id` + string(rune('a'+i)) + `/_history/1"}}`)
	}
	sb.WriteString(`]}`)
	ids, err := TransactionIDs(req, decodeBundle(t, sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	if ids["Patient"] != "ida" || ids["Organization"] != "idc" || ids["ServiceRequest"] != "idg" || ids["Task"] != "idh" || len(ids) != 8 {
		t.Errorf("ids = %v", ids)
	}

	failed := decodeBundle(t, strings.Replace(sb.String(), `"status":"201 Created","location":"Coverage/ide/_history/1"`,
		`"status":"400 Bad Request","outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","details":{"text":"Invalid value"},"expression":["Coverage.status"]}]}`, 1))
	_, err = TransactionIDs(req, failed)
	var ee *EntryError
	if !errors.Is(err, ErrRejected) || !errors.As(err, &ee) || ee.ResourceType != "Coverage" || ee.Outcome != "Invalid value (at Coverage.status)" {
		t.Errorf("refused entry: %v (%+v)", err, ee)
	}

	if _, err := TransactionIDs(req, decodeBundle(t, `{"resourceType":"Bundle","type":"transaction-response","entry":[]}`)); !errors.Is(err, ErrBadResponse) {
		t.Errorf("short answer: %v", err)
	}
	if _, err := TransactionIDs(req, decodeBundle(t, `{"resourceType":"Bundle","type":"searchset"}`)); !errors.Is(err, ErrBadResponse) {
		t.Errorf("not a transaction-response: %v", err)
	}
}

func TestOperationOutcomeText(t *testing.T) {
	body := []byte(`{"resourceType":"OperationOutcome","issue":[
{"severity":"error","code":"structure","details":{"text":"Invalid JSON"},"diagnostics":"Unexpected token at 5"},
{"severity":"error","code":"required","details":{"text":"Missing required property"},"expression":["ServiceRequest.subject"]},
{"severity":"error","code":"required","details":{"text":"Missing required property"},"expression":["ServiceRequest.subject"]},
{"severity":"warning","code":"processing","diagnostics":"Only diagnostics"},
{"severity":"error","code":"conflict"}]}`)
	got := OutcomeText(body)
	want := "Invalid JSON: Unexpected token at 5; Missing required property (at ServiceRequest.subject); Only diagnostics; conflict"
	if got != want {
		t.Errorf("OutcomeText =\n%q\nwant\n%q", got, want)
	}
	if OutcomeText([]byte(`<html>`)) != "" || OutcomeText([]byte(`{"resourceType":"Patient"}`)) != "" {
		t.Error("non-outcome bodies gave text")
	}
}

func TestDecodeResource(t *testing.T) {
	r, err := DecodeResource([]byte(`{"resourceType":"Task","id":"t1","status":"accepted","intent":"order"}`))
	if err != nil {
		t.Fatal(err)
	}
	if task, ok := r.(*Task); !ok || task.Status != "accepted" {
		t.Errorf("decoded %#v", r)
	}
	r, err = DecodeResource([]byte(`{"resourceType":"Appointment","id":"a1"}`))
	if err != nil {
		t.Fatal(err)
	}
	if raw, ok := r.(*Raw); !ok || raw.FHIRType() != "Appointment" || resourceID(raw) != "a1" {
		t.Errorf("decoded %#v", r)
	}
	if _, err := DecodeResource([]byte(`{"id":"x"}`)); err == nil {
		t.Error("no resourceType accepted")
	}
}
