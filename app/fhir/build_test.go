package fhir

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	testOrderUUID    = "0b6f0c36-5c1e-4c55-9a51-2d5d8f3f2a10"
	testInstallation = "9a1e2f40-7c3b-4d8e-8f6a-1b2c3d4e5f60"
	recordsSHA1      = "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"
	photoSHA1        = "de9f2c7fd25e1b3afad3e85a0bd17d9b100db4b3"
)

func mustProfile(t *testing.T) *institution.Profile {
	t.Helper()
	p, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func testSubmission(t *testing.T) Submission {
	t.Helper()
	signed := time.Date(2026, 11, 20, 15, 4, 5, 0, time.UTC)
	return Submission{
		Order: app.Order{
			ID: 1, UUID: testOrderUUID, PatientID: 7, ProviderID: 3,
			Department: "cardiovascular", Priority: app.PriorityUrgent,
			Reason:            "Recurrent syncope; please evaluate for ablation.",
			Diagnoses:         []app.Diagnosis{{Code: "R55", Description: "Syncope and collapse"}, {Code: "I48.91", Description: "Unspecified atrial fibrillation"}},
			Location:          "rochester",
			UploadImages:      app.AnswerYes,
			UploadRecords:     app.AnswerNo,
			Insurance:         app.Insurance{Payer: "Blue Cross Blue Shield of Minnesota", MemberID: "XYZ123456", GroupID: "G-5500"},
			SchedulingComment: "Mornings only; needs an interpreter (Spanish).",
			Status:            app.StatusSigned,
			SignedAt:          signed,
			SignedBy:          "Ana Ruiz",
			Signature:         app.Signature{SignerName: "Ana Ruiz", SignerRole: app.SignerStaff, ForProviderID: 3, ForProvider: "Dr Ann Smith", OSUser: "clerk"},
		},
		Patient: app.Patient{
			ID: 7, MRN: "12-345-678", Family: "Doe", Given: "Jane Q", BirthDate: time.Date(1970, 3, 4, 0, 0, 0, 0, time.UTC),
			Sex: app.SexFemale, Address: app.Address{Line: "1 Main St\nApt 2", City: "Winona", State: "MN", PostalCode: "55987"},
			Phone: "(507) 555-0100", InsuranceType: "hmo",
		},
		Provider:     app.Provider{ID: 3, Family: "Smith", Given: "Ann", Credentials: "MD", NPI: "1234567893", Active: true},
		Profile:      mustProfile(t),
		Installation: testInstallation,
		Clinic: &app.Clinic{
			Name: "Lakeside Family Medicine", AddressLines: []string{"200 First St SW", "Suite 4"}, City: "Winona",
			State: "MN", PostalCode: "55987", Phone: "507-555-0142", Fax: "507-555-0143", NPI: "1245319599",
			Email: "referrals@lakeside.example",
		},
		Files: []FileRef{
			{
				Attachment: app.Attachment{
					ID: 11, OrderID: 1, FileName: "Doe, Jane 1970-03-04 records.pdf", Description: "13-page PDF of medical records",
					Kind: app.KindRecords, ContentType: "application/pdf", Size: 123456, SHA1: recordsSHA1,
					AddedAt: signed.Add(-time.Hour),
				},
				BinaryID: "b-records", DocumentReferenceID: "doc-1",
			},
			{
				Attachment: app.Attachment{
					ID: 12, OrderID: 1, FileName: "rash.jpg", Description: "Photo of the rash",
					Kind: app.KindPhoto, ContentType: "image/jpeg", Size: 2048, SHA1: photoSHA1,
					AddedAt: signed.Add(-time.Hour),
				},
				BinaryID: "b-photo", DocumentReferenceID: "doc-2",
			},
		},
	}
}

func mustBundle(t *testing.T, s Submission) *Bundle {
	t.Helper()
	b, err := BuildBundle(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update if the change is intended:\n%s", name, got)
	}
}

func entryOf[T Resource](t *testing.T, b *Bundle) (T, BundleEntry) {
	t.Helper()
	for _, e := range b.Entry {
		if r, ok := e.Resource.(T); ok {
			return r, e
		}
	}
	var zero T
	t.Fatalf("no %T in the bundle", zero)
	return zero, BundleEntry{}
}

func TestBuildBundleGolden(t *testing.T) {
	s := testSubmission(t)
	b := mustBundle(t, s)
	if err := Validate(b); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	data := marshal(t, b)
	golden(t, "submission-bundle.golden.json", data)

	// encoding/json round trip: decoding and encoding again gives the same bytes.
	var back Bundle
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if again := marshal(t, &back); !bytes.Equal(again, data) {
		t.Errorf("round trip changed the bundle:\n%s", again)
	}
	if err := Validate(&back); err != nil {
		t.Errorf("Validate after round trip: %v", err)
	}

	var types []string
	for _, e := range b.Entry {
		types = append(types, e.Resource.FHIRType())
		if e.Request == nil || e.Request.Method != "POST" || !strings.HasPrefix(e.Request.IfNoneExist, "identifier=") {
			t.Errorf("%s entry request = %+v, want a conditional POST", e.Resource.FHIRType(), e.Request)
		}
		if !strings.HasPrefix(e.FullURL, "urn:uuid:") {
			t.Errorf("%s fullUrl = %q", e.Resource.FHIRType(), e.FullURL)
		}
	}
	if got := strings.Join(types, ","); got != "Patient,Practitioner,Organization,PractitionerRole,Coverage,QuestionnaireResponse,ServiceRequest,Task" {
		t.Errorf("entry types = %s", got)
	}
	if len(b.Entry) > MaxConditionalEntries {
		t.Errorf("%d entries, over the limit of %d", len(b.Entry), MaxConditionalEntries)
	}

	p, pe := entryOf[*Patient](t, b)
	if p.BirthDate != "1970-03-04" || p.Gender != "female" || p.Name[0].Family != "Doe" || strings.Join(p.Name[0].Given, " ") != "Jane Q" {
		t.Errorf("patient = %+v", p)
	}
	if p.Identifier[0].System != SystemPatient || p.Identifier[0].Value != testInstallation+"/local-7" {
		t.Errorf("patient identifier = %+v", p.Identifier[0])
	}
	if p.Identifier[1].Value != "12-345-678" || p.Identifier[1].System != "urn:referraldesk:institution:mayo-clinic:mrn" {
		t.Errorf("MRN identifier = %+v", p.Identifier[1])
	}
	if pe.Request.IfNoneExist != "identifier=urn%3Areferraldesk%3Apatient|"+testInstallation+"%2Flocal-7" {
		t.Errorf("patient ifNoneExist = %q", pe.Request.IfNoneExist)
	}
	if len(p.Address) != 1 || len(p.Address[0].Line) != 2 || p.Telecom[0].Value != "+15075550100" {
		t.Errorf("address/telecom = %+v %+v", p.Address, p.Telecom)
	}

	pr, _ := entryOf[*Practitioner](t, b)
	if pr.Identifier[0].System != SystemNPI || pr.Identifier[0].Value != "1234567893" || pr.Name[0].Suffix[0] != "MD" {
		t.Errorf("practitioner = %+v", pr)
	}

	sr, _ := entryOf[*ServiceRequest](t, b)
	if sr.Priority != "urgent" || sr.Status != "active" || sr.Intent != "order" || sr.AuthoredOn != "2026-11-20T15:04:05.000Z" {
		t.Errorf("service request head = %s %s %s %s", sr.Priority, sr.Status, sr.Intent, sr.AuthoredOn)
	}
	if sr.Identifier[0].System != SystemOrder || sr.Identifier[0].Value != testOrderUUID {
		t.Errorf("service request identifier = %+v", sr.Identifier)
	}
	if len(sr.ReasonCode) != 2 || sr.ReasonCode[1].Coding[0].System != SystemICD10CM || sr.ReasonCode[1].Coding[0].Code != "I48.91" {
		t.Errorf("reasonCode = %+v", sr.ReasonCode)
	}
	if sr.Performer[0].Display != "Cardiovascular Diseases & Cardiac Surgery" || sr.LocationReference[0].Display != "Rochester, Minnesota" {
		t.Errorf("performer/location = %+v %+v", sr.Performer, sr.LocationReference)
	}
	if len(sr.Note) != 2 || sr.Note[0].Text != s.Order.Reason || !strings.HasPrefix(sr.Note[1].Text, "Scheduling: Mornings") {
		t.Errorf("notes = %+v", sr.Note)
	}
	_, ce := entryOf[*Coverage](t, b)
	_, qe := entryOf[*QuestionnaireResponse](t, b)
	_, rolee := entryOf[*PractitionerRole](t, b)
	if sr.Insurance[0].Reference != ce.FullURL || sr.Requester.Reference != rolee.FullURL || sr.Subject.Reference != pe.FullURL {
		t.Errorf("service request references: insurance %v requester %v subject %v", sr.Insurance, sr.Requester, sr.Subject)
	}
	var support []string
	for _, r := range sr.SupportingInfo {
		support = append(support, r.Reference)
	}
	if got := strings.Join(support, ","); got != qe.FullURL+",DocumentReference/doc-1,DocumentReference/doc-2" {
		t.Errorf("supportingInfo = %s", got)
	}

	cov, _ := entryOf[*Coverage](t, b)
	if cov.Status != "active" || cov.Payor[0].Display != "Blue Cross Blue Shield of Minnesota" || cov.SubscriberID != "XYZ123456" ||
		cov.Type.Text != "HMO" || cov.Class[0].Value != "G-5500" || cov.Identifier[0].Value != testOrderUUID+"/coverage" {
		t.Errorf("coverage = %+v", cov)
	}

	qr, _ := entryOf[*QuestionnaireResponse](t, b)
	answers := map[string]QRAnswer{}
	for _, it := range qr.Item {
		answers[it.LinkID] = it.Answer[0]
	}
	if answers[LinkLocation].ValueCoding.Display != "Rochester, Minnesota" || !*answers[LinkUploadImages].ValueBoolean ||
		*answers[LinkUploadRecords].ValueBoolean || !strings.Contains(answers[LinkInsurance].ValueString, "Member ID: XYZ123456") {
		t.Errorf("questionnaire answers = %+v", answers)
	}

	task, _ := entryOf[*Task](t, b)
	_, sre := entryOf[*ServiceRequest](t, b)
	if task.Status != "requested" || task.Intent != "order" || task.Focus.Reference != sre.FullURL || task.For.Reference != pe.FullURL ||
		task.Identifier[0].Value != testOrderUUID+"/task" || task.Owner.Display != "Mayo Clinic" {
		t.Errorf("task = %+v", task)
	}
}

func TestBuildBundleStable(t *testing.T) {
	s := testSubmission(t)
	a := marshal(t, mustBundle(t, s))
	b := marshal(t, mustBundle(t, testSubmission(t)))
	if !bytes.Equal(a, b) {
		t.Error("two builds of the same submission differ")
	}
	d1, err := DocumentReferences(s)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := DocumentReferences(testSubmission(t))
	if !bytes.Equal(marshal(t, d1), marshal(t, d2)) {
		t.Error("two builds of the same document references differ")
	}
	// Identifiers follow the content, not the position of the file.
	ids := AttachmentIdentifiers(s)
	s.Files[0], s.Files[1] = s.Files[1], s.Files[0]
	swapped := AttachmentIdentifiers(s)
	if ids[0] != swapped[1] || ids[1] != swapped[0] {
		t.Errorf("attachment identifiers depend on the file order: %v vs %v", ids, swapped)
	}
	if BinaryID(ids[0].Value) != BinaryID(testOrderUUID+"/"+recordsSHA1) || !ValidID(BinaryID(ids[0].Value)) || BinaryID(ids[0].Value) == BinaryID(ids[1].Value) {
		t.Errorf("BinaryID not stable, valid and distinct: %s %s", BinaryID(ids[0].Value), BinaryID(ids[1].Value))
	}
	// Another order gives other identifiers and fullUrls.
	other := testSubmission(t)
	other.Order.UUID = "1b6f0c36-5c1e-4c55-9a51-2d5d8f3f2a10"
	ob := mustBundle(t, other)
	sb := mustBundle(t, testSubmission(t))
	for i := range ob.Entry {
		if ob.Entry[i].FullURL == sb.Entry[i].FullURL {
			t.Errorf("%s fullUrl is the same for two orders", ob.Entry[i].Resource.FHIRType())
		}
	}
	if got := TaskIdentifier(testOrderUUID); got.Value != testOrderUUID+"/task" || got.System != SystemOrder {
		t.Errorf("TaskIdentifier = %+v", got)
	}
}

func TestDocumentReferences(t *testing.T) {
	s := testSubmission(t)
	docs, err := DocumentReferences(s)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "document-reference.golden.json", marshal(t, docs[0]))
	if len(docs) != 2 {
		t.Fatalf("%d docs", len(docs))
	}
	d := docs[0]
	if err := ValidateDocumentReference(d); err != nil {
		t.Errorf("ValidateDocumentReference: %v", err)
	}
	if d.Identifier[0].System != SystemAttachment || d.Identifier[0].Value != testOrderUUID+"/"+recordsSHA1 {
		t.Errorf("identifier = %+v", d.Identifier)
	}
	a := d.Content[0].Attachment
	raw, _ := hex.DecodeString(recordsSHA1)
	if a.URL != "Binary/b-records" || a.Size != 123456 || a.Title != "Doe, Jane 1970-03-04 records.pdf" || a.ContentType != "application/pdf" || !bytes.Equal(a.Hash, raw) {
		t.Errorf("attachment = %+v", a)
	}
	data := marshal(t, d)
	if !bytes.Contains(data, []byte(`"hash": "`+base64.StdEncoding.EncodeToString(raw)+`"`)) {
		t.Errorf("hash is not base64 of the SHA-1 bytes:\n%s", data)
	}
	if d.Subject.Identifier.Value != testInstallation+"/local-7" || d.Context.Related[0].Identifier.Value != testOrderUUID {
		t.Errorf("subject/context = %+v %+v", d.Subject, d.Context)
	}

	// A linked chart is referenced by its server id.
	s.Patient.ServerID = "pat-9"
	docs, _ = DocumentReferences(s)
	if docs[0].Subject.Reference != "Patient/pat-9" {
		t.Errorf("subject with ServerID = %+v", docs[0].Subject)
	}

	// The same content twice gets distinct identifiers.
	s.Files[1].Attachment.SHA1 = strings.ToUpper(recordsSHA1)
	ids := AttachmentIdentifiers(s)
	if ids[0].Value == ids[1].Value || ids[1].Value != testOrderUUID+"/"+recordsSHA1+"/2" {
		t.Errorf("duplicate content identifiers = %v", ids)
	}

	// Not uploaded yet, or a bad hash.
	s = testSubmission(t)
	s.Files[0].BinaryID = ""
	s.Files[1].Attachment.SHA1 = "xyz"
	_, err = DocumentReferences(s)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "no uploaded Binary") || !strings.Contains(err.Error(), "not 40 hex") {
		t.Errorf("DocumentReferences with problems: %v", err)
	}
}

