package sandbox

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// copyFile copies src to dst as an executable.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o700)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// The worker program next to the app is used only when it is from the app's build: a copy of this
// test binary stands for both (the same build information), another Go program (the go command) and
// a file that is no program stand for a worker of another build.
func TestSiblingWorkerOnlyFromTheSameBuild(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	app := filepath.Join(dir, "referraldesk-app")
	copyFile(t, self, app)
	worker := filepath.Join(dir, WorkerProgramFile())

	if got := siblingWorker(app); got != "" {
		t.Errorf("no worker program: got %q, want the app itself", got)
	}
	copyFile(t, self, worker)
	if got := siblingWorker(app); got != worker {
		t.Errorf("worker program of the same build: got %q, want %q", got, worker)
	}

	// A test binary has no version control stamp: the worker must then be the newer file.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(worker, old, old); err != nil {
		t.Fatal(err)
	}
	if got := siblingWorker(app); got != "" {
		t.Errorf("worker program an hour older than an unstamped app: got %q, want the app itself", got)
	}

	if goCmd, err := exec.LookPath("go"); err == nil {
		copyFile(t, goCmd, worker)
		if got := siblingWorker(app); got != "" {
			t.Errorf("another Go program: got %q, want the app itself", got)
		}
	}
	if err := os.WriteFile(worker, []byte("#!/bin/sh\nexit 0\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	if got := siblingWorker(app); got != "" {
		t.Errorf("a file that is no Go program: got %q, want the app itself", got)
	}
}
