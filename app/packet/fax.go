package packet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/intl"
)

// FaxInfo is what the fax fallback needs: where it goes, who it is about, who sends it and why.
type FaxInfo struct {
	Institution string // e.g. "Mayo Clinic"
	Location    string // the chosen campus or region
	FaxNumber   string // referral fax of that location (its international fax for an international order)
	Phone       string // referral phone of that location (optional; international likewise)
	// International: the patient or the referring practice is outside the institution's country.
	International bool

	// Clinic is the sender: the referring clinic's name, address, phone, fax and NPI.
	Clinic app.Clinic
	// Signature is who signed the order and for whom (zero: not signed yet); SignedAt is when.
	Signature app.Signature
	SignedAt  time.Time

	Patient      Patient
	PatientPhone string

	ProviderName string // referring provider, e.g. "Smith, John, MD"
	ProviderNPI  string
	Department   string
	Priority     string // "routine" or "urgent"
	Reason       string
	Diagnoses    []app.Diagnosis
	// Attachments are the order's attachments; the records among them (app.KindRecords) are faxed
	// after this form, and FaxForm counts their pages in the files themselves.
	Attachments []app.Attachment
	Notes       string
	Date        time.Time // zero: today

	// ProviderLicence is "12345 (El Salvador, Junta de Vigilancia de la Profesión Médica)" for a
	// provider without an NPI.
	ProviderLicence string
	// Language is the patient's preferred language as "español (Spanish)" ("" when not recorded);
	// Interpreter whether an interpreter is needed.
	Language    string
	Interpreter bool
}

// FaxInfoFor fills a FaxInfo from an order as it is stored: the location's fax and phone and the
// department's name from the profile, the clinic as sender, the provider and the signature. The
// caller checks that the location has a fax number (FaxForm refuses to write a form without).
func FaxInfoFor(o app.Order, pt app.Patient, prov app.Provider, clinic app.Clinic, prof *institution.Profile, now time.Time) FaxInfo {
	info := FaxInfo{
		Clinic: clinic, Signature: o.Signature, SignedAt: o.SignedAt,
		Patient:      Patient{Family: pt.Family, Given: pt.Given, DOB: pt.BirthDate, MRN: pt.MRN},
		PatientPhone: pt.Phone, ProviderName: prov.DisplayName(), ProviderNPI: prov.NPI,
		ProviderLicence: licenceText(prov), Language: languageText(pt.Language), Interpreter: pt.InterpreterNeeded,
		Department: o.Department, Priority: string(o.Priority), Reason: o.Reason, Diagnoses: o.Diagnoses,
		Attachments: o.Attachments, Date: now,
	}
	if o.Signature.SignerRole != app.SignerUnknown && o.Signature.SignerName == "" {
		info.Signature.SignerName = o.SignedBy
	}
	if prof != nil {
		info.Institution = prof.Name
		if d, ok := prof.Department(o.Department); ok {
			info.Department = d.Name
		}
		info.International = prof.IsInternational(pt.Address.Country, prov.Country(), clinic.Country)
		if l, ok := prof.Location(o.Location); ok {
			info.Location = l.Name
			info.Phone, info.FaxNumber = l.Lines(info.International)
		}
		info.PatientPhone = intl.DisplayPhone(pt.Phone, prof.HomeCountry())
	}
	return info
}

// RecordPages counts the pages of the records among atts (app.KindRecords: PDF and TIFF files), as
// MuPDF reads them. A file that cannot be read is an error: the fax cover must not under-count.
func RecordPages(ctx context.Context, atts []app.Attachment) (int, error) {
	total := 0
	for _, a := range atts {
		if a.Kind != app.KindRecords {
			continue
		}
		n, err := guard(ctx, Options{}.timeout(), func(context.Context) (int, error) {
			doc, err := fitz.New(a.Path)
			if err != nil {
				return 0, err
			}
			defer doc.Close()
			return doc.NumPage(), nil
		})
		if err != nil {
			return 0, fmt.Errorf("packet: counting the pages of %s: %w", a.FileName, err)
		}
		total += n
	}
	return total, nil
}

