package intl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrPhone is matched (errors.Is) by every phone number that cannot be used.
var ErrPhone = errors.New("not a valid phone number")

// ParsePhone reads a number as typed: with "+" and the country code, or in the national form of
// country (the address's country, else the institution's). It returns the E.164 form
// ("+50322223333") when the number is valid for its country.
func ParsePhone(s, country string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("intl: phone: empty: %w", ErrPhone)
	}
	region := strings.ToUpper(strings.TrimSpace(country))
	if region == "" {
		region = "US"
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", fmt.Errorf("intl: phone: %w (%v)", ErrPhone, err) // the number is patient data: not in the error
	}
	if !usable(n) {
		return "", fmt.Errorf("intl: phone: %w", ErrPhone)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// usable accepts a number libphonenumber knows as valid, and also one of the full length for its
// country that it does not (yet) know: its ranges lag behind new numbering, and clinics' records
// hold the fictitious 555 numbers. A North American number must still have an area code and an
// exchange starting with 2–9. Local-only numbers (no area code) are refused.
func usable(n *phonenumbers.PhoneNumber) bool {
	if phonenumbers.IsValidNumber(n) {
		return true
	}
	if phonenumbers.IsPossibleNumberWithReason(n) != phonenumbers.IS_POSSIBLE {
		return false
	}
	if n.GetCountryCode() == 1 {
		nat := fmt.Sprint(n.GetNationalNumber())
		return len(nat) == 10 && nat[0] >= '2' && nat[3] >= '2'
	}
	return true
}

// regionOf is the number's country, or the main country of its calling code for a number
// libphonenumber does not place.
func regionOf(n *phonenumbers.PhoneNumber) string {
	if r := phonenumbers.GetRegionCodeForNumber(n); r != "" {
		return r
	}
	return phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode()))
}

// ValidPhone reports whether ParsePhone accepts s.
func ValidPhone(s, country string) bool {
	_, err := ParsePhone(s, country)
	return err == nil
}

// NormalizePhone is the E.164 form of s when it parses, else s trimmed (so what the user typed is
// never lost; the checks report it).
func NormalizePhone(s, country string) string {
	if e, err := ParsePhone(s, country); err == nil {
		return e
	}
	return strings.TrimSpace(s)
}

// PhoneCountry is the ISO 3166 code of the country a stored number belongs to ("" if unknown).
func PhoneCountry(e164 string) string {
	n, err := phonenumbers.Parse(e164, "US")
	if err != nil || !usable(n) {
		return ""
	}
	return regionOf(n)
}

// DisplayPhone shows a stored number in the national format of its own country ("(507) 555-0100",
// "2222 3333"). A number of another country than home also shows its country code, in that
// country's grouping ("+503 2222 3333"), because a national form alone cannot be dialled from
// abroad. Text that is not a number is returned as it is.
func DisplayPhone(stored, home string) string {
	s := strings.TrimSpace(stored)
	if s == "" {
		return ""
	}
	region := strings.ToUpper(strings.TrimSpace(home))
	if region == "" {
		region = "US"
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !usable(n) {
		return s
	}
	if regionOf(n) == region {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
