package packet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"
	"github.com/referraldesk/referraldesk/app"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var header = []string{"Patient: DOE, JANE    DOB: 01/02/1970    MRN: 123"}

func page(lines ...string) []string { return append(append([]string{}, header...), lines...) }

func TestDocDate(t *testing.T) {
	now := day("2025-06-30")
	dob := testPatient.DOB
	cases := []struct {
		name, text string
		want       string // "" = none
	}{
		{"labelled beats unlabelled", "Note written 2024-02-01\nDate of service: 03/05/2021", "2021-03-05"},
		{"labelled beats earlier generic", "Date: 2024-02-01\nCollected: 2023-11-02 10:42", "2023-11-02"},
		{"label on line above", "Report date\n2022-08-09\n", "2022-08-09"},
		{"written month", "Visit: January 7, 2022", "2022-01-07"},
		{"day month year", "Seen on 7 Feb 2023 for follow-up", "2023-02-07"},
		{"dd-Mon-yy", "Encounter date: 05-Mar-24", "2024-03-05"},
		{"ISO unlabelled", "Summary 2020-10-11", "2020-10-11"},
		{"short US year", "Date of Service 3/5/21", "2021-03-05"},
		{"DOB never taken", "Patient: Jane Doe DOB: 01/02/1970\nNo other dates.", ""},
		{"DOB unlabelled never taken", "Jane Doe 1970-01-02", ""},
		{"labelled birth date skipped", "Birth Date: 04/05/1980\n", ""},
		{"date next to DOB label of other value", "DOB 1970-01-02 Visit 2023-04-05", "2023-04-05"},
		{"future skipped", "Next appointment 2030-01-01", ""},
		{"printed is weak", "Printed 2025-06-01\nLab results 2024-12-12", "2024-12-12"},
		{"printed used alone", "Printed 2025-06-01", "2025-06-01"},
		{"invalid date", "13/45/2020", ""},
		{"european day first", "Date of service 25/12/2022", "2022-12-25"},
	}
	for _, c := range cases {
		got, ok := docDate([]string{c.text}, dob, now)
		switch {
		case c.want == "" && ok:
			t.Errorf("%s: got %s, want none", c.name, got.Format(time.DateOnly))
		case c.want != "" && (!ok || !got.Equal(day(c.want))):
			t.Errorf("%s: got %s (%v), want %s", c.name, got.Format(time.DateOnly), ok, c.want)
		}
	}
}

// Generated PDFs with labelled dates come out newest first; a DOB is never the date.
func TestDatesNewestFirst(t *testing.T) {
	dir := t.TempDir()
	files := map[string][][]string{
		"a.pdf": {page("Progress note", "Date of service: 03/05/2021")},
		"b.pdf": {page("Lipid panel", "Collected: 2023-11-02 10:42", "Printed 2025-01-01")},
		"c.pdf": {page("Clinic visit", "Visit date: January 7, 2022")},
		"d.pdf": {page("Only the birth date here")}, // falls back to metadata
	}
	var inputs []*Input
	for _, name := range []string{"a.pdf", "b.pdf", "c.pdf", "d.pdf"} {
		p := filepath.Join(dir, name)
		writeTestPDF(t, p, files[name], day("2019-01-01"))
		in := Inspect(context.Background(), p, testPatient, Options{})
		if in.Err != nil {
			t.Fatal(in.Err)
		}
		inputs = append(inputs, in)
	}
	want := []struct {
		date string
		src  DateSource
	}{{"2021-03-05", DateText}, {"2023-11-02", DateText}, {"2022-01-07", DateText}, {"2019-01-01", DateMetadata}}
	for i, w := range want {
		if !inputs[i].Date.Equal(day(w.date)) || inputs[i].DateSource != w.src {
			t.Errorf("%s: date %s (%s), want %s (%s)", inputs[i].Path, inputs[i].Date.Format(time.DateOnly), inputs[i].DateSource, w.date, w.src)
		}
	}
	if !inputs[3].CheckDate || inputs[0].CheckDate {
		t.Errorf("CheckDate: metadata date should be checked, text date not")
	}
	plan := NewPlan(inputs, 50, true)
	var order []string
	for _, d := range plan.Docs {
		order = append(order, filepath.Base(d.Input.Path))
	}
	if strings.Join(order, ",") != "b.pdf,c.pdf,a.pdf,d.pdf" {
		t.Fatalf("order %v", order)
	}
	out := t.TempDir()
	res, err := Build(context.Background(), plan, testPatient, CoverInfo{ProviderName: "Smith, John", ProviderNPI: "1234567890", Department: "Cardiology"}, out, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPacket(t, res.Path, testPatient, 5, 50)
	doc, err := fitz.New(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	for i, want := range []string{"Lipid panel", "Clinic visit", "Progress note", "Only the birth date"} {
		text, _ := doc.Text(i + 1)
		if !strings.Contains(text, want) {
			t.Errorf("page %d: %q missing", i+2, want)
		}
	}
	cover, _ := doc.Text(0)
	for _, want := range []string{"Smith, John", "1234567890", "Cardiology", "2023-11-02", "b", "2019-01-01*"} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover: %q missing", want)
		}
	}
	toc, err := doc.ToC()
	if err != nil || len(toc) != 5 {
		t.Fatalf("bookmarks: %v %v", toc, err)
	}
	if toc[1].Title != "2023-11-02  b" || toc[1].Page != 1 {
		t.Errorf("bookmark 2: %+v", toc[1])
	}
	// User override.
	inputs[3].SetDate(day("2024-01-01"))
	plan = NewPlan(inputs, 50, true)
	if plan.Docs[0].Input != inputs[3] || inputs[3].DateSource != DateUser {
		t.Errorf("user date not used first")
	}
}

