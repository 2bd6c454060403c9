package institution

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// FieldError is one problem Validate found: the JSON path of the field, its value (empty when the
// field is missing) and what is wrong. It matches ErrInvalidProfile with errors.Is.
type FieldError struct {
	Path    string // e.g. locations[2].time_zone
	Value   string
	Message string
}

func (e *FieldError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("institution: %s %q: %s", e.Path, e.Value, e.Message)
	}
	return fmt.Sprintf("institution: %s: %s", e.Path, e.Message)
}

// Is makes errors.Is(err, ErrInvalidProfile) true.
func (e *FieldError) Is(target error) bool { return target == ErrInvalidProfile }

const (
	msgMissing   = "is missing"
	msgBadCode   = "is not a valid code (use letters, digits, '.', '_' or '-', at most 64)"
	msgBadPhone  = "is not a valid phone number (use 10 digits such as 507-555-0100, or + and the country code)"
	msgBadEmail  = "is not a valid e-mail address"
	msgBadURL    = "is not a valid http or https address"
	msgPositive  = "must be more than 0"
	msgBadTZ     = "unknown time zone"
	msgBadZIP    = "is not a valid US ZIP code (use 12345 or 12345-6789)"
	msgBadTime   = "is not a time of day (use 24-hour HH:MM, e.g. 08:00)"
	msgBadDay    = "is not a day of the week (use monday ... sunday)"
	msgDuplicate = "is used twice (also at %s)"
)

// validator collects problems.
type validator struct{ errs []error }

func (v *validator) add(path, value, msg string, args ...any) {
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	v.errs = append(v.errs, &FieldError{Path: path, Value: value, Message: msg})
}

// required reports a missing (blank) value and returns whether it is set.
func (v *validator) required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		v.add(path, "", msgMissing)
		return false
	}
	return true
}

func (v *validator) phone(path, value string, required bool) {
	if value == "" {
		if required {
			v.add(path, "", msgMissing)
		}
		return
	}
	if !ValidPhone(value) {
		v.add(path, value, msgBadPhone)
	}
}

// code checks a code's form and that it is unique (case-insensitively) among seen.
func (v *validator) code(path, value string, seen map[string]string) {
	if !v.required(path, value) {
		return
	}
	if !validCode(value) {
		v.add(path, value, msgBadCode)
		return
	}
	key := strings.ToLower(value)
	if first, ok := seen[key]; ok {
		v.add(path, value, msgDuplicate, first)
		return
	}
	seen[key] = path
}

// unique checks that a name is not repeated (case-insensitively) among seen.
func (v *validator) unique(path, value string, seen map[string]string) {
	key := strings.ToLower(strings.TrimSpace(value))
	if key == "" {
		return
	}
	if first, ok := seen[key]; ok {
		v.add(path, value, msgDuplicate, first)
		return
	}
	seen[key] = path
}

// Validate checks the whole profile and returns every problem joined with errors.Join (nil when
// there is none). Each problem is a *FieldError naming the field's JSON path. Validate also
// resolves each location's time zone and effective appointment hours for the lookup helpers.
func (p *Profile) Validate() error {
	if p == nil {
		return &FieldError{Path: "profile", Message: "is missing"}
	}
	var v validator
	if p.FormatVersion != FormatVersion {
		v.add("format_version", fmt.Sprint(p.FormatVersion), "is not supported (this version of ReferralDesk reads %d)", FormatVersion)
	}
	if v.required("id", p.ID) && !validCode(p.ID) {
		v.add("id", p.ID, msgBadCode)
	}
	v.required("name", p.Name)
	v.required("short_name", p.ShortName)
	if p.PortalURL != "" && !validURL(p.PortalURL) {
		v.add("portal_url", p.PortalURL, msgBadURL)
	}
	v.phone("support_phone", p.SupportPhone, false)

	p.validateDepartments(&v)
	p.validateLocations(&v)
	p.validateInsurance(&v)
	v.contacts("contacts", p.Contacts, true)
	p.validateInternational(&v)
	p.validateRules(&v)
	return errors.Join(v.errs...)
}

func (p *Profile) validateDepartments(v *validator) {
	if len(p.Departments) == 0 {
		v.add("departments", "", "lists no department")
	}
	codes, names := map[string]string{}, map[string]string{}
	for i, d := range p.Departments {
		at := fmt.Sprintf("departments[%d]", i)
		v.code(at+".code", d.Code, codes)
		v.names(at, d.Names)
		if v.required(at+".name", d.Name) {
			v.unique(at+".name", d.Name, names)
		}
	}
}

