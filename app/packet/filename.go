package packet

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Longest name part kept in a file name, in bytes (the whole name stays well under 255 bytes, the
// limit on macOS and Linux, and leaves room for a Windows path).
const maxNamePart = 60

// FileName gives the packet's file name, "Last, First YYYY-MM-DD.pdf", safe on Windows, macOS and
// Linux: characters <>:"/\|?* and control or invisible formatting characters are removed, runs of
// spaces collapsed, leading and trailing dots and spaces trimmed, each name part limited in length,
// and a name Windows reserves (CON, NUL, COM1...) prefixed with "_". Missing parts are left out
// ("Last YYYY-MM-DD.pdf"); with no name at all it is "Patient YYYY-MM-DD.pdf".
func FileName(family, given string, dob time.Time) string {
	fam, giv := cleanPart(family), cleanPart(given)
	name := fam
	switch {
	case fam != "" && giv != "":
		name = fam + ", " + giv
	case fam == "":
		name = giv
	}
	if name == "" {
		name = "Patient"
	}
	if !dob.IsZero() {
		name += " " + dob.Format(time.DateOnly)
	}
	if isReservedName(name) {
		name = "_" + name
	}
	return name + ".pdf"
}

func cleanPart(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteByte(' ')
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsSpace(r):
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if len(out) > maxNamePart {
		cut := maxNamePart
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut]
	}
	// No leading or trailing dots, spaces or commas (Windows drops trailing dots and spaces; a
	// leading dot hides the file on macOS and Linux).
	return strings.Trim(out, " .,")
}

var reservedNames = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"COM¹": true, "COM²": true, "COM³": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
	"LPT¹": true, "LPT²": true, "LPT³": true,
}

// isReservedName: Windows reserves these device names, also with an extension ("CON.pdf").
func isReservedName(stem string) bool {
	base := stem
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	return reservedNames[strings.ToUpper(strings.TrimRight(base, " "))]
}
