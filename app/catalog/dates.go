package catalog

import (
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app/msg"
)

// Codes of dates written in words: the month and weekday names (one line each, space-separated),
// and the order of the parts in each language.
var (
	dateMonths          = msg.Define("date.months")
	dateWeekdays        = msg.Define("date.weekdays")
	dateDayTime         = msg.Define("date.day_time", "month", "day", "time")
	dateWeekdayDateTime = msg.Define("date.weekday_date_time", "weekday", "month", "day", "year", "time")
	dateDateTime        = msg.Define("date.date_time", "month", "day", "year", "time")
	dateDate            = msg.Define("date.date", "month", "day", "year")
)

// DayTime writes a recent moment: "Jan 2, 15:04", "2 ene, 15:04", "1月2日 15:04".
func (p *Printer) DayTime(t time.Time) string {
	return p.Text(msg.New(dateDayTime, p.month(t), t.Day(), t.Format("15:04")))
}

// WeekdayDateTime writes an appointment: "Mon Jan 2 2006, 15:04".
func (p *Printer) WeekdayDateTime(t time.Time) string {
	return p.Text(msg.New(dateWeekdayDateTime, p.nth(dateWeekdays, int(t.Weekday())), p.month(t), t.Day(), t.Year(), t.Format("15:04")))
}

// DateTime writes a moment with its year: "Jan 2 2006 15:04".
func (p *Printer) DateTime(t time.Time) string {
	return p.Text(msg.New(dateDateTime, p.month(t), t.Day(), t.Year(), t.Format("15:04")))
}

// Date writes a day in words: "Jan 2 2006".
func (p *Printer) Date(t time.Time) string {
	return p.Text(msg.New(dateDate, p.month(t), t.Day(), t.Year()))
}

func (p *Printer) month(t time.Time) string { return p.nth(dateMonths, int(t.Month())-1) }

// nth is the i-th name of a space-separated list of names.
func (p *Printer) nth(c msg.Code, i int) string {
	names := strings.Fields(p.Text(msg.New(c)))
	if i < 0 || i >= len(names) {
		return ""
	}
	return names[i]
}
