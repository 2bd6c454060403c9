package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
)

// The command line's errors and reports follow --lang (and the stored language setting), like
// the help; English stays as it was, and machine-readable output is not translated.
func TestCLIOutputFollowsLanguage(t *testing.T) {
	t.Setenv(LangEnv, "")
	t.Cleanup(func() { catalog.SetLanguage("en") })
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"order", "bogus"}, 2, `referraldesk: unknown order command "bogus"; use start, attach, packet or sign`},
		{[]string{"order", "bogus", "--lang", "es"}, 2, `referraldesk: orden desconocida para 'order': "bogus"`},
		{[]string{"--lang=zh", "order", "bogus"}, 2, `referraldesk: 未知的 order 子命令 "bogus"`},
		{[]string{"sync", "--lang", "es"}, 2, "la sincronización se hace en segundo plano"},
		{[]string{"nosuch", "--lang", "zh"}, 2, `未知命令 "nosuch"`},
	} {
		var out, errs bytes.Buffer
		code := Main(c.args, Env{Stdout: &out, Stderr: &errs})
		if code != c.code || !strings.Contains(errs.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs.String(), c.code, c.want)
		}
	}
	if l := catalog.Default().Lang().String(); l != "en" {
		t.Errorf("--lang outlived its command: %s", l)
	}

	// A report through the store: settings list in Spanish by --lang, then by the stored setting.
	dir := t.TempDir()
	kc := &credstest.Keychain{}
	code, out, errs := run(kc, "", "settings", "--data", dir, "--lang", "es")
	if code != 0 || !strings.Contains(out, "idle-lock-minutes\t\"10\"\tse admite: ") {
		t.Fatalf("settings --lang es: %d %q %s", code, out, errs)
	}
	if code, _, errs := run(kc, "", "settings", "set", "--data", dir, "language", "zh-Hans"); code != 0 {
		t.Fatalf("set language: %d %s", code, errs)
	}
	code, out, _ = run(kc, "", "settings", "--data", dir)
	if code != 0 || !strings.Contains(out, "允许：") {
		t.Fatalf("settings with language zh-Hans stored: %d %q", code, out)
	}
	code, out, _ = run(kc, "", "settings", "--data", dir, "--lang", "en")
	if code != 0 || !strings.Contains(out, "\tallowed: ") {
		t.Fatalf("--lang en over the stored zh-Hans: %d %q", code, out)
	}
}
