package screens

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
