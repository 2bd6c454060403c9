package referral

import (
	"testing"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/msg"
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
		want msg.Code // the one problem expected
	}{
		{"US chart without state", func(in *Input) {
			in.Patient.Address = app.Address{Line: "1 Main St", City: "Winona", PostalCode: "55987", Country: "US"}
		}, PatientAddressIncomplete},
		{"US chart with a province", func(in *Input) {
			in.Patient.Address = app.Address{Line: "1 Main St", City: "Winona", State: "ON", PostalCode: "55987", Country: "US"}
		}, AddressStateInvalid},
		{"Canadian postal code wrong", func(in *Input) {
			in.Patient.Address = app.Address{Line: "1 Wellington St", City: "Ottawa", State: "ON", PostalCode: "55987", Country: "CA"}
			in.Patient.Phone = "+1 613 992 4211"
		}, AddressPostalInvalid},
		{"unknown country", func(in *Input) {
			in.Patient.Address = app.Address{Line: "x", City: "y", Country: "XX"}
			in.Patient.Phone = "+50322223333"
		}, CountryUnknown},
		{"phone of the wrong country", func(in *Input) {
			in.Patient.Address = app.Address{Line: "Calle 1", City: "San Salvador", Country: "SV"}
			in.Patient.Phone = "507 555 0100"
		}, PhoneInvalidIn},
		{"bad language", func(in *Input) { in.Patient.Language = "not a language" }, LanguageUnknown},
		{"licence without NPI, bad country", func(in *Input) {
			in.Provider.NPI, in.Provider.LicenceNumber, in.Provider.LicenceCountry = "", "12345", "Salvador"
		}, ProviderLicenceNation},
		{"licence number without country", func(in *Input) {
			in.Provider.NPI, in.Provider.LicenceNumber = "", "12345"
		}, ProviderNoNPI},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := goodInput(t)
			c.edit(&in)
			ps := Check(in)
			if len(ps) != 1 || ps[0].Code != c.want {
				t.Fatalf("problems %v, want one %s", ps, c.want)
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
		want msg.Code
	}{
		{app.Provider{Family: "A", Given: "B"}, ProviderFormNoIdentifier},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1"}, ProviderFormNoLicenceNat},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1", LicenceCountry: "US"}, ProviderFormUSNeedsNPI},
		{app.Provider{Family: "A", Given: "B", NPI: "1234567890"}, ProviderFormNPIInvalid},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1", LicenceCountry: "CA", PracticeAddress: app.Address{PostalCode: "55905"}}, ProviderFormPostalInvalid},
		{app.Provider{Family: "A", Given: "B", LicenceNumber: "1", LicenceCountry: "SV", PracticePhone: "12"}, ProviderFormPhoneInvalidIn},
	} {
		ps := CheckProvider(c.p)
		if len(ps) != 1 || ps[0].Code != c.want {
			t.Errorf("%+v: %v, want %s", c.p, ps, c.want)
		}
	}
}
