package referral

import (
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app"
)

// A patient in San Salvador (no state, no postal code, a +503 number) referred by a physician with
// a Salvadoran licence and no NPI is ready to sign.
func TestCheckInternationalOrderReady(t *testing.T) {
	in := goodInput(t)
	in.Patient.Address = app.Address{Line: "Calle El Mirador 4520", City: "San Salvador", Country: "SV"}
	in.Patient.Phone = "+503 2222 3333"
	in.Patient.Language, in.Patient.InterpreterNeeded = "es", true
	in.Provider = &app.Provider{
		ID: 3, Family: "Martínez", Given: "Rosa", Credentials: "MD", Active: true,
		LicenceNumber: "12345", LicenceCountry: "SV", LicenceAuthority: "Junta de Vigilancia de la Profesión Médica",
	}
	if ps := Check(in); len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	// The same number typed nationally is read in the chart's country.
	in.Patient.Phone = "2222 3333"
	if ps := Check(in); len(ps) != 0 {
		t.Fatalf("national number: %v", ps)
	}
}

func TestCheckCountryRules(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Input)
		want string // a part of the one problem expected
	}{
		{"US chart without state", func(in *Input) {
			in.Patient.Address = app.Address{Line: "1 Main St", City: "Winona", PostalCode: "55987", Country: "US"}
		}, "has no state"},
		{"US chart with a province", func(in *Input) {
			in.Patient.Address = app.Address{Line: "1 Main St", City: "Winona", State: "ON", PostalCode: "55987", Country: "US"}
		}, `"ON" is not a state of United States`},
		{"Canadian postal code wrong", func(in *Input) {
			in.Patient.Address = app.Address{Line: "1 Wellington St", City: "Ottawa", State: "ON", PostalCode: "55987", Country: "CA"}
			in.Patient.Phone = "+1 613 992 4211"
		}, `postal code "55987" is not valid`},
		{"unknown country", func(in *Input) {
			in.Patient.Address = app.Address{Line: "x", City: "y", Country: "XX"}
			in.Patient.Phone = "+50322223333"
		}, `country "XX" is not a country`},
		{"phone of the wrong country", func(in *Input) {
			in.Patient.Address = app.Address{Line: "Calle 1", City: "San Salvador", Country: "SV"}
			in.Patient.Phone = "507 555 0100"
		}, "not a valid number of El Salvador"},
		{"bad language", func(in *Input) { in.Patient.Language = "not a language" }, "preferred language"},
		{"licence without NPI, bad country", func(in *Input) {
			in.Provider.NPI, in.Provider.LicenceNumber, in.Provider.LicenceCountry = "", "12345", "Salvador"
		}, "names the country"},
		{"licence number without country", func(in *Input) {
			in.Provider.NPI, in.Provider.LicenceNumber = "", "12345"
		}, "has no NPI"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := goodInput(t)
			c.edit(&in)
			ps := Check(in)
			if len(ps) != 1 || !strings.Contains(ps[0].Message, c.want) {
				t.Fatalf("problems %v, want one containing %q", ps, c.want)
			}
		})
	}
}

func TestCheckProvider(t *testing.T) {
	good := app.Provider{Family: "Martínez", Given: "Rosa", LicenceNumber: "12345", LicenceCountry: "sv", PracticePhone: "2555 0100"}
	if ps := CheckProvider(good); len(ps) != 0 {
		t.Fatalf("licence provider: %v", ps)
	}
	n := NormalizeProvider(good)
	if n.LicenceCountry != "SV" || n.PracticePhone != "+50325550100" {
		t.Fatalf("normalized %+v", n)
	}
	us := app.Provider{Family: "Smith", Given: "Ann", NPI: "1234567893", PracticeAddress: app.Address{State: "minnesota", PostalCode: "55905", Country: "US"}}
	if ps := CheckProvider(us); len(ps) != 0 {
		t.Fatalf("US provider: %v", ps)
	}
	if a := NormalizeProvider(us).PracticeAddress; a.State != "MN" {
		t.Fatalf("state %q", a.State)
	}
	for _, c := range []struct {
		p    app.Provider
		want string
	}{
		{app.Provider{Family: "A", Given: "B"}, "Enter the provider's NPI (US), or"},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1"}, "Choose the country that issued"},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1", LicenceCountry: "US"}, "needs an NPI"},
		{app.Provider{Family: "A", Given: "B", NPI: "1234567890"}, "check digit"},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1", LicenceCountry: "CA", PracticeAddress: app.Address{PostalCode: "55905"}}, `postal code "55905" is not valid`},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1", LicenceCountry: "SV", PracticePhone: "12"}, "not a valid number of El Salvador"},
	} {
		ps := CheckProvider(c.p)
		if len(ps) != 1 || !strings.Contains(ps[0], c.want) {
			t.Errorf("%+v: %v, want %q", c.p, ps, c.want)
		}
	}
}
