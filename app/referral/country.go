package referral

import (
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
	"github.com/referraldesk/referraldesk/app/msg"
)

// Message codes of the address, phone and licence rules by country. Arguments named country are
// the country's code; the catalog writes its name.
var (
	CountryUnknown        = msg.Define("referral.country.unknown", "country")
	AddressNoneChecked    = msg.Define("referral.patient.no_address_checked", "state", "postal")
	AddressNoneFree       = msg.Define("referral.patient.no_address_free", "state", "postal")
	AddressStateInvalid   = msg.Define("referral.patient.state_invalid", "value", "state", "country")
	AddressPostalInvalid  = msg.Define("referral.patient.postal_invalid", "postal", "value", "example")
	PhoneInvalidIn        = msg.Define("referral.patient.phone_invalid_in", "phone", "country")
	LanguageUnknown       = msg.Define("referral.patient.language_unknown", "language")
	ProviderLicenceNation = msg.Define("referral.provider.licence_country_unknown", "provider", "country")

	// The names of an address's parts by country, as arguments of the messages above.
	PartProvince   = msg.Define("referral.address.province")
	PartRegion     = msg.Define("referral.address.region")
	PartZIP        = msg.Define("referral.address.zip")
	PartPostalCode = msg.Define("referral.address.postal_code")
)

// partNames are the names of the state and postal-code parts of an address in country.
func partNames(country string) (state, postal msg.Msg) {
	switch countryOr(country) {
	case "US":
		return msg.New(AddressState), msg.New(PartZIP)
	case "CA":
		return msg.New(PartProvince), msg.New(PartPostalCode)
	}
	return msg.New(PartRegion), msg.New(PartPostalCode)
}

// checkAddress checks an address by the rules of its country: street and city always; state and
// postal code required and checked where the country has them in a known form (US, Canada).
func checkAddress(a app.Address, add func(code msg.Code, args ...any)) {
	if _, ok := intl.LookupCountry(a.Country); !ok {
		add(CountryUnknown, a.Country)
	}
	rule := intl.Rule(a.Country)
	state, postal := partNames(a.Country)
	if blank(a.Line) && blank(a.City) && blank(a.State) && blank(a.PostalCode) {
		if rule.StateRequired {
			add(AddressNoneChecked, state, postal)
		} else {
			add(AddressNoneFree, state, postal)
		}
		return
	}
	var missing msg.And
	for _, part := range []struct {
		value    string
		name     msg.Msg
		required bool
	}{
		{a.Line, msg.New(AddressStreet), true},
		{a.City, msg.New(AddressCity), true},
		{a.State, state, rule.StateRequired},
		{a.PostalCode, postal, rule.PostalRequired},
	} {
		if part.required && blank(part.value) {
			missing = append(missing, part.name)
		}
	}
	if len(missing) > 0 {
		add(PatientAddressIncomplete, missing)
	}
	if rule.StateRequired && !blank(a.State) {
		if _, ok := intl.Subdivision(a.Country, a.State); !ok {
			add(AddressStateInvalid, a.State, state, msg.Country(countryOr(a.Country)))
		}
	}
	if rule.PostalRequired && !blank(a.PostalCode) && !intl.ValidPostal(a.Country, a.PostalCode) {
		add(AddressPostalInvalid, postal, a.PostalCode, rule.PostalExample)
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
func checkPhone(phone, country string, add func(code msg.Code, args ...any)) {
	if !intl.ValidPhone(phone, countryOr(country)) {
		add(PhoneInvalidIn, phone, msg.Country(countryOr(country)))
	}
}
