package app

import (
	"reflect"
	"testing"
)

func TestClinicValidate(t *testing.T) {
	fieldsOf := func(ps []FieldProblem) []string {
		var f []string
		for _, p := range ps {
			f = append(f, p.Field)
		}
		return f
	}
	cases := []struct {
		name string
		c    Clinic
		want []string
	}{
		{"complete", Clinic{Name: "Lakeside", Phone: "507-555-0142", NPI: "1245319599", Email: "a@b.example", State: "MN", PostalCode: "55905-1234"}, nil},
		{"fax only", Clinic{Name: "Lakeside", Fax: "(507) 555 0143"}, nil},
		{"empty", Clinic{}, []string{ClinicFieldName, ClinicFieldPhone}},
		{"blank name", Clinic{Name: "  ", Phone: "5075550142"}, []string{ClinicFieldName}},
		{"bad NPI check digit", Clinic{Name: "L", Phone: "5075550142", NPI: "1245319598"}, []string{ClinicFieldNPI}},
		{"short NPI", Clinic{Name: "L", Phone: "5075550142", NPI: "12345"}, []string{ClinicFieldNPI}},
		{"short phone and fax", Clinic{Name: "L", Phone: "555", Fax: "12"}, []string{ClinicFieldPhone, ClinicFieldFax}},
		{"bad e-mail", Clinic{Name: "L", Phone: "5075550142", Email: "referrals at lakeside"}, []string{ClinicFieldEmail}},
		{"e-mail with a name", Clinic{Name: "L", Phone: "5075550142", Email: "Desk <a@b.example>"}, []string{ClinicFieldEmail}},
		{"US state and ZIP", Clinic{Name: "L", Phone: "5075550142", State: "Minnesota", PostalCode: "559"}, []string{ClinicFieldState, ClinicFieldPostalCode}},
		{"not US: no ZIP rule", Clinic{Name: "L", Phone: "5075550142", Country: "ca", State: "Ontario", PostalCode: "K1A 0B1"}, nil},
		{"bad country", Clinic{Name: "L", Phone: "5075550142", Country: "Canada"}, []string{ClinicFieldCountry}},
	}
	for _, tc := range cases {
		got := fieldsOf(tc.c.Validate())
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: problems %v, want %v (%v)", tc.name, got, tc.want, tc.c.Validate())
		}
		if err := tc.c.Err(); (err == nil) != (tc.want == nil) {
			t.Errorf("%s: Err() = %v", tc.name, err)
		}
	}
}

func TestClinicAddressText(t *testing.T) {
	c := Clinic{AddressLines: []string{" 200 First St SW ", "Suite 4"}, City: "Rochester", State: "mn", PostalCode: "55905"}
	if got, want := c.AddressText(), []string{"200 First St SW", "Suite 4", "Rochester, MN 55905"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("%q, want %q", got, want)
	}
	c = Clinic{City: "Toronto", State: "ON", Country: "CA"}
	if got, want := c.AddressText(), []string{"Toronto, ON", "CA"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("%q, want %q", got, want)
	}
	if got := (Clinic{State: "MN"}).AddressText(); !reflect.DeepEqual(got, []string{"MN"}) {
		t.Fatalf("%q", got)
	}
}

func TestSignatureText(t *testing.T) {
	jane := Provider{Family: "Smith", Given: "Jane", Credentials: "M.D."}
	if got := jane.SigningName(); got != "Dr Jane Smith" {
		t.Fatalf("SigningName %q", got)
	}
	if got := (Provider{Family: "Lee", Given: "Kim", Credentials: "NP"}).SigningName(); got != "Kim Lee, NP" {
		t.Fatalf("SigningName %q", got)
	}
	cases := []struct {
		s    Signature
		want string
	}{
		{Signature{SignerName: "Dr Jane Smith", SignerRole: SignerProvider, ForProvider: "Dr Jane Smith", OSUser: "root"}, "signed by Dr Jane Smith"},
		{Signature{SignerRole: SignerProvider, ForProvider: "Dr Jane Smith"}, "signed by Dr Jane Smith"},
		{Signature{SignerName: "Ana Ruiz", SignerRole: SignerStaff, ForProvider: "Dr Jane Smith", OSUser: "root"}, "entered by Ana Ruiz for Dr Jane Smith"},
		{Signature{SignerName: "Ana Ruiz", SignerRole: SignerStaff}, "entered by Ana Ruiz"},
		{Signature{OSUser: "root"}, "signed (signer not recorded)"},
	}
	for _, tc := range cases {
		if got := SignatureText(tc.s); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
	if (Signature{SignerRole: SignerStaff}).Check() == nil || (Signature{SignerName: "x"}).Check() == nil {
		t.Fatal("incomplete signatures pass Check")
	}
	if err := (Signature{SignerRole: SignerProvider}).Check(); err != nil {
		t.Fatal(err)
	}
}
