package institution

import (
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app/intl"
)

// International is what the institution publishes for patients and physicians abroad: its
// international office lines and its representative offices in other countries.
type International struct {
	Label                 string                 `json:"label"` // e.g. "International Patient Services"
	Note                  string                 `json:"note,omitempty"`
	Contacts              []Contact              `json:"contacts,omitempty"`
	RepresentativeOffices []RepresentativeOffice `json:"representative_offices,omitempty"`
	Source                string                 `json:"source,omitempty"`
}

// RepresentativeOffice is an office in another country that helps its residents with
// appointments and travel. The institution may publish only that it exists: its contact fields
// are all optional.
type RepresentativeOffice struct {
	Country string `json:"country"` // ISO 3166-1 alpha-2
	City    string `json:"city,omitempty"`
	Label   string `json:"label"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	URL     string `json:"url,omitempty"`
	Note    string `json:"note,omitempty"`
	Source  string `json:"source,omitempty"`
}

// HomeCountry is the institution's country (ISO alpha-2), "US" when the profile names none.
func (p *Profile) HomeCountry() string {
	if p == nil || strings.TrimSpace(p.Country) == "" {
		return "US"
	}
	return strings.ToUpper(strings.TrimSpace(p.Country))
}

// IsInternational reports whether an order is international: one of the given countries (the
// patient's, the referring practice's) is known and is not the institution's. Unknown (empty)
// countries do not count.
func (p *Profile) IsInternational(countries ...string) bool {
	home := p.HomeCountry()
	for _, c := range countries {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" && c != home {
			return true
		}
	}
	return false
}

// Lines are the phone and fax to use for a referral to the location: its international lines
// for an international order (each when the profile has it), else its referral phone and fax.
func (l Location) Lines(international bool) (phone, fax string) {
	phone, fax = l.ReferralPhone, l.Fax
	if international {
		if l.InternationalPhone != "" {
			phone = l.InternationalPhone
		}
		if l.InternationalFax != "" {
			fax = l.InternationalFax
		}
	}
	return phone, fax
}

// RepresentativeOffices lists the offices in a country (all of them for "").
func (p *Profile) RepresentativeOffices(country string) []RepresentativeOffice {
	if p == nil || p.International == nil {
		return nil
	}
	var out []RepresentativeOffice
	for _, o := range p.International.RepresentativeOffices {
		if country == "" || strings.EqualFold(o.Country, strings.TrimSpace(country)) {
			out = append(out, o)
		}
	}
	return out
}

func (p *Profile) validateInternational(v *validator) {
	if p.Country != "" {
		if _, ok := intl.LookupCountry(p.Country); !ok {
			v.add("country", p.Country, "is not an ISO 3166-1 alpha-2 country code (US, CA, …)")
		}
	}
	in := p.International
	if in == nil {
		return
	}
	v.required("international.label", in.Label)
	v.contacts("international.contacts", in.Contacts, false)
	for i, o := range in.RepresentativeOffices {
		at := fmt.Sprintf("international.representative_offices[%d]", i)
		if v.required(at+".country", o.Country) {
			if _, ok := intl.LookupCountry(o.Country); !ok {
				v.add(at+".country", o.Country, "is not an ISO 3166-1 alpha-2 country code")
			}
		}
		v.required(at+".label", o.Label)
		v.phone(at+".phone", o.Phone, false)
		if o.Email != "" && !validEmail(o.Email) {
			v.add(at+".email", o.Email, msgBadEmail)
		}
		if o.URL != "" && !validURL(o.URL) {
			v.add(at+".url", o.URL, msgBadURL)
		}
	}
}
