package syncer

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/referraldesk/referraldesk/app/htmltext"
	"github.com/referraldesk/referraldesk/app/netsafe"
)

// MaxResultBytes bounds one result file (a referral summary packet of scanned pages is tens of MB).
const MaxResultBytes = 256 << 20

// saveResult streams r into dir as result-ID with the extension of its content type and returns the
// path; past max bytes it is refused (netsafe.ErrTooLarge) and nothing is left in dir. When any of contentTypes, or the content itself, says HTML, the text is saved instead as
// result-ID.txt: an HTML file from a server, opened as a local file:// page, would run its scripts
// and follow its links with the user's files at hand.
func saveResult(r io.Reader, dir string, id, max int64, contentTypes ...string) (string, error) {
	tmp, _, err := netsafe.Download(r, dir, max, "the result")
	if err != nil {
		return "", fmt.Errorf("syncer: save the result: %w", err)
	}
	defer os.Remove(tmp) // after a rename it is gone already
	base := filepath.Join(dir, fmt.Sprintf("result-%d", id))
	html, err := isHTMLFile(tmp, contentTypes)
	if err != nil {
		return "", err
	}
	if html {
		return base + ".txt", htmlToTextFile(tmp, base+".txt")
	}
	declared := ""
	if len(contentTypes) > 0 {
		declared = contentTypes[0]
	}
	path := base + extFor(declared)
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("syncer: save the result: %w", err)
	}
	return path, nil
}

// isHTMLFile reports whether a content type names HTML (or XHTML), or the first bytes look like it.
func isHTMLFile(path string, contentTypes []string) (bool, error) {
	for _, ct := range contentTypes {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt == "text/html" || mt == "application/xhtml+xml" {
			return true, nil
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("syncer: read the result: %w", err)
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("syncer: read the result: %w", err)
	}
	return strings.HasPrefix(http.DetectContentType(head[:n]), "text/html"), nil
}

func htmlToTextFile(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("syncer: read the result: %w", err)
	}
	defer f.Close()
	text, err := htmltext.ToText(f)
	if err != nil {
		return fmt.Errorf("syncer: convert the HTML result to text: %w", err)
	}
	return writePrivate(dst, strings.NewReader(text))
}

// extFor is the file extension for a (non-HTML) content type.
func extFor(contentType string) string {
	switch {
	case strings.HasPrefix(contentType, "application/pdf"):
		return ".pdf"
	case strings.HasPrefix(contentType, "text/"):
		return ".txt"
	case strings.HasPrefix(contentType, "image/jpeg"):
		return ".jpg"
	case strings.HasPrefix(contentType, "image/png"):
		return ".png"
	}
	return ".bin"
}
