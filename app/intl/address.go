package intl

import (
	"regexp"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// AddressRule says what an address of one country must hold. Only the US and Canada have
// checked states and postal codes; elsewhere both are optional and free-form, since many
// countries have neither (El Salvador has no postal codes in use, for example).
type AddressRule struct {
	StateRequired  bool
	PostalRequired bool
	StateName      string // what the country calls it: "state", "province or territory"
	PostalName     string // "ZIP code", "postal code"
	PostalExample  string // shown when the code is wrong
}

// Rule is the address rule of a country (ISO alpha-2; empty is read as "US").
func Rule(country string) AddressRule {
	switch normCountry(country) {
	case "US":
		return AddressRule{true, true, "state", "ZIP code", "55905 or 55905-0001"}
	case "CA":
		return AddressRule{true, true, "province or territory", "postal code", "K1A 0B1"}
	}
	return AddressRule{StateName: "state or region", PostalName: "postal code"}
}

func normCountry(c string) string {
	c = strings.ToUpper(strings.TrimSpace(c))
	if c == "" {
		return "US"
	}
	return c
}

var (
	usZIP    = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)
	caPostal = regexp.MustCompile(`^[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]$`)
)

// ValidPostal reports whether postal is a postal code of country: checked for the US (5 digits or
// ZIP+4) and Canada (A1A 1A1), anything non-blank elsewhere.
func ValidPostal(country, postal string) bool {
	p := strings.ToUpper(strings.TrimSpace(postal))
	switch normCountry(country) {
	case "US":
		return usZIP.MatchString(p)
	case "CA":
		return caPostal.MatchString(p)
	}
	return p != ""
}

// NormalizePostal upper-cases a Canadian postal code and puts its space in ("k1a0b1" → "K1A 0B1").
func NormalizePostal(country, postal string) string {
	p := strings.TrimSpace(postal)
	if normCountry(country) == "CA" {
		p = strings.ToUpper(strings.ReplaceAll(p, " ", ""))
		if len(p) == 6 {
			p = p[:3] + " " + p[3:]
		}
	}
	return p
}

// Subdivision recognises a US state (DC, territories, military "states") or a Canadian province
// or territory by code or name and returns its code. For other countries it returns the text
// trimmed and true: their regions are free-form.
func Subdivision(country, s string) (string, bool) {
	s = strings.TrimSpace(s)
	var codes map[string]string
	switch normCountry(country) {
	case "US":
		codes = usStates
	case "CA":
		codes = caProvinces
	default:
		return s, true
	}
	if len(s) == 2 {
		c := strings.ToUpper(s)
		_, ok := codes[c]
		return c, ok
	}
	f := app.Fold(s)
	for code, name := range codes {
		if app.Fold(name) == f {
			return code, true
		}
	}
	switch f {
	case "virgin islands":
		return "VI", codes["VI"] != ""
	case "washington dc", "washington d.c.":
		return "DC", codes["DC"] != ""
	}
	return "", false
}

// usStates maps USPS codes to names: the states, DC, the territories and the military "states".
var usStates = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
	"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
	"KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
	"MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
	"MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
	"NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
	"OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
	"SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
	"VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
	"DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
	"AS": "American Samoa", "MP": "Northern Mariana Islands",
	"AA": "Armed Forces Americas", "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific",
}

// caProvinces maps Canada Post codes to the provinces and territories.
var caProvinces = map[string]string{
	"AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
	"NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
	"NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
	"SK": "Saskatchewan", "YT": "Yukon",
}
