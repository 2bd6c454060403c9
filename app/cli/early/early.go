// Package early starts, while the program is still initialising, the file-reading workers of a
// command that will need them at once: `referraldesk packet` reads every file in a sandbox worker,
// and the app's own packages take about 20 ms to initialise (Fyne's translations, the catalogs,
// phone number metadata) before main runs. Its init function does it, as soon as the sandbox package
// is ready; the command's pool takes the workers (sandbox.StartEarly). Import it, for that side
// effect, from the main package only.
package early

import (
	"os"
	"runtime"
	"strings"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

func init() {
	if Command(os.Args[1:]) == "packet" {
		sandbox.StartEarly(runtime.NumCPU())
	}
}

// Command is the subcommand that args (the program's arguments) run, as app/cli reads them: the
// first argument once --lang and its value are set aside; "" for the desktop app (no arguments, or
// an option first).
func Command(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--lang" || a == "-lang":
			i++
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
		case strings.HasPrefix(a, "-"):
			return ""
		default:
			return a
		}
	}
	return ""
}
