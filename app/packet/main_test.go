package packet

import (
	"os"
	"testing"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// The test binary is its own sandbox worker: Inspect starts os.Executable() (this binary) as a worker,
// and RunWorkerIfAsked turns that copy into one before any test runs.
func TestMain(m *testing.M) {
	sandbox.RunWorkerIfAsked()
	os.Exit(m.Run())
}