func TestBuildBundleVariants(t *testing.T) {
	// A chart linked to the registry: no Patient entry; references by server id.
	s := testSubmission(t)
	s.Patient.ServerID = "pat-9"
	b := mustBundle(t, s)
	if err := Validate(b); err != nil {
		t.Errorf("linked chart: %v", err)
	}
	for _, e := range b.Entry {
		if e.Resource.FHIRType() == "Patient" {
			t.Error("linked chart: the bundle still creates a Patient")
		}
	}
	sr, _ := entryOf[*ServiceRequest](t, b)
	if sr.Subject.Reference != "Patient/pat-9" {
		t.Errorf("linked chart subject = %+v", sr.Subject)
	}

	// No insurance at all: no Coverage.
	s = testSubmission(t)
	s.Order.Insurance = app.Insurance{}
	s.Patient.InsuranceType = ""
	s.Files = nil
	b = mustBundle(t, s)
	if err := Validate(b); err != nil {
		t.Errorf("no insurance: %v", err)
	}
	sr, _ = entryOf[*ServiceRequest](t, b)
	if len(b.Entry) != 7 || len(sr.Insurance) != 0 || len(sr.SupportingInfo) != 1 {
		t.Errorf("no insurance: %d entries, insurance %v, supportingInfo %v", len(b.Entry), sr.Insurance, sr.SupportingInfo)
	}

	// Only the chart's insurance type: payor named after it.
	s.Patient.InsuranceType = "workers-compensation"
	b = mustBundle(t, s)
	cov, _ := entryOf[*Coverage](t, b)
	if cov.Payor[0].Display != "Workers' compensation" {
		t.Errorf("payor from insurance type = %+v", cov.Payor)
	}

	// Without a profile the codes stand in for names.
	s.Profile = nil
	b = mustBundle(t, s)
	if err := Validate(b); err != nil {
		t.Errorf("no profile: %v", err)
	}
	sr, _ = entryOf[*ServiceRequest](t, b)
	if sr.Performer[0].Display != "cardiovascular" {
		t.Errorf("no profile performer = %+v", sr.Performer)
	}
}

