package referral

import (
	"slices"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/intl"
	"github.com/referraldesk/referraldesk/app/msg"
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
	add := func(code msg.Code, args ...any) {
		ps = append(ps, Problem{Field: FieldPatient, Msg: msg.New(code, args...)})
	}
	if blank(p.Family) {
		add(PatientNoFamily)
	}
	if blank(p.Given) {
		add(PatientNoGiven)
	}

	switch birthProblem(p.BirthDate, now) {
	case birthMissing:
		add(PatientNoBirthDate)
	case birthFuture:
		add(PatientBirthFuture, msg.Date(p.BirthDate))
	case birthTooOld:
		add(PatientBirthTooOld, msg.Date(p.BirthDate), MaxAgeYears)
	}

	switch {
	case p.Sex == "":
		add(PatientNoSex)
	case !slices.Contains(app.Sexes, p.Sex):
		add(PatientSexUnknown, string(p.Sex), sexNames())
	}

	a := p.Address
	if !blank(a.Country) {
		checkAddress(a, add) // by the rules of the chart's country; below: charts without one
	} else if blank(a.Line) && blank(a.City) && blank(a.State) && blank(a.PostalCode) {
		add(PatientNoAddress)
	} else {
		var missing msg.And
		for _, part := range []struct {
			value string
			name  msg.Code
		}{
			{a.Line, AddressStreet}, {a.City, AddressCity}, {a.State, AddressState}, {a.PostalCode, AddressPostalCode},
		} {
			if blank(part.value) {
				missing = append(missing, msg.New(part.name))
			}
		}
		if len(missing) > 0 {
			add(PatientAddressIncomplete, missing)
		}
		if _, us := institution.USState(a.State); us && !blank(a.PostalCode) && !institution.ValidZIP(strings.TrimSpace(a.PostalCode)) {
			add(PatientZIPInvalid, a.PostalCode)
		}
	}

	switch {
	case blank(p.Phone):
		add(PatientNoPhone)
	case !blank(a.Country):
		checkPhone(p.Phone, a.Country, add)
	case !institution.ValidPhone(p.Phone):
		add(PatientPhoneInvalid, p.Phone)
	}

	if !blank(p.Language) {
		if _, ok := intl.LookupLanguage(p.Language); !ok {
			add(LanguageUnknown, p.Language)
		}
	}

	switch {
	case blank(p.InsuranceType):
		add(PatientNoInsurance)
	case prof != nil && len(prof.InsuranceTypes) > 0:
		if _, ok := prof.InsuranceType(p.InsuranceType); !ok {
			add(PatientInsuranceUnknown, p.InsuranceType, insuranceChoices(prof))
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

func sexNames() msg.Or {
	out := make(msg.Or, len(app.Sexes))
	for i, s := range app.Sexes {
		out[i] = string(s)
	}
	return out
}

// insuranceChoices names the profile's insurance types, or points to the list when long.
func insuranceChoices(prof *institution.Profile) any {
	if len(prof.InsuranceTypes) > 10 {
		return msg.New(InsuranceFromList)
	}
	names := make(msg.Or, len(prof.InsuranceTypes))
	for i, t := range prof.InsuranceTypes {
		names[i] = t.Name
	}
	return names
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
