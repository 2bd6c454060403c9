package referral

import (
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
)

// checkAddress checks an address by the rules of its country: street and city always; state and
// postal code required and checked where the country has them in a known form (US, Canada).
func checkAddress(a app.Address, add func(format string, args ...any)) {
	if _, ok := intl.LookupCountry(a.Country); !ok {
		add("The country %q is not a country. Choose the patient's country from the list.", a.Country)
	}
	rule := intl.Rule(a.Country)
	if blank(a.Line) && blank(a.City) && blank(a.State) && blank(a.PostalCode) {
		if rule.StateRequired {
			add("Enter the patient's address: street, city, %s and %s.", rule.StateName, rule.PostalName)
		} else {
			add("Enter the patient's address: street and city (%s and %s if the address has them).", rule.StateName, rule.PostalName)
		}
		return
	}
	var missing []string
	for _, part := range []struct {
		value, name string
		required    bool
	}{
		{a.Line, "street", true},
		{a.City, "city", true},
		{a.State, rule.StateName, rule.StateRequired},
		{a.PostalCode, rule.PostalName, rule.PostalRequired},
	} {
		if part.required && blank(part.value) {
			missing = append(missing, part.name)
		}
	}
	if len(missing) > 0 {
		add("The patient's address has no %s. Complete the address.", andList(missing))
	}
	if rule.StateRequired && !blank(a.State) {
		if _, ok := intl.Subdivision(a.Country, a.State); !ok {
			add("%q is not a %s of %s. Use its two-letter code.", a.State, rule.StateName, intl.CountryName(countryOr(a.Country)))
		}
	}
	if rule.PostalRequired && !blank(a.PostalCode) && !intl.ValidPostal(a.Country, a.PostalCode) {
		add("The %s %q is not valid. Use %s.", rule.PostalName, a.PostalCode, rule.PostalExample)
	}
}

// countryOr reads an empty country as the US, as charts were before countries were recorded.
func countryOr(c string) string {
	if blank(c) {
		return "US"
	}
	return strings.ToUpper(strings.TrimSpace(c))
}

// checkPhone checks a phone number as a number of the chart's country (or with + and its own
// country code).
func checkPhone(phone, country string, add func(format string, args ...any)) {
	if !intl.ValidPhone(phone, countryOr(country)) {
		add("The phone number %q is not a valid number of %s. For a number of another country, enter + and the country code (+503 2222 3333).", phone, intl.CountryName(countryOr(country)))
	}
}
