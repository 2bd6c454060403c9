package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/settings"
	"github.com/referraldesk/referraldesk/local"
)

func TestSettingsGetSetList(t *testing.T) {
	dir := t.TempDir()
	kc := &credstest.Keychain{}
	code, out, errs := run(kc, "", "settings", "--data", dir)
	if code != 0 || !strings.Contains(out, "idle-lock-minutes\t\"10\"\tallowed: a whole number of minutes from 1 to 120") ||
		!strings.Contains(out, "theme\t\"system\"\tallowed: system, light, dark") {
		t.Fatalf("list: %d %s %s", code, out, errs)
	}
	if code, out, errs := run(kc, "", "settings", "set", "--data", dir, "theme", "DARK"); code != 0 || out != "theme = \"dark\"\n" {
		t.Fatalf("set: %d %q %s", code, out, errs)
	}
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	loc := prof.Locations[0].Code
	if code, _, errs := run(kc, "", "settings", "set", "--data", dir, "default-location", strings.ToLower(loc)); code != 0 {
		t.Fatalf("set location: %d %s", code, errs)
	}
	if code, out, _ := run(kc, "", "settings", "get", "--data", dir, "default-location"); code != 0 || out != loc+"\n" {
		t.Fatalf("get location: %d %q", code, out)
	}
	// A refused value exits 1 naming what is allowed, and changes nothing.
	code, _, errs = run(kc, "", "settings", "set", "--data", dir, "theme", "purple")
	if code != 1 || !strings.Contains(errs, `theme cannot be "purple": allowed system, light, dark`) {
		t.Fatalf("bad theme: %d %s", code, errs)
	}
	code, _, errs = run(kc, "", "settings", "set", "--data", dir, "default-location", "NOWHERE")
	if code != 1 || !strings.Contains(errs, loc) {
		t.Fatalf("bad location: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "", "settings", "get", "--data", dir, "colour"); code != 1 || !strings.Contains(errs, "known settings are language") {
		t.Fatalf("unknown: %d %s", code, errs)
	}
	if code, _, _ := run(kc, "", "settings", "set", "--data", dir, "theme"); code != 2 {
		t.Fatalf("set without a value: %d", code)
	}
	// What the GUI reads from the same database file.
	st, err := local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := settings.New(st, prof).Load(context.Background())
	if err != nil || s.Theme != settings.ThemeDark || s.DefaultLocation != loc {
		t.Fatalf("stored: %+v %v", s, err)
	}
	// retention --days goes through the same check.
	if code, _, errs := run(kc, "", "retention", "--data", dir, "--days", "99999"); code != 1 || !strings.Contains(errs, "retention-days") {
		t.Fatalf("retention --days 99999: %d %s", code, errs)
	}
}
