package screens

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/referraldesk/referraldesk/app/catalog"
)

// SetLanguage makes tag (BCP 47: "es", "zh-Hans") the interface language: the catalog's texts,
// and Fyne's own words (dialog buttons, the file dialog).
func SetLanguage(tag string) {
	catalog.SetLanguage(tag)
	syncFyneLanguage()
}

// syncFyneLanguage points Fyne's translations at the catalog's language. Fyne reads the
// system's locale (on Linux $LANGUAGE first) each time translations are added, and has no
// setter; adding an empty set makes it read again. On Windows and macOS Fyne keeps the
// system's language for its few words.
func syncFyneLanguage() {
	t := catalog.Default().Lang().String()
	if os.Getenv("LANGUAGE") == t {
		return
	}
	_ = os.Setenv("LANGUAGE", t)
	_ = lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale(t))
}

// relabel rebuilds the screens in the language just chosen; the Settings screen stays shown.
func (u *UI) relabel() {
	u.account, u.images = nil, nil
	u.ShowSettings()
	u.refreshStatus()
}
