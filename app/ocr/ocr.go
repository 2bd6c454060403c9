// Package ocr recognises the text of a page image (a scan or a fax): the words with their boxes and
// confidence, and the page's orientation (0, 90, 180 or 270 degrees), offline.
//
// The engine is Tesseract 5 (Apache-2.0) through its C API, with cgo on Linux (the system's library)
// and Windows (a static cross-build, scripts/windows/tesseract.sh; see tesseract.go); other builds
// get ErrUnavailable from New and report "OCR not available in this build" instead of failing. An Engine is not safe for concurrent use: run one per goroutine or, as
// the packet does, one per sandbox worker process, since OCR reads outside data.
package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"strings"
	"time"
	"unicode"
)

// ErrUnavailable: this build has no OCR engine (or its language data is missing).
var ErrUnavailable = errors.New("OCR not available in this build")

// Word is one recognised word. Box is in the pixels of the upright page (after Page.Rotate); Start
// and End are its byte offsets in Page.Text.
type Word struct {
	Text       string
	Box        image.Rectangle
	Conf       float64 // 0–100
	Start, End int
}

// Page is the text of one page image.
type Page struct {
	// Text is the words in reading order, one line of the page per line, blocks separated by an
	// empty line (as text extraction gives them for text pages).
	Text  string
	Words []Word
	// Rotate is the clockwise turn, in degrees, that makes the page upright (0, 90, 180 or 270).
	Rotate int
	// Width and Height are the size in pixels of the upright page (the image turned by Rotate).
	Width, Height int
	// Conf is the mean word confidence (0–100, weighted by word length); 0 without words.
	Conf float64
}

// ConfOf is the mean confidence (weighted by length) of the words overlapping Text[start:end]; 0
// when no word does.
func (p *Page) ConfOf(start, end int) float64 {
	var sum, n float64
	for _, w := range p.Words {
		if w.End <= start || w.Start >= end {
			continue
		}
		k := float64(len(w.Text))
		sum += w.Conf * k
		n += k
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// Options tune an Engine.
type Options struct {
	// DataDir holds eng.traineddata (and osd.traineddata for orientation); empty: TESSDATA_PREFIX
	// when set, else the tessdata folder installed with the program (<exe dir>/tessdata, as the
	// Windows MSI installs it), else the engine's default (on Debian /usr/share/tesseract-ocr/5/tessdata).
	DataDir string
	// Languages, Tesseract style ("eng", "eng+spa"); empty: "eng".
	Languages string
	// DPI of the images given to Recognize (0: 200); it sets Tesseract's idea of text size.
	DPI int
	// ReadLimit bounds one reading of a page (0: DefaultReadLimit); past it Recognize gives up with
	// ErrTooSlow.
	ReadLimit time.Duration
	// TurnBudget bounds the time spent on a page that reads poorly as it lies and whose orientation
	// the detector cannot tell (0: DefaultTurnBudget): another turn is tried only when it can finish
	// within it.
	TurnBudget time.Duration
}

// DefaultReadLimit: a page that takes longer to read is halftone, a photo or fax noise, not text a
// date can be taken from; the clerk would wait for nothing.
const DefaultReadLimit = 30 * time.Second

// DefaultTurnBudget: each other turn costs about as much as the first reading, so a dense page that
// reads poorly in every direction (a garbled fax, where the detector is unsure too) must not cost
// four readings. Pages that are really upside down or sideways are mostly settled by the orientation
// detector, with one more reading that the budget does not limit.
const DefaultTurnBudget = 8 * time.Second

// ErrTooSlow: the page took longer than the read limit.
var ErrTooSlow = errors.New("the page took too long to read")

func (o Options) readLimit() time.Duration {
	if o.ReadLimit <= 0 {
		return DefaultReadLimit
	}
	return o.ReadLimit
}

func (o Options) turnBudget() time.Duration {
	if o.TurnBudget <= 0 {
		return DefaultTurnBudget
	}
	return o.TurnBudget
}

func (o Options) langs() string {
	if o.Languages == "" {
		return "eng"
	}
	return o.Languages
}

func (o Options) dpi() int {
	if o.DPI <= 0 {
		return 200
	}
	return o.DPI
}

// goodConf is the mean confidence at which the first reading is taken as upright, so that an
// upright page costs one recognition; upside-down or sideways text reads far below it.
const goodConf = 70

// minWords below this a page has too little text to judge its orientation.
const minWords = 6

// Recognize reads the text of img and turns the page upright when its text reads better turned.
// ctx cancels the recognition (checked by the engine while it works).
func (e *Engine) Recognize(ctx context.Context, img image.Image) (*Page, error) {
	g := toGray(img)
	start := time.Now()
	p, err := e.readWithin(ctx, g)
	if err != nil {
		return nil, err
	}
	first := time.Since(start)
	if p.Conf >= goodConf || len(p.Words) < minWords {
		return p, nil
	}
	// Poor reading: ask the orientation detector, or else try the other turns.
	turns, blind := []int{180, 90, 270}, true
	if deg, ok := e.orientation(g); ok {
		if deg == 0 {
			return p, nil
		}
		turns, blind = []int{deg}, false
	}
	best := p
	for _, t := range turns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if blind && time.Since(start)+first > e.opt.turnBudget() {
			break // keep the best reading so far; its low confidence asks the user to check
		}
		q, err := e.readWithin(ctx, rotate(g, t))
		if errors.Is(err, ErrTooSlow) {
			break
		}
		if err != nil {
			return nil, err
		}
		q.Rotate = t
		if score(q) > score(best) {
			best = q
		}
		if q.Conf >= goodConf {
			break
		}
	}
	return best, nil
}

// readWithin reads g within the read limit.
func (e *Engine) readWithin(ctx context.Context, g *image.Gray) (*Page, error) {
	rctx, cancel := context.WithTimeout(ctx, e.opt.readLimit())
	defer cancel()
	p, err := e.read(rctx, g)
	if err != nil && ctx.Err() == nil && rctx.Err() != nil {
		return nil, fmt.Errorf("ocr: %w", ErrTooSlow)
	}
	return p, err
}

// score ranks readings of one page: confident letters.
func score(p *Page) float64 {
	s := 0.0
	for _, w := range p.Words {
		n := 0
		for _, r := range w.Text {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
			}
		}
		s += float64(n) * w.Conf
	}
	return s
}

