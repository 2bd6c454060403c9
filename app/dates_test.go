package app

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	want := time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"1970-01-02", "01/02/1970", "1/2/1970", " 19700102 "} {
		got, err := ParseDate(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "1970-13-01", "02/30/1970", "yesterday"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) should fail", s)
		}
	}
}

func TestAgeOn(t *testing.T) {
	p := Patient{BirthDate: time.Date(2010, 6, 15, 0, 0, 0, 0, time.UTC)}
	if a := p.AgeOn(time.Date(2026, 6, 14, 0, 0, 0, 0, time.UTC)); a != 15 {
		t.Fatalf("age the day before the birthday = %d, want 15", a)
	}
	if a := p.AgeOn(time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); a != 16 {
		t.Fatalf("age on the birthday = %d, want 16", a)
	}
}
