package screens

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/settings"
)

// loadPrefs reads the settings at start and applies them. The system theme is left alone at start:
// it is Fyne's default, and the screenshot renderer sets its own.
func (u *UI) loadPrefs() {
	if u.deps.Settings == nil {
		return
	}
	run(&u.bg, u.deps.Settings.Load, func(s settings.Settings, err error) {
		if err != nil {
			showError(u.win, catalog.T(catalog.UIPrefsCouldNotReadSettings), err)
			return
		}
		u.applyPref(settings.LockMinutes, s)
		u.applyPref(settings.DefaultLocation, s)
		if s.Theme != settings.ThemeSystem {
			u.applyPref(settings.ThemeName, s)
		}
	})
}

// applyPref makes one setting take effect without a restart.
func (u *UI) applyPref(name string, s settings.Settings) {
	switch name {
	case settings.LockMinutes:
		u.deps.LockAfter = s.LockAfter()
	case settings.DefaultLocation:
		u.deps.DefaultLocation = s.DefaultLocation
	case settings.ThemeName:
		ApplyTheme(fyne.CurrentApp(), s.Theme)
	case settings.Language:
		if catalog.For(s.Language).Lang() != catalog.Default().Lang() {
			SetLanguage(s.Language)
			u.relabel()
		}
	}
}

