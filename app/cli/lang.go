package cli

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/cli/early"
	"github.com/referraldesk/referraldesk/app/settings"
)

// LangEnv names the environment variable that picks the language of the command line's words
// (and of `screens`) over the stored setting: REFERRALDESK_LANG=es or zh.
const LangEnv = "REFERRALDESK_LANG"

// langFlag is set while a command runs with --lang, which wins over the environment and the
// stored setting.
var langFlag atomic.Bool

// takeLang removes a --lang TAG (or --lang=TAG) given to a subcommand, anywhere before "--", and
// returns it: every command's reports and errors follow it, as the help does. The desktop app
// (no subcommand) takes its language from Settings.
func takeLang(args []string) ([]string, string) {
	out, lang := early.SplitLang(args)
	if len(out) == 0 || strings.HasPrefix(out[0], "-") && !slices.Contains([]string{"-h", "--help", "-help"}, out[0]) {
		return args, "" // the desktop app
	}
	return out, lang
}

// languageFromEnv applies $REFERRALDESK_LANG and reports whether it was set.
func languageFromEnv() bool {
	l := os.Getenv(LangEnv)
	if l == "" {
		return false
	}
	catalog.SetLanguage(l)
	return true
}

// languageFromStore applies the stored language setting unless the environment chose one.
func languageFromStore(ctx context.Context, st Store) {
	if os.Getenv(LangEnv) != "" || langFlag.Load() {
		return
	}
	if s, err := settings.New(st, nil).Load(ctx); err == nil {
		catalog.SetLanguage(s.Language)
	}
}
