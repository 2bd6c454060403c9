package app

import (
	"fmt"
	"strings"
	"time"
)

// dateLayouts are the ways people type a calendar date in a US clinic, ISO first.
var dateLayouts = []string{DateLayout, "01/02/2006", "1/2/2006", "01-02-2006", "1-2-2006", "20060102"}

// ParseDate reads a calendar date typed as 2006-01-02, 01/02/2006 or 1/2/2006 (US month first).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date; type it as YYYY-MM-DD or MM/DD/YYYY", s)
}

// FormatDate writes a calendar date as YYYY-MM-DD, or "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}
