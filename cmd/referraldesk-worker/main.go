// Command referraldesk-worker reads untrusted files for ReferralDesk in a child process (see
// app/sandbox): the app starts it next to itself when it is installed there. It serves the same jobs
// as `referraldesk __worker` and starts in about half the time, with no GUI toolkit to load.
package main

import (
	"fmt"
	"os"

	_ "github.com/referraldesk/referraldesk/app/jobs"
	"github.com/referraldesk/referraldesk/app/sandbox"
)

func main() {
	if !sandbox.StartedByPool() {
		fmt.Fprintln(os.Stderr, "referraldesk-worker reads files for ReferralDesk and is started by it; run referraldesk instead")
		os.Exit(2)
	}
	if err := sandbox.ServeProcess(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
