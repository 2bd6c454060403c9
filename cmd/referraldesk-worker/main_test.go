package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/packet/packettest"
	"github.com/referraldesk/referraldesk/app/sandbox"
)

// The worker program, built as the installers build it (the tags and race setting of this test),
// reads a record for the app: a text PDF is inspected, dated and checked for the patient's name, and
// a PDF that crashes MuPDF costs a clear error, the program being started again for the next file.
func TestWorkerProgramReadsFilesForTheApp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the worker program")
	}
	exe := filepath.Join(t.TempDir(), sandbox.WorkerProgramFile())
	args := []string{"build", "-o", exe}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch {
			case s.Key == "-tags":
				args = append(args, "-tags", s.Value)
			case s.Key == "-race" && s.Value == "true":
				args = append(args, "-race")
			}
		}
	}
	build := exec.Command("go", append(args, ".")...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	pool := &sandbox.Pool{Exe: exe, MaxWorkers: 1}
	defer pool.Close()
	opt := packet.Options{Sandbox: pool, FileTimeout: time.Minute, Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }}
	pt := packet.Patient{Family: "Doe", Given: "Jane", DOB: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := context.Background()

	note := write("note.pdf", packettest.TextPDF("Clinic visit note", "Patient: Jane Doe, DOB 1970-01-02", "Date of service: 2025-03-04"))
	in := packet.Inspect(ctx, note, pt, opt)
	if in.Err != nil || in.Pages != 1 {
		t.Fatalf("text PDF: err %v, %d pages; want 1 page", in.Err, in.Pages)
	}
	if got := in.Date.Format("2006-01-02"); got != "2025-03-04" {
		t.Errorf("text PDF dated %s, want 2025-03-04 (from its text)", got)
	}

	crash := packet.Inspect(ctx, write("crash.pdf", packettest.MuPDFCrash()), pt, opt)
	if crash.Err == nil || !errors.Is(crash.Err, packet.ErrDamaged) && !errors.Is(crash.Err, sandbox.ErrCrashed) {
		t.Errorf("PDF that crashes MuPDF: err %v, want a damaged-file or crashed-reader error", crash.Err)
	}
	again := packet.Inspect(ctx, note, pt, opt)
	if again.Err != nil || again.Pages != 1 {
		t.Errorf("after the crash: err %v, %d pages; want 1 page", again.Err, again.Pages)
	}
}
