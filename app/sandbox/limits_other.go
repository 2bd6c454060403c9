//go:build !linux && !windows

package sandbox

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// limitMemory, where the address space cannot be capped (Windows, macOS): the Go heap is asked to stay
// under the limit and a watchdog ends the worker when the memory Go has mapped passes it. Memory that
// C code allocates is not seen here; the pool's time limit still ends a worker stuck in it.
func limitMemory(limit int64) error {
	debug.SetMemoryLimit(limit / 2)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
		for range time.Tick(50 * time.Millisecond) {
			metrics.Read(s)
			if s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() > uint64(limit) {
				fmt.Fprintln(os.Stderr, "sandbox: worker: out of memory (over its limit)")
				os.Exit(3)
			}
		}
	}()
	return nil
}

// privateStdout keeps the protocol on stdout (descriptor redirection is left to Unix).
func privateStdout() (*os.File, error) { return os.Stdout, nil }
