package intl

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/referraldesk/referraldesk/app"
)

// iso3166 are the officially assigned ISO 3166-1 alpha-2 codes (249). x/text knows more regions
// (EU, UN, XK, ...), which are not countries an address can name, so the list is kept here.
const iso3166 = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG
EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT
LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO
NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ
SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`

// Country is one ISO 3166-1 country.
type Country struct {
	Code string // alpha-2, upper case
	Name string // English name (from golang.org/x/text)
}

var (
	countriesOnce sync.Once
	countries     []Country
	countryIndex  map[string]int
)

func loadCountries() {
	countriesOnce.Do(func() {
		names := display.English.Regions()
		for _, code := range strings.Fields(iso3166) {
			name := code
			if r, err := language.ParseRegion(code); err == nil {
				if n := names.Name(r); n != "" {
					name = n
				}
			}
			countries = append(countries, Country{Code: code, Name: name})
		}
		// Folded names sort "Åland Islands" with the A's and "Côte d’Ivoire" with the C's, without
		// x/text/collate (its tables add more than a megabyte to the program).
		slices.SortFunc(countries, func(a, b Country) int { return strings.Compare(app.Fold(a.Name), app.Fold(b.Name)) })
		countryIndex = make(map[string]int, len(countries))
		for i, k := range countries {
			countryIndex[k.Code] = i
		}
	})
}

// Countries lists every ISO 3166-1 country, sorted by English name. The slice is shared: do not
// modify it.
func Countries() []Country {
	loadCountries()
	return countries
}

// LookupCountry finds a country by its alpha-2 code (any case, spaces trimmed).
func LookupCountry(code string) (Country, bool) {
	loadCountries()
	i, ok := countryIndex[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Country{}, false
	}
	return countries[i], true
}

// CountryName is the country's English name, or the code itself when it is not a known country.
func CountryName(code string) string {
	if c, ok := LookupCountry(code); ok {
		return c.Name
	}
	return code
}

// CountryLabel is "El Salvador (SV)", the form a chooser lists; ParseCountryLabel reads it back.
func CountryLabel(code string) string {
	c, ok := LookupCountry(code)
	if !ok {
		return code
	}
	return c.Name + " (" + c.Code + ")"
}

// countryAliases are other ways records name countries (C-CDA and FHIR exports write
// "USA" or "United States of America" as often as "US").
var countryAliases = map[string]string{
	"USA": "US", "U.S.": "US", "U.S.A.": "US", "UNITED STATES OF AMERICA": "US", "CAN": "CA", "MEX": "MX",
	"SLV": "SV", "GTM": "GT", "HND": "HN", "CHN": "CN", "GBR": "GB", "UK": "GB",
}

// ParseCountryLabel reads a code from a CountryLabel, a bare code, a common alias ("USA") or an
// English name.
func ParseCountryLabel(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if c, ok := countryAliases[strings.ToUpper(s)]; ok {
		return c, true
	}
	if i := strings.LastIndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		s = s[i+1 : len(s)-1]
	}
	if c, ok := LookupCountry(s); ok {
		return c.Code, true
	}
	for _, c := range Countries() {
		if strings.EqualFold(c.Name, s) {
			return c.Code, true
		}
	}
	return "", false
}

// CountryLabels lists CountryLabel for every country, in Countries order.
func CountryLabels() []string {
	cs := Countries()
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name + " (" + c.Code + ")"
	}
	return out
}
