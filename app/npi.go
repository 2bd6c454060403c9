package app

// npiPrefix is the card-issuer prefix CMS puts before an NPI for its Luhn check digit
// (ISO/IEC 7812: 80840 = health care, United States).
const npiPrefix = "80840"

// ValidNPI reports whether npi is a National Provider Identifier: exactly 10 digits whose last
// digit is the Luhn check digit of "80840" followed by the first 9 digits. Providers and
// organisations (the clinic's type 2 NPI) share the same check.
func ValidNPI(npi string) bool {
	if len(npi) != 10 {
		return false
	}
	for i := 0; i < len(npi); i++ {
		if npi[i] < '0' || npi[i] > '9' {
			return false
		}
	}
	return luhnValid(npiPrefix + npi)
}

// luhnValid reports whether the digit string ends in a correct Luhn check digit.
func luhnValid(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
