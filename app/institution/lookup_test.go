package institution

import (
	"testing"
	"time"
)

func TestIsPediatric(t *testing.T) {
	p := mustDefault(t)
	for age, want := range map[int]bool{0: true, 5: true, 17: true, 18: false, 40: false, -1: false} {
		if got := p.IsPediatric(age); got != want {
			t.Errorf("IsPediatric(%d) = %v, want %v", age, got, want)
		}
	}
	var nilp *Profile
	if nilp.IsPediatric(5) || nilp.AllowsPediatrics("rochester") {
		t.Error("nil profile answers yes")
	}
	if _, ok := nilp.Location("rochester"); ok {
		t.Error("nil profile finds a location")
	}
	if got := p.PediatricLocations(); len(got) != 1 || got[0].Code != "rochester" {
		t.Errorf("PediatricLocations = %+v", got)
	}
	if p.AllowsPediatrics("nowhere") || p.AllowsPediatrics("") {
		t.Error("unknown location allows pediatrics")
	}
	if !p.AllowsPediatrics("Rochester") {
		t.Error("codes should match case-insensitively")
	}
}

func TestAppointmentHoursOpen(t *testing.T) {
	p := mustDefault(t)
	az, _ := p.Location("arizona")
	fl, _ := p.Location("florida")
	mn, _ := p.Location("rochester")
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name string
		loc  Location
		at   time.Time
		want bool
	}{
		// Wednesday 2025-07-16. Phoenix is UTC-7 all year; New York UTC-4 and Chicago UTC-5 in summer.
		{"phoenix 8:00 opens", az, utc("2025-07-16T15:00:00Z"), true},
		{"phoenix 7:59 closed", az, utc("2025-07-16T14:59:00Z"), false},
		{"phoenix 16:59 open", az, utc("2025-07-16T23:59:00Z"), true},
		{"phoenix 17:00 closed", az, utc("2025-07-17T00:00:00Z"), false},
		{"new york 8:00", fl, utc("2025-07-16T12:00:00Z"), true},
		{"new york 17:30", fl, utc("2025-07-16T21:30:00Z"), false},
		{"chicago 8:00 summer", mn, utc("2025-07-16T13:00:00Z"), true},
		{"chicago 7:00 summer", mn, utc("2025-07-16T12:00:00Z"), false},
		// Winter: Chicago is UTC-6, so 13:30 UTC is 7:30 local.
		{"chicago 7:30 winter", mn, utc("2025-01-15T13:30:00Z"), false},
		{"chicago 8:30 winter", mn, utc("2025-01-15T14:30:00Z"), true},
		{"saturday closed", mn, utc("2025-07-19T16:00:00Z"), false},
		{"sunday closed", fl, utc("2025-07-20T16:00:00Z"), false},
		// Friday 16:00 in Phoenix is already Saturday in UTC.
		{"friday evening phoenix", az, utc("2025-07-18T23:30:00Z"), true},
		{"zero location", Location{}, utc("2025-07-16T16:00:00Z"), false},
		{"hand-made with hours", Location{TimeZone: "America/Chicago", AppointmentHours: &Hours{Weekdays: []string{"wednesday"}, Start: "09:00", End: "10:00"}}, utc("2025-07-16T14:30:00Z"), true},
	}
	for _, tc := range cases {
		if got := tc.loc.AppointmentHoursOpen(tc.at); got != tc.want {
			t.Errorf("%s: AppointmentHoursOpen(%v) = %v, want %v", tc.name, tc.at, got, tc.want)
		}
	}
}

func TestFaxReplyBy(t *testing.T) {
	p := mustDefault(t)
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d string, h int) time.Time {
		v, err := time.ParseInLocation("2006-01-02", d, chicago)
		if err != nil {
			t.Fatal(err)
		}
		return v.Add(time.Duration(h) * time.Hour)
	}
	cases := []struct{ sent, want string }{
		{"2025-07-14", "2025-07-17"}, // Monday -> Thursday
		{"2025-07-16", "2025-07-21"}, // Wednesday -> Monday
		{"2025-07-18", "2025-07-23"}, // Friday -> Wednesday
		{"2025-07-19", "2025-07-23"}, // Saturday -> Wednesday
		{"2025-07-20", "2025-07-23"}, // Sunday -> Wednesday
		{"2025-03-07", "2025-03-12"}, // across the DST change: clock time kept
	}
	for _, tc := range cases {
		got := p.FaxReplyBy(at(tc.sent, 10))
		if want := at(tc.want, 10); !got.Equal(want) {
			t.Errorf("FaxReplyBy(%s 10:00) = %v, want %v", tc.sent, got, want)
		}
	}
	var nilp *Profile
	if s := at("2025-07-14", 10); !nilp.FaxReplyBy(s).Equal(s) {
		t.Error("nil profile should return sent")
	}
}

func TestHoursOpenAt(t *testing.T) {
	h := Hours{Weekdays: []string{"Monday"}, Start: "00:00", End: "24:00"}
	mon := time.Date(2025, 7, 14, 23, 59, 0, 0, time.UTC)
	if !h.OpenAt(mon) || h.OpenAt(mon.Add(time.Minute)) {
		t.Error("whole-day hours wrong")
	}
	if (Hours{Weekdays: []string{"monday"}, Start: "bad", End: "17:00"}).OpenAt(mon) {
		t.Error("invalid hours open")
	}
}
