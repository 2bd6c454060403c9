package packet

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// dateMatch is one date found in a text.
type dateMatch struct {
	t          time.Time
	start, end int // byte offsets in the text
}

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

const monthRE = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`

// The date patterns, each after its leading \b (every one starts with one).
const (
	// 2024-03-05, 2024/03/05, 2024.03.05
	isoBody = `(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`
	// 03/05/2024, 3/5/24, 03-05-2024, 03.05.2024
	usBody = `(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})\b`
	// March 5, 2024 / Mar. 5th 2024
	mdyBody = monthRE + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`
	// 5 March 2024 / 05-Mar-2024 / 5-Mar-24
	dmyBody = `(\d{1,2})(?:st|nd|rd|th)?[\s-]+` + monthRE + `\.?,?[\s-]+(\d{4}|\d{2})\b`
)

// The date patterns as written. findDates runs them as the datePatterns below, which find the same
// (TestDatePatternsFindAsWritten, which reads these as its reference).
var (
	reISO = lazyRegexp(`\b` + isoBody)
	reUS  = lazyRegexp(`\b` + usBody)
	reMDY = lazyRegexp(`(?i)\b` + mdyBody)
	reDMY = lazyRegexp(`(?i)\b` + dmyBody)
)

// The date patterns as findDates runs them: tried only where a match can start (see datePattern).
var (
	isoDates = datePattern{at: lazyRegexp(`^(?:` + isoBody + `)`), start: func(t string, p int) bool {
		return digitsAt(t, p, 4) && p+4 < len(t) && isDateSep(t[p+4])
	}}
	usDates = datePattern{at: lazyRegexp(`^(?:` + usBody + `)`), start: func(t string, p int) bool {
		return digitsAt(t, p, 1) && (p+1 < len(t) && isDateSep(t[p+1]) || digitsAt(t, p+1, 1) && p+2 < len(t) && isDateSep(t[p+2]))
	}}
	mdyDates = datePattern{at: lazyRegexp(`(?i)^(?:` + mdyBody + `)`), start: monthAt}
	dmyDates = datePattern{at: lazyRegexp(`(?i)^(?:` + dmyBody + `)`), start: func(t string, p int) bool {
		return digitsAt(t, p, 1) && (p+1 < len(t) && afterDay(t[p+1]) || digitsAt(t, p+1, 1) && p+2 < len(t) && afterDay(t[p+2]))
	}}
)

// afterDay: b can follow the day of a day-month-year date: a space or dash (\s is ASCII), or the
// first letter of st, nd, rd or th in either case (0xC5: the first byte of ſ, which (?i) reads as s).
func afterDay(b byte) bool {
	switch b {
	case '\t', '\n', '\f', '\r', ' ', '-', 's', 'S', 'n', 'N', 'r', 'R', 't', 'T', 0xC5:
		return true
	}
	return false
}

// datePattern finds what its pattern as written, `\b` then a body, finds with
// FindAllStringSubmatchIndex, in a fraction of the time: Go's regexp tries the
// pattern at every position of a page, this only at a word boundary where start says a match can
// begin (a test of a few bytes that every match passes), with the body anchored there (at). The
// boundary is tested on the whole text, as \b sees it there: ASCII word characters on one side only.
// The body needs no more context than what follows the start, and matches are never empty, so the
// matches and their order are the same (TestDatePatternsFindAsWritten).
type datePattern struct {
	at    func() *regexp.Regexp
	start func(text string, p int) bool
}

func (d datePattern) findAll(text string) [][]int {
	var out [][]int
	for p := 0; p < len(text); p++ {
		if !d.start(text, p) || (p > 0 && isWordByte(text[p-1])) == isWordByte(text[p]) {
			continue
		}
		m := d.at().FindStringSubmatchIndex(text[p:])
		if m == nil {
			continue
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += p
			}
		}
		out = append(out, m)
		p = max(p, m[1]-1) // the next match starts where this one ends (none is empty)
	}
	return out
}

// isWordByte: \b's word characters (ASCII letters, digits, underscore). Any byte of a multi-byte
// character is not one, as that character is not.
func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

