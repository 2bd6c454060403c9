package msg

import (
	"strconv"
	"strings"
)

// SizeUnit is the unit Bytes.Scale picks.
type SizeUnit int

const (
	UnitBytes SizeUnit = iota
	UnitKB
	UnitMB
	UnitGB
	UnitTB
)

var unitSymbols = [...]string{"bytes", "KB", "MB", "GB", "TB"}

// Scale expresses a size in decimal (SI) units, as the operating systems' file managers do:
// 1 KB is 1000 bytes. The value is to be shown with at most one decimal; the unit is the largest
// that keeps it under 1000 once so rounded. This is the app's one rule for sizes: the catalog
// writes it in the user's language, String in English.
func (b Bytes) Scale() (float64, SizeUnit) {
	n := int64(b)
	if n < 1000 && n > -1000 {
		return float64(n), UnitBytes
	}
	v, u := float64(n), UnitBytes
	for u < UnitTB {
		v /= 1000
		u++
		if v > -999.95 && v < 999.95 {
			break
		}
	}
	return v, u
}

// String writes the size in English ("1 byte", "512 bytes", "12.5 MB"), for errors and logs;
// text for the user goes through the catalog.
func (b Bytes) String() string {
	v, u := b.Scale()
	if u == UnitBytes {
		if b == 1 {
			return "1 byte"
		}
		return strconv.FormatInt(int64(b), 10) + " bytes"
	}
	s := strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
	return s + " " + unitSymbols[u]
}
