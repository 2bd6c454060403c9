// Package datadir decides where ReferralDesk keeps its data and makes sure that folder is private.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// EnvVar overrides the default location when the --data flag is not given.
const EnvVar = "REFERRALDESK_DATA"

// DatabaseName is the SQLite file inside the data directory.
const DatabaseName = "referraldesk.db"

// Resolve picks the data directory: the flag value, else $REFERRALDESK_DATA, else the OS's per-user
// config location (e.g. %AppData%\ReferralDesk on Windows, ~/Library/Application Support/ReferralDesk
// on macOS, ~/.config/referraldesk on Linux).
func Resolve(flagValue string) (string, error) {
	if flagValue != "" {
		return filepath.Abs(flagValue)
	}
	if env := os.Getenv(EnvVar); env != "" {
		return filepath.Abs(env)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("datadir: no per-user config folder (set --data or %s): %w", EnvVar, err)
	}
	return filepath.Join(base, "ReferralDesk"), nil
}

// Ensure creates dir (and parents) with mode 0700 and checks that it is private: a folder that
// belongs to another user, or that other users can write to (they could plant or swap files the app
// then reads as the clinic's own), is refused with the command that fixes it. Group or world read
// access on a folder of ours is removed.
func Ensure(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("datadir: create %s: %w", dir, err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("datadir: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("datadir: %s is not a folder", dir)
	}
	if err := checkOwner(dir, st); err != nil {
		return err
	}
	if runtime.GOOS == "windows" {
		return nil // mode bits do not describe access there; the per-user profile folder is private
	}
	if perm := st.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("%w: %s can be changed by other users (mode %04o); make it private with: chmod 700 %s",
			ErrNotPrivate, dir, perm, shellQuote(dir))
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil && !errors.Is(err, os.ErrPermission) {
			return fmt.Errorf("datadir: restrict %s: %w", dir, err)
		}
	}
	return nil
}

// ErrNotPrivate: the data folder belongs to someone else or others can write to it.
var ErrNotPrivate = errors.New("datadir: the data folder is not private")

// shellQuote quotes a path for a POSIX shell when it needs it.
func shellQuote(p string) string {
	if strings.IndexFunc(p, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}

// Database is the path of the SQLite file in dir.
func Database(dir string) string { return filepath.Join(dir, DatabaseName) }

// Work is a private scratch folder inside the data dir for temporary files that may hold patient data.
func Work(dir string) (string, error) {
	w := filepath.Join(dir, "work")
	return w, Ensure(w)
}
