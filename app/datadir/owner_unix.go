//go:build unix

package datadir

import (
	"fmt"
	"os"
	"syscall"
)

// checkOwner refuses a folder that belongs to another user.
func checkOwner(dir string, st os.FileInfo) error {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Getuid(); int(sys.Uid) != uid {
		return fmt.Errorf("%w: %s belongs to another user (uid %d, you are uid %d); choose a folder of your own "+
			"with --data, or have it handed over with: sudo chown -R %d %s && chmod 700 %s",
			ErrNotPrivate, dir, sys.Uid, uid, uid, shellQuote(dir), shellQuote(dir))
	}
	return nil
}