func TestBudget(t *testing.T) {
	dir := t.TempDir()
	var inputs []*Input
	for i, d := range []string{"2020-01-01", "2022-01-01", "2021-01-01"} {
		var pages [][]string
		for p := 1; p <= 20; p++ {
			pages = append(pages, page(fmt.Sprintf("Doc %d page %d", i, p), "Date of service: "+d))
		}
		path := filepath.Join(dir, fmt.Sprintf("doc%d.pdf", i))
		writeTestPDF(t, path, pages, time.Time{})
		in := Inspect(context.Background(), path, testPatient, Options{})
		if in.Err != nil {
			t.Fatal(in.Err)
		}
		inputs = append(inputs, in)
	}
	inputs[1].Exclude = []int{20}
	plan := NewPlan(inputs, 50, true)
	if plan.Total() != 50 || plan.CoverPages != 1 || plan.Requested != 60 {
		t.Fatalf("total %d cover %d requested %d", plan.Total(), plan.CoverPages, plan.Requested)
	}
	// Newest (doc1, 19 pages after the exclusion), then doc2 (20), then 10 pages of the oldest, doc0.
	if plan.Docs[0].Input != inputs[1] || plan.Docs[1].Input != inputs[2] || plan.Docs[2].Input != inputs[0] || len(plan.Docs[2].Pages) != 10 {
		t.Fatalf("plan %+v", plan.Docs)
	}
	var budget, excluded []string
	for _, d := range plan.Dropped {
		s := fmt.Sprintf("%s:%d", filepath.Base(d.Doc.Path), d.Page)
		if d.Reason == DropBudget {
			budget = append(budget, s)
		} else {
			excluded = append(excluded, s)
		}
	}
	if plan.Over() != 10 || budget[0] != "doc0.pdf:11" || budget[9] != "doc0.pdf:20" || len(excluded) != 1 || excluded[0] != "doc1.pdf:20" {
		t.Fatalf("dropped budget=%v excluded=%v", budget, excluded)
	}
	res, err := Build(context.Background(), plan, testPatient, CoverInfo{}, t.TempDir(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPacket(t, res.Path, testPatient, 50, 50)
	// Without a cover the same budget keeps one more page.
	if p := NewPlan(inputs, 50, false); p.Total() != 50 || p.Over() != 9 {
		t.Errorf("no cover: total %d over %d", p.Total(), p.Over())
	}
	// A smaller limit.
	if p := NewPlan(inputs, 10, true); p.Total() != 10 || len(p.Docs) != 1 || p.Over() != 50 {
		t.Errorf("limit 10: total %d docs %d over %d", p.Total(), len(p.Docs), p.Over())
	}
}

func TestFileName(t *testing.T) {
	dob := day("1970-01-02")
	cases := []struct {
		fam, giv string
		dob      time.Time
		want     string
	}{
		{"Doe", "Jane", dob, "Doe, Jane 1970-01-02.pdf"},
		{"O'Brien-Núñez", "Mary Ann", dob, "O'Brien-Núñez, Mary Ann 1970-01-02.pdf"},
		{`Do<e>:"/\|?*`, "Ja\x00ne\t", dob, "Do e, Jane 1970-01-02.pdf"},
		{"CON", "", dob, "CON 1970-01-02.pdf"},
		{"CON", "", time.Time{}, "_CON.pdf"},
		{"nul", "", time.Time{}, "_nul.pdf"},
		{"Doe...", "  Jane. ", dob, "Doe, Jane 1970-01-02.pdf"},
		{"..hidden", "x", dob, "hidden, x 1970-01-02.pdf"},
		{"", "", dob, "Patient 1970-01-02.pdf"},
		{"Doe\u202egnp.exe", "Jane", dob, "Doegnp.exe, Jane 1970-01-02.pdf"},
		{"Smith", "", dob, "Smith 1970-01-02.pdf"},
	}
	for _, c := range cases {
		if got := FileName(c.fam, c.giv, c.dob); got != c.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", c.fam, c.giv, got, c.want)
		}
	}
	long := FileName(strings.Repeat("Ü", 200), strings.Repeat("a", 300), dob)
	if len(long) > 160 || !strings.HasSuffix(long, " 1970-01-02.pdf") || !strings.HasPrefix(long, "ÜÜ") {
		t.Errorf("long name %q (%d bytes)", long, len(long))
	}
	for _, r := range long {
		if r == 0xFFFD {
			t.Errorf("long name cut inside a character")
		}
	}
}

func TestAtomicWrite(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	out := filepath.Join(dir, "out")
	for _, d := range []string{src, out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(src, "note.pdf")
	writeTestPDF(t, p, [][]string{page("Date of service: 2024-01-01")}, time.Time{})
	in := Inspect(context.Background(), p, testPatient, Options{})
	final := filepath.Join(out, FileName("Doe", "Jane", testPatient.DOB))
	if err := os.WriteFile(final, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var calls []int
	res, err := Build(context.Background(), NewPlan([]*Input{in}, 50, true), testPatient, CoverInfo{}, out, Options{}, func(done, total int) { calls = append(calls, done) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != final || len(calls) != 2 || calls[1] != 2 {
		t.Errorf("path %s progress %v", res.Path, calls)
	}
	checkPacket(t, final, testPatient, 2, 50)
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("output folder has %d entries, want only the packet", len(entries))
	}
	// Cancelled: no packet, no temporary file.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, NewPlan([]*Input{in}, 50, true), Patient{Family: "Roe", Given: "Rick", DOB: testPatient.DOB}, CoverInfo{}, out, Options{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled build: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("cancelled build left %d entries", len(entries))
	}
	if _, err := Build(context.Background(), Plan{}, testPatient, CoverInfo{}, out, Options{}, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty plan: %v", err)
	}
}

func TestImages(t *testing.T) {
	dir := t.TempDir()
	jpg := filepath.Join(dir, "photo.jpg")
	writeTestJPEG(t, jpg, 400, 200, 6) // stored landscape, shown portrait
	pngf := filepath.Join(dir, "shot.png")
	writeTestPNG(t, pngf, 300, 200)
	tif := filepath.Join(dir, "fax.tif")
	writeTestTIFF(t, tif, 200, 260, 3)
	var inputs []*Input
	for _, p := range []string{jpg, pngf, tif} {
		in := Inspect(context.Background(), p, testPatient, Options{})
		if in.Err != nil {
			t.Fatalf("%s: %v", p, in.Err)
		}
		if in.Kind != KindImage || !in.CheckDate || in.DateSource != DateFile {
			t.Errorf("%s: kind %s check %v source %s", p, in.Kind, in.CheckDate, in.DateSource)
		}
		inputs = append(inputs, in)
	}
	if inputs[0].Pages != 1 || inputs[1].Pages != 1 || inputs[2].Pages != 3 {
		t.Fatalf("pages %d %d %d", inputs[0].Pages, inputs[1].Pages, inputs[2].Pages)
	}
	res, err := Build(context.Background(), NewPlanInOrder(inputs, 50, false), testPatient, CoverInfo{}, t.TempDir(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPacket(t, res.Path, testPatient, 5, 50)
	doc, err := fitz.New(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	b0, err0 := doc.Bound(0)
	b1, err1 := doc.Bound(1)
	if err := errors.Join(err0, err1); err != nil {
		t.Fatalf("page bounds: %v", err)
	}
	// Strict inequalities: an empty or square page (a failed read) must not pass as either shape.
	if !(b0.Dy() > b0.Dx() && b0.Dx() > 0) || !(b1.Dx() > b1.Dy() && b1.Dy() > 0) {
		t.Errorf("JPEG page %v should be portrait (EXIF orientation 6), PNG page %v landscape", b0, b1)
	}
	// The photo's dark bar (top of the stored image) must be on the right after rotation.
	img, err := doc.ImageDPI(0, 36)
	if err != nil {
		t.Fatal(err)
	}
	bd := img.Bounds()
	right := img.RGBAAt(bd.Max.X-bd.Dx()/4, bd.Dy()/2)
	left := img.RGBAAt(bd.Min.X+bd.Dx()/4, bd.Dy()/2)
	if !(right.B < 120 && left.B > 180) {
		t.Errorf("orientation: left %v right %v", left, right)
	}
	if th, err := Thumbnail(context.Background(), tif, 2, 100, Options{}); err != nil || max(th.Bounds().Dx(), th.Bounds().Dy()) > 101 {
		t.Errorf("thumbnail: %v %v", th, err)
	}
}

func TestWrongPatient(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Patient: DOE, JANE   DOB: 01/02/1970   MRN: 123\nAll fine here with enough words.", nil},
		{"Patient Name: Jane Doe\nDate of Birth: January 2, 1970\nNotes follow in this section.", nil},
		{"Patient: John Smith   DOB: 03/04/1980   MRN: 999\nLab values follow in this report.", []string{ReasonOtherName, ReasonOtherDOB, ReasonOtherMRN, ReasonNoIdentity}},
		{"Patient: Jane Doe DOB: 03/04/1980\nsomething something text", []string{ReasonOtherDOB}},
		{"Provider Name: Robert Jones\nPatient: Jane Doe\nwith enough letters here", nil},
		{"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.", []string{ReasonNoIdentity}},
		{"   \n 12 ", nil},
		{"Results for DOE, Jane, born 1970-01-02; values attached below", nil},
	}
	for i, c := range cases {
		got := checkPage(c.text, testPatient)
		if len(got) != len(c.want) {
			t.Errorf("case %d: got %q, want %q", i, got, c.want)
			continue
		}
		for j := range got {
			if !strings.HasPrefix(got[j], c.want[j]) {
				t.Errorf("case %d: reason %d %q, want %q", i, j, got[j], c.want[j])
			}
		}
	}
	// Through Inspect: flags per page.
	dir := t.TempDir()
	p := filepath.Join(dir, "mixed.pdf")
	writeTestPDF(t, p, [][]string{page("Visit: 2024-01-01"), {"Patient: Richard Roe   DOB: 05/06/1990", "Visit: 2024-01-01"}}, time.Time{})
	in := Inspect(context.Background(), p, testPatient, Options{})
	if len(in.Flags) == 0 || in.Flags[0].Page != 2 {
		t.Errorf("flags %+v", in.Flags)
	}
}

func TestBlankAndDuplicates(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.pdf")
	writeTestPDF(t, a, [][]string{page("Visit: 2024-01-01", "Body"), {}, page("Visit: 2024-01-01", "Body"), {"This page intentionally left blank"}}, time.Time{})
	b := filepath.Join(dir, "b.pdf")
	writeTestPDF(t, b, [][]string{page("Something else", "Visit: 2023-01-01"), page("Visit: 2024-01-01", "Body")}, time.Time{})
	ia := Inspect(context.Background(), a, testPatient, Options{})
	ib := Inspect(context.Background(), b, testPatient, Options{})
	if fmt.Sprint(ia.Blank) != "[2 4]" {
		t.Errorf("blank %v", ia.Blank)
	}
	if d, ok := ia.DupOf[3]; !ok || d.Doc != ia || d.Page != 1 || len(ia.DupOf) != 1 {
		t.Errorf("dups in a: %+v", ia.DupOf)
	}
	MarkDuplicates([]*Input{ia, ib})
	if d, ok := ib.DupOf[2]; !ok || d.Doc != ia || d.Page != 1 || len(ib.DupOf) != 1 {
		t.Errorf("dups in b: %+v", ib.DupOf)
	}
	// Offered, not dropped: the plan keeps them until the user excludes them.
	if p := NewPlan([]*Input{ia, ib}, 50, false); p.Total() != 6 {
		t.Errorf("plan dropped pages by itself: %d", p.Total())
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "notes.txt")
	_ = os.WriteFile(txt, []byte("just text, not a record"), 0o600)
	junk := filepath.Join(dir, "junk.pdf")
	_ = os.WriteFile(junk, []byte("%PDF-1.4\n"+strings.Repeat("garbage ", 50)), 0o600)
	cases := map[string]error{
		txt:                            ErrUnsupported,
		junk:                           ErrDamaged,
		filepath.Join(dir, "none.pdf"): os.ErrNotExist,
		dir:                            ErrUnsupported,
	}
	for p, want := range cases {
		if in := Inspect(context.Background(), p, testPatient, Options{}); !errors.Is(in.Err, want) {
			t.Errorf("%s: %v, want %v", filepath.Base(p), in.Err, want)
		}
	}
	// A time limit is honoured.
	p := filepath.Join(dir, "ok.pdf")
	writeTestPDF(t, p, [][]string{page("x")}, time.Time{})
	if in := Inspect(context.Background(), p, testPatient, Options{FileTimeout: time.Nanosecond}); !errors.Is(in.Err, ErrTimeout) {
		t.Errorf("timeout: %v", in.Err)
	}
	// An unusable input is listed as dropped and the others carry on.
	good := Inspect(context.Background(), p, testPatient, Options{})
	bad := Inspect(context.Background(), junk, testPatient, Options{})
	plan := NewPlan([]*Input{bad, good}, 50, true)
	if plan.Total() != 2 || len(plan.Dropped) != 1 || plan.Dropped[0].Doc != bad || plan.Dropped[0].Reason != DropUnreadable {
		t.Errorf("plan with a bad input: %+v", plan)
	}
}

func TestRepairRendered(t *testing.T) {
	samples(t)
	in := Inspect(context.Background(), filepath.Join(samplesRel, "qpdf--issue-202.pdf"), testPatient, Options{})
	if in.Err != nil || in.Pages != 10 || in.Repaired != RepairedRendered {
		t.Fatalf("issue-202: err %v pages %d repaired %q", in.Err, in.Pages, in.Repaired)
	}
	res, err := Build(context.Background(), NewPlan([]*Input{in}, 50, false), testPatient, CoverInfo{}, t.TempDir(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Docs[0].Repaired != RepairedRendered {
		t.Errorf("result repaired %q", res.Docs[0].Repaired)
	}
	checkPacket(t, res.Path, testPatient, 10, 50)
}

// Nothing active or extra is carried over; title and author are set and say no more than that.
func TestNoActiveContent(t *testing.T) {
	samples(t)
	var inputs []*Input
	for _, name := range []string{"pysamples--with-attachment.pdf", "qpdf--form-filled-by-acrobat.pdf", "pysamples--pdflatex-forms.pdf", "pypdf--commented.pdf"} {
		in := Inspect(context.Background(), filepath.Join(samplesRel, name), testPatient, Options{})
		if in.Err != nil {
			t.Fatal(in.Err)
		}
		inputs = append(inputs, in)
	}
	res, err := Build(context.Background(), NewPlan(inputs, 50, true), testPatient, CoverInfo{Author: "Lakeside Clinic"}, t.TempDir(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(res.Path)
	if err != nil || len(data) == 0 {
		t.Fatalf("read the packet: %d bytes, %v", len(data), err)
	}
	for _, bad := range []string{"/JavaScript", "/JS", "/OpenAction", "/EmbeddedFile", "/Launch", "/AcroForm", "/Annots", "/Names", "/URI"} {
		if bytes.Contains(data, []byte(bad)) {
			t.Errorf("output contains %s", bad)
		}
	}
	doc, err := fitz.New(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	md := doc.Metadata()
	if tt := strings.TrimRight(md["title"], "\x00"); tt != "Medical records — Doe, Jane 1970-01-02" {
		t.Errorf("title %q", tt)
	}
	if a := strings.TrimRight(md["author"], "\x00"); a != "Lakeside Clinic" {
		t.Errorf("author %q", a)
	}
	// The value filled into the Acrobat form survives, flattened into the page: MuPDF's text of the
	// source page leaves form widgets out, so finding it in the packet's text is the flattening at work.
	var all strings.Builder
	for i := 0; i < doc.NumPage(); i++ {
		text, err := doc.Text(i)
		if err != nil {
			t.Fatalf("text of page %d: %v", i+1, err)
		}
		all.WriteString(text)
	}
	if !strings.Contains(all.String(), "abc potato") {
		t.Errorf("the value filled into the Acrobat form (%q) is not in the packet's text", "abc potato")
	}
}

func TestFaxForm(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fax.pdf")
	info := FaxInfo{
		Institution: "Mayo Clinic", Location: "Rochester, MN", FaxNumber: "507-555-0100",
		Clinic: app.Clinic{Name: "Lakeside Clinic", Phone: "555-0101"}, Patient: testPatient, PatientPhone: "555-0199",
		ProviderName: "Smith, John, MD", ProviderNPI: "1234567890", Department: "Cardiology",
		Priority: "urgent", Reason: "Chest pain on exertion for three weeks, abnormal stress test.",
		Diagnoses: []app.Diagnosis{{Code: "I20.9", Description: "Angina pectoris, unspecified"}, {Code: "R94.39", Description: "Abnormal result of other cardiovascular function study"}},
	}
	if err := FaxForm(context.Background(), info, out); err != nil {
		t.Fatal(err)
	}
	checkPacket(t, out, testPatient, 2, 2)
	doc, _ := fitz.New(out)
	defer doc.Close()
	var all string
	for i := 0; i < 2; i++ {
		s, _ := doc.Text(i)
		all += normSpace(s) + "\n"
	}
	for _, want := range []string{"Mayo Clinic", "507-555-0100", "Smith, John, MD", "1234567890", "Cardiology", "URGENT", "I20.9", "Angina pectoris", "Chest pain", "Lakeside Clinic", "2 including this cover (referral form and 0 pages of records)"} {
		if !strings.Contains(all, want) {
			t.Errorf("fax form: %q missing", want)
		}
	}
	if err := FaxForm(context.Background(), FaxInfo{}, out+"2"); err == nil {
		t.Error("fax form without a fax number should fail")
	}
}

// A long input is handled page by page (the test checks it works; memory is bounded by design).
func TestLongInput(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	dir := t.TempDir()
	var pages [][]string
	for p := 1; p <= 250; p++ {
		pages = append(pages, page(fmt.Sprintf("Page %d of the long chart", p), "Visit: 2024-02-03"))
	}
	path := filepath.Join(dir, "long.pdf")
	writeTestPDF(t, path, pages, time.Time{})
	in := Inspect(context.Background(), path, testPatient, Options{})
	if in.Err != nil || in.Pages != 250 {
		t.Fatalf("%v %d", in.Err, in.Pages)
	}
	res, err := Build(context.Background(), NewPlan([]*Input{in}, 300, true), testPatient, CoverInfo{}, t.TempDir(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPacket(t, res.Path, testPatient, 251, 300)
}

func TestExcludeSuggested(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.pdf")
	writeTestPDF(t, a, [][]string{page("Visit: 2024-01-01", "Body"), {}, page("Visit: 2024-01-01", "Body"), page("Other")}, time.Time{})
	in := Inspect(context.Background(), a, testPatient, Options{})
	in.ExcludeSuggested()
	if fmt.Sprint(in.Exclude) != "[2 3]" {
		t.Fatalf("exclude %v", in.Exclude)
	}
	p := NewPlan([]*Input{in}, 50, false)
	if p.Total() != 2 || len(p.Dropped) != 2 || p.Dropped[0].Reason != DropExcluded {
		t.Errorf("plan %+v", p)
	}
}

// Names outside plain ASCII: Latin letters keep their accents (WinAnsi), others are folded or
// replaced, and the stamp still verifies.
func TestStampNames(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "n.pdf")
	writeTestPDF(t, p, [][]string{{"Visit: 2024-01-01"}}, time.Time{})
	for _, pt := range []Patient{
		{Family: "Núñez-O'Brien", Given: "José", DOB: testPatient.DOB},
		{Family: "Nguyễn", Given: "Thị Łucja", DOB: testPatient.DOB},
		{Family: "王", Given: "小明", DOB: testPatient.DOB},
		{Family: "Roe (Smith)", Given: `A\B`, DOB: testPatient.DOB},
	} {
		in := Inspect(context.Background(), p, pt, Options{})
		res, err := Build(context.Background(), NewPlan([]*Input{in}, 50, true), pt, CoverInfo{}, dir, Options{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", pt.Family, err)
		}
		doc, _ := fitz.New(res.Path)
		text, _ := doc.Text(1)
		_ = doc.Close()
		want := expectedStamp(pt, 2, 2)
		if !strings.Contains(normSpace(text), want) {
			t.Errorf("%s: stamp %q not in %q", pt.Family, want, text)
		}
	}
	if got := fromWinAnsi(winAnsi("Nguyễn Łucja")); got != "Nguyen Lucja" {
		t.Errorf("fold: %q", got)
	}
}
