package catalog

import (
	"testing"
	"time"
)

func TestDatesInEachLanguage(t *testing.T) {
	at := time.Date(2026, time.March, 2, 9, 5, 0, 0, time.UTC) // a Monday
	for _, c := range []struct{ lang, dayTime, weekday, date string }{
		{"en", "Mar 2, 09:05", "Mon Mar 2 2026, 09:05", "Mar 2 2026"},
		{"es", "2 mar, 09:05", "lun 2 mar 2026, 09:05", "2 mar 2026"},
		{"zh", "3月2日 09:05", "2026年3月2日 周一 09:05", "2026年3月2日"},
	} {
		p := For(c.lang)
		if got := p.DayTime(at); got != c.dayTime {
			t.Errorf("%s DayTime = %q, want %q", c.lang, got, c.dayTime)
		}
		if got := p.WeekdayDateTime(at); got != c.weekday {
			t.Errorf("%s WeekdayDateTime = %q, want %q", c.lang, got, c.weekday)
		}
		if got := p.Date(at); got != c.date {
			t.Errorf("%s Date = %q, want %q", c.lang, got, c.date)
		}
	}
	// English keeps Go's layouts exactly (the screens' texts did not change).
	if got, want := For("en").DateTime(at), at.Format("Jan 2 2006 15:04"); got != want {
		t.Errorf("en DateTime = %q, want %q", got, want)
	}
}
