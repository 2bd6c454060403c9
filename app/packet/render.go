package packet

import (
	"image"

	"github.com/gen2brain/go-fitz"
)

// pageRenderer draws the pages of one document: render_cgo.go's direct renderer, or go-fitz. Calls
// are not safe from several goroutines.
type pageRenderer interface {
	// Render draws page i (0-based) at dpi over white; it may draw into buf (reused by the caller
	// once it is done with the image).
	Render(i int, dpi float64, buf []byte) (*image.RGBA, error)
	// PageSize is page i's box in points.
	PageSize(i int) (image.Rectangle, error)
	NumPage() int
	Close()
}

// fitzRenderer renders with go-fitz.
type fitzRenderer struct{ doc *fitz.Document }

func (r fitzRenderer) Render(i int, dpi float64, _ []byte) (*image.RGBA, error) {
	return r.doc.ImageDPI(i, dpi)
}

func (r fitzRenderer) PageSize(i int) (image.Rectangle, error) { return r.doc.Bound(i) }

func (r fitzRenderer) NumPage() int { return r.doc.NumPage() }

func (r fitzRenderer) Close() { _ = r.doc.Close() }
