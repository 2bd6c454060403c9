package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app/catalog"
)

// Every command of the English help is in each translated help, with the same words and flags:
// a command added to usageText and not to the translations fails here.
func TestHelpInEveryLanguage(t *testing.T) {
	var commands []string
	for _, l := range strings.Split(usageText, "\n") {
		if strings.HasPrefix(l, "  referraldesk") {
			commands = append(commands, strings.TrimSpace(strings.SplitN(strings.TrimSpace(l), "   ", 2)[0]))
		}
	}
	if len(commands) < 20 {
		t.Fatalf("only %d commands found in usageText", len(commands))
	}
	for _, tag := range catalog.Languages()[1:] {
		b, err := helpFS.ReadFile("help/usage." + tag.String() + ".txt")
		if err != nil {
			t.Errorf("%s: no help: %v", tag, err)
			continue
		}
		for _, c := range commands {
			if !strings.Contains(string(b), c) {
				t.Errorf("%s help lacks %q", tag, c)
			}
		}
	}
	t.Setenv(LangEnv, "es")
	t.Cleanup(func() { catalog.SetLanguage("en") })
	var out bytes.Buffer
	if code := Main([]string{"--help"}, Env{Stdout: &out, Stderr: &out}); code != 0 || !strings.Contains(out.String(), "abrir la aplicación de escritorio") {
		t.Fatalf("REFERRALDESK_LANG=es --help: exit %d, %.200s", code, out.String())
	}
}
