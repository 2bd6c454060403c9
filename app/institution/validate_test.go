package institution

import (
	"errors"
	"strings"
	"testing"
)

// TestValidateBroken breaks a good profile one way at a time and checks the message.
func TestValidateBroken(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *Profile)
		want   []string
	}{
		{"format version", func(p *Profile) { p.FormatVersion = 2 }, []string{`format_version "2": is not supported`}},
		{"no id", func(p *Profile) { p.ID = "" }, []string{"institution: id: is missing"}},
		{"bad id", func(p *Profile) { p.ID = "mayo clinic" }, []string{`id "mayo clinic": is not a valid code`}},
		{"no name", func(p *Profile) { p.Name = " " }, []string{"institution: name: is missing"}},
		{"no short name", func(p *Profile) { p.ShortName = "" }, []string{"short_name: is missing"}},
		{"bad portal url", func(p *Profile) { p.PortalURL = "carelink.example.org" }, []string{`portal_url "carelink.example.org": is not a valid http`}},
		{"bad support phone", func(p *Profile) { p.SupportPhone = "833-629-015" }, []string{`support_phone "833-629-015": is not a valid phone number`}},
		{"no departments", func(p *Profile) { p.Departments = nil }, []string{"departments: lists no department"}},
		{"duplicate department code", func(p *Profile) { p.Departments[3].Code = "CANCER" }, []string{`departments[3].code "CANCER": is used twice (also at departments[0].code)`}},
		{"duplicate department name", func(p *Profile) { p.Departments[1].Name = "cancer" }, []string{`departments[1].name "cancer": is used twice`}},
		{"empty department name", func(p *Profile) { p.Departments[2].Name = "" }, []string{"departments[2].name: is missing"}},
		{"empty department code", func(p *Profile) { p.Departments[2].Code = "" }, []string{"departments[2].code: is missing"}},
		{"no locations", func(p *Profile) { p.Locations = nil }, []string{"locations: lists no location", `rules.pediatric_locations[0] "rochester": is not a location code`}},
		{"bad time zone", func(p *Profile) { p.Locations[2].TimeZone = "America/Chicgo" }, []string{`institution: locations[2].time_zone "America/Chicgo": unknown time zone`}},
		{"Local time zone", func(p *Profile) { p.Locations[2].TimeZone = "Local" }, []string{`locations[2].time_zone "Local": unknown time zone`}},
		{"no time zone", func(p *Profile) { p.Locations[1].TimeZone = "" }, []string{"locations[1].time_zone: is missing"}},
		{"duplicate location code", func(p *Profile) { p.Locations[4].Code = "mchs-se-mn" }, []string{`locations[4].code "mchs-se-mn": is used twice (also at locations[3].code)`}},
		{"bad location kind", func(p *Profile) { p.Locations[0].Kind = "hospital" }, []string{`locations[0].kind "hospital": is not a location kind`}},
		{"no location kind", func(p *Profile) { p.Locations[0].Kind = "" }, []string{`locations[0].kind: is missing`}},
		{"no referral phone", func(p *Profile) { p.Locations[0].ReferralPhone = "" }, []string{"locations[0].referral_phone: is missing"}},
		{"bad referral phone", func(p *Profile) { p.Locations[0].ReferralPhone = "866-629-636" }, []string{`locations[0].referral_phone "866-629-636": is not a valid phone number`}},
		{"phone with letters", func(p *Profile) { p.Locations[1].Fax = "800-MAYO-FAX" }, []string{`locations[1].fax "800-MAYO-FAX": is not a valid phone number`}},
		{"bad international fax", func(p *Profile) { p.Locations[1].InternationalFax = "+0 12" }, []string{`locations[1].international_fax "+0 12"`}},
		{"bad email", func(p *Profile) { p.Locations[4].Email = "MCHSSWMNEXTREF at mayo.edu" }, []string{`locations[4].email "MCHSSWMNEXTREF at mayo.edu": is not a valid e-mail address`}},
		{"bad zip", func(p *Profile) { p.Locations[2].Address.PostalCode = "5590" }, []string{`locations[2].address.postal_code "5590": is not a valid US ZIP code`}},
		{"incomplete address", func(p *Profile) { p.Locations[2].Address.City = "" }, []string{"locations[2].address.city: is missing"}},
		{"empty address", func(p *Profile) { p.Locations[2].Address = &Address{} }, []string{"locations[2].address: is empty"}},
		{"pediatric flag without rule", func(p *Profile) { p.Locations[0].AcceptsPediatrics = true }, []string{`locations[0].accepts_pediatrics: is true but rules.pediatric_locations does not list "arizona"`}},
		{"pediatric rule without flag", func(p *Profile) { p.Locations[2].AcceptsPediatrics = false }, []string{`locations[2].accepts_pediatrics: is false but rules.pediatric_locations lists "rochester"`}},
		{"unknown pediatric location", func(p *Profile) { p.Rules.PediatricLocations = append(p.Rules.PediatricLocations, "roch") }, []string{`rules.pediatric_locations[1] "roch": is not a location code`}},
		{"duplicate pediatric location", func(p *Profile) { p.Rules.PediatricLocations = append(p.Rules.PediatricLocations, "rochester") }, []string{`rules.pediatric_locations[1] "rochester": is used twice`}},
		{"location hours", func(p *Profile) {
			p.Locations[0].AppointmentHours = &Hours{Weekdays: []string{"mon"}, Start: "8am", End: "17:00"}
		}, []string{`locations[0].appointment_hours.weekdays[0] "mon": is not a day of the week`, `locations[0].appointment_hours.start "8am": is not a time of day`}},
		{"location contact without a way", func(p *Profile) { p.Locations[0].Contacts[0].Phone = "" }, []string{"locations[0].contacts[0]: has no phone, fax, email or url"}},
		{"contact bad url", func(p *Profile) { p.Contacts[0].URL = "ftp://x" }, []string{`contacts[0].url "ftp://x": is not a valid http`}},
		{"contact no code", func(p *Profile) { p.Contacts[1].Code = "" }, []string{"contacts[1].code: is missing"}},
		{"contact no label", func(p *Profile) { p.Contacts[1].Label = "" }, []string{"contacts[1].label: is missing"}},
		{"no insurance types", func(p *Profile) { p.InsuranceTypes = nil }, []string{"insurance_types: lists no insurance type"}},
		{"duplicate insurance", func(p *Profile) { p.InsuranceTypes[1].Code = "hmo" }, []string{`insurance_types[1].code "hmo": is used twice`}},
		{"zero age limit", func(p *Profile) { p.Rules.PediatricAgeLimit = 0 }, []string{`rules.pediatric_age_limit "0": must be more than 0`}},
		{"absurd age limit", func(p *Profile) { p.Rules.PediatricAgeLimit = 180 }, []string{`rules.pediatric_age_limit "180": is too high`}},
		{"zero pages", func(p *Profile) { p.Rules.MaxPacketPages = 0 }, []string{`rules.max_packet_pages "0": must be more than 0`}},
		{"negative upload", func(p *Profile) { p.Rules.MaxUploadBytes = -1 }, []string{`rules.max_upload_bytes "-1": must be more than 0`}},
		{"zero total", func(p *Profile) { p.Rules.MaxTotalAttachmentBytes = 0 }, []string{`rules.max_total_attachment_bytes "0": must be more than 0`}},
		{"total below upload", func(p *Profile) { p.Rules.MaxTotalAttachmentBytes = 10 }, []string{"is smaller than rules.max_upload_bytes"}},
		{"zero fax days", func(p *Profile) { p.Rules.FaxResponseBusinessDays = 0 }, []string{`rules.fax_response_business_days "0": must be more than 0`}},
		{"zero my patients", func(p *Profile) { p.Rules.MyPatientsDays = -5 }, []string{`rules.my_patients_days "-5": must be more than 0`}},
		{"no weekdays", func(p *Profile) { p.Rules.AppointmentHours.Weekdays = nil }, []string{"rules.appointment_hours.weekdays: lists no day"}},
		{"twice a weekday", func(p *Profile) { p.Rules.AppointmentHours.Weekdays[4] = "Monday" }, []string{`rules.appointment_hours.weekdays[4] "Monday": is listed twice`}},
		{"end before start", func(p *Profile) { p.Rules.AppointmentHours.End = "07:00" }, []string{`rules.appointment_hours.end "07:00": must be later than start "08:00"`}},
		{"missing end", func(p *Profile) { p.Rules.AppointmentHours.End = "" }, []string{"rules.appointment_hours.end: is missing"}},
		{"unknown source key", func(p *Profile) { p.Rules.Sources["max_pages"] = "x" }, []string{`rules.sources "max_pages": is not a rule name`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustDefault(t)
			tc.mutate(p)
			err := p.Validate()
			if err == nil {
				t.Fatal("Validate() = nil")
			}
			if !errors.Is(err, ErrInvalidProfile) {
				t.Errorf("errors.Is(err, ErrInvalidProfile) = false for %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestValidateReportsAll checks that several problems come back together, one per line.
func TestValidateReportsAll(t *testing.T) {
	p := mustDefault(t)
	p.Name = ""
	p.Locations[2].TimeZone = "America/Chicgo"
	p.Rules.MaxPacketPages = 0
	p.Departments[1].Code = "cancer"
	err := p.Validate()
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Validate() = %T, want a joined error", err)
	}
	errs := joined.Unwrap()
	if len(errs) != 4 {
		t.Fatalf("%d problems, want 4:\n%v", len(errs), err)
	}
	var fe *FieldError
	if !errors.As(errs[0], &fe) || fe.Path != "name" {
		t.Errorf("first problem = %v", errs[0])
	}
	if lines := strings.Count(err.Error(), "\n") + 1; lines != 4 {
		t.Errorf("%d lines, want 4", lines)
	}
}

func TestValidateNil(t *testing.T) {
	var p *Profile
	if err := p.Validate(); !errors.Is(err, ErrInvalidProfile) {
		t.Errorf("nil.Validate() = %v", err)
	}
}
