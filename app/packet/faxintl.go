package packet

import (
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
)

// licenceText is "12345 (El Salvador, Junta de Vigilancia de la Profesión Médica)", or "" for a
// provider without a licence.
func licenceText(p app.Provider) string {
	if !p.HasLicence() {
		return ""
	}
	parts := []string{intl.CountryName(p.LicenceCountry)}
	if a := strings.TrimSpace(p.LicenceAuthority); a != "" {
		parts = append(parts, a)
	}
	return strings.TrimSpace(p.LicenceNumber) + " (" + strings.Join(parts, ", ") + ")"
}

// languageText is "español (Spanish)", the language's own name and the staff's.
func languageText(tag string) string {
	l, ok := intl.LookupLanguage(tag)
	if !ok {
		return strings.TrimSpace(tag)
	}
	if l.English == "" || l.English == l.Name {
		return l.Name
	}
	return l.Name + " (" + l.English + ")"
}
