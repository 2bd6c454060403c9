package screens

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/settings"
)

// Choosing a language in Settings stores it and relabels the screens at once; choosing English
// again brings every word back.
func TestSettingsSwitchesTheLanguage(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	addProvider(t, st, "1234567893")
	deps := testDeps(t, st)
	m := settings.New(st, deps.Profile)
	deps.Settings = m
	u, w := newTestUI(t, deps)
	t.Cleanup(func() { SetLanguage("en") })

	tapButton(t, u, w, "Settings")
	if got := u.prefs.language.Options; strings.Join(got, ",") != "English,Español,中文（简体）" {
		t.Fatalf("language choices %q", got)
	}
	for _, c := range []struct{ name, tag, words, home string }{
		{"Español", "es", "Clínica remitente", "Inicio"},
		{"中文（简体）", "zh-Hans", "转诊诊所", "主页"},
		{"English", "en", "Referring clinic", "Home"},
	} {
		u.prefs.language.SetSelected(c.name)
		u.Idle()
		if s, _ := m.Load(ctx); s.Language != c.tag {
			t.Fatalf("%s: stored language %q", c.name, s.Language)
		}
		if got := catalog.Default().Lang().String(); got != c.tag {
			t.Fatalf("%s: the catalog speaks %q", c.name, got)
		}
		if got := windowTexts(w); !strings.Contains(got, c.words) {
			t.Fatalf("%s: the Settings screen was not relabelled: %.300s", c.name, got)
		}
		if u.prefs.language.Selected != c.name {
			t.Fatalf("%s: the rebuilt screen shows %q", c.name, u.prefs.language.Selected)
		}
		tapButton(t, u, w, c.home)
		if got := windowTexts(w); !strings.Contains(got, catalog.T(catalog.UIHomePlaceOrder)) {
			t.Fatalf("%s: the home screen is not in the language", c.name)
		}
		tapButton(t, u, w, catalog.T(catalog.UIHomeSettings))
	}
}

// Fyne's own dialog buttons follow the chosen language whatever the system's language is: here
// a German, then a Japanese, then a locale-less system (Fyne reads $LANGUAGE/$LC_ALL/$LANG on
// Linux; on Windows and macOS it reads the OS settings, which the same mechanism covers, as it
// does not steer what Fyne reads but gives Fyne the chosen words under whatever it picks).
func TestFyneDialogsFollowTheChosenLanguage(t *testing.T) {
	t.Cleanup(func() { SetLanguage("en") })
	for _, sys := range []string{"de_DE.UTF-8", "ja_JP.UTF-8", "C"} {
		t.Setenv("LANGUAGE", "")
		t.Setenv("LC_ALL", sys)
		t.Setenv("LC_MESSAGES", sys)
		t.Setenv("LANG", sys)
		for _, c := range []struct{ tag, ok, cancel, yes, no string }{
			{"es", "Aceptar", "Cancelar", "Sí", "No"},
			{"zh-Hans", "确定", "取消", "是", "否"},
			{"en", "OK", "Cancel", "Yes", "No"},
		} {
			SetLanguage(c.tag)
			// Fyne reads the system's locale again (as it does whenever translations are added):
			// the words must not depend on an environment the app changed, which Windows and
			// macOS would not read anyway.
			t.Setenv("LANGUAGE", "")
			_ = lang.AddTranslationsForLocale([]byte("{}"), "eo")
			w := test.NewTempWindow(t, widget.NewLabel(""))
			w.Resize(fyne.NewSize(600, 400))
			dialog.NewConfirm("t", "m", func(bool) {}, w).Show()
			dialog.NewInformation("t", "m", w).Show()
			d := dialog.NewCustomConfirm("t", lang.L("Yes"), lang.L("No"), widget.NewLabel("m"), func(bool) {}, w)
			d.Show()
			got := buttonTexts(w)
			for _, want := range []string{c.yes, c.no, c.ok} {
				if !slices.Contains(got, want) {
					t.Errorf("system %s, chosen %s: no %q button in %q", sys, c.tag, want, got)
				}
			}
			if lang.L("Cancel") != c.cancel {
				t.Errorf("system %s, chosen %s: Cancel is %q", sys, c.tag, lang.L("Cancel"))
			}
		}
	}
}

// buttonTexts lists the labels of the buttons shown in w, dialogs included.
func buttonTexts(w fyne.Window) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if b, ok := o.(*widget.Button); ok {
			out = append(out, b.Text)
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	walk(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
	return out
}
