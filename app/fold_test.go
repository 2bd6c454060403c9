package app

import "testing"

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Müller":          "muller",
		"  NÚÑEZ  Garcia": "nunez garcia",
		"Agustín":         "agustin",
		"Strauß":          "strauss",
		"Łukasz":          "lukasz",
		"o'brien":         "o'brien",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
