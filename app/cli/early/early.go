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
	rest, _ := SplitLang(args)
	if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
		return ""
	}
	return rest[0]
}

// SplitLang sets aside --lang TAG (or --lang=TAG, or with one dash) given anywhere before "--": it
// returns the other arguments and TAG ("" when there is none). app/cli reads the program's
// arguments with it; it lives here, in a package without the app's dependencies, so that Command
// can run while the program initialises.
func SplitLang(args []string) (rest []string, lang string) {
	rest = make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
		case (a == "--lang" || a == "-lang") && i+1 < len(args):
			lang = args[i+1]
			i++
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
			lang = a[strings.IndexByte(a, '=')+1:]
		default:
			rest = append(rest, a)
		}
	}
	return rest, lang
}
