package netsafe

import (
	"fmt"
	"io"
	"os"

	"github.com/referraldesk/referraldesk/app/msg"
)

// ReadAll reads r to its end, or fails with ErrTooLarge as soon as it holds more than max bytes
// (it never reads more than max+1). what names the answer in the message.
func ReadAll(r io.Reader, max int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("netsafe: read %s: %w", what, err)
	}
	if int64(len(data)) > max {
		return nil, tooLarge(what, max)
	}
	return data, nil
}

func tooLarge(what string, max int64) error {
	return fmt.Errorf("%w: %s is larger than %s, the most ReferralDesk accepts; it was refused", ErrTooLarge, what, msg.Bytes(max))
}

// Download streams r into a new file of mode 0600 in dir (which must exist, inside the app's data
// folder: the content is patient data) and returns its path and size. Past max bytes it stops,
// removes the file and fails with ErrTooLarge; any other failure removes it too. The caller
// renames or removes the file.
func Download(r io.Reader, dir string, max int64, what string) (path string, n int64, err error) {
	f, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		return "", 0, fmt.Errorf("netsafe: save %s: %w", what, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	// CreateTemp already makes 0600 files on Unix; say so for umasks and other systems.
	if err = f.Chmod(0o600); err != nil {
		return "", 0, fmt.Errorf("netsafe: save %s: %w", what, err)
	}
	n, err = io.Copy(f, io.LimitReader(r, max+1))
	if err != nil {
		return "", 0, fmt.Errorf("netsafe: download %s: %w", what, err)
	}
	if n > max {
		err = tooLarge(what, max)
		return "", 0, err
	}
	if err = f.Close(); err != nil {
		return "", 0, fmt.Errorf("netsafe: save %s: %w", what, err)
	}
	return f.Name(), n, nil
}
