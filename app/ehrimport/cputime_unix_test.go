//go:build unix

package ehrimport

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) the test process has used: on a busy shared machine it
// tells the work done apart from the time spent waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
