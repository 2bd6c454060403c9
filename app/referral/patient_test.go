package referral

import (
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

func TestCheckPatient(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *app.Patient)
		want   []string // messages, in order; nil = no problem
	}{
		{"complete", func(p *app.Patient) {}, nil},
		{"MRN optional", func(p *app.Patient) { p.MRN = "" }, nil},
		{"ZIP+4", func(p *app.Patient) { p.Address.PostalCode = "55987-1234" }, nil},
		{"state by name", func(p *app.Patient) { p.Address.State = "Minnesota" }, nil},
		{"foreign address", func(p *app.Patient) {
			p.Address = app.Address{Line: "10 Rue X", City: "Paris", State: "Île-de-France", PostalCode: "75001"}
			p.Phone = "+33 1 23 45 67 89"
		}, nil},
		{"Canadian postal code", func(p *app.Patient) { p.Address.State = "ON"; p.Address.PostalCode = "K1A 0B1" }, nil},
		{"phone with 1 prefix", func(p *app.Patient) { p.Phone = "1-507-555-0100" }, nil},
		{"insurance by code", func(p *app.Patient) { p.InsuranceType = "workers-compensation" }, nil},
		{"insurance any case", func(p *app.Patient) { p.InsuranceType = "medical assistance" }, nil},
		{"born today", func(p *app.Patient) { p.BirthDate = date("2025-07-16") }, nil},
		{"exactly 130", func(p *app.Patient) { p.BirthDate = date("1895-07-16") }, nil},

		{"no last name", func(p *app.Patient) { p.Family = " " }, []string{"Enter the patient's legal last name, as on an ID."}},
		{"no first name", func(p *app.Patient) { p.Given = "" }, []string{"Enter the patient's legal first name, as on an ID."}},
		{"no birth date", func(p *app.Patient) { p.BirthDate = time.Time{} }, []string{"Enter the patient's date of birth."}},
		{"future birth date", func(p *app.Patient) { p.BirthDate = date("2025-07-17") }, []string{"The date of birth 2025-07-17 is in the future. Check the date."}},
		{"too old", func(p *app.Patient) { p.BirthDate = date("1895-07-15") }, []string{"The date of birth 1895-07-15 is more than 130 years ago. Check the year."}},
		{"no sex", func(p *app.Patient) { p.Sex = "" }, []string{"Choose the patient's sex."}},
		{"bad sex", func(p *app.Patient) { p.Sex = "F" }, []string{`The patient's sex "F" is not one of the choices. Choose female, male, other or unknown.`}},
		{"no address", func(p *app.Patient) { p.Address = app.Address{} }, []string{"Enter the patient's address: street, city, state and ZIP code."}},
		{"partial address", func(p *app.Patient) { p.Address.City = ""; p.Address.PostalCode = "" }, []string{"The patient's address has no city and ZIP or postal code. Complete the address."}},
		{"bad ZIP", func(p *app.Patient) { p.Address.PostalCode = "5598" }, []string{`The ZIP code "5598" is not valid. Use 5 digits (55905) or ZIP+4 (55905-0001).`}},
		{"bad ZIP, state by name", func(p *app.Patient) { p.Address.State = "wisconsin"; p.Address.PostalCode = "ABCDE" }, []string{`The ZIP code "ABCDE" is not valid.`}},
		{"no phone", func(p *app.Patient) { p.Phone = "" }, []string{"Enter the patient's phone number."}},
		{"short phone", func(p *app.Patient) { p.Phone = "555-0100" }, []string{`The phone number "555-0100" is not valid. Enter 10 digits for a US number (507-555-0100), or + and the country code for another country.`}},
		{"no insurance", func(p *app.Patient) { p.InsuranceType = "" }, []string{"Choose the patient's insurance type."}},
		{"insurance not in list", func(p *app.Patient) { p.InsuranceType = "Blue Cross" }, []string{`The insurance type "Blue Cross" is not on the list. Choose HMO, Workers' compensation, Medical assistance, Medicare, Medicaid, Commercial / PPO, Self-pay or Other.`}},
		{"everything", func(p *app.Patient) { *p = app.Patient{} }, []string{
			"Enter the patient's legal last name", "Enter the patient's legal first name", "Enter the patient's date of birth",
			"Choose the patient's sex", "Enter the patient's address", "Enter the patient's phone number", "Choose the patient's insurance type",
		}},
	}
	prof := profile(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := goodPatient()
			tc.mutate(&p)
			ps := CheckPatient(p, now, prof)
			if len(ps) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%s", len(ps), len(tc.want), dump(ps))
			}
			for i, w := range tc.want {
				if ps[i].Field != FieldPatient || !strings.HasPrefix(catalog.For("en").Text(ps[i].Msg), w) || ps[i].Valid() != nil {
					t.Errorf("problem %d = %v, want %q", i, ps[i], w)
				}
			}
		})
	}
}

func TestCheckPatientNoProfile(t *testing.T) {
	p := goodPatient()
	p.InsuranceType = "Blue Cross"
	if ps := CheckPatient(p, now, nil); len(ps) != 0 {
		t.Errorf("without a profile any insurance type goes: %s", dump(ps))
	}
}

// The birth date is a calendar day: a date stored at UTC midnight is not "tomorrow" for a user
// west of Greenwich late in the evening.
func TestCheckPatientBirthDateZones(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	evening := time.Date(2025, 7, 16, 22, 0, 0, 0, chicago) // already the 17th in UTC
	p := goodPatient()
	p.BirthDate = date("2025-07-16")
	if ps := CheckPatient(p, evening, nil); len(ps) != 0 {
		t.Errorf("born today: %s", dump(ps))
	}
	p.BirthDate = date("2025-07-17")
	if ps := CheckPatient(p, evening, nil); len(ps) != 1 {
		t.Errorf("born tomorrow: %s", dump(ps))
	}
}
