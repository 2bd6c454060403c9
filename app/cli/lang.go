package cli

import (
	"context"
	"os"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/settings"
)

// LangEnv names the environment variable that picks the language of the command line's words
// (and of `screens`) over the stored setting: REFERRALDESK_LANG=es or zh.
const LangEnv = "REFERRALDESK_LANG"

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
	if os.Getenv(LangEnv) != "" {
		return
	}
	if s, err := settings.New(st, nil).Load(ctx); err == nil {
		catalog.SetLanguage(s.Language)
	}
}
