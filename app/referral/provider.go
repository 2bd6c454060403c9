package referral

import (
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
)

// CheckProvider checks a provider as entered on the provider form: a name; an NPI (checked as
// now) or, for a provider outside the US, a licence number with the country that issued it; the
// practice's address and phone, which are optional, follow the rules of the practice's country
// (the licence's when none is chosen). Each message says what to fix.
func CheckProvider(p app.Provider) []string {
	var out []string
	if blank(p.Family) || blank(p.Given) {
		out = append(out, "Enter the provider's last and first name.")
	}
	npi := strings.TrimSpace(p.NPI)
	switch {
	case npi != "" && !ValidNPI(npi):
		out = append(out, "The NPI must be 10 digits with a correct check digit; check it against the NPPES registry.")
	case npi == "" && blank(p.LicenceNumber):
		out = append(out, "Enter the provider's NPI (US), or for a provider outside the US the licence number and the country that issued it.")
	case npi == "" && blank(p.LicenceCountry):
		out = append(out, "Choose the country that issued the licence.")
	case npi == "" && strings.EqualFold(strings.TrimSpace(p.LicenceCountry), "US"):
		out = append(out, "A provider licensed in the US needs an NPI. Enter the 10-digit NPI.")
	}
	if !blank(p.LicenceCountry) {
		if _, ok := intl.LookupCountry(p.LicenceCountry); !ok {
			out = append(out, "The licence country is not a country. Choose it from the list.")
		}
	}
	country := p.PracticeAddress.Country
	if blank(country) {
		country = p.LicenceCountry
	}
	a := p.PracticeAddress
	rule := intl.Rule(country)
	if rule.StateRequired && !blank(a.State) {
		if _, ok := intl.Subdivision(country, a.State); !ok {
			out = append(out, "The practice's "+rule.StateName+" \""+strings.TrimSpace(a.State)+"\" is not one of "+intl.CountryName(countryOr(country))+"; use its two-letter code.")
		}
	}
	if rule.PostalRequired && !blank(a.PostalCode) && !intl.ValidPostal(country, a.PostalCode) {
		out = append(out, "The practice's "+rule.PostalName+" \""+strings.TrimSpace(a.PostalCode)+"\" is not valid. Use "+rule.PostalExample+".")
	}
	if !blank(p.PracticePhone) && !intl.ValidPhone(p.PracticePhone, countryOr(country)) {
		out = append(out, "The practice phone \""+strings.TrimSpace(p.PracticePhone)+"\" is not a valid number of "+intl.CountryName(countryOr(country))+". For another country, enter + and the country code.")
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