// assemble builds Page.Text from words given in reading order with their line and block starts.
func assemble(words []rawWord, w, h int) *Page {
	p := &Page{Width: w, Height: h}
	var b strings.Builder
	var sum, n float64
	for i, rw := range words {
		if i > 0 {
			switch {
			case rw.block:
				b.WriteString("\n\n")
			case rw.line:
				b.WriteByte('\n')
			default:
				b.WriteByte(' ')
			}
		}
		start := b.Len()
		b.WriteString(rw.text)
		p.Words = append(p.Words, Word{Text: rw.text, Box: rw.box, Conf: rw.conf, Start: start, End: b.Len()})
		k := float64(len(rw.text))
		sum += rw.conf * k
		n += k
	}
	p.Text = b.String()
	if n > 0 {
		p.Conf = sum / n
	}
	return p
}

// rawWord is a word as the engine's iterator gives it.
type rawWord struct {
	text        string
	box         image.Rectangle
	conf        float64
	line, block bool // first word of a line / of a block
}

// toGray converts any image to 8-bit grey (what the engine reads), at origin 0,0.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok && b.Min == (image.Point{}) {
		return g
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if rgba, ok := img.(*image.RGBA); ok {
		// Fast path for MuPDF's renders.
		for y := 0; y < b.Dy(); y++ {
			row := rgba.Pix[(y)*rgba.Stride:]
			out := g.Pix[y*g.Stride:]
			for x := 0; x < b.Dx(); x++ {
				r, gg, bb := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
				out[x] = uint8((299*r + 587*gg + 114*bb) / 1000)
			}
		}
		return g
	}
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
	return g
}

// rotate turns g clockwise by deg (0, 90, 180, 270).
func rotate(g *image.Gray, deg int) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	switch deg {
	case 90, 270:
		out := image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := g.Pix[y*g.Stride+x]
				if deg == 90 {
					out.Pix[x*out.Stride+(h-1-y)] = v
				} else {
					out.Pix[(w-1-x)*out.Stride+y] = v
				}
			}
		}
		return out
	case 180:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[(h-1-y)*out.Stride+(w-1-x)] = g.Pix[y*g.Stride+x]
			}
		}
		return out
	}
	return g
}

// Rotate turns img clockwise by deg (0, 90, 180 or 270), as grey; for tests and callers that turn a
// page themselves.
func Rotate(img image.Image, deg int) *image.Gray { return rotate(toGray(img), deg) }
