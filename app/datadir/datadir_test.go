package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestResolveOrder(t *testing.T) {
	t.Setenv(EnvVar, "/tmp/from-env")
	got, err := Resolve("/tmp/from-flag")
	if err != nil || got != "/tmp/from-flag" {
		t.Fatalf("flag should win: %q %v", got, err)
	}
	got, err = Resolve("")
	if err != nil || got != "/tmp/from-env" {
		t.Fatalf("env should be used: %q %v", got, err)
	}
	t.Setenv(EnvVar, "")
	got, err = Resolve("")
	if err != nil || filepath.Base(got) != "ReferralDesk" {
		t.Fatalf("default: %q %v", got, err)
	}
}

func TestEnsureMakesPrivateFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := filepath.Join(t.TempDir(), "José Müller", "data")
	if err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v, want 0700", st.Mode().Perm())
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
	st, _ = os.Stat(dir)
	if st.Mode().Perm() != 0o700 {
		t.Fatalf("mode not tightened: %v", st.Mode().Perm())
	}
}

// Seen (issue 12 §7): a folder others can write to, or one of another user, was used as it was.
func TestEnsureRefusesSharedFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := filepath.Join(t.TempDir(), "shared data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o777, 0o720, 0o702} {
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		err := Ensure(dir)
		if !errors.Is(err, ErrNotPrivate) || !strings.Contains(err.Error(), "chmod 700 '"+dir+"'") {
			t.Fatalf("mode %04o: %v", mode, err)
		}
		if st, _ := os.Stat(dir); st.Mode().Perm() != mode {
			t.Fatalf("mode changed to %v", st.Mode().Perm())
		}
	}
	// The fix in the message works.
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
}

func TestEnsureRefusesOtherOwner(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX owners")
	}
	dir := "/" // owned by root
	if os.Getuid() == 0 {
		dir = filepath.Join(t.TempDir(), "theirs")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Skipf("cannot hand the folder to another user: %v", err)
		}
	}
	err := Ensure(dir)
	if !errors.Is(err, ErrNotPrivate) || !strings.Contains(err.Error(), "belongs to another user") {
		t.Fatalf("Ensure(%s) = %v", dir, err)
	}
}
