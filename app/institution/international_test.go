package institution

import (
	"errors"
	"strings"
	"testing"
)

func TestInternationalRouting(t *testing.T) {
	p, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	if p.HomeCountry() != "US" {
		t.Fatalf("home %q", p.HomeCountry())
	}
	for _, c := range []struct {
		countries []string
		want      bool
	}{
		{[]string{"US", "US"}, false},
		{[]string{"", "us"}, false},
		{nil, false},
		{[]string{"SV", "US"}, true},
		{[]string{"US", "ca"}, true},
		{[]string{"", "GT"}, true},
	} {
		if got := p.IsInternational(c.countries...); got != c.want {
			t.Errorf("%v: %v", c.countries, got)
		}
	}
	roch, _ := p.Location("rochester")
	if ph, fx := roch.Lines(true); ph != "507-512-6236" || fx != "507-538-7802" {
		t.Errorf("Rochester international lines %s %s", ph, fx)
	}
	if ph, fx := roch.Lines(false); ph != "800-533-1564" || fx != "800-321-1368" {
		t.Errorf("Rochester lines %s %s", ph, fx)
	}
	// A region without international lines keeps its own.
	se, _ := p.Location("mchs-se-mn")
	if ph, _ := se.Lines(true); ph != se.ReferralPhone {
		t.Errorf("region international phone %q", ph)
	}
	offices := p.RepresentativeOffices("sv")
	if len(offices) != 1 || offices[0].Source == "" || !strings.Contains(offices[0].Source, "seed 003") {
		t.Errorf("El Salvador office %+v", offices)
	}
	if len(p.International.Contacts) != 3 {
		t.Errorf("international contacts %+v", p.International.Contacts)
	}
	var nilProfile *Profile
	if nilProfile.HomeCountry() != "US" || nilProfile.RepresentativeOffices("") != nil {
		t.Error("nil profile")
	}
}

func TestInternationalValidation(t *testing.T) {
	p, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	p.Country = "USA"
	p.International.RepresentativeOffices = append(p.International.RepresentativeOffices, RepresentativeOffice{Country: "XX", Phone: "12"})
	err = p.Validate()
	if !errors.Is(err, ErrInvalidProfile) {
		t.Fatalf("Validate = %v", err)
	}
	for _, want := range []string{`country "USA"`, `representative_offices[1].country "XX"`, `representative_offices[1].label`, `representative_offices[1].phone "12"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q missing from %v", want, err)
		}
	}
}
