package settings_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/retention"
	"github.com/referraldesk/referraldesk/app/settings"
	"github.com/referraldesk/referraldesk/local"
)

func open(t *testing.T) (*local.Store, *institution.Profile) {
	t.Helper()
	st, err := local.Open(filepath.Join(t.TempDir(), "rd.db"), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return st, prof
}

func TestDefaultsWhenNothingIsStored(t *testing.T) {
	st, prof := open(t)
	s, err := settings.New(st, prof).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s != settings.Defaults() || s.LockAfter() != 10*time.Minute || s.RetentionDays != 30 || s.Theme != settings.ThemeSystem {
		t.Fatalf("defaults: %+v", s)
	}
}

func TestSetValidatesStoresAndAudits(t *testing.T) {
	ctx := context.Background()
	st, prof := open(t)
	m := settings.New(st, prof)
	loc := prof.Locations[1]
	for _, c := range []struct{ name, in, want string }{
		{settings.Language, "EN", "en"},
		{settings.LockMinutes, " 5 ", "5"},
		{settings.RetentionDays, "0", "0"},
		{settings.ThemeName, "Dark", "dark"},
		{settings.DefaultLocation, strings.ToLower(loc.Code), loc.Code},
	} {
		got, err := m.Set(ctx, c.name, c.in)
		if err != nil || got != c.want {
			t.Fatalf("set %s %q: %q %v", c.name, c.in, got, err)
		}
	}
	s, err := m.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := settings.Settings{Language: "en", LockMinutes: 5, RetentionDays: 0, Theme: settings.ThemeDark, DefaultLocation: loc.Code}
	if s != want {
		t.Fatalf("loaded %+v, want %+v", s, want)
	}
	// The retention job reads the same value.
	if d, err := retention.Days(ctx, st); err != nil || d != 0 {
		t.Fatalf("retention days %d %v", d, err)
	}
	ev, err := st.AuditEvents(ctx, app.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, e := range ev {
		if e.Action == settings.EventChanged {
			changes = append(changes, e.Detail)
		}
	}
	if len(changes) != 5 || changes[1] != "idle-lock-minutes=5" || changes[3] != "theme=dark" {
		t.Fatalf("audit: %q", changes)
	}
}

func TestSetRefusesWithTheAllowedValues(t *testing.T) {
	ctx := context.Background()
	st, prof := open(t)
	m := settings.New(st, prof)
	for _, c := range []struct{ name, in, allowed string }{
		{settings.Language, "fr", "en, es, zh-Hans"}, // no catalog
		{settings.Language, "klingon!", "en"},
		{settings.LockMinutes, "0", "from 1 to 120"},
		{settings.LockMinutes, "ten", "from 1 to 120"},
		{settings.RetentionDays, "-1", "from 0"},
		{settings.ThemeName, "blue", "system, light, dark"},
		{settings.DefaultLocation, "MARS", prof.Locations[0].Code},
	} {
		_, err := m.Set(ctx, c.name, c.in)
		var inv *settings.InvalidError
		if !errors.As(err, &inv) || !errors.Is(err, settings.ErrInvalid) || !strings.Contains(err.Error(), c.allowed) {
			t.Fatalf("set %s %q: %v", c.name, c.in, err)
		}
	}
	if _, err := m.Set(ctx, "colour", "x"); !errors.Is(err, settings.ErrUnknown) || !strings.Contains(err.Error(), "idle-lock-minutes") {
		t.Fatalf("unknown setting: %v", err)
	}
	if s, _ := m.Load(ctx); s != settings.Defaults() {
		t.Fatalf("a refused value was stored: %+v", s)
	}
}

// A stored value that is no longer valid (a location the new profile lacks) falls back to the default.
func TestStaleValueFallsBack(t *testing.T) {
	ctx := context.Background()
	st, prof := open(t)
	if _, err := settings.New(st, prof).Set(ctx, settings.DefaultLocation, prof.Locations[0].Code); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, "lock.minutes", "999"); err != nil {
		t.Fatal(err)
	}
	m := settings.New(st, &institution.Profile{})
	s, err := m.Load(ctx)
	if err != nil || s.DefaultLocation != "" || s.LockMinutes != settings.DefaultLockMinutes {
		t.Fatalf("%+v %v", s, err)
	}
	list, err := m.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	problems := 0
	for _, e := range list {
		if e.Problem != nil {
			problems++
		}
	}
	if len(list) != len(settings.Names) || problems != 2 {
		t.Fatalf("list: %+v", list)
	}
}

func TestSaveWritesOnlyChanges(t *testing.T) {
	ctx := context.Background()
	st, prof := open(t)
	m := settings.New(st, prof)
	s := settings.Defaults()
	s.Theme, s.LockMinutes = settings.ThemeLight, 3
	if err := m.Save(ctx, s); err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Load(ctx); got != s {
		t.Fatalf("saved %+v, loaded %+v", s, got)
	}
	ev, _ := st.AuditEvents(ctx, app.AuditQuery{})
	if len(ev) != 2 {
		t.Fatalf("want two changes audited, got %d", len(ev))
	}
	s.LockMinutes = 0
	if err := m.Save(ctx, s); !errors.Is(err, settings.ErrInvalid) {
		t.Fatalf("save of an invalid lock time: %v", err)
	}
}

// The languages with a catalog are chosen by their tag or a close one ("zh" is Simplified Chinese).
func TestLanguagesByTag(t *testing.T) {
	ctx := context.Background()
	st, prof := open(t)
	m := settings.New(st, prof)
	for in, want := range map[string]string{"es": "es", "es-MX": "es", "zh": "zh-Hans", "zh-CN": "zh-Hans", "zh-Hans": "zh-Hans", "en": "en"} {
		if _, err := m.Set(ctx, settings.Language, in); err != nil {
			t.Fatalf("set language %q: %v", in, err)
		}
		if s, _ := m.Load(ctx); s.Language != want {
			t.Fatalf("language %q is stored as %q, want %q", in, s.Language, want)
		}
	}
}

// Until a language is chosen, the computer's language is in effect when there is a catalog for
// it; a chosen one wins.
func TestSystemLanguageIsTheDefault(t *testing.T) {
	ctx := context.Background()
	st, prof := open(t)
	m := settings.New(st, prof)
	for sys, want := range map[string]string{"es-MX": "es", "zh-Hans-CN": "zh-Hans", "fr-FR": "en", "": "en"} {
		m.SystemLanguage = sys
		if s, _ := m.Load(ctx); s.Language != want {
			t.Errorf("system %q: language %q, want %q", sys, s.Language, want)
		}
	}
	m.SystemLanguage = "es"
	if _, err := m.Set(ctx, settings.Language, "en"); err != nil {
		t.Fatal(err)
	}
	if s, _ := m.Load(ctx); s.Language != "en" {
		t.Errorf("the chosen English lost to the system's Spanish: %q", s.Language)
	}
}
