package packet

import (
	"strings"

	"github.com/gen2brain/go-fitz"
)

// stampReader is how the check after writing reads the packet back with MuPDF: every page is run in
// full (its original content included) and must show its stamp as text. Calls on one stampReader are
// not safe from several goroutines; open one per goroutine.
type stampReader interface {
	NumPage() int
	// Shows reports whether page i (0-based) shows want as text (spaces normalised).
	Shows(i int, want string) bool
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

// fitzStampReader checks with go-fitz: the stamp must be in the page's structured text.
type fitzStampReader struct{ doc *fitz.Document }

func (r fitzStampReader) NumPage() int { return r.doc.NumPage() }

func (r fitzStampReader) Shows(i int, want string) bool {
	text, err := r.doc.Text(i)
	return err == nil && strings.Contains(normSpace(text), normSpace(want))
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