func isDateSep(b byte) bool { return b == '-' || b == '/' || b == '.' }

// digitsAt: n ASCII digits at text[p:].
func digitsAt(text string, p, n int) bool {
	if p+n > len(text) {
		return false
	}
	for i := p; i < p+n; i++ {
		if text[i] < '0' || text[i] > '9' {
			return false
		}
	}
	return true
}

// monthAt: text[p:] starts with the first three letters of a month's name, as (?i) matches them:
// either case, and ſ (long s, U+017F) for s.
func monthAt(text string, p int) bool {
	var b [3]byte
	for i := range b {
		switch {
		case p < len(text) && text[p] >= 'a' && text[p] <= 'z':
			b[i] = text[p]
		case p < len(text) && text[p] >= 'A' && text[p] <= 'Z':
			b[i] = text[p] + 'a' - 'A'
		case strings.HasPrefix(text[p:], "ſ"):
			b[i] = 's'
			p++ // two bytes
		default:
			return false
		}
		p++
	}
	switch string(b[:]) {
	case "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec":
		return true
	}
	return false
}

func mkDate(y, m, d int) (time.Time, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 February
		return time.Time{}, false
	}
	return t, true
}

func year2(s string, now time.Time) int {
	y, _ := strconv.Atoi(s)
	if len(s) == 2 {
		if y <= now.Year()%100+1 {
			return 2000 + y
		}
		return 1900 + y
	}
	return y
}

