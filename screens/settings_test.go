package screens

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/referraldesk/referraldesk/app/settings"
)

// The Settings screen saves each change at once and it takes effect without a restart: the lock
// comes after the new idle time, the theme changes, a new order starts at the default location.
func TestSettingsScreenAppliesChanges(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	addProvider(t, st, "1234567893")
	deps := testDeps(t, st)
	m := settings.New(st, deps.Profile)
	deps.Settings = m
	clk := &clock{t: fixedNow}
	deps.Now = clk.now
	u, w := newTestUI(t, deps)
	if u.lockAfter() != 10*time.Minute {
		t.Fatalf("lock after %v at start", u.lockAfter())
	}
	tapButton(t, u, w, "Settings")
	p := u.prefs
	if p == nil || p.lock.Selected != "10 minutes" || p.theme.Selected != "Same as the computer" ||
		p.retention.Selected != "30 days after the order is finished" || p.locSel.Selected != askLocation() || p.language.Selected != "English" {
		t.Fatalf("the stored values are not shown: %+v", p)
	}
	if got := windowTexts(w); !strings.Contains(got, deps.Profile.Name) || !strings.Contains(got, "Institution") {
		t.Fatal("the Settings screen does not name the institution profile (the readiness check sends users here)")
	}

	p.lock.SetSelected("2 minutes")
	u.Idle()
	if s, _ := m.Load(ctx); s.LockMinutes != 2 || u.lockAfter() != 2*time.Minute || p.msg.Text != "Saved." {
		t.Fatalf("lock time: stored %d, in effect %v, %q", s.LockMinutes, u.lockAfter(), p.msg.Text)
	}
	u.checkIdle()
	clk.add(2 * time.Minute)
	u.checkIdle()
	u.Idle()
	if !u.locked {
		t.Fatal("not locked after the new idle time")
	}
	tapButton(t, u, w, "Unlock")

	p.theme.SetSelected("Dark")
	u.Idle()
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	if got := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
		t.Fatalf("the theme did not switch to dark: background %v", got)
	}
	p.theme.SetSelected("Light")
	u.Idle()
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	if got := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark); got != light {
		t.Fatalf("the theme did not switch to light: background %v", got)
	}

	p.retention.SetSelected("Keep them")
	u.Idle()
	if s, _ := m.Load(ctx); s.RetentionDays != 0 {
		t.Fatalf("retention: %d", s.RetentionDays)
	}

	loc := deps.Profile.Locations[2]
	p.locSel.SetSelected(loc.Name)
	u.Idle()
	u.NewOrder()
	if u.editor.order.Location != loc.Code {
		t.Fatalf("a new order starts at %q, want %q", u.editor.order.Location, loc.Code)
	}

	// Another window of the app (or the next start) shows what was saved.
	u.ShowSettings()
	u.Idle()
	if u.prefs.locSel.Selected != loc.Name || u.prefs.theme.Selected != "Light" || u.prefs.lock.Selected != "2 minutes" {
		t.Fatal("the saved values are not shown again")
	}
	s, _ := m.Load(ctx)
	want := settings.Settings{Language: "en", LockMinutes: 2, RetentionDays: 0, Theme: settings.ThemeLight, DefaultLocation: loc.Code}
	if s != want {
		t.Fatalf("stored %+v", s)
	}
}

// Settings stored before the start (by the command line) take effect when the app opens.
func TestSettingsAppliedAtStart(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	deps := testDeps(t, st)
	m := settings.New(st, deps.Profile)
	for name, v := range map[string]string{settings.LockMinutes: "5", settings.ThemeName: "dark"} {
		if _, err := m.Set(ctx, name, v); err != nil {
			t.Fatal(err)
		}
	}
	deps.Settings = m
	u, _ := newTestUI(t, deps)
	if u.lockAfter() != 5*time.Minute {
		t.Fatalf("lock after %v", u.lockAfter())
	}
	if _, ok := fyne.CurrentApp().Settings().Theme().(variantTheme); !ok {
		t.Fatal("the dark theme was not applied at start")
	}
}
