package cli

import (
	"embed"

	"github.com/referraldesk/referraldesk/app/catalog"
)

// The help in the other languages: one file per catalog language, the commands and flags as in
// usageText, the explanations translated (a test checks every command of usageText is there).
//
//go:embed help/usage.*.txt
var helpFS embed.FS

// usage is the help in the user's language, English when it has no translation.
func usage() string {
	tag := catalog.Default().Lang().String()
	if b, err := helpFS.ReadFile("help/usage." + tag + ".txt"); err == nil {
		return string(b)
	}
	return usageText
}