func (p *Profile) validateLocations(v *validator) {
	if len(p.Locations) == 0 {
		v.add("locations", "", "lists no location")
	}
	codes, names := map[string]string{}, map[string]string{}
	for i := range p.Locations {
		l := &p.Locations[i]
		at := fmt.Sprintf("locations[%d]", i)
		v.code(at+".code", l.Code, codes)
		v.names(at, l.Names)
		if v.required(at+".name", l.Name) {
			v.unique(at+".name", l.Name, names)
		}
		switch l.Kind {
		case KindCampus, KindHealthSystemRegion:
		case "":
			v.add(at+".kind", "", "%s (use %q or %q)", msgMissing, KindCampus, KindHealthSystemRegion)
		default:
			v.add(at+".kind", l.Kind, "is not a location kind (use %q or %q)", KindCampus, KindHealthSystemRegion)
		}
		if l.Address != nil {
			v.address(at+".address", *l.Address)
		}
		v.phone(at+".referral_phone", l.ReferralPhone, true)
		v.phone(at+".appointment_phone", l.AppointmentPhone, false)
		v.phone(at+".fax", l.Fax, false)
		v.phone(at+".international_phone", l.InternationalPhone, false)
		v.phone(at+".international_fax", l.InternationalFax, false)
		if l.Email != "" && !validEmail(l.Email) {
			v.add(at+".email", l.Email, msgBadEmail)
		}
		l.tz = nil
		if v.required(at+".time_zone", l.TimeZone) {
			if tz, err := loadZone(l.TimeZone); err != nil {
				v.add(at+".time_zone", l.TimeZone, msgBadTZ)
			} else {
				l.tz = tz
			}
		}
		if l.AppointmentHours != nil {
			v.hours(at+".appointment_hours", *l.AppointmentHours)
			h := *l.AppointmentHours
			l.hours = &h
		} else {
			h := p.Rules.AppointmentHours
			l.hours = &h
		}
		pedListed := slices.ContainsFunc(p.Rules.PediatricLocations, func(c string) bool { return strings.EqualFold(c, l.Code) })
		switch {
		case l.AcceptsPediatrics && !pedListed:
			v.add(at+".accepts_pediatrics", "", "is true but rules.pediatric_locations does not list %q", l.Code)
		case !l.AcceptsPediatrics && pedListed && l.Code != "":
			v.add(at+".accepts_pediatrics", "", "is false but rules.pediatric_locations lists %q", l.Code)
		}
		v.contacts(at+".contacts", l.Contacts, false)
	}
}

// loadZone loads an IANA zone; "Local" and "" are refused, a profile must name a real place.
func loadZone(name string) (*time.Location, error) {
	if name == "Local" || name == "" || name != strings.TrimSpace(name) {
		return nil, fmt.Errorf("institution: time zone %q: %w", name, ErrInvalidProfile)
	}
	tz, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("institution: time zone %q: %w", name, err)
	}
	return tz, nil
}

func (v *validator) address(at string, a Address) {
	if a.Empty() {
		v.add(at, "", "is empty (leave it out instead)")
		return
	}
	v.required(at+".line", a.Line)
	v.required(at+".city", a.City)
	v.required(at+".state", a.State)
	if v.required(at+".postal_code", a.PostalCode) {
		if _, us := USState(a.State); us && !ValidZIP(a.PostalCode) {
			v.add(at+".postal_code", a.PostalCode, msgBadZIP)
		}
	}
}

func (v *validator) hours(at string, h Hours) {
	if len(h.Weekdays) == 0 {
		v.add(at+".weekdays", "", "lists no day")
	}
	seen := map[time.Weekday]bool{}
	for i, d := range h.Weekdays {
		wd, ok := parseWeekday(d)
		switch {
		case !ok:
			v.add(fmt.Sprintf("%s.weekdays[%d]", at, i), d, msgBadDay)
		case seen[wd]:
			v.add(fmt.Sprintf("%s.weekdays[%d]", at, i), d, "is listed twice")
		default:
			seen[wd] = true
		}
	}
	start, okS := parseClock(h.Start)
	end, okE := parseClock(h.End)
	if !okS {
		if h.Start == "" {
			v.add(at+".start", "", msgMissing)
		} else {
			v.add(at+".start", h.Start, msgBadTime)
		}
	}
	if !okE {
		if h.End == "" {
			v.add(at+".end", "", msgMissing)
		} else {
			v.add(at+".end", h.End, msgBadTime)
		}
	}
	if okS && okE && end <= start {
		v.add(at+".end", h.End, "must be later than start %q", h.Start)
	}
}

