package ehrimport

import (
	"os"
	"testing"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// The test binary is its own sandbox worker: outside files are read by workers started from
// os.Executable() (see app/sandbox).
func TestMain(m *testing.M) {
	sandbox.RunWorkerIfAsked()
	os.Exit(m.Run())
}
