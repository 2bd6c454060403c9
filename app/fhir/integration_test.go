package fhir

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// TestIntegrationSubmitTwice runs the whole push against a real FHIR server (the test peer:
// scripts/fhir-server.sh start, then export the variables of its fhir.env): FHIR_BASE, FHIR_USER,
// FHIR_PASSWORD. It submits the same order twice and checks that the second run finds what the
// first made: the same ids and exactly one resource per identifier. With FHIR_ADMIN_TOKEN it also
// drives the test peer's admin routes and pulls status, an appointment, a message and results.
func TestIntegrationSubmitTwice(t *testing.T) {
	base, user, pass := os.Getenv("FHIR_BASE"), os.Getenv("FHIR_USER"), os.Getenv("FHIR_PASSWORD")
	if base == "" || user == "" || pass == "" {
		t.Skip("set FHIR_BASE, FHIR_USER and FHIR_PASSWORD (scripts/fhir-server.sh start) to run against a FHIR server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := &Client{Base: base, HTTP: &http.Client{Timeout: time.Minute}, Authorize: func(r *http.Request) { r.SetBasicAuth(user, pass) }}

	s := testSubmission(t)
	s.Order.UUID = randomUUID(t)
	s.Installation = randomUUID(t)
	s.Clinic.NPI = "" // the server may keep clinics of earlier runs: match on this run's installation
	contents := [][]byte{[]byte("%PDF-1.4\n% records of the test patient\n"), bytes.Repeat([]byte{0xff, 0xd8, 0x42}, 4000)}
	for i := range s.Files {
		sum := sha1.Sum(contents[i])
		s.Files[i].Attachment.SHA1 = hex.EncodeToString(sum[:])
		s.Files[i].Attachment.Size = int64(len(contents[i]))
		s.Files[i].BinaryID, s.Files[i].DocumentReferenceID = "", ""
	}

	submit := func(run int) (Submission, map[string]string) {
		sub := s
		sub.Files = append([]FileRef(nil), s.Files...)
		keys := AttachmentIdentifiers(sub)
		for i := range sub.Files {
			id := BinaryID(keys[i].Value)
			if err := c.PutBinary(ctx, id, sub.Files[i].Attachment.ContentType, bytes.NewReader(contents[i]), int64(len(contents[i]))); err != nil {
				t.Fatalf("run %d: PutBinary: %v", run, err)
			}
			sub.Files[i].BinaryID = id
		}
		docs, err := DocumentReferences(sub)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range docs {
			if err := ValidateDocumentReference(d); err != nil {
				t.Fatal(err)
			}
			id, created, err := c.CreateIfNoneExist(ctx, d, IfNoneExist(d.Identifier[0]))
			if err != nil {
				t.Fatalf("run %d: create DocumentReference: %v (%s)", run, err, outcomeOf(err))
			}
			if created != (run == 1) {
				t.Errorf("run %d: DocumentReference created = %v", run, created)
			}
			sub.Files[i].DocumentReferenceID = id
		}
		b, err := BuildBundle(sub)
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(b); err != nil {
			t.Fatal(err)
		}
		ids, err := c.Transaction(ctx, b)
		if err != nil {
			t.Fatalf("run %d: transaction: %v (%s)", run, err, outcomeOf(err))
		}
		return sub, ids
	}

	sub1, ids1 := submit(1)
	sub2, ids2 := submit(2)
	if fmt.Sprint(ids1) != fmt.Sprint(ids2) {
		t.Errorf("the second post got other ids:\n%v\n%v", ids1, ids2)
	}
	for i := range sub1.Files {
		if sub1.Files[i].DocumentReferenceID != sub2.Files[i].DocumentReferenceID {
			t.Errorf("file %d: DocumentReference %s then %s", i, sub1.Files[i].DocumentReferenceID, sub2.Files[i].DocumentReferenceID)
		}
	}
	if len(ids1) != 8 {
		t.Errorf("ids = %v, want 8 resources", ids1)
	}

	// Exactly one of each on the server.
	b, _ := BuildBundle(sub1)
	for _, e := range b.Entry {
		for _, id := range identifiersOf(e.Resource) {
			if id.System != SystemNPI && !strings.HasPrefix(id.System, "urn:referraldesk:") || id.Type != nil {
				continue
			}
			found, err := c.Search(ctx, e.Resource.FHIRType(), SearchByIdentifier(id))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(found.Entry); n != 1 {
				t.Errorf("%s %s|%s: %d on the server, want 1", e.Resource.FHIRType(), id.System, id.Value, n)
			}
		}
	}
	for _, id := range AttachmentIdentifiers(sub1) {
		found, err := c.Search(ctx, "DocumentReference", SearchByIdentifier(id))
		if err != nil {
			t.Fatal(err)
		}
		if len(found.Entry) != 1 {
			t.Errorf("DocumentReference %s: %d on the server, want 1", id.Value, len(found.Entry))
		}
	}

	// The files come back byte for byte.
	for i, f := range sub1.Files {
		body, _, err := c.Open(ctx, "Binary/"+f.BinaryID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(body)
		body.Close()
		if !bytes.Equal(got, contents[i]) {
			t.Errorf("Binary %s: %d bytes back, want %d", f.BinaryID, len(got), len(contents[i]))
		}
	}

	// The created resources read back as we built them.
	r, err := c.Read(ctx, "ServiceRequest", ids1["ServiceRequest"])
	if err != nil {
		t.Fatal(err)
	}
	sr, ok := r.(*ServiceRequest)
	if !ok || sr.Priority != "urgent" || len(sr.SupportingInfo) != 3 || sr.Subject.Reference != "Patient/"+ids1["Patient"] ||
		sr.Insurance[0].Reference != "Coverage/"+ids1["Coverage"] {
		t.Errorf("ServiceRequest on the server = %+v", r)
	}

	// The pull part is its own subtest, reported as skipped (not passed) without the admin token.
	t.Run("pull", func(t *testing.T) {
		admin := os.Getenv("FHIR_ADMIN_TOKEN")
		if admin == "" {
			t.Skip("set FHIR_ADMIN_TOKEN (from the test peer's fhir.env) to drive its admin routes and pull status")
		}
		pull(ctx, t, c, admin, sub1.Order.UUID, ids1, sub1.Files)
	})
}

// pull drives the test peer's admin routes and reads everything back.
func pull(ctx context.Context, t *testing.T, c *Client, admin, orderUUID string, ids map[string]string, files []FileRef) {
	t.Helper()
	u, err := url.Parse(c.Base)
	if err != nil {
		t.Fatal(err)
	}
	srRef := "ServiceRequest/" + ids["ServiceRequest"]
	post := func(path string, body map[string]any) {
		data, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u.Scheme+"://"+u.Host+"/admin/"+path, bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Fatalf("admin %s: %d %s", path, resp.StatusCode, msg)
		}
	}

	// The test peer's own count: no duplicate identifiers, no orphan Binary of ours.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.Scheme+"://"+u.Host+"/admin/counts", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var counts struct {
		Duplicates []struct {
			ResourceType, Identifier string
			Count                    int
		} `json:"duplicateIdentifiers"`
		Binaries struct {
			Orphans []string `json:"orphans"`
		} `json:"binaries"`
	}
	err = json.NewDecoder(resp.Body).Decode(&counts)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range counts.Duplicates {
		if strings.Contains(d.Identifier, orderUUID) || strings.Contains(d.Identifier, "1234567893") {
			t.Errorf("duplicate on the server: %s %s ×%d", d.ResourceType, d.Identifier, d.Count)
		}
	}
	for _, o := range counts.Binaries.Orphans {
		for _, f := range files {
			if o == f.BinaryID {
				t.Errorf("Binary %s is not referenced by its DocumentReference", o)
			}
		}
	}

	tasks, err := c.Search(ctx, "Task", TaskQuery(orderUUID))
	if err != nil {
		t.Fatal(err)
	}
	if ts := Tasks(tasks); len(ts) != 1 || ts[0].ID != ids["Task"] {
		t.Fatalf("Task search = %+v", ts)
	}
	post("task/"+ids["Task"]+"/status", map[string]any{"status": "in-progress"})
	post("appointment", map[string]any{"serviceRequest": srRef, "start": "2026-12-03T14:00:00Z", "end": "2026-12-03T14:30:00Z", "location": "Gonda Building"})
	post("communication", map[string]any{"serviceRequest": srRef, "text": "We scheduled the visit.", "sender": "Referral office"})
	post("report", map[string]any{"serviceRequest": srRef, "kind": "radiology", "title": "Chest CT", "text": "No acute findings."})
	post("report", map[string]any{"serviceRequest": srRef, "kind": "discharge", "title": "Discharge summary", "text": "Home.", "contentType": "application/pdf", "asBinary": true})

	search := func(typ string, q url.Values) *Bundle {
		b, err := c.Search(ctx, typ, q)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Logf("pulled through the admin routes of the test peer")
	appts, err := Appointments(search("Appointment", AppointmentQuery(ids["ServiceRequest"])))
	if err != nil || len(appts) != 1 || !appts[0].Booked() || appts[0].Location != "Gonda Building" || appts[0].Start.IsZero() {
		t.Fatalf("appointments = %+v, %v", appts, err)
	}
	task := Tasks(search("Task", TaskQuery(orderUUID)))[0]
	if st, _, ok := OrderStatus(task, appts[0].Booked()); st != app.StatusScheduled || !ok {
		t.Errorf("status = %s %v", st, ok)
	}
	msgs, err := Messages(search("Communication", CommunicationQuery(ids["ServiceRequest"])))
	if err != nil || len(msgs) != 1 || msgs[0].Text != "We scheduled the visit." || msgs[0].Sender != "Referral office" {
		t.Errorf("messages = %+v, %v", msgs, err)
	}
	results, err := Results(search("DiagnosticReport", DiagnosticReportQuery(ids["ServiceRequest"])),
		search("DocumentReference", DocumentReferenceQuery(ids["ServiceRequest"])))
	if err != nil || len(results) != 2 {
		t.Fatalf("results = %+v, %v", results, err)
	}
	for _, r := range results {
		switch r.Source {
		case "DiagnosticReport":
			if r.Title != "Chest CT" || r.Kind != "Radiology" || string(r.Files[0].Data) != "No acute findings." {
				t.Errorf("report = %+v", r)
			}
		case "DocumentReference":
			if r.Title != "Discharge summary" || r.Kind != "Discharge summary" || !strings.HasPrefix(r.Files[0].URL, "Binary/") {
				t.Errorf("document = %+v", r)
			}
			body, ct, err := c.Open(ctx, r.Files[0].URL)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(body)
			body.Close()
			if !bytes.HasPrefix(data, []byte("%PDF")) || !strings.HasPrefix(ct, "application/pdf") {
				t.Errorf("downloaded %q (%s)", data[:min(len(data), 8)], ct)
			}
		}
	}
}

func outcomeOf(err error) string {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Outcome
	}
	return ""
}

func randomUUID(t *testing.T) string {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		t.Fatal(err)
	}
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
