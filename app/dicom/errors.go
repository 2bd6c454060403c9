package dicom

import "errors"

// Sentinel errors; compare with errors.Is. The wrapping error's text is the plain-English
// reason shown to the user (it names files and tags, never patient data).
var (
	// ErrNotDICOM: the file is not DICOM at all (no DICM marker and no recognisable dataset).
	ErrNotDICOM = errors.New("not a DICOM file")
	// ErrDamaged: the file is DICOM but truncated or malformed.
	ErrDamaged = errors.New("damaged")
	// ErrIncomplete: the file is DICOM but lacks an identifier needed to send it.
	ErrIncomplete = errors.New("incomplete")
	// ErrUnreadable: the file could not be read (permissions, I/O error, too slow, missing).
	ErrUnreadable = errors.New("unreadable")
	// ErrNotJPEG: StripJPEGLocation was given something other than a JPEG image.
	ErrNotJPEG = errors.New("not a JPEG image")
	// ErrStowResponse: a STOW-RS response body could not be understood.
	ErrStowResponse = errors.New("unreadable STOW-RS response")
)
