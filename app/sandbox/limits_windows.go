package sandbox

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// limitMemory puts the worker in a Windows job object whose per-process memory limit (the commit
// charge, which counts what C code such as MuPDF allocates too) is what the worker holds now plus
// limit: past it an allocation fails, in MuPDF as an error and in Go as "out of memory". The job
// handle stays open for the worker's life (closing it would drop the limit). The Go-side watchdog
// stays as a second line where the job object cannot be set (Wine, or a parent job that forbids
// nesting on old Windows).
func limitMemory(limit int64) error {
	debug.SetMemoryLimit(limit / 2)
	if err := jobMemoryLimit(uint64(heldNow()) + uint64(limit)); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox: worker: no job object memory limit:", err)
	}
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

func jobMemoryLimit(bytes uint64) error {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return fmt.Errorf("create job object: %w", err)
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_PROCESS_MEMORY
	info.ProcessMemoryLimit = uintptr(bytes)
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		_ = windows.CloseHandle(job)
		return fmt.Errorf("set job memory limit: %w", err)
	}
	if err := windows.AssignProcessToJobObject(job, windows.CurrentProcess()); err != nil {
		_ = windows.CloseHandle(job)
		return fmt.Errorf("join job object: %w", err)
	}
	return nil
}

// heldNow is the memory the Go runtime has mapped so far (the worker's starting size).
func heldNow() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// privateStdout keeps the protocol on stdout (descriptor redirection is left to Unix).
func privateStdout() (*os.File, error) { return os.Stdout, nil }
