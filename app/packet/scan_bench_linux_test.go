package packet

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

func sampleEncode(v any) ([]byte, error) { return sandbox.Encode(v) }

// childCPU sums the CPU time of this process's live children (the sandbox workers) from /proc.
func childCPU() time.Duration {
	var total time.Duration
	entries, _ := os.ReadDir("/proc")
	self := strconv.Itoa(os.Getpid())
	for _, e := range entries {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+2:])
		if len(f) < 13 || f[1] != self {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(u+st) * 10 * time.Millisecond // USER_HZ is 100 on Linux
	}
	return total
}
