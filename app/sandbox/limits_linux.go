package sandbox

import (
	"bytes"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// limitMemory caps the worker's address space at what it has reserved at start (the Go runtime
// alone reserves over 1 GB it never touches) plus limit: an allocation past it fails inside MuPDF
// (which reports an error) or ends the worker with "out of memory" (Go), never the machine's
// memory.
func limitMemory(limit int64) error {
	base, err := addressSpace()
	if err != nil {
		return err
	}
	as := uint64(base + limit)
	if err := unix.Setrlimit(unix.RLIMIT_AS, &unix.Rlimit{Cur: as, Max: as}); err != nil {
		return fmt.Errorf("set memory limit: %w", err)
	}
	return nil
}

// privateStdout returns a new descriptor for the protocol and points descriptor 1 at stderr.
func privateStdout() (*os.File, error) {
	fd, err := unix.Dup(1)
	if err != nil {
		return nil, fmt.Errorf("dup stdout: %w", err)
	}
	if err := unix.Dup3(2, 1, 0); err != nil {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("redirect stdout: %w", err)
	}
	unix.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "sandbox-protocol"), nil
}

// addressSpace is the process's current virtual size in bytes (/proc/self/statm, in pages).
func addressSpace() (int64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, fmt.Errorf("read own memory size: %w", err)
	}
	pages, err := strconv.ParseInt(string(bytes.Fields(b)[0]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read own memory size: %w", err)
	}
	return pages * int64(os.Getpagesize()), nil
}