// faxFormPages is the number of pages FaxForm writes (cover sheet and referral form).
const faxFormPages = 2

// FaxForm writes a fax cover sheet and a referral form (two pages, both stamped with the patient's
// identifiers) to outPath, atomically and with mode 0600, and checks the result like Build does.
func FaxForm(ctx context.Context, info FaxInfo, outPath string) error {
	initPDFCPU()
	if strings.TrimSpace(info.FaxNumber) == "" {
		return fmt.Errorf("packet: fax form: no fax number for the location")
	}
	if info.Date.IsZero() {
		info.Date = time.Now()
	}
	records, err := RecordPages(ctx, info.Attachments)
	if err != nil {
		return fmt.Errorf("packet: fax form: %w", err)
	}
	dir := filepath.Dir(outPath)
	f, err := os.CreateTemp(dir, ".fax-*.tmp")
	if err != nil {
		return fmt.Errorf("packet: fax form: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		_ = f.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("packet: fax form: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		return fail(err)
	}
	b := newBuilder(f, info.Patient, faxFormPages)
	for _, tp := range []*textPage{faxCover(b.fonts, info, records), faxReferral(b.fonts, info, records)} {
		b.addPage(pageBody{box: rect{0, 0, letterW, letterH}, ops: tp.ops.Bytes()}, false)
	}
	title := "Referral fax — " + strings.TrimPrefix(docTitle(info.Patient), "Medical records — ")
	if err := b.finish(title, orDefault(info.Clinic.Name, "ReferralDesk"), nil); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	bad, err := verifyPacket(ctx, tmp, b.checks, Options{})
	if err == nil && len(bad) > 0 {
		err = fmt.Errorf("%w: stamp missing on pages %v", ErrVerify, bad)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("packet: fax form: %w", err)
	}
	if err := os.Rename(tmp, outPath); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("packet: fax form: %w", err)
	}
	syncDir(dir)
	return nil
}

func orDefault(s, def string) string {
	if s = strings.TrimSpace(s); s == "" {
		return def
	}
	return s
}

// signatureLine is "entered by Ana Ruiz for Dr Jane Smith on 2026-11-20", or "" when not signed.
func signatureLine(info FaxInfo) string {
	if info.SignedAt.IsZero() && info.Signature == (app.Signature{}) {
		return ""
	}
	s := app.SignatureText(info.Signature)
	if !info.SignedAt.IsZero() {
		s += " on " + info.SignedAt.Local().Format(time.DateOnly)
	}
	return s
}

func faxCover(sf *stampFonts, info FaxInfo, records int) *textPage {
	tp := newTextPage(sf)
	x, right := coverMargin, letterW-coverMargin
	y := letterH - coverMargin - 24
	tp.text(x, y, true, 26, "FAX")
	if strings.EqualFold(info.Priority, string(app.PriorityUrgent)) {
		tp.textRight(right, y, true, 20, "URGENT")
	}
	y -= 40
	kv := func(k, v string) {
		tp.text(x, y, true, 12, k)
		for i, line := range tp.wrap(orDash(v), false, 12, right-x-110) {
			tp.text(x+110, y-float64(i)*15, false, 12, line)
			if i > 0 {
				y -= 15
			}
		}
		y -= 22
	}
	to := strings.TrimSpace(info.Institution)
	if loc := strings.TrimSpace(info.Location); loc != "" {
		to = strings.TrimSpace(to + " — " + loc)
	}
	kv("To", to)
	if info.International {
		kv("Fax", info.FaxNumber+" (from outside the U.S.)")
	} else {
		kv("Fax", info.FaxNumber)
	}
	if info.Phone != "" {
		kv("Phone", info.Phone)
	}
	c := info.Clinic.Normalized()
	kv("From", strings.Join(append([]string{c.Name}, c.AddressText()...), ", "))
	if c.Phone != "" {
		kv("Phone", c.Phone)
	}
	if c.Fax != "" {
		kv("Fax", c.Fax)
	}
	if c.NPI != "" {
		kv("NPI", c.NPI)
	}
	if s := signatureLine(info); s != "" {
		kv("Signed", s)
	}
	kv("Date", info.Date.Format(time.DateOnly))
	kv("Pages", fmt.Sprintf("%d including this cover (referral form and %s of records)", faxFormPages+records, pagesText(records)))
	kv("Re", "New patient referral — "+patientName(info.Patient)+dobSuffix(info.Patient))
	y -= 10
	tp.line(x, y, right, y, 0.75)
	y -= 24
	notice := "CONFIDENTIAL: This fax contains protected health information intended only for the recipient named above. " +
		"If you received it in error, notify the sender at the number above and destroy all copies. " +
		"Any review, use or disclosure by anyone else is prohibited."
	for _, line := range tp.wrap(notice, false, 10, right-x) {
		tp.text(x, y, false, 10, line)
		y -= 13
	}
	return tp
}

