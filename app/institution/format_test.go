package institution

import "testing"

func TestValidPhone(t *testing.T) {
	cases := map[string]bool{
		"507-255-2910":      true,
		"(507) 255-2910":    true,
		"507.255.2910":      true,
		"5072552910":        true,
		"1-855-392-8400":    true,
		"+1 855 392 8400":   true,
		"+44 20 7946 0958":  true,
		"+91 98765 43210":   true,
		" 507-255-2910 ":    true,
		"":                  false,
		"507-255-291":       false, // 9 digits
		"507-255-29100":     false, // 11 digits not starting with 1
		"107-255-2910":      false, // area code starts with 1
		"507-155-2910":      false, // exchange starts with 1
		"800-MAYO-123":      false,
		"507-255-2910 x12":  false,
		"+0 20 7946 0958":   false,
		"+44 123":           false, // too short
		"+1234567890123456": false, // too long
		"+1 107 255 2910":   false,
		"+":                 false,
		"--":                false,
	}
	for in, want := range cases {
		if got := ValidPhone(in); got != want {
			t.Errorf("ValidPhone(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestValidZIP(t *testing.T) {
	cases := map[string]bool{"55905": true, "55905-0001": true, "5590": false, "559050001": false, "55905-01": false, "K1A 0B1": false, "": false}
	for in, want := range cases {
		if got := ValidZIP(in); got != want {
			t.Errorf("ValidZIP(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestUSState(t *testing.T) {
	cases := []struct {
		in, code string
		ok       bool
	}{
		{"MN", "MN", true},
		{"mn", "MN", true},
		{"Minnesota", "MN", true},
		{" minnesota ", "MN", true},
		{"District of Columbia", "DC", true},
		{"Puerto Rico", "PR", true},
		{"AE", "AE", true},
		{"ON", "", false},
		{"Ontario", "", false},
		{"", "", false},
		{"Minn.", "", false},
	}
	for _, tc := range cases {
		code, ok := USState(tc.in)
		if code != tc.code || ok != tc.ok {
			t.Errorf("USState(%q) = %q, %v; want %q, %v", tc.in, code, ok, tc.code, tc.ok)
		}
	}
}

func TestValidEmailURLCode(t *testing.T) {
	for in, want := range map[string]bool{
		"DLLAPatientReferral@mayo.edu": true, "a@b": false, "Ann <a@b.org>": false, "a b@c.org": false, "": false,
	} {
		if got := validEmail(in); got != want {
			t.Errorf("validEmail(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]bool{
		"https://carelink.mayoclinic.org": true, "http://x.org/a": true, "carelink.mayoclinic.org": false, "mailto:a@b.org": false,
	} {
		if got := validURL(in); got != want {
			t.Errorf("validURL(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]bool{"mchs-se-mn": true, "AZ": true, "a.b_c": true, "-x": false, "a b": false, "": false} {
		if got := validCode(in); got != want {
			t.Errorf("validCode(%q) = %v", in, got)
		}
	}
}
