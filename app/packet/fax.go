package packet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// FaxInfo is what the fax fallback needs: where it goes, who it is about, who sends it and why.
type FaxInfo struct {
	Institution string // e.g. "Mayo Clinic"
	Location    string // the chosen campus or region
	FaxNumber   string // referral fax of that location
	Phone       string // referral phone of that location (optional)

	From      string // the referring clinic
	FromPhone string
	FromFax   string

	Patient      Patient
	PatientPhone string

	ProviderName string // referring provider, e.g. "Smith, John, MD"
	ProviderNPI  string
	Department   string
	Priority     string // "routine" or "urgent"
	Reason       string
	Diagnoses    []app.Diagnosis
	// RecordPages is the number of record pages sent after this form (0: none).
	RecordPages int
	Notes       string
	Date        time.Time // zero: today
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
	for _, tp := range []*textPage{faxCover(info), faxReferral(info)} {
		b.addPage(pageBody{box: rect{0, 0, letterW, letterH}, ops: tp.ops.Bytes()}, false)
	}
	title := "Referral fax — " + strings.TrimPrefix(docTitle(info.Patient), "Medical records — ")
	if err := b.finish(title, orDefault(info.From, "ReferralDesk"), nil); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	bad, err := verifyPacket(ctx, tmp, b.expected, nil, Options{})
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

func faxCover(info FaxInfo) *textPage {
	tp := &textPage{}
	x, right := coverMargin, letterW-coverMargin
	y := letterH - coverMargin - 24
	tp.text(x, y, true, 26, "FAX")
	if strings.EqualFold(info.Priority, string(app.PriorityUrgent)) {
		tp.textRight(right, y, true, 20, "URGENT")
	}
	y -= 40
	kv := func(k, v string) {
		tp.text(x, y, true, 12, k)
		for i, line := range wrap(orDash(v), false, 12, right-x-110) {
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
	kv("Fax", info.FaxNumber)
	if info.Phone != "" {
		kv("Phone", info.Phone)
	}
	kv("From", info.From)
	if info.FromPhone != "" {
		kv("Phone", info.FromPhone)
	}
	if info.FromFax != "" {
		kv("Fax", info.FromFax)
	}
	kv("Date", info.Date.Format(time.DateOnly))
	kv("Pages", fmt.Sprintf("%d including this cover (referral form and %d pages of records)", faxFormPages+info.RecordPages, info.RecordPages))
	kv("Re", "New patient referral — "+patientName(info.Patient)+dobSuffix(info.Patient))
	y -= 10
	tp.line(x, y, right, y, 0.75)
	y -= 24
	notice := "CONFIDENTIAL: This fax contains protected health information intended only for the recipient named above. " +
		"If you received it in error, notify the sender at the number above and destroy all copies. " +
		"Any review, use or disclosure by anyone else is prohibited."
	for _, line := range wrap(notice, false, 10, right-x) {
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

func faxReferral(info FaxInfo) *textPage {
	tp := &textPage{}
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
		lines := wrap(orDash(strings.TrimSpace(v)), false, 10.5, right-x-140)
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
	section("Referring provider")
	kv("Name", info.ProviderName)
	kv("NPI", info.ProviderNPI)
	kv("Clinic", info.From)
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
	kv("Records attached", fmt.Sprintf("%d pages", info.RecordPages))
	if info.Notes != "" {
		kv("Notes", info.Notes)
	}
	return tp
}
