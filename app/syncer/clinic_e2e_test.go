package syncer_test

import (
	"context"
	"crypto/sha1" //nolint:gosec // matches FHIR's Attachment.hash
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/local"
)

const sampleRecords = "../../../shared/data/pdfs/pysamples--pdflatex-4-pages.pdf" // 4 pages

// realRecords copies a real 4-page PDF from the shared data into dir as an order's records.
func realRecords(t *testing.T, dir string) app.Attachment {
	t.Helper()
	data, err := os.ReadFile(sampleRecords)
	if err != nil {
		t.Skipf("shared sample PDFs not found (%v): skipping", err)
	}
	path := filepath.Join(dir, "records.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(data) //nolint:gosec // see import
	return app.Attachment{
		Path: path, FileName: "records.pdf", Description: "4-page PDF of medical records", Kind: app.KindRecords,
		ContentType: "application/pdf", Size: int64(len(data)), SHA1: hex.EncodeToString(sum[:]),
	}
}

// TestSyncSendsClinicAndSigner: the clinic travels as the Organization of the requester's role,
// and who signed as a Provenance of the ServiceRequest — a staff member on behalf of the provider,
// or the provider themself — checked on the FHIR test peer; the fax form of the same order names
// the clinic and the signer and counts the attached records.
func TestSyncSendsClinicAndSigner(t *testing.T) {
	dir := t.TempDir()
	records := realRecords(t, dir)
	p := synctest.StartFHIR(t, "../..")
	ctx := context.Background()
	st, err := local.Open(filepath.Join(dir, "rd.db"), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SaveClinic(ctx, testClinic); err != nil {
		t.Fatal(err)
	}
	prov := app.Provider{Family: "Okafor", Given: "Adaeze", Credentials: "MD", NPI: "1234567893", Active: true}
	if err := st.SaveProvider(ctx, &prov); err != nil {
		t.Fatal(err)
	}
	signedAt := time.Date(2026, 11, 20, 15, 4, 5, 123_000_000, time.UTC)
	sigs := []app.Signature{
		{SignerName: "Ana Ruiz", SignerRole: app.SignerStaff, ForProviderID: prov.ID, OSUser: "root"},
		{SignerRole: app.SignerProvider, ForProviderID: prov.ID, OSUser: "aokafor"},
	}
	var orders []app.Order
	for i, sig := range sigs {
		pt := app.Patient{Family: "Doe", Given: []string{"Jane", "John"}[i], BirthDate: time.Date(1970, 1, 2+i, 0, 0, 0, 0, time.UTC), Sex: app.SexFemale}
		if err := st.CreatePatient(ctx, &pt); err != nil {
			t.Fatal(err)
		}
		o := app.Order{
			PatientID: pt.ID, ProviderID: prov.ID, Department: "endocrinology", Priority: app.PriorityRoutine,
			Reason: "Poorly controlled diabetes", Diagnoses: []app.Diagnosis{{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"}},
			Location: "rochester", UploadImages: app.AnswerNo, UploadRecords: app.AnswerYes,
		}
		if i == 0 {
			o.Attachments = []app.Attachment{records}
		}
		if err := st.SaveDraft(ctx, &o); err != nil {
			t.Fatal(err)
		}
		if err := st.SignOrder(ctx, o.ID, sig, signedAt); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}

	w := newWorker(t, st, p, p.Password)
	if sum, err := w.Push(ctx); err != nil || sum.Sent != 2 {
		t.Fatalf("push: %+v %v", sum, err)
	}
	c := peerClient(t, p)

	// One Organization for the clinic, found by its NPI.
	found, err := c.Search(ctx, "Organization", url.Values{"identifier": {fhir.SystemNPI + "|" + testClinic.NPI}})
	if err != nil || len(found.Entry) != 1 {
		t.Fatalf("Organization by NPI: %v, %v", found, err)
	}
	org, ok := found.Entry[0].Resource.(*fhir.Organization)
	if !ok || org.Name != testClinic.Name || len(org.Telecom) != 2 || len(org.Address) != 1 || org.Address[0].City != "Winona" {
		t.Fatalf("organization on the server: %+v", found.Entry[0].Resource)
	}

	wantRecorded := "2026-11-20T15:04:05.123Z"
	for i, o := range orders {
		steps, err := st.Steps(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		sr, role, practitioner := steps["bundle:ServiceRequest"], steps["bundle:PractitionerRole"], steps["bundle:Practitioner"]
		if steps["provenance"] == "" || steps["bundle:Organization"] != org.ID {
			t.Fatalf("order %d: steps %v (organization %s)", i, steps, org.ID)
		}
		r, err := c.Read(ctx, "PractitionerRole", role)
		if err != nil {
			t.Fatal(err)
		}
		if pr := r.(*fhir.PractitionerRole); pr.Organization == nil || pr.Organization.Reference != "Organization/"+org.ID {
			t.Fatalf("PractitionerRole.organization = %+v, want Organization/%s", pr.Organization, org.ID)
		}
		provs, err := c.Search(ctx, "Provenance", url.Values{"target": {"ServiceRequest/" + sr}})
		if err != nil || len(provs.Entry) != 1 {
			t.Fatalf("order %d: Provenance of ServiceRequest/%s: %v, %v", i, sr, provs, err)
		}
		pv := provs.Entry[0].Resource.(*fhir.Provenance)
		if pv.ID != steps["provenance"] || pv.Recorded != wantRecorded || len(pv.Agent) != 1 {
			t.Fatalf("order %d: provenance %+v (recorded %s, want %s)", i, pv, pv.Recorded, wantRecorded)
		}
		a := pv.Agent[0]
		switch i {
		case 0: // the staff member, on behalf of the provider
			if a.Type.Coding[0].Code != fhir.AgentEnterer || a.Who.Display != "Ana Ruiz" || a.Who.Reference != "" ||
				a.OnBehalfOf == nil || a.OnBehalfOf.Reference != "Practitioner/"+practitioner || a.OnBehalfOf.Display != "Dr Adaeze Okafor" {
				t.Errorf("staff agent = %+v (onBehalfOf %+v)", a, a.OnBehalfOf)
			}
		case 1: // the provider themself, for the clinic
			if a.Type.Coding[0].Code != fhir.AgentAuthor || a.Who.Reference != "Practitioner/"+practitioner ||
				a.OnBehalfOf == nil || a.OnBehalfOf.Reference != "Organization/"+org.ID {
				t.Errorf("provider agent = %+v (onBehalfOf %+v)", a, a.OnBehalfOf)
			}
		}
		// Posting the Provenance again (a retry after a lost answer) finds the first one.
		full, _ := st.Order(ctx, o.ID)
		pt, _ := st.Patient(ctx, o.PatientID)
		clinic := testClinic
		again, q, err := fhir.BuildProvenance(fhir.Submission{Order: full, Patient: pt, Provider: prov, Clinic: &clinic}, map[string]string{
			"ServiceRequest": sr, "Practitioner": practitioner, "Organization": org.ID,
		})
		if err != nil {
			t.Fatal(err)
		}
		id, created, err := c.CreateIfNoneExist(ctx, again, q)
		if err != nil || created || id != pv.ID {
			t.Fatalf("order %d: second Provenance post: id %s created %v, %v; want %s, false", i, id, created, err, pv.ID)
		}
	}
	// A second round sends nothing more: one Organization, one Provenance per order.
	if _, err := w.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if cnt := p.Counts(t); cnt.Resources["Organization"] != 1 || cnt.Resources["Provenance"] != 2 || cnt.Resources["ServiceRequest"] != 2 {
		t.Fatalf("server holds %v", cnt.Resources)
	}

	// The fax form of the staff-signed order, from what the store holds.
	prof, _ := institution.LoadDefault()
	o, _ := st.Order(ctx, orders[0].ID)
	pt, _ := st.Patient(ctx, o.PatientID)
	clinic, _, _ := st.Clinic(ctx)
	info := packet.FaxInfoFor(o, pt, prov, clinic, prof, time.Now())
	if info.FaxNumber == "" {
		t.Fatalf("location %q has no fax number in the default profile", o.Location)
	}
	out := filepath.Join(dir, "fax.pdf")
	if err := packet.FaxForm(ctx, info, out); err != nil {
		t.Fatal(err)
	}
	text := faxText(t, out)
	for _, want := range []string{
		"From Lakeside Family Medicine, 200 First St SW, Winona, MN 55987", "NPI 1245319599",
		"entered by Ana Ruiz for Dr Adaeze Okafor",
		"6 including this cover (referral form and 4 pages of records)", "Records attached 4 pages",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("fax form lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "root") {
		t.Errorf("the computer login is on the fax form:\n%s", text)
	}
}

func peerClient(t *testing.T, p *synctest.FHIRPeer) *fhir.Client {
	t.Helper()
	acct := creds.Account{FHIRBase: p.Base, User: p.User}
	client, err := creds.NewHTTPClient(acct)
	if err != nil {
		t.Fatal(err)
	}
	return &fhir.Client{Base: p.Base, HTTP: client, Authorize: func(r *http.Request) { creds.SetAuth(r, acct, p.Password) }}
}

// faxText is the text of the fax form's pages as MuPDF extracts it, spaces normalised.
func faxText(t *testing.T, path string) string {
	t.Helper()
	doc, err := fitz.New(path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	var all []string
	for i := 0; i < doc.NumPage(); i++ {
		s, err := doc.Text(i)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, strings.Join(strings.Fields(s), " "))
	}
	return strings.Join(all, "\n")
}
