package institution

import (
	"fmt"
	"strings"
	"time"
)

// Department finds a department by code (case-insensitive).
func (p *Profile) Department(code string) (Department, bool) {
	if p == nil || code == "" {
		return Department{}, false
	}
	for _, d := range p.Departments {
		if strings.EqualFold(d.Code, code) {
			return d, true
		}
	}
	return Department{}, false
}

// Location finds a location by code (case-insensitive).
func (p *Profile) Location(code string) (Location, bool) {
	if p == nil || code == "" {
		return Location{}, false
	}
	for _, l := range p.Locations {
		if strings.EqualFold(l.Code, code) {
			return l, true
		}
	}
	return Location{}, false
}

// InsuranceType finds an insurance type by code or by name (both case-insensitive).
func (p *Profile) InsuranceType(s string) (InsuranceType, bool) {
	s = strings.TrimSpace(s)
	if p == nil || s == "" {
		return InsuranceType{}, false
	}
	for _, t := range p.InsuranceTypes {
		if strings.EqualFold(t.Code, s) || strings.EqualFold(t.Name, s) {
			return t, true
		}
	}
	return InsuranceType{}, false
}

// Contact finds a profile-level contact by code (case-insensitive).
func (p *Profile) Contact(code string) (Contact, bool) {
	if p == nil || code == "" {
		return Contact{}, false
	}
	for _, c := range p.Contacts {
		if strings.EqualFold(c.Code, code) {
			return c, true
		}
	}
	return Contact{}, false
}

// AllowsPediatrics reports whether the location sees pediatric patients: it exists, accepts
// pediatrics and is listed in the rules.
func (p *Profile) AllowsPediatrics(locCode string) bool {
	l, ok := p.Location(locCode)
	if !ok || !l.AcceptsPediatrics {
		return false
	}
	for _, c := range p.Rules.PediatricLocations {
		if strings.EqualFold(c, l.Code) {
			return true
		}
	}
	return false
}

// PediatricLocations lists the locations that see pediatric patients, in profile order.
func (p *Profile) PediatricLocations() []Location {
	if p == nil {
		return nil
	}
	var out []Location
	for _, l := range p.Locations {
		if p.AllowsPediatrics(l.Code) {
			out = append(out, l)
		}
	}
	return out
}

// IsPediatric reports whether a patient of this age (whole years) is pediatric, i.e. younger
// than Rules.PediatricAgeLimit. Negative ages are not pediatric: they mean a bad birth date.
func (p *Profile) IsPediatric(age int) bool {
	return p != nil && age >= 0 && age < p.Rules.PediatricAgeLimit
}

// MyPatientsWindow is how long a patient stays on "my patients" after the last action.
func (p *Profile) MyPatientsWindow() time.Duration {
	if p == nil {
		return 0
	}
	return time.Duration(p.Rules.MyPatientsDays) * 24 * time.Hour
}

// FaxReplyBy is when an answer to a fax sent at sent is due: Rules.FaxResponseBusinessDays
// business days later, at the same clock time in sent's time zone. Business days are the
// weekdays of Rules.AppointmentHours (Monday to Friday if none are valid); holidays are not
// known and not skipped.
func (p *Profile) FaxReplyBy(sent time.Time) time.Time {
	if p == nil || p.Rules.FaxResponseBusinessDays <= 0 {
		return sent
	}
	days, some := p.Rules.AppointmentHours.days()
	if !some {
		days = [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}
	}
	t := sent
	for n := p.Rules.FaxResponseBusinessDays; n > 0; {
		t = t.AddDate(0, 0, 1)
		if days[t.Weekday()] {
			n--
		}
	}
	return t
}

// TimeLocation is the location's time zone.
func (l Location) TimeLocation() (*time.Location, error) {
	if l.tz != nil {
		return l.tz, nil
	}
	tz, err := loadZone(l.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("institution: location %q: %w", l.Code, err)
	}
	return tz, nil
}

// Hours is the location's effective appointment hours: its own, else the profile's rule. It is
// nil for a Location that did not come from a validated profile and has no hours of its own.
func (l Location) Hours() *Hours {
	if l.AppointmentHours != nil {
		return l.AppointmentHours
	}
	return l.hours
}

// AppointmentHoursOpen reports whether t falls within the location's appointment hours, in the
// location's own time zone. It is false when the zone or the hours are unknown.
func (l Location) AppointmentHoursOpen(t time.Time) bool {
	h := l.Hours()
	tz, err := l.TimeLocation()
	if h == nil || err != nil {
		return false
	}
	return h.OpenAt(t.In(tz))
}

// OpenAt reports whether the wall clock of t (in t's own zone) is within the hours: on a listed
// weekday, at or after Start and before End.
func (h Hours) OpenAt(t time.Time) bool {
	days, _ := h.days()
	start, okS := parseClock(h.Start)
	end, okE := parseClock(h.End)
	if !okS || !okE || !days[t.Weekday()] {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	return m >= start && m < end
}

// days is the set of valid weekdays, and whether there is any.
func (h Hours) days() (set [7]bool, some bool) {
	for _, d := range h.Weekdays {
		if wd, ok := parseWeekday(d); ok {
			set[wd] = true
			some = true
		}
	}
	return set, some
}

var weekdayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func parseWeekday(s string) (time.Weekday, bool) {
	wd, ok := weekdayNames[strings.ToLower(strings.TrimSpace(s))]
	return wd, ok
}

// parseClock reads "HH:MM" (24-hour; "24:00" allowed as the end of the day) into minutes.
func parseClock(s string) (int, bool) {
	if s == "24:00" {
		return 24 * 60, true
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}
