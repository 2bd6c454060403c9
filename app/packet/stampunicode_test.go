package packet

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"
	"golang.org/x/text/unicode/norm"
)

// expectedStamp is the stamp text of a page as the packet writes it (what extraction gives back).
func expectedStamp(pt Patient, page, total int) string {
	var buf bytes.Buffer
	return newStampFonts(newPDFWriter(&buf), pt, total).line(stampText(pt, page, total)).text
}

// hasCJKFont reports whether a fallback font with 王 is found (system or REFERRALDESK_STAMP_FONTS).
func hasCJKFont() bool {
	for _, f := range fallbacks() {
		if _, ok := f.cmap['王']; ok {
			return true
		}
	}
	return false
}

// TestStampUnicodeNames builds real packets (sample PDFs of the shared data) for names outside
// Windows-1252 and reads every page back with MuPDF: the stamp holds the exact name, and the
// packet check that runs inside Build (text extraction) passed. The cover's index shows the
// patient's and the provider's names exactly too (not folded to WinAnsi).
func TestStampUnicodeNames(t *testing.T) {
	files := samples(t)
	var picked []string
	for _, f := range files {
		b := filepath.Base(f)
		if b == "pdf20--Simple_PDF_2.0_file.pdf" || b == "pdf20--pdf20-utf8-test.pdf" {
			picked = append(picked, f)
		}
	}
	if len(picked) == 0 {
		picked = files[:1]
	}
	dob := time.Date(1984, 3, 9, 0, 0, 0, 0, time.UTC)
	names := []Patient{
		{Family: "Nguyễn", Given: "Thị Ánh", DOB: dob, MRN: "V-1"},
		{Family: "Żółć", Given: "Łukasz", DOB: dob},
		{Family: "Şahin", Given: "Ayşe", DOB: dob},
		{Family: "Ødegård", Given: "Ørjan", DOB: dob}, // Windows-1252: Helvetica, nothing embedded
		{Family: "Παπαδοπούλου", Given: "Ελένη", DOB: dob},
		{Family: "Кузнецова", Given: "Юлия", DOB: dob},
		// Decomposed input (e + combining marks) is stamped composed.
		{Family: norm.NFD.String("Nguyễn"), Given: "Văn", DOB: dob},
	}
	if hasCJKFont() {
		names = append(names, Patient{Family: "王", Given: "小明", DOB: dob})
	} else {
		t.Log("no CJK TrueType font on this system (set REFERRALDESK_STAMP_FONTS to one); 王 is not tested")
	}
	dir := t.TempDir()
	for _, pt := range names {
		var ins []*Input
		for _, f := range picked {
			ins = append(ins, Inspect(context.Background(), f, pt, sampleOptions()))
		}
		// The provider shares the patient's script, so that nothing is embedded for a WinAnsi name.
		meta := CoverInfo{ProviderName: pt.Given + " " + pt.Family + ", MD", Department: pt.Family + " " + pt.Given}
		res, err := Build(context.Background(), NewPlan(ins, 50, true), pt, meta, dir, sampleOptions(), nil)
		if err != nil {
			t.Fatalf("%s: %v", pt.Family, err)
		}
		doc, err := fitz.New(res.Path)
		if err != nil {
			t.Fatal(err)
		}
		n := doc.NumPage()
		name := norm.NFC.String(strings.ToUpper(pt.Family) + ", " + pt.Given)
		for i := 0; i < n; i++ {
			text, err := doc.Text(i)
			if err != nil {
				t.Fatal(err)
			}
			text = norm.NFC.String(normSpace(text))
			if !strings.Contains(text, name) {
				t.Errorf("%s page %d: name %q not in %q", pt.Family, i+1, name, text)
			}
			if want := stampText(Patient{Family: pt.Family, Given: pt.Given, DOB: pt.DOB, MRN: pt.MRN}, i+1, n); !strings.Contains(text, normSpace(norm.NFC.String(want))) {
				t.Errorf("%s page %d: stamp %q not in %q", pt.Family, i+1, want, text)
			}
			if i == 0 { // the cover: its "Patient" row besides the stamp, the provider, the department
				for _, want := range []string{name, norm.NFC.String(meta.ProviderName), norm.NFC.String(meta.Department)} {
					min := 1
					if want == name {
						min = 2
					}
					if c := strings.Count(text, want); c < min {
						t.Errorf("%s cover: %q %d times, want %d, in %q", pt.Family, want, c, min, text)
					}
				}
			}
		}
		_ = doc.Close()
		data, err := os.ReadFile(res.Path)
		if err != nil {
			t.Fatal(err)
		}
		embedded := bytes.Contains(data, []byte("/FontFile2"))
		if embedded == fitsWinAnsi(name) {
			t.Errorf("%s: font embedded = %v", pt.Family, embedded)
		}
		if embedded && len(data) > 400_000 {
			t.Errorf("%s: packet is %d bytes; the font subset should be small", pt.Family, len(data))
		}
	}
}

