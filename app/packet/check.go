package packet

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/referraldesk/referraldesk/app"
)

// Reasons for page flags.
const (
	ReasonOtherName  = "names another patient"
	ReasonOtherDOB   = "shows another date of birth"
	ReasonOtherMRN   = "shows another MRN"
	ReasonNoIdentity = "neither the patient's name nor date of birth appears on this page"
)

var (
	reNameLabel = lazyRegexp(`(?im)(?:^|[^\p{L}])((?:patient|pt)\.?\s*(?:full\s+)?name|patient|pt|name)\s*:[ \t]*([^\n]*)`)
	reDOBLabel  = lazyRegexp(`(?i)\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|birthdate|born)\s*[:#]?[ \t]*([^\n]{0,40})`)
	reMRNLabel  = lazyRegexp(`(?i)\b(?:mrn|mr\s*#|medical\s+record\s*(?:number|no\.?|#)?|patient\s+id)\s*[:#]?[ \t]*([A-Za-z]*[0-9][A-Za-z0-9-]*)`)
	// Words before "Name:" that make it not the patient's name.
	otherNameOwner = lazyRegexp(`(?i)(provider|physician|doctor|dr|facility|company|insurance|insured|subscriber|guarantor|employer|contact|emergency|pharmacy|lab|laboratory|test|drug|medication|user|file|field|form|plan|clinic|hospital|practice|referring|ordering|attending|author|signer|parent|guardian|mother|father|spouse|relative|your|my|the|product|device|study|document|organization|program|course|first|last|middle|maiden|family|given|nick|preferred)\s*$`)
	reNameStop     = lazyRegexp(`(?i)(\s{2,}|\t|\b(?:dob|d\.o\.b|date|birth|mrn|sex|gender|age|id|acct|account|ssn|phone|address|room|bed|visit|encounter|provider|physician)\b|[0-9])`)
)

// checkPage returns the wrong-patient warnings for the text of one page. Pages with (almost) no
// text, such as scans without a text layer, get none.
func checkPage(text string, pt Patient) []string {
	letters := 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 20 {
		return nil
	}
	var reasons []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			reasons = append(reasons, s)
		}
	}
	family := lettersOnly(pt.Family)
	given := strings.Fields(app.Fold(pt.Given))

	// Another name next to a patient label.
	if family != "" {
		for _, m := range reNameLabel().FindAllStringSubmatchIndex(text, -1) {
			label := text[m[2]:m[3]]
			lineStart := strings.LastIndexByte(text[:m[2]], '\n') + 1
			if strings.EqualFold(strings.TrimSpace(label), "name") && otherNameOwner().MatchString(text[lineStart:m[2]]) {
				continue
			}
			val := text[m[4]:m[5]]
			if loc := reNameStop().FindStringIndex(val); loc != nil {
				val = val[:loc[0]]
			}
			val = strings.Trim(strings.TrimSpace(val), ",;:-")
			words := strings.FieldsFunc(val, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '-' })
			if len(words) < 2 || len(words) > 6 {
				continue // a single word or a sentence: not a name we can judge
			}
			v := lettersOnly(val)
			if strings.Contains(v, family) {
				continue
			}
			if len(given) > 0 && strings.Contains(v, lettersOnly(given[0])) && len(family) <= 2 {
				continue
			}
			add(fmt.Sprintf("%s (%q next to %q)", ReasonOtherName, clip(val, 40), strings.TrimSpace(label)+":"))
		}
	}

	// Another date of birth next to a DOB label.
	if !pt.DOB.IsZero() {
		for _, m := range reDOBLabel().FindAllStringSubmatchIndex(text, -1) {
			ds := findDates(text[m[2]:m[3]], time.Now())
			if len(ds) == 0 || ds[0].start > 6 {
				continue
			}
			if !sameDay(ds[0].t, pt.DOB) {
				add(fmt.Sprintf("%s (%s)", ReasonOtherDOB, ds[0].t.Format(time.DateOnly)))
			}
		}
	}

	// Another MRN next to an MRN label.
	if mrn := normMRN(pt.MRN); mrn != "" {
		for _, m := range reMRNLabel().FindAllStringSubmatch(text, -1) {
			if v := normMRN(m[1]); v != "" && v != mrn {
				add(fmt.Sprintf("%s (%s)", ReasonOtherMRN, clip(m[1], 24)))
			}
		}
	}

	// Neither identifier.
	if !hasIdentifier(text, pt) {
		add(ReasonNoIdentity)
	}
	return reasons
}

func hasIdentifier(text string, pt Patient) bool {
	if f := lettersOnly(pt.Family); len(f) >= 5 {
		if strings.Contains(lettersOnly(text), f) {
			return true
		}
	} else if f != "" {
		// Short names ("Doe", "Li") must stand as a word ("does" is not "Doe").
		for _, w := range strings.FieldsFunc(app.Fold(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if w == f {
				return true
			}
		}
	}
	// A date findDates reads has its year in ASCII digits, whose last two are the year's: a text
	// without the birth year's two digits holds no date of birth, and is not searched for dates
	// (most pages, and the search is most of the time spent here).
	if !pt.DOB.IsZero() && strings.Contains(text, fmt.Sprintf("%02d", pt.DOB.Year()%100)) {
		for _, d := range findDates(text, time.Now()) {
			if sameDay(d.t, pt.DOB) {
				return true
			}
		}
	}
	if mrn := normMRN(pt.MRN); len(mrn) >= 3 && strings.Contains(normMRN(text), mrn) {
		return true
	}
	return false
}

// lettersOnly folds s (case, accents) and keeps only its letters: "O'Brien-Núñez" → "obriennunez".
func lettersOnly(s string) string {
	f := app.Fold(s)
	var b strings.Builder
	for _, r := range f {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func normMRN(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return strings.TrimLeft(b.String(), "0")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
