package referral

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/intl"
)

// MaxAgeYears is the oldest a date of birth may be before the chart check calls it a mistake.
const MaxAgeYears = 130

// CheckPatient checks the chart's required fields, in chart order: legal last and first name,
// date of birth, sex, address, phone and insurance type. The registration number (MRN) is
// optional. now is today for the date-of-birth checks; prof, which may be nil, gives the list of
// insurance types (without one any non-blank type is accepted). Every problem has Field
// FieldPatient.
func CheckPatient(p app.Patient, now time.Time, prof *institution.Profile) []Problem {
	if now.IsZero() {
		now = time.Now()
	}
	var ps []Problem
	add := func(format string, args ...any) {
		ps = append(ps, Problem{Field: FieldPatient, Message: fmt.Sprintf(format, args...)})
	}
	if blank(p.Family) {
		add("Enter the patient's legal last name, as on an ID.")
	}
	if blank(p.Given) {
		add("Enter the patient's legal first name, as on an ID.")
	}

	switch birthProblem(p.BirthDate, now) {
	case birthMissing:
		add("Enter the patient's date of birth.")
	case birthFuture:
		add("The date of birth %s is in the future. Check the date.", p.BirthDate.Format(app.DateLayout))
	case birthTooOld:
		add("The date of birth %s is more than %d years ago. Check the year.", p.BirthDate.Format(app.DateLayout), MaxAgeYears)
	}

	switch {
	case p.Sex == "":
		add("Choose the patient's sex.")
	case !slices.Contains(app.Sexes, p.Sex):
		add("The patient's sex %q is not one of the choices. Choose %s.", p.Sex, orList(sexNames()))
	}

	a := p.Address
	if !blank(a.Country) {
		checkAddress(a, add) // by the rules of the chart's country; below: charts without one
	} else if blank(a.Line) && blank(a.City) && blank(a.State) && blank(a.PostalCode) {
		add("Enter the patient's address: street, city, state and ZIP code.")
	} else {
		var missing []string
		for _, part := range []struct{ value, name string }{
			{a.Line, "street"}, {a.City, "city"}, {a.State, "state"}, {a.PostalCode, "ZIP or postal code"},
		} {
			if blank(part.value) {
				missing = append(missing, part.name)
			}
		}
		if len(missing) > 0 {
			add("The patient's address has no %s. Complete the address.", andList(missing))
		}
		if _, us := institution.USState(a.State); us && !blank(a.PostalCode) && !institution.ValidZIP(strings.TrimSpace(a.PostalCode)) {
			add("The ZIP code %q is not valid. Use 5 digits (55905) or ZIP+4 (55905-0001).", a.PostalCode)
		}
	}

	switch {
	case blank(p.Phone):
		add("Enter the patient's phone number.")
	case !blank(a.Country):
		checkPhone(p.Phone, a.Country, add)
	case !institution.ValidPhone(p.Phone):
		add("The phone number %q is not valid. Enter 10 digits for a US number (507-555-0100), or + and the country code for another country.", p.Phone)
	}

	if !blank(p.Language) {
		if _, ok := intl.LookupLanguage(p.Language); !ok {
			add("The preferred language %q is not a language code. Choose the language from the list.", p.Language)
		}
	}

	switch {
	case blank(p.InsuranceType):
		add("Choose the patient's insurance type.")
	case prof != nil && len(prof.InsuranceTypes) > 0:
		if _, ok := prof.InsuranceType(p.InsuranceType); !ok {
			add("The insurance type %q is not on the list. Choose %s.", p.InsuranceType, insuranceChoices(prof))
		}
	}
	return ps
}

type birthCheck int

const (
	birthOK birthCheck = iota
	birthMissing
	birthFuture
	birthTooOld
)

// birthProblem compares calendar days, so a birth date stored at midnight UTC is read as the
// day it names whatever now's zone.
func birthProblem(birth, now time.Time) birthCheck {
	if birth.IsZero() {
		return birthMissing
	}
	by, bm, bd := birth.Date()
	ny, nm, nd := now.Date()
	b := by*10000 + int(bm)*100 + bd
	today := ny*10000 + int(nm)*100 + nd
	switch {
	case b > today:
		return birthFuture
	case b < today-MaxAgeYears*10000:
		return birthTooOld
	}
	return birthOK
}

func sexNames() []string {
	out := make([]string, len(app.Sexes))
	for i, s := range app.Sexes {
		out[i] = string(s)
	}
	return out
}

// insuranceChoices names the profile's insurance types, or points to the list when long.
func insuranceChoices(prof *institution.Profile) string {
	if len(prof.InsuranceTypes) > 10 {
		return "one from the list"
	}
	names := make([]string, len(prof.InsuranceTypes))
	for i, t := range prof.InsuranceTypes {
		names[i] = t.Name
	}
	return orList(names)
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// orList writes "a", "a or b", "a, b or c".
func orList(items []string) string { return joinList(items, "or") }

// andList writes "a", "a and b", "a, b and c".
func andList(items []string) string { return joinList(items, "and") }

func joinList(items []string, word string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + word + " " + items[len(items)-1]
}
