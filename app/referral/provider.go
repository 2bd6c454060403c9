package referral

import (
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
	"github.com/referraldesk/referraldesk/app/msg"
)

// Message codes of the provider form's checks.
var (
	ProviderFormNoName         = msg.Define("referral.provider_form.no_name")
	ProviderFormNPIInvalid     = msg.Define("referral.provider_form.npi_invalid")
	ProviderFormNoIdentifier   = msg.Define("referral.provider_form.no_identifier")
	ProviderFormNoLicenceNat   = msg.Define("referral.provider_form.no_licence_country")
	ProviderFormUSNeedsNPI     = msg.Define("referral.provider_form.us_needs_npi")
	ProviderFormLicenceNatBad  = msg.Define("referral.provider_form.licence_country_unknown")
	ProviderFormStateInvalid   = msg.Define("referral.provider_form.state_invalid", "state", "value", "country")
	ProviderFormPostalInvalid  = msg.Define("referral.provider_form.postal_invalid", "postal", "value", "example")
	ProviderFormPhoneInvalidIn = msg.Define("referral.provider_form.phone_invalid_in", "phone", "country")
)

// CheckProvider checks a provider as entered on the provider form: a name; an NPI (checked as
// now) or, for a provider outside the US, a licence number with the country that issued it; the
// practice's address and phone, which are optional, follow the rules of the practice's country
// (the licence's when none is chosen). Each message says what to fix.
func CheckProvider(p app.Provider) []msg.Msg {
	var out []msg.Msg
	add := func(c msg.Code, args ...any) { out = append(out, msg.New(c, args...)) }
	if blank(p.Family) || blank(p.Given) {
		add(ProviderFormNoName)
	}
	npi := strings.TrimSpace(p.NPI)
	switch {
	case npi != "" && !ValidNPI(npi):
		add(ProviderFormNPIInvalid)
	case npi == "" && blank(p.LicenceNumber):
		add(ProviderFormNoIdentifier)
	case npi == "" && blank(p.LicenceCountry):
		add(ProviderFormNoLicenceNat)
	case npi == "" && strings.EqualFold(strings.TrimSpace(p.LicenceCountry), "US"):
		add(ProviderFormUSNeedsNPI)
	}
	if !blank(p.LicenceCountry) {
		if _, ok := intl.LookupCountry(p.LicenceCountry); !ok {
			add(ProviderFormLicenceNatBad)
		}
	}
	country := p.PracticeAddress.Country
	if blank(country) {
		country = p.LicenceCountry
	}
	a := p.PracticeAddress
	rule := intl.Rule(country)
	state, postal := partNames(country)
	if rule.StateRequired && !blank(a.State) {
		if _, ok := intl.Subdivision(country, a.State); !ok {
			add(ProviderFormStateInvalid, state, strings.TrimSpace(a.State), msg.Country(countryOr(country)))
		}
	}
	if rule.PostalRequired && !blank(a.PostalCode) && !intl.ValidPostal(country, a.PostalCode) {
		add(ProviderFormPostalInvalid, postal, strings.TrimSpace(a.PostalCode), rule.PostalExample)
	}
	if !blank(p.PracticePhone) && !intl.ValidPhone(p.PracticePhone, countryOr(country)) {
		add(ProviderFormPhoneInvalidIn, strings.TrimSpace(p.PracticePhone), msg.Country(countryOr(country)))
	}
	return out
}

// NormalizeProvider stores what the form gave in the checked forms: country codes upper case,
// the US state or Canadian province as its code, the phone in E.164.
func NormalizeProvider(p app.Provider) app.Provider {
	p.NPI = strings.TrimSpace(p.NPI)
	p.LicenceNumber = strings.TrimSpace(p.LicenceNumber)
	p.LicenceAuthority = strings.TrimSpace(p.LicenceAuthority)
	p.LicenceCountry = strings.ToUpper(strings.TrimSpace(p.LicenceCountry))
	p.PracticeAddress = NormalizeAddress(p.PracticeAddress)
	country := p.PracticeAddress.Country
	if country == "" {
		country = p.LicenceCountry
	}
	if !blank(p.PracticePhone) {
		p.PracticePhone = intl.NormalizePhone(p.PracticePhone, countryOr(country))
	}
	return p
}

// NormalizeAddress trims the parts, upper-cases the country, writes a US state or Canadian
// province as its code and a Canadian postal code as "K1A 0B1".
func NormalizeAddress(a app.Address) app.Address {
	a.Line, a.City = strings.TrimSpace(a.Line), strings.TrimSpace(a.City)
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	a.State = strings.TrimSpace(a.State)
	if code, ok := intl.Subdivision(a.Country, a.State); ok && intl.Rule(a.Country).StateRequired {
		a.State = code
	}
	a.PostalCode = intl.NormalizePostal(a.Country, a.PostalCode)
	return a
}
