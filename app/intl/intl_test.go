package intl

import (
	"errors"
	"testing"
)

func TestCountries(t *testing.T) {
	cs := Countries()
	if len(cs) != 249 {
		t.Fatalf("%d countries, want the 249 of ISO 3166-1", len(cs))
	}
	for _, c := range cs {
		if c.Name == "" || c.Name == c.Code {
			t.Errorf("country %s has no name", c.Code)
		}
	}
	if n := CountryName("sv"); n != "El Salvador" {
		t.Fatalf("SV is %q", n)
	}
	if c, ok := ParseCountryLabel(CountryLabel("CA")); !ok || c != "CA" {
		t.Fatalf("label round trip %q %v", c, ok)
	}
	if _, ok := LookupCountry("EU"); ok {
		t.Fatal("EU is not an ISO 3166-1 country")
	}
}

func TestPhones(t *testing.T) {
	for _, c := range []struct{ in, country, want string }{
		{"+503 2222 3333", "", "+50322223333"},
		{"2222 3333", "SV", "+50322223333"},
		{"(507) 284-2511", "US", "+15072842511"},
		{"507-284-2511", "", "+15072842511"},
		{"+44 20 7946 0018", "US", "+442079460018"},
		{"+1(555)555-2003", "US", "+15555552003"}, // fictitious, but of the full length: kept
		{"(155) 555-2003", "US", ""},              // no area code starts with 1
		{"555-0100", "US", ""},                    // local only: the area code is missing
		{"+503 2222", "", ""},
		{"123-4567", "US", ""},
		{"phone me", "US", ""},
	} {
		got, err := ParsePhone(c.in, c.country)
		if c.want == "" {
			if !errors.Is(err, ErrPhone) {
				t.Errorf("%q: %q, %v; want ErrPhone", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q (%s): %q, %v; want %q", c.in, c.country, got, err, c.want)
		}
	}
	if d := DisplayPhone("+50322223333", "SV"); d != "2222 3333" {
		t.Errorf("national SV %q", d)
	}
	if d := DisplayPhone("+50322223333", "US"); d != "+503 2222 3333" {
		t.Errorf("SV seen from the US %q", d)
	}
	if d := DisplayPhone("+15072842511", "US"); d != "(507) 284-2511" {
		t.Errorf("US %q", d)
	}
	if d := DisplayPhone("+15555552003", "US"); d != "(555) 555-2003" {
		t.Errorf("fictitious US %q", d)
	}
	if d := DisplayPhone("call the desk", "US"); d != "call the desk" {
		t.Errorf("text %q", d)
	}
	if PhoneCountry("+50322223333") != "SV" {
		t.Error("phone country")
	}
}

func TestAddressRules(t *testing.T) {
	if r := Rule("sv"); r.StateRequired || r.PostalRequired {
		t.Fatalf("SV rule %+v", r)
	}
	if r := Rule(""); !r.StateRequired || !r.PostalRequired {
		t.Fatalf("empty country is read as US: %+v", r)
	}
	for _, c := range []struct {
		country, postal string
		ok              bool
	}{
		{"US", "55905", true},
		{"US", "55905-0001", true},
		{"US", "5590", false},
		{"CA", "K1A 0B1", true},
		{"CA", "k1a0b1", true},
		{"CA", "55905", false},
		{"SV", "CP 1101", true},
		{"GB", "SW1A 1AA", true},
	} {
		if ValidPostal(c.country, c.postal) != c.ok {
			t.Errorf("%s %q: want %v", c.country, c.postal, c.ok)
		}
	}
	if NormalizePostal("CA", "k1a0b1") != "K1A 0B1" {
		t.Error("CA postal normalisation")
	}
	if c, ok := Subdivision("CA", "Quebec"); !ok || c != "QC" {
		t.Errorf("Quebec %q %v", c, ok)
	}
	if _, ok := Subdivision("US", "Ontario"); ok {
		t.Error("Ontario accepted as a US state")
	}
	if c, ok := Subdivision("US", "minnesota"); !ok || c != "MN" {
		t.Errorf("minnesota %q %v", c, ok)
	}
	if c, ok := Subdivision("SV", "San Salvador"); !ok || c != "San Salvador" {
		t.Errorf("free-form region %q %v", c, ok)
	}
}

func TestLanguages(t *testing.T) {
	want := map[string]string{"es": "español", "zh-Hans": "简体中文", "vi": "Tiếng Việt", "ar": "العربية", "ht": "Kreyòl ayisyen"}
	seen := 0
	for _, l := range Languages() {
		if n, ok := want[l.Tag]; ok {
			seen++
			if l.Name != n {
				t.Errorf("%s is named %q, want %q", l.Tag, l.Name, n)
			}
		}
		if tag, ok := ParseLanguageLabel(LanguageLabel(l.Tag)); !ok || tag != l.Tag {
			t.Errorf("label round trip of %s: %q %v", l.Tag, tag, ok)
		}
	}
	if seen != len(want) {
		t.Fatalf("saw %d of %d languages", seen, len(want))
	}
	if _, ok := LookupLanguage("not a tag!"); ok {
		t.Error("garbage accepted as a language")
	}
}

func TestCountriesSortedByName(t *testing.T) {
	cs := Countries()
	pos := map[string]int{}
	for i, c := range cs {
		pos[c.Code] = i
	}
	// Åland Islands among the A's (after Afghanistan, before Albania); Côte d’Ivoire among the C's.
	if !(pos["AF"] < pos["AX"] && pos["AX"] < pos["AL"]) || !(pos["CR"] < pos["CI"] && pos["CI"] < pos["HR"]) {
		t.Errorf("order: AF %d AX %d AL %d; CR %d CI %d HR %d", pos["AF"], pos["AX"], pos["AL"], pos["CR"], pos["CI"], pos["HR"])
	}
}
