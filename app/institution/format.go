package institution

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/referraldesk/referraldesk/app/intl"
)

// ValidPhone reports whether s is a usable phone number: a North American number of 10 digits
// (an optional leading 1 or +1 allowed) with a valid area code and exchange, or "+" followed by a
// country code and number (8 to 15 digits). Spaces, dashes, dots and parentheses are ignored;
// anything else (letters, extensions) makes it invalid.
func ValidPhone(s string) bool {
	s = strings.TrimSpace(s)
	intl := strings.HasPrefix(s, "+")
	if intl {
		s = s[1:]
	}
	digits := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return false
		}
	}
	if len(digits) == 0 {
		return false
	}
	if intl && digits[0] != '1' {
		return digits[0] != '0' && len(digits) >= 8 && len(digits) <= 15
	}
	if len(digits) == 11 && digits[0] == '1' {
		digits = digits[1:]
	}
	// NANP: area code and exchange both start with 2-9.
	return len(digits) == 10 && digits[0] >= '2' && digits[3] >= '2'
}

var zipRE = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

// ValidZIP reports whether s is a US ZIP code: 5 digits or ZIP+4 (12345-6789).
func ValidZIP(s string) bool { return zipRE.MatchString(s) }

// USState recognises a US state, DC, territory or military state written as its USPS code
// ("MN", "mn") or its name ("Minnesota"), and returns the code. The list lives in app/intl.
func USState(s string) (code string, ok bool) {
	if strings.TrimSpace(s) == "" {
		return "", false
	}
	if code, ok := intl.Subdivision("US", s); ok {
		return code, true
	}
	return "", false
}

// validEmail accepts a bare address (no display name) with a dotted domain.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// validURL accepts absolute http and https URLs.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

var codeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// validCode accepts letters, digits, '.', '_' and '-', starting with a letter or digit, up to 64.
func validCode(s string) bool { return codeRE.MatchString(s) }
