package dicom

import (
	"strings"
	"unicode"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/msg"
)

// Codes name what a Match or Problem found without patient data, so they may be logged.
const (
	CodeName            = "name"              // names differ
	CodeNameOrder       = "name_order"        // first and last names swapped
	CodeNameInitial     = "name_initial"      // first name only as an initial
	CodeNameMissing     = "name_missing"      // the images carry no name
	CodeBirthDate       = "birth_date"        // birth dates differ
	CodePatientID       = "patient_id"        // the images' patient ID differs from the MRN
	CodeUnproven        = "identity_unproven" // neither birth date nor ID could be compared
	CodeSeveralPatients = "several_patients"  // the selection holds more than one patient
	CodeMixedStudy      = "mixed_study"       // one study names more than one patient
)

// Message codes of the reasons a study does not match the order's patient. Arguments images and
// order are the name (or birth date, or ID) in the images and on the order.
var (
	ReasonNameMissing     = msg.Define("dicom.match.name_missing")
	ReasonNameOrder       = msg.Define("dicom.match.name_order", "images", "order")
	ReasonNameInitial     = msg.Define("dicom.match.name_initial", "images", "order")
	ReasonName            = msg.Define("dicom.match.name", "images", "order")
	ReasonBirthDate       = msg.Define("dicom.match.birth_date", "images", "order")
	ReasonPatientID       = msg.Define("dicom.match.patient_id", "images", "order")
	ReasonUnproven        = msg.Define("dicom.match.unproven")
	ReasonMixedStudy      = msg.Define("dicom.match.mixed_study", "n")
	ReasonSeveralPatients = msg.Define("dicom.match.several_patients", "n")
)

// Match is the result of comparing the order's patient with the patient in the images.
//
// Reasons are messages quoting the differing values, for the user to read: they are patient
// data and must never be logged. Codes say the same without data and may be.
type Match struct {
	OK      bool
	Reasons []msg.Msg
	Codes   []string
}

func (m *Match) add(code string, reason msg.Code, args ...any) {
	m.Codes = append(m.Codes, code)
	m.Reasons = append(m.Reasons, msg.New(reason, args...))
}

// personName is a name split into a family name and given names, normalised for comparison.
type personName struct {
	family string   // letters and digits only, folded
	given  []string // each given/middle name, folded, letters and digits only
	// loose: written without ^ or comma ("Jane Doe"), so the order of the parts is unknown.
	loose  bool
	tokens []string // every part, for loose comparison
}

