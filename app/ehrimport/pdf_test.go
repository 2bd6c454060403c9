package ehrimport

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/packet"
)

// TestPDFSharedCCDA renders every shared C-CDA, reads the text back with MuPDF and checks that the
// packet's own inspection finds the document's date in the text and that the PDF is not repaired.
func TestPDFSharedCCDA(t *testing.T) {
	for _, f := range ccdaFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc := parseFile(t, f)
			ins, err := WriteFiles(doc, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if len(ins) == 0 {
				t.Fatal("no PDF written")
			}
			in := ins[0]
			if st, err := os.Stat(in.Path); err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("PDF file: %v %v", st, err)
			}
			fd, err := fitz.New(in.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer fd.Close()
			var text strings.Builder
			for i := range fd.NumPage() {
				s, err := fd.Text(i)
				if err != nil {
					t.Fatal(err)
				}
				text.WriteString(s)
			}
			all := strings.Join(strings.Fields(text.String()), " ")
			for _, s := range doc.Sections {
				if ascii(s.Title) != "" && !strings.Contains(all, strings.Join(strings.Fields(ascii(s.Title)), " ")) {
					t.Errorf("section title %q not in the PDF text", s.Title)
				}
			}
			// Some narrative text of a paragraph, item or table cell of each of the first sections.
			checked := 0
			for _, s := range doc.Sections {
				w := firstWords(s.Blocks)
				if w == "" || checked >= 5 {
					continue
				}
				checked++
				if !strings.Contains(all, w) {
					t.Errorf("section %q: %q not in the PDF text", s.Title, w)
				}
			}
			pt := packet.Patient{Family: doc.Patient.LegalName().Family, DOB: doc.ChartPatient().BirthDate}
			pi := packet.Inspect(context.Background(), in.Path, pt, packet.Options{Now: time.Now})
			if pi.Err != nil || pi.Repaired != "" {
				t.Fatalf("packet inspect: %v, repaired %q", pi.Err, pi.Repaired)
			}
			want := doc.Date.Time.Format(app.DateLayout)
			if pi.Date.Format(app.DateLayout) != want || pi.DateSource != packet.DateText {
				t.Errorf("packet date %v (%s), want %s from the text", pi.Date, pi.DateSource, want)
			}
			if in.Date.Format(app.DateLayout) != want {
				t.Errorf("packet input date %v, want %s", in.Date, want)
			}
		})
	}
}

func firstWords(blocks []Block) string {
	for _, b := range blocks {
		s := b.Text
		if b.Kind == BlockTable && len(b.Rows) > 0 && len(b.Rows[0]) > 0 {
			s = b.Rows[0][0]
		}
		if w := strings.Fields(ascii(s)); len(w) >= 1 {
			return strings.Join(w[:min(len(w), 2)], " ")
		}
	}
	return ""
}

// ascii keeps s when it is plain ASCII (how it reads back from the PDF unchanged), else "".
func ascii(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ""
		}
	}
	return s
}
