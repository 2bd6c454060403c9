package packet

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Cover layout (Letter, points).
const (
	coverMargin   = 54.0
	coverRowH     = 14.0
	coverBottom   = 72.0
	coverTableTop = 548.0 // first row of the table on the first cover page
	coverNextTop  = 720.0 // first row on the following cover pages
)

// Rows of the index per cover page (leaving room for the footnote).
const (
	rowsFirst = 31
	rowsNext  = 44
)

// coverPagesFor is how many pages the index needs for n documents.
func coverPagesFor(n int, _ bool) int {
	if n <= rowsFirst {
		return 1
	}
	return 1 + (n-rowsFirst+rowsNext-1)/rowsNext
}

// textPage collects drawing operators for a generated page (cover, fax form). Text that fits
// Windows-1252 is drawn in Helvetica; other text (a name in Vietnamese, Polish, Chinese...) in the
// packet's embedded fonts, so that every name is shown and extracted exactly.
type textPage struct {
	ops   bytes.Buffer
	fonts *stampFonts
}

func newTextPage(sf *stampFonts) *textPage { return &textPage{fonts: sf} }

// boldStroke is the outline width, per point of font size, that makes an embedded (regular) font
// look bold.
const boldStroke = 0.03

// text draws s with its baseline at (x, y).
func (tp *textPage) text(x, y float64, bold bool, size float64, s string) {
	if fitsWinAnsi(s) || !tp.fonts.unicode() {
		f := stampFont
		if bold {
			f = boldFont
		}
		fmt.Fprintf(&tp.ops, "BT /%s %s Tf %s %s Td ", f, fmtNum(size), fmtNum(x), fmtNum(y))
		writePDFString(&tp.ops, winAnsi(s))
		tp.ops.WriteString(" Tj ET\n")
		return
	}
	l := tp.fonts.line(s)
	if bold {
		fmt.Fprintf(&tp.ops, "q %s w BT 2 Tr", fmtNum(size*boldStroke))
	} else {
		tp.ops.WriteString("BT")
	}
	fmt.Fprintf(&tp.ops, " %s %s Td", fmtNum(x), fmtNum(y))
	for _, r := range l.runs {
		fmt.Fprintf(&tp.ops, " /%s %s Tf <%X> Tj", r.res, fmtNum(size), r.data)
	}
	tp.ops.WriteString(" ET")
	if bold {
		tp.ops.WriteString(" Q")
	}
	tp.ops.WriteString("\n")
}

// textRight draws s ending at x.
func (tp *textPage) textRight(x, y float64, bold bool, size float64, s string) {
	tp.text(x-tp.width(s, bold, size), y, bold, size, s)
}

// line draws a thin line.
func (tp *textPage) line(x0, y0, x1, y1, w float64) {
	fmt.Fprintf(&tp.ops, "%s w %s %s m %s %s l S\n", fmtNum(w), fmtNum(x0), fmtNum(y0), fmtNum(x1), fmtNum(y1))
}

func (tp *textPage) width(s string, bold bool, size float64) float64 {
	if !fitsWinAnsi(s) && tp.fonts.unicode() {
		return tp.fonts.width1(s) * size
	}
	f := "Helvetica"
	if bold {
		f = "Helvetica-Bold"
	}
	return textWidth(winAnsi(s), f, size)
}

// fit shortens s with an ellipsis until it fits in w points.
func (tp *textPage) fit(s string, bold bool, size, w float64) string {
	if tp.width(s, bold, size) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		t := strings.TrimRight(string(r), " ") + "…"
		if tp.width(t, bold, size) <= w {
			return t
		}
	}
	return "…"
}

// wrap breaks s into lines of at most w points.
func (tp *textPage) wrap(s string, bold bool, size, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		cur := ""
		for _, word := range words {
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if tp.width(try, bold, size) <= w || cur == "" {
				cur = try
				continue
			}
			lines = append(lines, cur)
			cur = word
		}
		lines = append(lines, tp.fit(cur, bold, size, w))
	}
	return lines
}

// coverDoc is one row of the index.
type coverDoc struct {
	title     string
	date      time.Time
	checkDate bool
	from, to  int
}

// coverPages lays out the cover/index pages.
func coverPages(sf *stampFonts, pt Patient, meta CoverInfo, docs []coverDoc, total, pagesOut, limit int, now time.Time) []*textPage {
	var pages []*textPage
	tp := newTextPage(sf)
	pages = append(pages, tp)
	x := coverMargin
	right := letterW - coverMargin
	y := letterH - coverMargin - 18
	tp.text(x, y, true, 18, "Medical records")
	y -= 30
	kv := func(k, v string) {
		tp.text(x, y, true, 10.5, k)
		tp.text(x+130, y, false, 10.5, tp.fit(v, false, 10.5, right-x-130))
		y -= 16
	}
	kv("Patient", patientName(pt))
	dob := "—"
	if !pt.DOB.IsZero() {
		dob = pt.DOB.Format(time.DateOnly)
	}
	kv("Date of birth", dob)
	if strings.TrimSpace(pt.MRN) != "" {
		kv("MRN", strings.TrimSpace(pt.MRN))
	}
	prov := strings.TrimSpace(meta.ProviderName)
	if npi := strings.TrimSpace(meta.ProviderNPI); npi != "" {
		prov = strings.TrimSpace(prov + "   NPI " + npi)
	}
	kv("Referring provider", orDash(prov))
	kv("Requested department", orDash(strings.TrimSpace(meta.Department)))
	kv("Prepared", now.Format(time.DateOnly))
	summary := fmt.Sprintf("%d documents, %d pages including this index, newest first", len(docs), total)
	if len(docs) == 1 {
		summary = fmt.Sprintf("1 document, %d pages including this index", total)
	}
	kv("Contents", summary)
	if pagesOut > 0 {
		kv("Left out", fmt.Sprintf("%d older pages, to stay within the %d-page limit", pagesOut, limit))
	}

	header := func(tp *textPage, y float64) {
		tp.text(x, y, true, 10, "#")
		tp.text(x+26, y, true, 10, "Date")
		tp.text(x+100, y, true, 10, "Document")
		tp.textRight(right, y, true, 10, "Pages")
		tp.line(x, y-4, right, y-4, 0.5)
	}
	y = coverTableTop + coverRowH
	header(tp, y)
	y -= coverRowH + 2
	rows, anyCheck := 0, false
	for i, d := range docs {
		limitRows := rowsNext
		if len(pages) == 1 {
			limitRows = rowsFirst
		}
		if rows == limitRows {
			tp = newTextPage(sf)
			pages = append(pages, tp)
			y = coverNextTop + coverRowH
			header(tp, y)
			y -= coverRowH + 2
			rows = 0
		}
		date := "—"
		if !d.date.IsZero() {
			date = d.date.Format(time.DateOnly)
		}
		if d.checkDate {
			date += "*"
			anyCheck = true
		}
		pr := fmt.Sprintf("%d–%d", d.from, d.to)
		if d.from == d.to {
			pr = fmt.Sprint(d.from)
		}
		tp.text(x, y, false, 10, fmt.Sprint(i+1))
		tp.text(x+26, y, false, 10, date)
		tp.text(x+100, y, false, 10, tp.fit(d.title, false, 10, right-x-100-60))
		tp.textRight(right, y, false, 10, pr)
		y -= coverRowH
		rows++
	}
	if anyCheck {
		tp.text(x, y-6, false, 8, "* date not found in the document; taken from the file's information")
	}
	return pages
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