func dobSuffix(pt Patient) string {
	if pt.DOB.IsZero() {
		return ""
	}
	return ", DOB " + pt.DOB.Format(time.DateOnly)
}

func pagesText(n int) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}

func faxReferral(sf *stampFonts, info FaxInfo, records int) *textPage {
	tp := newTextPage(sf)
	x, right := coverMargin, letterW-coverMargin
	y := letterH - coverMargin - 18
	tp.text(x, y, true, 18, "Referral request")
	y -= 30
	section := func(title string) {
		y -= 6
		tp.text(x, y, true, 12, title)
		tp.line(x, y-4, right, y-4, 0.5)
		y -= 20
	}
	kv := func(k, v string) {
		tp.text(x, y, true, 10.5, k)
		lines := tp.wrap(orDash(strings.TrimSpace(v)), false, 10.5, right-x-140)
		for i, line := range lines {
			if y < coverBottom {
				break
			}
			tp.text(x+140, y, false, 10.5, line)
			if i < len(lines)-1 {
				y -= 13
			}
		}
		y -= 17
	}
	pt := info.Patient
	section("Patient")
	kv("Name", patientName(pt))
	dob := ""
	if !pt.DOB.IsZero() {
		dob = pt.DOB.Format(time.DateOnly)
	}
	kv("Date of birth", dob)
	kv("MRN", pt.MRN)
	if info.PatientPhone != "" {
		kv("Phone", info.PatientPhone)
	}
	if info.Language != "" {
		kv("Preferred language", info.Language)
	}
	if info.Interpreter {
		kv("Interpreter", "needed")
	}
	section("Referring provider")
	kv("Name", info.ProviderName)
	if info.ProviderNPI == "" && info.ProviderLicence != "" {
		kv("Licence", info.ProviderLicence)
	} else {
		kv("NPI", info.ProviderNPI)
	}
	c := info.Clinic.Normalized()
	kv("Clinic", c.Name)
	if c.NPI != "" {
		kv("Clinic NPI", c.NPI)
	}
	kv("Clinic phone / fax", strings.Trim(c.Phone+" / "+c.Fax, " /"))
	if s := signatureLine(info); s != "" {
		kv("Signed", s)
	}
	section("Request")
	kv("Institution", strings.TrimSpace(info.Institution+" "+orDefault(info.Location, "")))
	kv("Department", info.Department)
	kv("Priority", orDefault(info.Priority, string(app.PriorityRoutine)))
	kv("Reason", info.Reason)
	var dx []string
	for _, d := range info.Diagnoses {
		dx = append(dx, strings.TrimSpace(d.Code+" "+d.Description))
	}
	if len(dx) == 0 {
		kv("Diagnoses", "")
	}
	for i, d := range dx {
		k := ""
		if i == 0 {
			k = "Diagnoses (ICD-10-CM)"
		}
		kv(k, d)
	}
	kv("Records attached", pagesText(records))
	if info.Notes != "" {
		kv("Notes", info.Notes)
	}
	return tp
}