// Without any font for a letter the stamp says '?', and the check expects exactly that.
func TestStampMissingGlyph(t *testing.T) {
	var buf bytes.Buffer
	pt := Patient{Family: "Doe\U0001F600", Given: "Ánh", DOB: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
	sf := newStampFonts(newPDFWriter(&buf), pt, 3)
	if sf == nil {
		t.Fatal("no embedded font for a name outside Windows-1252")
	}
	l := sf.line(stampText(pt, 1, 3))
	if !strings.HasPrefix(l.text, "DOE?, Ánh") {
		t.Fatalf("text %q", l.text)
	}
	if l.width1 <= 0 || len(l.runs) == 0 {
		t.Fatalf("line %+v", l)
	}
}

// The subset keeps glyph ids and the used outlines, and parses again.
func TestSubsetParses(t *testing.T) {
	f, err := primaryFont()
	if err != nil {
		t.Fatal(err)
	}
	g := f.cmap['ễ']
	if g == 0 {
		t.Fatal("Noto Sans has no ễ")
	}
	sub := f.subset(map[uint16]bool{g: true})
	if len(sub) > 60_000 {
		t.Errorf("subset of one glyph is %d bytes", len(sub))
	}
	back, err := parseTrueTypeNoCmap(sub)
	if err != nil {
		t.Fatal(err)
	}
	if back.numGlyphs != f.numGlyphs || len(back.glyph(int(g))) == 0 || len(back.glyph(int(f.cmap['Z']))) != 0 {
		t.Errorf("subset: %d glyphs, ễ %d bytes, Z %d bytes", back.numGlyphs, len(back.glyph(int(g))), len(back.glyph(int(f.cmap['Z']))))
	}
}

// parseTrueTypeNoCmap reads a subset (which has no cmap: the PDF maps glyph ids itself).
func parseTrueTypeNoCmap(data []byte) (*ttFont, error) {
	f := &ttFont{tables: map[string][]byte{}}
	n := int(data[4])<<8 | int(data[5])
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		tag := string(data[rec : rec+4])
		o := int(data[rec+8])<<24 | int(data[rec+9])<<16 | int(data[rec+10])<<8 | int(data[rec+11])
		l := int(data[rec+12])<<24 | int(data[rec+13])<<16 | int(data[rec+14])<<8 | int(data[rec+15])
		f.tables[tag] = data[o : o+l]
	}
	f.longLoca = true
	maxp := f.tables["maxp"]
	f.numGlyphs = int(maxp[4])<<8 | int(maxp[5])
	return f, nil
}

// The fax form (cover sheet and referral form) draws the patient's and the provider's names exactly
// on both pages, besides the stamp, in any script (CJK where a font is found).
func TestFaxFormUnicodeNames(t *testing.T) {
	dob := time.Date(1984, 3, 9, 0, 0, 0, 0, time.UTC)
	names := []Patient{
		{Family: "Nguyễn", Given: "Thị Ánh", DOB: dob, MRN: "V-1"},
		{Family: "Żółć", Given: "Łukasz", DOB: dob},
		{Family: "Ødegård", Given: "Ørjan", DOB: dob},
	}
	if hasCJKFont() {
		names = append(names, Patient{Family: "王", Given: "小明", DOB: dob})
	} else {
		t.Log("no CJK TrueType font on this system (set REFERRALDESK_STAMP_FONTS to one); 王 is not tested")
	}
	dir := t.TempDir()
	for i, pt := range names {
		info := FaxInfo{
			Institution: "Mayo Clinic", Location: "Rochester, MN", FaxNumber: "507-284-0161",
			Patient: pt, ProviderName: "Trần Văn Bình, MD", ProviderNPI: "1234567893",
			Department: "Hematology", Priority: "urgent", Reason: "Anemia; ánh sáng " + pt.Given,
			Notes: "Ghi chú: Żółć " + pt.Family, Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		}
		info.Clinic.Name = "Phòng khám Đa khoa"
		out := filepath.Join(dir, fmt.Sprintf("fax-%d.pdf", i))
		if err := FaxForm(context.Background(), info, out); err != nil {
			t.Fatalf("%s: %v", pt.Family, err)
		}
		doc, err := fitz.New(out)
		if err != nil {
			t.Fatal(err)
		}
		name := norm.NFC.String(strings.ToUpper(pt.Family) + ", " + pt.Given)
		for p := 0; p < doc.NumPage(); p++ {
			text, err := doc.Text(p)
			if err != nil {
				t.Fatal(err)
			}
			text = norm.NFC.String(normSpace(text))
			if c := strings.Count(text, name); c < 2 {
				t.Errorf("%s fax page %d: name %q %d times (stamp and form), in %q", pt.Family, p+1, name, c, text)
			}
			want := []string{"Phòng khám Đa khoa"}
			if p == 1 {
				want = append(want, "Trần Văn Bình, MD", "Anemia; ánh sáng "+pt.Given, "Ghi chú: Żółć "+pt.Family)
			}
			for _, w := range want {
				if w = norm.NFC.String(w); !strings.Contains(text, w) {
					t.Errorf("%s fax page %d: %q not in %q", pt.Family, p+1, w, text)
				}
			}
		}
		_ = doc.Close()
	}
}
