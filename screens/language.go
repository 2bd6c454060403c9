package screens

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
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
