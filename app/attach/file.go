package attach

import (
	"context"
	"crypto/sha1" //nolint:gosec // FHIR Attachment.hash is SHA-1 by definition; integrity, not security
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// Extensions are the file types an order can carry as attachments (either case on disk).
var Extensions = []string{".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png", ".wmv", ".mpg", ".mpeg", ".mp4"}

// Reason says why a file was refused; the UI layer turns it into words.
type Reason int

const (
	Unreadable Reason = iota + 1 // cannot be opened or read (Err says why)
	Folder                       // a folder was given; its files must be added
	TooLarge                     // bigger than the institution's per-file limit (Size, Max)
	FileType                     // not a type the institution takes as an attachment
	NotJPEG                      // a .jpg that is not a readable JPEG photo
	Duplicate                    // the same file or content is already on the order
	Stopped                      // reading stopped (cancelled)
)

// ErrRefused is matched (errors.Is) by every *RefusedError.
var ErrRefused = errors.New("attach: file refused")

// RefusedError is a file that cannot be attached, as a value: the reason and its arguments.
// Name is the file's base name (the user picked it; it is never logged).
type RefusedError struct {
	Reason    Reason
	Name      string
	Size, Max int64 // for TooLarge
	Err       error // the cause, without the path, for Unreadable, NotJPEG and Stopped
}

func (e *RefusedError) Is(target error) bool { return target == ErrRefused }
func (e *RefusedError) Unwrap() error        { return e.Err }

// Error is a plain fallback; screens and the CLI render the reason through their message text.
func (e *RefusedError) Error() string {
	switch e.Reason {
	case Folder:
		return e.Name + " is a folder; add the files inside it"
	case TooLarge:
		return fmt.Sprintf("%s is %d bytes; the institution accepts at most %d bytes per file", e.Name, e.Size, e.Max)
	case FileType:
		return e.Name + ": only PDF, TIFF, JPEG, PNG and video files (.wmv, .mpg, .mp4) can be attached; DICOM images use the image upload"
	case NotJPEG:
		return fmt.Sprintf("%s: not a readable JPEG photo (%v)", e.Name, e.Err)
	case Duplicate:
		return e.Name + " is already attached."
	case Stopped:
		return fmt.Sprintf("%s: reading stopped (%v)", e.Name, e.Err)
	}
	return fmt.Sprintf("%s: cannot be read (%v)", e.Name, e.Err)
}

// Kind sorts a file by its extension (".pdf", any case) into the kinds the institution knows.
func Kind(ext string) app.AttachmentKind {
	switch strings.ToLower(ext) {
	case ".pdf", ".tif", ".tiff":
		return app.KindRecords
	case ".jpg", ".jpeg", ".png":
		return app.KindPhoto
	case ".wmv", ".mpg", ".mpeg", ".mp4":
		return app.KindVideo
	}
	return app.KindOther
}

// IsPhoto tells the JPEG photos, which are attached as a copy without their location.
func IsPhoto(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".jpg" || ext == ".jpeg"
}

// Describe stats and hashes one file, refusing (*RefusedError) what the institution would refuse:
// folders, files over maxBytes (0: no limit) and types it does not take. The result has no OrderID
// or AddedAt yet.
func Describe(ctx context.Context, path string, maxBytes int64) (app.Attachment, error) {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return app.Attachment{}, &RefusedError{Reason: Unreadable, Name: name, Err: pathCause(err)}
	}
	if st.IsDir() {
		return app.Attachment{}, &RefusedError{Reason: Folder, Name: name}
	}
	if maxBytes > 0 && st.Size() > maxBytes {
		return app.Attachment{}, &RefusedError{Reason: TooLarge, Name: name, Size: st.Size(), Max: maxBytes}
	}
	ext := strings.ToLower(filepath.Ext(name))
	if !slices.Contains(Extensions, ext) {
		return app.Attachment{}, &RefusedError{Reason: FileType, Name: name}
	}
	f, err := os.Open(path)
	if err != nil {
		return app.Attachment{}, &RefusedError{Reason: Unreadable, Name: name, Err: pathCause(err)}
	}
	defer f.Close()
	sum, n, err := Hash(ctx, f)
	if err != nil {
		return app.Attachment{}, &RefusedError{Reason: Stopped, Name: name, Err: pathCause(err)}
	}
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = "application/octet-stream"
	}
	return app.Attachment{
		Path: path, FileName: name, Kind: Kind(ext), ContentType: ct, Size: n, SHA1: sum,
	}, nil
}

// Hash reads r to the end and returns its SHA-1 (hex, as FHIR's Attachment.hash wants it) and its
// length. It stops when ctx ends. The one hashing of attachments: on attach and before sending.
func Hash(ctx context.Context, r io.Reader) (string, int64, error) {
	h := sha1.New() //nolint:gosec // see import
	n, err := io.Copy(h, ctxReader{ctx, r})
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// ctxReader stops a long read when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Same tells whether at is already in list: the same file, or the same content (a photo is copied
// under a new name each time it is added).
func Same(list []app.Attachment, at app.Attachment) bool {
	for _, a := range list {
		if a.Path == at.Path || (at.SHA1 != "" && a.SHA1 == at.SHA1 && a.Size == at.Size) {
			return true
		}
	}
	return false
}
