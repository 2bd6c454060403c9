package screens

import (
	"embed"
	"encoding/json"
	"maps"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/msg"
)

// SetLanguage makes tag (BCP 47: "es", "zh-Hans") the interface language: the catalog's texts,
// and Fyne's own words (dialog buttons, the file dialog).
func SetLanguage(tag string) {
	catalog.SetLanguage(tag)
	syncFyneLanguage()
}

// uiLang is the interface language's BCP 47 tag, for the profile's translated names.
func uiLang() string { return catalog.Default().Lang().String() }

// insuranceOf is the insurance type's canonical (English) name for the name shown in the user's
// language: the chart stores and sends the English one.
func insuranceOf(prof *institution.Profile, shown string) string {
	if prof != nil {
		for _, t := range prof.InsuranceTypes {
			if t.Label(uiLang()) == shown {
				return t.Name
			}
		}
	}
	return shown
}

// Fyne's own words (dialog buttons, the file dialog, the date picker) per catalog language: copies
// of Fyne's translation files (fynelang/NOTICE).
//
//go:embed fynelang/*.json
var fyneWordsFS embed.FS

// fyneWords is the chosen language's set of Fyne's words, with English under it so that a word
// Fyne adds later never shows in the system's language.
func fyneWords(tag string) []byte {
	words := map[string]any{}
	for _, name := range []string{"en", tag} {
		b, err := fyneWordsFS.ReadFile("fynelang/" + name + ".json")
		if err != nil {
			continue // a language without a copy of Fyne's words: English
		}
		var m map[string]any
		if json.Unmarshal(b, &m) == nil {
			maps.Copy(words, m)
		}
	}
	b, _ := json.Marshal(words)
	return b
}

// syncFyneLanguage makes Fyne's own words follow the catalog's language on every OS. Fyne has no
// setter: it reads the system's locales itself (the registry on Windows, the user defaults on
// macOS, $LANGUAGE/$LANG on Linux) and speaks the closest language it has words for, else
// English. So the chosen language's words are given to Fyne under every language it has words
// for and under the system's locale: whichever Fyne picks, it speaks the chosen language.
func syncFyneLanguage() {
	data := fyneWords(catalog.Default().Lang().String())
	for _, l := range fyneTargets() {
		_ = lang.AddTranslationsForLocale(data, l)
	}
}

// fyneLocales are the languages of Fyne's own translations (fyne.io/fyne/v2 v2.8.1,
// lang/translations).
var fyneLocales = []string{"en", "cs", "de", "el", "es", "fr", "ja", "pl", "pt", "pt-br", "ru", "sv", "ta", "uk", "zh-hans"} // any case: language.Parse

// fyneTargets are the locales Fyne may pick for its words on this system.
func fyneTargets() []fyne.Locale {
	sys := lang.SystemLocale()
	var targets []fyne.Locale
	for _, l := range append(fyneLocales, sys.String(), sys.LanguageString()) {
		tag, err := language.Parse(l)
		if err != nil || tag == language.Und {
			continue
		}
		if t := fyne.Locale(tag.String()); !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
		if base, _ := tag.Base(); !slices.Contains(targets, fyne.Locale(base.String())) {
			targets = append(targets, fyne.Locale(base.String()))
		}
	}
	return targets
}

// relabel rebuilds the screens in the language just chosen; the Settings screen stays shown.
func (u *UI) relabel() {
	u.account, u.images = nil, nil
	u.ShowSettings()
	u.refreshStatus()
}

var statusCodes = map[app.Status]msg.Code{
	app.StatusDraft: catalog.StatusDraft, app.StatusReady: catalog.StatusReady, app.StatusSigned: catalog.StatusSigned,
	app.StatusQueued: catalog.StatusQueued, app.StatusSent: catalog.StatusSent, app.StatusReceived: catalog.StatusReceived,
	app.StatusAccepted: catalog.StatusAccepted, app.StatusDeclined: catalog.StatusDeclined,
	app.StatusScheduled: catalog.StatusScheduled, app.StatusCompleted: catalog.StatusCompleted,
	app.StatusCancelled: catalog.StatusCancelled, app.StatusNeedsAttention: catalog.StatusNeedsAttention,
}

// statusText names an order's status in the user's language; an unknown one as stored.
func statusText(s app.Status) string {
	if c, ok := statusCodes[s]; ok {
		return catalog.T(c)
	}
	return string(s)
}

// statusOf is the status a statusText names.
func statusOf(text string) app.Status {
	for s, c := range statusCodes {
		if catalog.T(c) == text {
			return s
		}
	}
	return app.Status(text)
}

// priorityText names a priority inside a line ("routine", "urgente").
func priorityText(p app.Priority) string {
	switch p {
	case app.PriorityRoutine:
		return catalog.T(catalog.PriorityRoutineLower)
	case app.PriorityUrgent:
		return catalog.T(catalog.PriorityUrgentLower)
	}
	return string(p)
}

var sexCodes = map[app.Sex]msg.Code{
	app.SexFemale: catalog.SexFemale, app.SexMale: catalog.SexMale, app.SexOther: catalog.SexOther, app.SexUnknown: catalog.SexUnknown,
}

// sexText names a chart's sex in the user's language; an unknown value as stored.
func sexText(s app.Sex) string {
	if c, ok := sexCodes[s]; ok {
		return catalog.T(c)
	}
	return string(s)
}

// sexOf is the sex a sexText names.
func sexOf(text string) app.Sex {
	for s, c := range sexCodes {
		if catalog.T(c) == text {
			return s
		}
	}
	return app.Sex(text)
}
