package referral

import (
	"math"
	"strconv"
	"strings"
)

// formatBytes writes a size in decimal units as people read them: "512 bytes", "12.5 MB", "1 GB".
func formatBytes(n int64) string {
	units := []string{"KB", "MB", "GB", "TB"}
	if n < 1000 {
		if n == 1 {
			return "1 byte"
		}
		return strconv.FormatInt(n, 10) + " bytes"
	}
	v := float64(n)
	u := ""
	for _, u = range units {
		v /= 1000
		if math.Round(v*10) < 10000 { // below 1000 once rounded to one decimal
			break
		}
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + u
}

// formatOver writes size against limit so the two never read the same ("100 MB" vs "100 MB").
func formatOver(size, limit int64) (string, string) {
	s, l := formatBytes(size), formatBytes(limit)
	if s == l {
		return groupDigits(size) + " bytes", groupDigits(limit) + " bytes"
	}
	return s, l
}

// groupDigits writes 1234567 as "1,234,567".
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
