package workflow_test

import (
	"os"
	"testing"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// The test binary is its own sandbox worker: packet files are read in a copy of it (see app/sandbox).
func TestMain(m *testing.M) {
	sandbox.RunWorkerIfAsked()
	os.Exit(m.Run())
}