func TestBuildBundleMissingInputs(t *testing.T) {
	s := testSubmission(t)
	s.Order.UUID = ""
	s.Installation = ""
	s.Files[1].DocumentReferenceID = ""
	_, err := BuildBundle(s)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"no UUID", "Installation", "rash.jpg"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
}

func TestOrganizationOfTheClinic(t *testing.T) {
	s := testSubmission(t)
	b := mustBundle(t, s)
	og, oe := entryOf[*Organization](t, b)
	if og.Name != "Lakeside Family Medicine" || og.Identifier[0].System != SystemNPI || og.Identifier[0].Value != "1245319599" ||
		og.Identifier[1].System != SystemOrganization || og.Identifier[1].Value != testInstallation {
		t.Errorf("organization = %+v", og)
	}
	if oe.Request.IfNoneExist != "identifier=http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Fus-npi|1245319599" {
		t.Errorf("organization ifNoneExist = %q", oe.Request.IfNoneExist)
	}
	tel := map[string]string{}
	for _, c := range og.Telecom {
		tel[c.System] = c.Value
	}
	if tel["phone"] != "507-555-0142" || tel["fax"] != "507-555-0143" || tel["email"] != "referrals@lakeside.example" {
		t.Errorf("telecom = %+v", og.Telecom)
	}
	if a := og.Address; len(a) != 1 || len(a[0].Line) != 2 || a[0].City != "Winona" || a[0].Country != "US" {
		t.Errorf("address = %+v", og.Address)
	}
	role, _ := entryOf[*PractitionerRole](t, b)
	if role.Organization == nil || role.Organization.Reference != oe.FullURL || role.Organization.Display != og.Name {
		t.Errorf("role.organization = %+v, want %s", role.Organization, oe.FullURL)
	}

	// Without an NPI the clinic is matched on our identifier; a patient linked to the registry
	// and insurance keep the bundle within the server's conditional-entry limit.
	s.Clinic.NPI = ""
	b = mustBundle(t, s)
	if err := Validate(b); err != nil {
		t.Fatal(err)
	}
	og, oe = entryOf[*Organization](t, b)
	if len(og.Identifier) != 1 || oe.Request.IfNoneExist != IfNoneExist(Identifier{System: SystemOrganization, Value: testInstallation}) {
		t.Errorf("no NPI: identifiers %+v, ifNoneExist %q", og.Identifier, oe.Request.IfNoneExist)
	}
	if len(b.Entry) > MaxConditionalEntries {
		t.Errorf("%d conditional entries, over %d", len(b.Entry), MaxConditionalEntries)
	}

	// Not set up: no Organization, the role without one (as before the clinic existed).
	s.Clinic = nil
	b = mustBundle(t, s)
	if err := Validate(b); err != nil {
		t.Fatal(err)
	}
	role, _ = entryOf[*PractitionerRole](t, b)
	for _, e := range b.Entry {
		if e.Resource.FHIRType() == "Organization" {
			t.Error("an Organization without a clinic")
		}
	}
	if role.Organization != nil {
		t.Errorf("role.organization without a clinic: %+v", role.Organization)
	}
}

