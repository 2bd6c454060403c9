package ehrimport

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/font"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// DateLabel starts the header line that dates the rendered document; the packet's date finder reads
// "Report date" as a document date (and never a "Date of birth").
const DateLabel = "Report date"

// Page layout (US Letter, points).
const (
	pageW, pageH = 612.0, 792.0
	marginX      = 54.0
	marginTop    = 54.0
	marginBottom = 60.0
	bodySize     = 9.0
	leading      = 11.5
	textW        = pageW - 2*marginX
)

// widths[font][byte] is the advance of a WinAnsi byte at size 1 (Helvetica, Helvetica-Bold).
var widths = sync.OnceValue(func() *[2][256]float64 {
	w := &[2][256]float64{}
	for f, name := range []string{"Helvetica", "Helvetica-Bold"} {
		for b := 32; b < 256; b++ {
			v, err := font.TextWidthFloat(string([]byte{byte(b)}), name, 1000)
			if err != nil || v <= 0 {
				v = 556
			}
			w[f][b] = v / 1000
		}
	}
	return w
})

var markFold = sync.Pool{New: func() any { return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC) }}

// winAnsi encodes text for the standard fonts; letters outside Windows-1252 lose their accents or
// become '?'.
func winAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 128 {
			if r < 32 {
				r = ' '
			}
			out = append(out, byte(r))
			continue
		}
		if b, ok := charmap.Windows1252.EncodeRune(r); ok {
			out = append(out, b)
			continue
		}
		t := markFold.Get().(transform.Transformer)
		f, _, err := transform.String(t, string(r))
		markFold.Put(t)
		ok := err == nil && f != string(r)
		if ok {
			for _, fr := range f {
				if b, ok2 := charmap.Windows1252.EncodeRune(fr); ok2 {
					out = append(out, b)
				}
			}
			continue
		}
		out = append(out, '?')
	}
	return out
}

func textWidth(b []byte, bold bool, size float64) float64 {
	w := &widths()[0]
	if bold {
		w = &widths()[1]
	}
	sum := 0.0
	for _, c := range b {
		sum += w[c]
	}
	return sum * size
}