// findDates lists the dates in text, in order of appearance, without overlaps.
func findDates(text string, now time.Time) []dateMatch {
	var out []dateMatch
	taken := make([]bool, len(text)+1)
	add := func(t time.Time, s, e int) {
		for i := s; i < e; i++ {
			if taken[i] {
				return
			}
		}
		for i := s; i < e; i++ {
			taken[i] = true
		}
		out = append(out, dateMatch{t, s, e})
	}
	for _, m := range isoDates.findAll(text) {
		y, _ := strconv.Atoi(text[m[2]:m[3]])
		mo, _ := strconv.Atoi(text[m[4]:m[5]])
		d, _ := strconv.Atoi(text[m[6]:m[7]])
		if t, ok := mkDate(y, mo, d); ok {
			add(t, m[0], m[1])
		}
	}
	for _, m := range mdyDates.findAll(text) {
		mo := monthNames[strings.ToLower(text[m[2]:m[3]])]
		d, _ := strconv.Atoi(text[m[4]:m[5]])
		y, _ := strconv.Atoi(text[m[6]:m[7]])
		if t, ok := mkDate(y, int(mo), d); ok {
			add(t, m[0], m[1])
		}
	}
	for _, m := range dmyDates.findAll(text) {
		d, _ := strconv.Atoi(text[m[2]:m[3]])
		mo := monthNames[strings.ToLower(text[m[4]:m[5]])]
		y := year2(text[m[6]:m[7]], now)
		if t, ok := mkDate(y, int(mo), d); ok {
			add(t, m[0], m[1])
		}
	}
	for _, m := range usDates.findAll(text) {
		if text[m[4]:m[5]] != text[m[8]:m[9]] { // mixed separators: 3/5-24
			continue
		}
		a, _ := strconv.Atoi(text[m[2]:m[3]])
		b, _ := strconv.Atoi(text[m[6]:m[7]])
		y := year2(text[m[10]:m[11]], now)
		mo, d := a, b // US order: month first
		if a > 12 && b <= 12 {
			mo, d = b, a
		}
		if t, ok := mkDate(y, mo, d); ok {
			add(t, m[0], m[1])
		}
	}
	// Back to text order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].start < out[j-1].start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Label classes of a date, by what precedes it.
const (
	labelBirth    = -2 // DOB, date of birth: never a document date
	labelWeak     = 0  // printed, faxed, received: only when nothing else is found
	labelNone     = 1
	labelGeneric  = 2 // "Date:", "Signed"
	labelDocument = 3 // date of service, collected, report date, visit ...
)

var labelRE = lazyRegexp(`(?i)\b(` +
	`d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|birthdate|born|birthday|` +
	`date\s+of\s+service|service\s+date|dates?\s+of\s+service|d\.?o\.?s\.?|` +
	`date\s+collected|collection\s+date|collected(?:\s+on)?|specimen\s+collected|` +
	`report\s+date|date\s+of\s+report|date\s+reported|reported(?:\s+on)?|resulted|result\s+date|` +
	`visit\s+date|date\s+of\s+visit|visit|encounter\s+date|date\s+of\s+encounter|encounter|` +
	`exam\s+date|date\s+of\s+exam|examination\s+date|study\s+date|procedure\s+date|date\s+of\s+procedure|` +
	`surgery\s+date|date\s+of\s+surgery|admission\s+date|admit\s+date|date\s+of\s+admission|admitted|` +
	`discharge\s+date|date\s+of\s+discharge|discharged(?:\s+on)?|` +
	`appointment\s+date|seen\s+on|` +
	`printed(?:\s+on)?|print\s+date|faxed|fax\s+date|received|date\s+received|generated|run\s+date|page\s+\d+|` +
	`electronically\s+signed|signed(?:\s+on)?|dictated|transcribed|date` +
	`)\b`)

func labelClass(label string) int {
	l := strings.ToLower(strings.Join(strings.Fields(label), " "))
	l = strings.ReplaceAll(l, ".", "")
	l = strings.ReplaceAll(l, " ", "")
	switch {
	case l == "dob" || strings.Contains(l, "birth") || l == "born":
		return labelBirth
	case strings.HasPrefix(l, "print") || strings.HasPrefix(l, "fax") || strings.Contains(l, "received") ||
		l == "generated" || l == "rundate" || strings.HasPrefix(l, "page"):
		return labelWeak
	case l == "date" || strings.Contains(l, "signed") || l == "dictated" || l == "transcribed":
		return labelGeneric
	}
	return labelDocument
}

// dateLabelOf classifies a date by the nearest label before it on its line (or at the end of the
// previous line when the date starts its line, as in tables), and gives the label itself, lower
// case without spaces or dots ("" for none).
func dateLabelOf(text string, start int) (int, string) {
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	prefix := text[lineStart:start]
	if strings.TrimSpace(prefix) == "" && lineStart > 0 {
		prev := text[:lineStart-1]
		prev = strings.TrimRight(prev, " \t\r\n")
		if i := strings.LastIndexByte(prev, '\n'); i >= 0 {
			prev = prev[i+1:]
		}
		prefix = prev + " "
	}
	if len(prefix) > 64 {
		prefix = prefix[len(prefix)-64:]
	}
	ms := labelRE().FindAllStringIndex(prefix, -1)
	if len(ms) == 0 {
		return labelNone, ""
	}
	last := ms[len(ms)-1]
	gap := prefix[last[1]:]
	// Only separators (and short words such as "on", "of", "/ time") between label and date.
	if len(strings.TrimSpace(gap)) > 14 || strings.ContainsAny(gap, "0123456789") {
		return labelNone, ""
	}
	label := prefix[last[0]:last[1]]
	key := strings.NewReplacer(" ", "", ".", "", "\t", "", "\n", "").Replace(strings.ToLower(label))
	return labelClass(label), key
}

// docDate picks the document date from the text of its first pages (see docDateMatch).
func docDate(pages []string, dob, now time.Time) (time.Time, bool) {
	m, ok := docDateMatch(pages, dob, now)
	return m.t, ok
}

// pageDate is the chosen document date and where it is: pages[page][start:end].
type pageDate struct {
	t                time.Time
	page, start, end int
}

// docDateMatch picks the document date from the text of its first pages: the best-labelled date,
// the first in the text on ties; never the patient's date of birth, a date labelled as a birth date,
// a date before the birth date or after now. Among labelled dates, the kind of document decides
// which label is its date (see docKindOf).
func docDateMatch(pages []string, dob, now time.Time) (pageDate, bool) {
	kind := docKindOf(strings.Join(pages, "\n"))
	var best pageDate
	bestRank := -1000
	limit := now.Add(36 * time.Hour)
	for pi, text := range pages {
		for _, m := range findDates(text, now) {
			if !dob.IsZero() && sameDay(m.t, dob) {
				continue
			}
			if m.t.After(limit) || (!dob.IsZero() && m.t.Before(dob)) {
				continue
			}
			c, label := dateLabelOf(text, m.start)
			if c == labelBirth {
				continue
			}
			if r := c*10 + kindBonus(kind, c, label); r > bestRank {
				best, bestRank = pageDate{m.t, pi, m.start, m.end}, r
			}
		}
		if bestRank >= labelDocument*10 {
			break
		}
	}
	return best, bestRank > -1000
}

// Kinds of document whose date is not simply their first labelled date.
const (
	kindOther     = ""
	kindDischarge = "discharge" // dated by the discharge: the last event it reports
	kindReport    = "report"    // imaging, pathology: the exam date, else the report or sign date
	kindNote      = "note"      // office, progress, consult notes: the visit date
)

var (
	reDischarge = lazyRegexp(`(?i)\bdischarge\s+summary\b`)
	reReport    = lazyRegexp(`(?i)\b(radiology|imaging|pathology|cytology|histology|surgical\s+pathology|ultrasound|mri|ct\s+scan|x-?ray|mammogra\w*|impression:|findings:|specimen|diagnosis:)`)
	reNote      = lazyRegexp(`(?i)\b(progress\s+note|office\s+(?:note|visit)|clinic\s+(?:note|visit)|consult(?:ation)?\s+note|visit\s+note|history\s+and\s+physical|h&p|chief\s+complaint)\b`)
)

// Words one of which a text must hold for the kind's pattern to match it (reNote's and reReport's
// alternatives each hold one): a pattern is run only over a text that has them, as patterns over the
// whole text of the first pages were a large part of a worker's time.
var (
	dischargeWords = []string{"discharge"}
	noteWords      = []string{"note", "visit", "history", "h&p", "complaint"}
	reportWords    = []string{
		"radiology", "imaging", "pathology", "cytology", "histology", "ultrasound", "mri", "scan", "ray",
		"mammogra", "impression:", "findings:", "specimen", "diagnosis:",
	}
)

// docKindOf guesses the kind of document from its first pages.
func docKindOf(text string) string {
	folded := foldCase(text)
	has := func(words []string) bool {
		for _, w := range words {
			if strings.Contains(folded, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has(dischargeWords) && reDischarge().MatchString(text):
		return kindDischarge
	case has(noteWords) && reNote().MatchString(text):
		return kindNote
	case has(reportWords) && reReport().MatchString(text):
		return kindReport
	}
	return kindOther
}

// foldCase lower-cases s as a (?i) pattern matches ASCII letters: besides their capitals, only the
// Kelvin sign (to k, as unicode.ToLower does) and the long s (ſ) fold to an ASCII letter.
func foldCase(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 'ſ' {
			return 's'
		}
		return unicode.ToLower(r)
	}, s)
}

// kindBonus ranks the labels within a class by what the kind of document is dated by.
func kindBonus(kind string, class int, label string) int {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(label, w) {
				return true
			}
		}
		return false
	}
	switch kind {
	case kindDischarge:
		if has("discharge") {
			return 5
		}
		if has("admi") {
			return -1 // the admission starts the stay; other dates in it come before it
		}
	case kindReport:
		if has("exam", "study", "procedure", "collect", "dateofservice", "dos") {
			return 5
		}
		// Report and sign dates date a report without an exam date, before the other dates.
		if has("report", "signed", "resulted", "dictated") {
			if class == labelGeneric {
				return 13 // lifts "signed" to just above the other document labels
			}
			return 3
		}
	case kindNote:
		if has("visit", "encounter", "seen", "dateofservice", "servicedate", "dos", "appointment") {
			return 5
		}
	}
	return 0
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// lazyRegexp compiles expr on first use: every process that links this package (the app, the CLI
// and each sandbox worker) would otherwise compile them all at start, used or not.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