func (v *validator) contacts(at string, cs []Contact, needCode bool) {
	codes := map[string]string{}
	for i, c := range cs {
		ca := fmt.Sprintf("%s[%d]", at, i)
		if needCode || c.Code != "" {
			v.code(ca+".code", c.Code, codes)
		}
		v.required(ca+".label", c.Label)
		if c.Phone == "" && c.Fax == "" && c.Email == "" && c.URL == "" {
			v.add(ca, "", "has no phone, fax, email or url")
		}
		v.phone(ca+".phone", c.Phone, false)
		v.phone(ca+".fax", c.Fax, false)
		if c.Email != "" && !validEmail(c.Email) {
			v.add(ca+".email", c.Email, msgBadEmail)
		}
		if c.URL != "" && !validURL(c.URL) {
			v.add(ca+".url", c.URL, msgBadURL)
		}
	}
}

func (p *Profile) validateInsurance(v *validator) {
	if len(p.InsuranceTypes) == 0 {
		v.add("insurance_types", "", "lists no insurance type")
	}
	codes, names := map[string]string{}, map[string]string{}
	for i, t := range p.InsuranceTypes {
		at := fmt.Sprintf("insurance_types[%d]", i)
		v.code(at+".code", t.Code, codes)
		v.names(at, t.Names)
		if v.required(at+".name", t.Name) {
			v.unique(at+".name", t.Name, names)
		}
	}
}

// ruleNames are the JSON names of Rules' fields, the valid keys of rules.sources.
var ruleNames = []string{
	"pediatric_age_limit", "pediatric_locations", "max_packet_pages", "max_upload_bytes",
	"max_total_attachment_bytes", "appointment_hours", "fax_response_business_days", "my_patients_days",
}

func (p *Profile) validateRules(v *validator) {
	r := p.Rules
	switch {
	case r.PediatricAgeLimit <= 0:
		v.add("rules.pediatric_age_limit", fmt.Sprint(r.PediatricAgeLimit), msgPositive)
	case r.PediatricAgeLimit > 30:
		v.add("rules.pediatric_age_limit", fmt.Sprint(r.PediatricAgeLimit), "is too high (patients under this age are pediatric; 18 is usual)")
	}
	seen := map[string]string{}
	for i, c := range r.PediatricLocations {
		at := fmt.Sprintf("rules.pediatric_locations[%d]", i)
		if !v.required(at, c) {
			continue
		}
		if _, ok := p.Location(c); !ok {
			v.add(at, c, "is not a location code (see locations[].code)")
		}
		v.unique(at, c, seen)
	}
	if r.MaxPacketPages <= 0 {
		v.add("rules.max_packet_pages", fmt.Sprint(r.MaxPacketPages), msgPositive)
	}
	if r.MaxUploadBytes <= 0 {
		v.add("rules.max_upload_bytes", fmt.Sprint(r.MaxUploadBytes), msgPositive)
	}
	switch {
	case r.MaxTotalAttachmentBytes <= 0:
		v.add("rules.max_total_attachment_bytes", fmt.Sprint(r.MaxTotalAttachmentBytes), msgPositive)
	case r.MaxTotalAttachmentBytes < r.MaxUploadBytes:
		v.add("rules.max_total_attachment_bytes", fmt.Sprint(r.MaxTotalAttachmentBytes), "is smaller than rules.max_upload_bytes")
	}
	v.hours("rules.appointment_hours", r.AppointmentHours)
	if r.FaxResponseBusinessDays <= 0 {
		v.add("rules.fax_response_business_days", fmt.Sprint(r.FaxResponseBusinessDays), msgPositive)
	}
	if r.MyPatientsDays <= 0 {
		v.add("rules.my_patients_days", fmt.Sprint(r.MyPatientsDays), msgPositive)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Sources)) {
		if !slices.Contains(ruleNames, k) {
			v.add("rules.sources", k, "is not a rule name (use one of %s)", strings.Join(ruleNames, ", "))
		}
	}
}