func TestBuildProvenance(t *testing.T) {
	ids := map[string]string{"ServiceRequest": "sr-1", "Practitioner": "pr-1", "Organization": "org-1", "Task": "t-1"}
	s := testSubmission(t)

	// A staff member entered it for the provider.
	p, q, err := BuildProvenance(s, ids)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateProvenance(p); err != nil {
		t.Fatal(err)
	}
	golden(t, "provenance-staff.golden.json", marshal(t, p))
	a := p.Agent[0]
	if p.Target[0].Reference != "ServiceRequest/sr-1" || p.Recorded != "2026-11-20T15:04:05.000Z" || p.OccurredDateTime != p.Recorded ||
		a.Type.Coding[0].Code != AgentEnterer || a.Who.Display != "Ana Ruiz" || a.Who.Reference != "" ||
		a.OnBehalfOf == nil || a.OnBehalfOf.Reference != "Practitioner/pr-1" || a.OnBehalfOf.Display != "Dr Ann Smith" {
		t.Errorf("staff provenance = %+v, agent %+v", p, a)
	}
	if q != "agent-type=http%3A%2F%2Fterminology.hl7.org%2FCodeSystem%2Fprovenance-participant-type%7Centerer&target=ServiceRequest%2Fsr-1" {
		t.Errorf("ifNoneExist = %q", q)
	}
	if strings.Contains(string(marshal(t, p)), "clerk") {
		t.Error("the computer login travels in the Provenance")
	}

	// The provider signed themself: author, on behalf of the clinic.
	s.Order.Signature = app.Signature{SignerName: "Dr Ann Smith", SignerRole: app.SignerProvider, ForProviderID: 3, ForProvider: "Dr Ann Smith"}
	s.Order.SignedBy = "Dr Ann Smith"
	p, q, err = BuildProvenance(s, ids)
	if err != nil || ValidateProvenance(p) != nil {
		t.Fatal(err, ValidateProvenance(p))
	}
	a = p.Agent[0]
	if a.Type.Coding[0].Code != AgentAuthor || a.Who.Reference != "Practitioner/pr-1" || a.OnBehalfOf == nil ||
		a.OnBehalfOf.Reference != "Organization/org-1" || !strings.HasSuffix(q, "%7Cauthor&target=ServiceRequest%2Fsr-1") {
		t.Errorf("provider provenance agent = %+v, q %q", a, q)
	}
	s.Clinic = nil
	if p, _, _ = BuildProvenance(s, ids); p.Agent[0].OnBehalfOf != nil {
		t.Errorf("on behalf of a clinic that is not set up: %+v", p.Agent[0].OnBehalfOf)
	}

	// Signed before signers were recorded: no Provenance.
	s.Order.Signature = app.Signature{OSUser: "root"}
	if p, q, err = BuildProvenance(s, ids); p != nil || q != "" || err != nil {
		t.Errorf("unknown signer: %+v %q %v", p, q, err)
	}

	// The transaction's ids are needed.
	s = testSubmission(t)
	if _, _, err = BuildProvenance(s, map[string]string{"Task": "t-1"}); !errors.Is(err, ErrInvalid) ||
		!strings.Contains(err.Error(), "ServiceRequest") || !strings.Contains(err.Error(), "Practitioner") {
		t.Errorf("missing ids: %v", err)
	}
	if err := ValidateProvenance(&Provenance{ResourceType: "Provenance", Target: []Reference{{Reference: "Task/1"}}, Agent: []ProvenanceAgent{{}}}); err == nil ||
		!strings.Contains(err.Error(), "want a ServiceRequest") || !strings.Contains(err.Error(), "recorded is missing") || !strings.Contains(err.Error(), "no who") {
		t.Errorf("ValidateProvenance of a bad one: %v", err)
	}
}