// norm folds case and accents and keeps letters and digits: "O'Brien-Núñez" → "obriennunez".
func norm(s string) string {
	s = app.Fold(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func normTokens(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(app.Fold(s), func(r rune) bool { return r == ' ' || r == '-' || r == '^' || r == ',' }) {
		if n := norm(f); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// parsePN reads a DICOM person name: Family^Given^Middle^Prefix^Suffix, and, in badly-made
// files, "Last, First" or "Given Family".
func parsePN(s string) personName {
	if i := strings.IndexByte(s, '='); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	var family, given string
	loose := false
	switch {
	case strings.Contains(s, "^"):
		parts := strings.Split(s, "^")
		family = parts[0]
		if len(parts) > 1 {
			given = parts[1]
		}
		if len(parts) > 2 {
			given += " " + parts[2]
		}
	case strings.Contains(s, ","):
		family, given, _ = strings.Cut(s, ",")
	default:
		loose = true
	}
	pn := personName{family: norm(family), given: normTokens(given), loose: loose, tokens: normTokens(s)}
	if loose {
		pn.family = ""
	}
	return pn
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
		if count[x] < 0 {
			return false
		}
	}
	return true
}

// compareNames returns "" when the names match, else a code.
func compareNames(p app.Patient, pn personName) string {
	family := norm(p.Family)
	given := normTokens(p.Given)
	if pn.loose {
		if len(pn.tokens) == 0 {
			return CodeNameMissing
		}
		// Order unknown: the same parts, or the family name plus the first given name.
		all := append(normTokens(p.Family), given...)
		if sameSet(all, pn.tokens) {
			return ""
		}
		if len(given) > 0 && len(pn.tokens) >= 2 {
			first, last := pn.tokens[0], pn.tokens[len(pn.tokens)-1]
			if (last == family && first == given[0]) || (first == family && last == given[0]) {
				return ""
			}
		}
		return CodeName
	}
	if pn.family == "" && len(pn.given) == 0 {
		return CodeNameMissing
	}
	if pn.family == family {
		switch {
		case len(given) == 0 && len(pn.given) == 0:
			return ""
		case len(given) == 0 || len(pn.given) == 0:
			return CodeName
		case pn.given[0] == given[0]:
			return ""
		case len(pn.given[0]) == 1 && strings.HasPrefix(given[0], pn.given[0]):
			return CodeNameInitial
		}
		return CodeName
	}
	// Swapped: DICOM family holds the first name and vice versa.
	if len(given) > 0 && len(pn.given) > 0 && pn.family == given[0] && pn.given[0] == family {
		return CodeNameOrder
	}
	return CodeName
}

// normID compares patient IDs regardless of case, spaces, dashes and leading zeros.
func normID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		if r != ' ' && r != '-' {
			b.WriteRune(r)
		}
	}
	out := strings.TrimLeft(b.String(), "0")
	if out == "" && b.Len() > 0 {
		return "0"
	}
	return out
}

// digits keeps the digits of a date ("1971.01.23" from old files → "19710123").
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// showDate writes YYYYMMDD as YYYY-MM-DD for the user.
func showDate(d string) string {
	if len(d) == 8 {
		return d[:4] + "-" + d[4:6] + "-" + d[6:]
	}
	return d
}

// ShowName writes a DICOM person name the way people read it: "DOE^JANE^M" → "DOE, JANE M".
func ShowName(pn string) string {
	if i := strings.IndexByte(pn, '='); i >= 0 {
		pn = pn[:i]
	}
	if !strings.Contains(pn, "^") {
		return strings.TrimSpace(pn)
	}
	parts := strings.Split(pn, "^")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	rest := strings.Join(strings.Fields(strings.Join(parts[1:], " ")), " ")
	if rest == "" {
		return parts[0]
	}
	return parts[0] + ", " + rest
}

// MatchPatient compares the order's patient with the patient named in the images. The
// name must match (case, accents, punctuation and name order conventions aside), no
// compared field may differ, and the birth date or the ID (against p.MRN, when set) must
// match: a name alone does not prove identity. See Match for what may be logged.
func MatchPatient(p app.Patient, sp PatientInfo) Match {
	var m Match
	order := p.DisplayName()
	switch code := compareNames(p, parsePN(sp.Name)); code {
	case "":
	case CodeNameMissing:
		m.add(code, ReasonNameMissing)
	case CodeNameOrder:
		m.add(code, ReasonNameOrder, ShowName(sp.Name), order)
	case CodeNameInitial:
		m.add(code, ReasonNameInitial, ShowName(sp.Name), order)
	default:
		m.add(code, ReasonName, ShowName(sp.Name), order)
	}

	proven := false
	bd := digits(sp.BirthDate)
	if !p.BirthDate.IsZero() && bd != "" {
		want := p.BirthDate.Format("20060102")
		if bd == want {
			proven = true
		} else {
			m.add(CodeBirthDate, ReasonBirthDate, showDate(bd), showDate(want))
		}
	}
	if strings.TrimSpace(p.MRN) != "" && strings.TrimSpace(sp.ID) != "" {
		if normID(p.MRN) == normID(sp.ID) {
			proven = true
		} else {
			m.add(CodePatientID, ReasonPatientID, sp.ID, p.MRN)
		}
	}
	if !proven && len(m.Codes) == 0 {
		m.add(CodeUnproven, ReasonUnproven)
	}
	m.OK = len(m.Codes) == 0
	return m
}

// Problem is why a selected study may not be uploaded until the user confirms it.
// Reasons hold patient data (show, never log); Codes do not.
type Problem struct {
	StudyUID string
	Reasons  []msg.Msg
	Codes    []string
}

// CheckSelection checks the studies the user selected against the order's patient. It
// returns one Problem per study that needs the user's confirmation (with a reason for the
// audit log) before upload: a patient mismatch, a study naming several patients, or a
// selection holding studies of more than one patient (then every study is flagged).
func CheckSelection(p app.Patient, studies []Study) []Problem {
	keys := map[string]bool{}
	for _, s := range studies {
		keys[patientKey(s.Patient)] = true
		for _, o := range s.OtherPatients {
			keys[patientKey(o)] = true
		}
	}
	var out []Problem
	for _, s := range studies {
		pr := Problem{StudyUID: s.UID}
		m := MatchPatient(p, s.Patient)
		pr.Reasons = append(pr.Reasons, m.Reasons...)
		pr.Codes = append(pr.Codes, m.Codes...)
		if len(s.OtherPatients) > 0 {
			pr.Codes = append(pr.Codes, CodeMixedStudy)
			pr.Reasons = append(pr.Reasons, msg.New(ReasonMixedStudy, len(s.OtherPatients)+1))
		}
		if len(keys) > 1 {
			pr.Codes = append(pr.Codes, CodeSeveralPatients)
			pr.Reasons = append(pr.Reasons, msg.New(ReasonSeveralPatients, len(keys)))
		}
		if len(pr.Codes) > 0 {
			out = append(out, pr)
		}
	}
	return out
}