// wrap breaks encoded text into lines no wider than width; a word longer than a line is cut.
func wrap(b []byte, bold bool, size, width float64) [][]byte {
	words := bytes.Fields(b)
	if len(words) == 0 {
		return nil
	}
	var lines [][]byte
	var cur []byte
	space := textWidth([]byte{' '}, bold, size)
	curW := 0.0
	for _, w := range words {
		ww := textWidth(w, bold, size)
		for ww > width && len(w) > 1 { // cut a very long word
			if len(cur) > 0 {
				lines, cur, curW = append(lines, cur), nil, 0
			}
			n := 1
			for n < len(w) && textWidth(w[:n+1], bold, size) <= width {
				n++
			}
			lines = append(lines, w[:n])
			w = w[n:]
			ww = textWidth(w, bold, size)
		}
		if len(cur) > 0 && curW+space+ww > width {
			lines, cur, curW = append(lines, cur), nil, 0
		}
		if len(cur) > 0 {
			cur = append(cur, ' ')
			curW += space
		}
		cur = append(cur, w...)
		curW += ww
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// pdfPages lays out text on pages; each page is a content stream.
type pdfPages struct {
	pages []*bytes.Buffer
	cur   *bytes.Buffer
	y     float64
}

func (pp *pdfPages) newPage() {
	pp.cur = &bytes.Buffer{}
	pp.pages = append(pp.pages, pp.cur)
	pp.y = pageH - marginTop
}

// need starts a new page when less than h points are left.
func (pp *pdfPages) need(h float64) {
	if pp.cur == nil || pp.y-h < marginBottom {
		pp.newPage()
	}
}

func (pp *pdfPages) text(x float64, bold bool, size float64, b []byte) {
	f := "F1"
	if bold {
		f = "F2"
	}
	fmt.Fprintf(pp.cur, "BT /%s %s Tf %s %s Td ", f, num(size), num(x), num(pp.y))
	pdfString(pp.cur, b)
	pp.cur.WriteString(" Tj ET\n")
}

func (pp *pdfPages) rule(x0, x1 float64) {
	fmt.Fprintf(pp.cur, "0.5 w %s %s m %s %s l S\n", num(x0), num(pp.y), num(x1), num(pp.y))
}

// para writes wrapped text at indent x.
func (pp *pdfPages) para(x float64, bold bool, size float64, s string) {
	for _, l := range wrap(winAnsi(s), bold, size, pageW-marginX-x) {
		pp.need(leading)
		pp.y -= leading * size / bodySize
		pp.text(x, bold, size, l)
	}
}

func (pp *pdfPages) table(t Block, x float64) {
	cols := 0
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	const gap = 8.0
	avail := pageW - marginX - x - gap*float64(cols-1)
	enc := make([][][]byte, len(t.Rows))
	natural := make([]float64, cols)
	for i, r := range t.Rows {
		enc[i] = make([][]byte, cols)
		for j := range cols {
			if j < len(r) {
				enc[i][j] = winAnsi(r[j])
			}
			natural[j] = max(natural[j], min(textWidth(enc[i][j], i < t.Header, bodySize), avail*0.6))
		}
	}
	total := 0.0
	for _, w := range natural {
		total += max(w, 20)
	}
	width := make([]float64, cols)
	for j, w := range natural {
		width[j] = max(w, 20)
		if total > avail {
			width[j] = max(w, 20) * avail / total
		}
	}
	for i := range enc {
		bold := i < t.Header
		cells := make([][][]byte, cols)
		rowLines := 1
		for j := range cols {
			cells[j] = wrap(enc[i][j], bold, bodySize, width[j])
			rowLines = max(rowLines, len(cells[j]))
		}
		pp.need(leading * float64(min(rowLines, 3)))
		for l := range rowLines {
			pp.need(leading)
			pp.y -= leading
			cx := x
			for j := range cols {
				if l < len(cells[j]) {
					pp.text(cx, bold, bodySize, cells[j][l])
				}
				cx += width[j] + gap
			}
		}
		if bold && i == t.Header-1 {
			pp.y -= 3
			pp.rule(x, pageW-marginX)
		}
		pp.y -= 2
	}
	pp.y -= 4
}

// RenderPDF writes the document's human-readable part as a PDF: a header (title, the document date
// labelled DateLabel, patient, author, organisation) then each section's narrative. The PDF's
// creation date is the document's own date, so the packet places it in its chronology.
func RenderPDF(doc *Document, w io.Writer) error {
	pp := &pdfPages{}
	pp.newPage()
	title := firstNonEmpty(doc.Title, doc.DocType, "Health record")
	pp.para(marginX, true, 15, title)
	pp.y -= 4
	if !doc.Date.IsZero() {
		pp.para(marginX, true, 10, DateLabel+": "+doc.Date.String())
	}
	pt := doc.Patient
	n := pt.LegalName()
	line := "Patient: " + strings.TrimPrefix(n.Family+", "+strings.Join(n.Given, " "), ", ")
	if !pt.BirthDate.IsZero() {
		line += "    Date of birth: " + pt.BirthDate.String()
	}
	if pt.Sex != "" {
		line += "    Sex: " + string(pt.Sex)
	}
	pp.para(marginX, false, 10, line)
	if len(pt.Identifiers) > 0 {
		var ids []string
		for _, id := range pt.Identifiers {
			ids = append(ids, strings.TrimSpace(id.Value+" ("+firstNonEmpty(id.Authority, id.System, "no authority")+")"))
		}
		pp.para(marginX, false, bodySize, "Identifiers: "+strings.Join(ids, "; "))
	}
	if doc.Author != "" {
		pp.para(marginX, false, bodySize, "Author: "+doc.Author)
	}
	if doc.Organization != "" {
		pp.para(marginX, false, bodySize, "Organization: "+doc.Organization)
	}
	kind := doc.Format
	if doc.DocType != "" && doc.DocType != title {
		kind = doc.DocType + " (" + doc.Format + ")"
	}
	pp.para(marginX, false, bodySize, "Document: "+kind)
	pp.y -= 6
	pp.rule(marginX, pageW-marginX)
	pp.y -= 4
	for _, s := range doc.Sections {
		x := marginX + 10*float64(min(s.Level, 4))
		pp.need(4 * leading)
		pp.y -= 8
		pp.para(x, true, 11, s.Title)
		pp.y -= 2
		if len(s.Blocks) == 0 {
			pp.para(x, false, bodySize, "(no text)")
		}
		for _, b := range s.Blocks {
			switch b.Kind {
			case BlockPara:
				pp.para(x, false, bodySize, b.Text)
				pp.y -= 3
			case BlockCaption:
				pp.y -= 2
				pp.para(x, true, bodySize, b.Text)
			case BlockItem:
				ix := x + 12*float64(min(b.Level, 6)+1)
				lines := wrap(winAnsi(b.Text), false, bodySize, pageW-marginX-ix)
				if len(lines) == 0 {
					lines = [][]byte{nil}
				}
				for i, l := range lines {
					pp.need(leading)
					pp.y -= leading
					if i == 0 && b.Marker != "" {
						pp.text(ix-10, false, bodySize, winAnsi(b.Marker))
					}
					if len(l) > 0 {
						pp.text(ix, false, bodySize, l)
					}
				}
			case BlockTable:
				pp.table(b, x)
			}
		}
	}
	return writePDF(w, pp.pages, doc, title)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func pdfString(w *bytes.Buffer, b []byte) {
	w.WriteByte('(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte(')')
}

// pdfText encodes an Info string: literal when ASCII, else UTF-16BE with a byte-order mark.
func pdfText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 32 || s[i] > 126 {
			ascii = false
			break
		}
	}
	if ascii {
		var b bytes.Buffer
		pdfString(&b, []byte(s))
		return b.String()
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			fmt.Fprintf(&b, "%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}

// pdfDate writes D:YYYYMMDDHHmmSS+HH'mm' in the date's own zone.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

func writePDF(w io.Writer, pages []*bytes.Buffer, doc *Document, title string) error {
	var out bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	// 1 catalog, 2 pages, 3-4 fonts, 5 info, then page i: 6+2i, content: 7+2i.
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 6+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", len(pages), strings.Join(kids, " ")))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	info := "<< /Title " + pdfText(title) + " /Creator (ReferralDesk EHR import) /Producer (ReferralDesk)"
	if doc.Author != "" {
		info += " /Author " + pdfText(doc.Author)
	}
	if !doc.Date.IsZero() {
		d := pdfText(pdfDate(doc.Date.Time))
		info += " /CreationDate " + d + " /ModDate " + d
	}
	obj(info + " >>")
	var zbuf bytes.Buffer
	zw := zlib.NewWriter(&zbuf)
	for i, p := range pages {
		// Footer: page numbers, so a printed page can be put back in order.
		fmt.Fprintf(p, "BT /F1 8 Tf %s 30 Td ", num(marginX))
		pdfString(p, winAnsi(fmt.Sprintf("%s - page %d of %d", title, i+1, len(pages))))
		p.WriteString(" Tj ET\n")
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			num(pageW), num(pageH), 7+2*i))
		zbuf.Reset()
		zw.Reset(&zbuf)
		if _, err := zw.Write(p.Bytes()); err != nil {
			return fmt.Errorf("ehrimport: compress page: %w", err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("ehrimport: compress page: %w", err)
		}
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", len(offsets), zbuf.Len())
		out.Write(zbuf.Bytes())
		out.WriteString("\nendstream\nendobj\n")
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	if _, err := w.Write(out.Bytes()); err != nil {
		return fmt.Errorf("ehrimport: write PDF: %w", err)
	}
	return nil
}
