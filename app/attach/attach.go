// Package attach makes the app's own copies of attached files inside the private data folder.
// A copy is always a new file: a second photo called IMG_0001.JPG (another camera, another day)
// becomes "IMG_0001 (2).JPG" and never replaces the first, which an order may already point at.
package attach

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/referraldesk/referraldesk/app/dicom"
)

// maxTries bounds the search for a free name ("name (2).ext" ... "name (999).ext").
const maxTries = 999

// CreateUnique creates dir (0700) and a new file in it (0600) named name, or "base (n).ext" when
// that is taken. O_EXCL makes the check and the creation one step, so two copies running at once
// cannot take the same name. The caller writes and closes the file.
func CreateUnique(dir, name string) (*os.File, error) {
	name = filepath.Base(name)
	if name == "." || name == string(filepath.Separator) || name == "" {
		return nil, errors.New("attach: no file name")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("attach: create folder: %w", err)
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i <= maxTries; i++ {
		candidate := name
		if i > 1 {
			candidate = fmt.Sprintf("%s (%d)%s", base, i, ext)
		}
		f, err := os.OpenFile(filepath.Join(dir, candidate), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("attach: create copy: %w", err)
		}
	}
	return nil, fmt.Errorf("attach: %d copies of %s already exist", maxTries, name)
}

// PhotoWithoutLocation copies a JPEG photo into dir without its location (GPS) and other metadata
// (dicom.StripJPEGLocation) as a new file, and returns the copy's path. A failed copy leaves nothing.
func PhotoWithoutLocation(src, dir string) (string, error) {
	name := filepath.Base(src)
	in, err := os.Open(src)
	if err != nil {
		return "", &RefusedError{Reason: Unreadable, Name: name, Err: pathCause(err)}
	}
	defer in.Close()
	out, err := CreateUnique(dir, name)
	if err != nil {
		return "", err
	}
	dst := out.Name()
	if err := dicom.StripJPEGLocation(in, out); err != nil {
		out.Close()
		os.Remove(dst)
		return "", &RefusedError{Reason: NotJPEG, Name: name, Err: err}
	}
	if err := out.Close(); err != nil {
		os.Remove(dst)
		return "", fmt.Errorf("%s: copy: %w", name, err)
	}
	return dst, nil
}

func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
