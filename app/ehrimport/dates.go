package ehrimport

import (
	"strconv"
	"strings"
	"time"
)

// parseTS reads an HL7 v3 TS value of any precision: YYYY[MM[DD[HH[MM[SS[.fff]]]]]][+-ZZZZ].
// Anything it cannot read gives the zero Date.
func parseTS(v string) Date {
	v = strings.TrimSpace(v)
	zone := time.UTC
	if i := strings.IndexAny(v, "+-"); i >= 4 {
		if z := v[i+1:]; len(z) == 4 && digits(z) {
			h, _ := strconv.Atoi(z[:2])
			m, _ := strconv.Atoi(z[2:])
			off := (h*60 + m) * 60
			if v[i] == '-' {
				off = -off
			}
			zone = time.FixedZone("", off)
		}
		v = v[:i]
	}
	if i := strings.IndexByte(v, '.'); i >= 0 {
		v = v[:i]
	}
	if len(v) < 4 || !digits(v) {
		return Date{}
	}
	num := func(a, b int) int {
		if len(v) < b {
			return -1
		}
		n, _ := strconv.Atoi(v[a:b])
		return n
	}
	y, mo, d, h, mi, s := num(0, 4), num(4, 6), num(6, 8), num(8, 10), num(10, 12), num(12, 14)
	prec := PrecisionYear
	switch {
	case len(v) >= 10:
		prec = PrecisionTime
	case len(v) >= 8:
		prec = PrecisionDay
	case len(v) >= 6:
		prec = PrecisionMonth
	}
	return mkDate(y, mo, d, h, mi, s, zone, prec)
}

// parseFHIRDate reads a FHIR date or dateTime: YYYY, YYYY-MM, YYYY-MM-DD or a full RFC 3339 time.
func parseFHIRDate(v string) Date {
	v = strings.TrimSpace(v)
	if len(v) > 10 {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return Date{Time: t, Precision: PrecisionTime}
		}
		v = v[:10]
	}
	parts := strings.Split(v, "-")
	if len(parts) == 0 || len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}
	}
	n := make([]int, 3)
	for i := range n {
		n[i] = -1
	}
	for i, p := range parts {
		if !digits(p) || p == "" {
			return Date{}
		}
		n[i], _ = strconv.Atoi(p)
	}
	return mkDate(n[0], n[1], n[2], -1, -1, -1, time.UTC, Precision(len(parts)))
}

func mkDate(y, mo, d, h, mi, s int, zone *time.Location, prec Precision) Date {
	if y < 1800 || y > 2200 {
		return Date{}
	}
	fix := func(v, def, lo, hi int) (int, bool) {
		if v < 0 {
			return def, true
		}
		return v, v >= lo && v <= hi
	}
	var ok [5]bool
	mo, ok[0] = fix(mo, 1, 1, 12)
	d, ok[1] = fix(d, 1, 1, 31)
	h, ok[2] = fix(h, 0, 0, 23)
	mi, ok[3] = fix(mi, 0, 0, 59)
	s, ok[4] = fix(s, 0, 0, 60)
	for _, k := range ok {
		if !k {
			return Date{}
		}
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, 0, zone)
	if t.Day() != d {
		return Date{}
	}
	return Date{Time: t, Precision: prec}
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
