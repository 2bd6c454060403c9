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
		return "", fmt.Errorf("intl: phone %q: %w (%v)", s, ErrPhone, err)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("intl: phone %q: %w", s, ErrPhone)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
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
	if err != nil {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(n)
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
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return s
	}
	if phonenumbers.GetRegionCodeForNumber(n) == region {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
