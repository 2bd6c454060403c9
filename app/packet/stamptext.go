package packet

import (
	"strings"

	"github.com/gen2brain/go-fitz"
)

// pageCheck is what the check after writing expects of one page of a packet. Build writes a page's
// content as two streams: body, the page's drawing (the original page as a Form XObject, or a rebuilt
// or generated page), then the stamp's. stamp is the stamp's text as text extraction returns it.
type pageCheck struct {
	stamp string
	body  []byte
}

// stampReader is how the check after writing reads the packet back with MuPDF. Calls on one
// stampReader are not safe from several goroutines; open one per goroutine.
//
// The direct reader (cgo) checks a page's structure and runs its stamp's stream alone: the page's
// content must be exactly the two streams, the first must hold body byte for byte (so the page
// still draws its original), and the second, run with the page's resources and geometry, must show
// the stamp as filled text whose glyphs sit on the page. It does not run the original page again:
// that drawing is wrapped in q/Q inside a Form XObject, so nothing in it changes how the stamp after
// it is read; MuPDF ran it when the file was inspected, in a sandbox worker; and running it here
// meant decoding every image of the outside record a second time, in this unsandboxed process (two
// pages of thousands of inline images were most of Build's time). go-fitz's reader, the fallback,
// runs the whole page and looks for the stamp in its text.
type stampReader interface {
	NumPage() int
	// Shows reports whether page i (0-based) is as want says (stamp text spaces normalised).
	Shows(i int, want pageCheck) bool
	Close()
}

// openStampReader opens data (a packet we wrote) with MuPDF. It uses the direct reader of
// stamptext_cgo.go when this build has it and the linked MuPDF is the one it was written for, and
// go-fitz's text extraction otherwise. borrow: data is outside the Go heap and stays until Close, so
// the direct reader needs no copy of it.
func openStampReader(data []byte, borrow bool) (stampReader, error) {
	if r, ok, err := openDirectStampReader(data, borrow); ok {
		return r, err
	}
	return openFitzStampReader(data)
}

func openFitzStampReader(data []byte) (stampReader, error) {
	doc, err := fitz.NewFromMemory(data)
	if err != nil {
		if doc != nil {
			_ = doc.Close()
		}
		return nil, err
	}
	return fitzStampReader{doc}, nil
}

// fitzStampReader checks with go-fitz: the stamp must be in the whole page's structured text.
type fitzStampReader struct{ doc *fitz.Document }

func (r fitzStampReader) NumPage() int { return r.doc.NumPage() }

func (r fitzStampReader) Shows(i int, want pageCheck) bool {
	text, err := r.doc.Text(i)
	return err == nil && strings.Contains(normSpace(text), normSpace(want.stamp))
}

func (r fitzStampReader) Close() { _ = r.doc.Close() }

// showsInRun reports whether one of the text runs (one per line) contains want, spaces normalised.
func showsInRun(runs, want string) bool {
	want = normSpace(want)
	for len(runs) > 0 {
		line, rest, _ := strings.Cut(runs, "\n")
		// Normalising spaces only shortens a line: shorter ones cannot hold want.
		if len(line) >= len(want) && strings.Contains(normSpace(line), want) {
			return true
		}
		runs = rest
	}
	return false
}
