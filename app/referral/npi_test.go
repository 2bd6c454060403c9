package referral

import (
	"strconv"
	"testing"
)

// cmsCheckDigit is CMS's own recipe, written independently of ValidNPI: double every other digit
// of the first nine starting from the rightmost, add all digits, add 24 (the constant for the
// 80840 prefix), and take what brings the total to the next multiple of ten.
func cmsCheckDigit(first9 string) byte {
	sum := 24
	for i := 0; i < 9; i++ {
		d := int(first9[8-i] - '0')
		if i%2 == 0 {
			d *= 2
			sum += d/10 + d%10
		} else {
			sum += d
		}
	}
	return byte('0' + (10-sum%10)%10)
}

func TestValidNPI(t *testing.T) {
	cases := map[string]bool{
		"1234567893":  true, // CMS's worked example
		"1000000004":  true,
		"1999999992":  true,
		"9876543213":  true,
		"1111111112":  true,
		"2000000002":  true,
		"1555555550":  true,
		"1020304055":  true,
		"1234567890":  false, // wrong check digit
		"1234567894":  false,
		"2134567893":  false, // first two digits swapped
		"123456789":   false, // 9 digits
		"12345678931": false, // 11 digits
		"123456789a":  false,
		"1234-67893":  false,
		" 234567893":  false,
		"":            false,
	}
	for in, want := range cases {
		if got := ValidNPI(in); got != want {
			t.Errorf("ValidNPI(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestValidNPIAgreesWithCMS checks every check digit for a spread of prefixes: exactly one of the
// ten candidates is valid, and it is the one CMS's recipe gives.
func TestValidNPIAgreesWithCMS(t *testing.T) {
	for n := 100000000; n < 300000000; n += 7919 * 13 {
		first9 := strconv.Itoa(n)
		want := cmsCheckDigit(first9)
		valid := 0
		for d := byte('0'); d <= '9'; d++ {
			if ValidNPI(first9 + string(d)) {
				valid++
				if d != want {
					t.Errorf("ValidNPI(%s%c) = true, CMS check digit is %c", first9, d, want)
				}
			}
		}
		if valid != 1 {
			t.Errorf("%s: %d valid check digits, want 1", first9, valid)
		}
	}
}
