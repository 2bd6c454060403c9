package datadir

import (
	"os"
	"path/filepath"
	"runtime"
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
