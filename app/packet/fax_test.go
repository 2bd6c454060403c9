package packet

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
)

// TestFaxFormCountsThePacket: the fax form names the clinic and the signer and counts the pages of
// the records packet attached to the order (it used to say "0 pages of records" because nothing
// filled the count). The packet is built from the shared sample PDFs, as the packet screen does.
func TestFaxFormCountsThePacket(t *testing.T) {
	files := samples(t)
	ctx := context.Background()
	var inputs []*Input
	for _, name := range []string{"pysamples--pdflatex-4-pages.pdf", "pysamples--multicolumn.pdf", "pypdf--Seige_of_Vicksburg_Sample_OCR.pdf"} {
		path := filepath.Join(samplesRel, name)
		if !slices.Contains(files, path) {
			t.Skipf("%s missing from the shared data", name)
		}
		in := Inspect(ctx, path, testPatient, sampleOptions())
		if in.Err != nil {
			t.Fatalf("%s: %v", name, in.Err)
		}
		inputs = append(inputs, in)
	}
	dir := t.TempDir()
	res, err := Build(ctx, NewPlan(inputs, DefaultMaxPages, true), testPatient, CoverInfo{ProviderName: "Smith, Jane, MD", ProviderNPI: "1234567893"}, dir, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages < 13 { // 4 + 3 + 6 pages of records, plus the packet's cover
		t.Fatalf("packet of %d pages", res.Pages)
	}
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	var loc institution.Location
	for _, l := range prof.Locations {
		if l.Fax != "" {
			loc = l
			break
		}
	}
	o := app.Order{
		UUID: "u-1", Department: prof.Departments[0].Code, Priority: app.PriorityRoutine, Location: loc.Code,
		Reason: "Follow-up", SignedAt: time.Date(2026, 11, 20, 15, 4, 0, 0, time.Local), SignedBy: "Ana Ruiz",
		Signature: app.Signature{SignerName: "Ana Ruiz", SignerRole: app.SignerStaff, ForProvider: "Dr Jane Smith", OSUser: "root"},
		Attachments: []app.Attachment{
			{Path: res.Path, FileName: filepath.Base(res.Path), Kind: app.KindRecords},
			{Path: "/nonexistent/photo.jpg", FileName: "photo.jpg", Kind: app.KindPhoto}, // not records: not counted, not opened
		},
	}
	pt := app.Patient{Family: testPatient.Family, Given: testPatient.Given, BirthDate: testPatient.DOB, MRN: testPatient.MRN}
	prov := app.Provider{Family: "Smith", Given: "Jane", Credentials: "MD", NPI: "1234567893"}
	clinic := app.Clinic{
		Name: "Lakeside Family Medicine", AddressLines: []string{"200 First St SW"}, City: "Rochester", State: "MN",
		PostalCode: "55905", Phone: "507-555-0142", Fax: "507-555-0143", NPI: "1245319599",
	}
	info := FaxInfoFor(o, pt, prov, clinic, prof, time.Now())
	if info.FaxNumber != loc.Fax || info.Institution != prof.Name {
		t.Fatalf("fax info: %+v", info)
	}
	out := filepath.Join(dir, "fax.pdf")
	if err := FaxForm(ctx, info, out); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, out)
	for _, want := range []string{
		"Lakeside Family Medicine, 200 First St SW, Rochester, MN 55905", "507-555-0142", "507-555-0143", "1245319599",
		"entered by Ana Ruiz for Dr Jane Smith on 2026-11-20",
		strings.Join([]string{strconv.Itoa(2 + res.Pages), "including this cover (referral form and", strconv.Itoa(res.Pages), "pages of records)"}, " "),
		"Records attached " + strconv.Itoa(res.Pages) + " pages",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("fax form text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "root") {
		t.Errorf("the computer login appears on the fax form:\n%s", text)
	}

	// A records file that cannot be read stops the form instead of under-counting.
	info.Attachments = append(info.Attachments, app.Attachment{Path: filepath.Join(dir, "gone.pdf"), FileName: "gone.pdf", Kind: app.KindRecords})
	if err := FaxForm(ctx, info, out+"2"); err == nil || !strings.Contains(err.Error(), "gone.pdf") {
		t.Fatalf("unreadable records: %v", err)
	}
}

// pdfText is the text of every page, spaces normalised: pdftotext when installed (an independent
// reader), else MuPDF.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return normSpace(string(out))
	}
	doc, err := fitz.New(path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	var all []string
	for i := 0; i < doc.NumPage(); i++ {
		s, _ := doc.Text(i)
		all = append(all, normSpace(s))
	}
	return strings.Join(all, " ")
}