// ApplyTheme sets the app's colours: the system's light or dark mode, or one of them always.
func ApplyTheme(a fyne.App, t settings.Theme) {
	switch t {
	case settings.ThemeLight:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case settings.ThemeDark:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}

// variantTheme is a theme held to one variant whatever the system's mode.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// Choices offered on the screen; the command line accepts any value in range, which is then
// offered too.
var (
	lockChoices      = []int{1, 2, 5, 10, 15, 30, 60}
	retentionChoices = []int{7, 30, 90, 180, 365, 0}
	themeText        = map[settings.Theme]msg.Code{
		settings.ThemeSystem: catalog.UIPrefsThemeSystem, settings.ThemeLight: catalog.UIPrefsThemeLight, settings.ThemeDark: catalog.UIPrefsThemeDark,
	}
)

func askLocation() string { return catalog.T(catalog.UIPrefsAskEachOrder) }

// prefsCard edits the app's settings; each change is saved and applied at once.
type prefsCard struct {
	u                                 *UI
	content                           fyne.CanvasObject
	language, lock, retention, locSel *widget.Select
	theme                             *widget.RadioGroup
	msg                               *widget.Label
	loading                           bool // filling in the stored values: not a change
}

func newPrefsCard(u *UI) *prefsCard {
	p := &prefsCard{u: u, msg: widget.NewLabel("")}
	p.msg.Wrapping = fyne.TextWrapWord
	var langs []string
	for _, l := range settings.Languages {
		if l.Available {
			langs = append(langs, l.Name)
		}
	}
	p.language = widget.NewSelect(langs, func(name string) {
		for _, l := range settings.Languages {
			if l.Name == name {
				p.set(settings.Language, l.Tag)
			}
		}
	})
	p.lock = widget.NewSelect(nil, func(s string) { p.set(settings.LockMinutes, leadingNumber(s)) })
	p.retention = widget.NewSelect(nil, func(s string) { p.set(settings.RetentionDays, leadingNumber(s)) })
	themes := make([]string, len(settings.Themes))
	for i, t := range settings.Themes {
		themes[i] = catalog.T(themeText[t])
	}
	p.theme = widget.NewRadioGroup(themes, func(s string) {
		for t, text := range themeText {
			if catalog.T(text) == s {
				p.set(settings.ThemeName, string(t))
			}
		}
	})
	p.theme.Horizontal = true
	locs := []string{askLocation()}
	for _, l := range u.deps.Profile.Locations {
		locs = append(locs, l.Label(uiLang()))
	}
	p.locSel = widget.NewSelect(locs, func(name string) {
		code := ""
		for _, l := range u.deps.Profile.Locations {
			if l.Label(uiLang()) == name {
				code = l.Code
			}
		}
		p.set(settings.DefaultLocation, code)
	})
	item := func(label string, w fyne.CanvasObject, hint string) *widget.FormItem {
		it := widget.NewFormItem(label, w)
		it.HintText = hint
		return it
	}
	form := widget.NewForm(
		item(catalog.T(catalog.UIPrefsLanguage), p.language, catalog.T(catalog.UIPrefsLanguageHint)),
		item(catalog.T(catalog.UIPrefsLockAfter), p.lock, catalog.T(catalog.UIPrefsPatientInformationHiddenWhen)),
		item(catalog.T(catalog.UIPrefsKeepFilesFinishedOrders), p.retention, catalog.T(catalog.UIPrefsPacketsPhotoCopiesFax)),
		item(catalog.T(catalog.UIPrefsTheme), p.theme, ""),
		item(catalog.T(catalog.UIPrefsNewOrdersGo), p.locSel, catalog.T(catalog.UIPrefsLocationNewOrderStarts)),
	)
	p.content = widget.NewCard(catalog.T(catalog.UIPrefsThisComputer), catalog.T(catalog.UIPrefsSavedAsSoonAs),
		container.NewVBox(form, p.msg))
	return p
}

// leadingNumber is the number a choice starts with ("10 minutes" → "10"; "Keep them" → "0").
func leadingNumber(s string) string {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil {
		return "0"
	}
	return strconv.Itoa(n)
}

func minutesText(n int) string {
	if n == 1 {
		return catalog.T(catalog.UIPrefs1Minute)
	}
	return catalog.T(catalog.UIPrefsNMinutes, n)
}

func daysText(n int) string {
	switch n {
	case 0:
		return catalog.T(catalog.UIPrefsKeepThem)
	case 1:
		return catalog.T(catalog.UIPrefs1DayAfterOrder)
	}
	return catalog.T(catalog.UIPrefsNDaysAfterOrder, n)
}

// withValue is opts plus v when the command line set a value the screen does not offer.
func withValue(opts []int, v int) []int {
	if slices.Contains(opts, v) {
		return opts
	}
	return append(slices.Clone(opts), v)
}

func (p *prefsCard) load() {
	u := p.u
	if u.deps.Settings == nil {
		p.content.Hide()
		return
	}
	run(&u.bg, u.deps.Settings.Load, func(s settings.Settings, err error) {
		if err != nil {
			p.msg.SetText(catalog.T(catalog.UIPrefsCouldNotReadSettings2, err.Error()))
			return
		}
		p.fill(s)
	})
}

func (p *prefsCard) fill(s settings.Settings) {
	p.loading = true
	defer func() { p.loading = false }()
	for _, l := range settings.Languages {
		if l.Tag == s.Language {
			p.language.SetSelected(l.Name)
		}
	}
	var opts []string
	for _, n := range withValue(lockChoices, s.LockMinutes) {
		opts = append(opts, minutesText(n))
	}
	p.lock.Options = opts
	p.lock.SetSelected(minutesText(s.LockMinutes))
	opts = nil
	for _, n := range withValue(retentionChoices, s.RetentionDays) {
		opts = append(opts, daysText(n))
	}
	p.retention.Options = opts
	p.retention.SetSelected(daysText(s.RetentionDays))
	p.theme.SetSelected(catalog.T(themeText[s.Theme]))
	p.locSel.SetSelected(askLocation())
	if l, ok := p.u.deps.Profile.Location(s.DefaultLocation); ok {
		p.locSel.SetSelected(l.Label(uiLang()))
	}
}

// set saves one setting off the UI thread and, once saved, applies it.
func (p *prefsCard) set(name, value string) {
	if p.loading {
		return
	}
	u := p.u
	run(&u.bg, func(ctx context.Context) (settings.Settings, error) {
		if _, err := u.deps.Settings.Set(ctx, name, value); err != nil {
			return settings.Settings{}, err
		}
		return u.deps.Settings.Load(ctx)
	}, func(s settings.Settings, err error) {
		var inv *settings.InvalidError
		switch {
		case errors.As(err, &inv):
			p.msg.SetText(inv.Error())
		case err != nil:
			showError(u.win, catalog.T(catalog.UIPrefsSettingWasNotSaved), err)
		default:
			u.applyPref(name, s)
			p.msg.SetText(catalog.T(catalog.UIPrefsSaved))
		}
	})
}
