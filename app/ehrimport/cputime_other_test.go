//go:build !unix

package ehrimport

import "time"

func processCPU() time.Duration { return 0 }
