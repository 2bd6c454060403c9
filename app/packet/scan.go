package packet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/ocr"
	"github.com/referraldesk/referraldesk/app/sandbox"
)

// Scanned pages (no text layer) are read by OCR after Inspect, one sandbox job per page (the page is
// outside data: it is rendered and recognised in a worker), pages in parallel across the workers.
// Their text then serves as text pages' does: the document date (when the text pages gave none),
// wrong-patient flags, blank pages; and the build turns such pages upright and puts the words under
// them as invisible text, so that the packet is searchable.

const jobOCR = "packet.ocr"

func init() { sandbox.Handle(jobOCR, serveOCR) }

const (
	// ocrDPI: scans and faxes are 150–300 dpi; 200 reads them as well as 300 for less time.
	ocrDPI = 200
	// ocrPageLimit bounds one page's OCR (a sideways page is read twice).
	ocrPageLimit = 90 * time.Second
	// sureConf is the OCR confidence (percent) of a date's words from which it is not marked
	// "check date": a wrong date stated with confidence is worse than none.
	sureConf = 80
	// wordConf: words below it do not count as text when deciding that a page is blank.
	wordConf = 50
)

// scanWord is one recognised word; its box is in the pixels of the upright page.
type scanWord struct {
	Text           string
	X0, Y0, X1, Y1 int
	Conf           float64
	Start, End     int // offsets in scanWords.Text
}

// scanWords is one page's OCR result as it crosses the pipe.
type scanWords struct {
	Text   string
	Words  []scanWord
	Conf   float64
	Rotate int // clockwise turn that makes the page upright
	W0, H0 int // size of the image as rendered (before the turn)
}

func (s *scanWords) confOf(start, end int) float64 {
	var sum, n float64
	for _, w := range s.Words {
		if w.End <= start || w.Start >= end {
			continue
		}
		k := float64(len(w.Text))
		sum, n = sum+w.Conf*k, n+k
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

type ocrRequest struct {
	Path, Password string
	Page           int // 1-based
	Timeout        time.Duration
}

type ocrResult struct {
	Page        scanWords
	Unavailable bool
	Err, Code   string
}

// The worker's engine: loaded by its first OCR job, kept for the next ones.
var (
	engineMu  sync.Mutex
	engine    *ocr.Engine
	engineErr error
)

func serveOCR(ctx context.Context, body []byte) ([]byte, error) {
	var req ocrRequest
	if err := sandbox.Decode(body, &req); err != nil {
		return nil, err
	}
	engineMu.Lock()
	defer engineMu.Unlock()
	// A page's C buffers are tens of MB (MuPDF's render, Tesseract's copies): give them back before
	// the next page, so that the worker's peak is one page's, not the sum of what glibc kept. (The Go
	// heap is left to its collector: forcing it back to the system, debug.FreeOSMemory, made every page
	// fault its memory in again, 40 % slower in bench-ocr.)
	defer trimC()
	if engine == nil && engineErr == nil {
		engine, engineErr = ocr.New(ocr.Options{DPI: ocrDPI})
	}
	var res ocrResult
	if engineErr != nil {
		res.Unavailable = errors.Is(engineErr, ocr.ErrUnavailable)
		res.Err = engineErr.Error()
		return sandbox.Encode(res)
	}
	p, err := guard(ctx, req.Timeout, func(ctx context.Context) (*ocr.Page, error) {
		return recognisePage(ctx, req)
	})
	if err != nil {
		res.Err, res.Code = err.Error(), codeOf(err)
		return sandbox.Encode(res)
	}
	out := scanWords{Text: p.Text, Conf: p.Conf, Rotate: p.Rotate, W0: p.Width, H0: p.Height}
	if p.Rotate == 90 || p.Rotate == 270 {
		out.W0, out.H0 = p.Height, p.Width
	}
	for _, w := range p.Words {
		out.Words = append(out.Words, scanWord{
			Text: w.Text, X0: w.Box.Min.X, Y0: w.Box.Min.Y, X1: w.Box.Max.X, Y1: w.Box.Max.Y,
			Conf: w.Conf, Start: w.Start, End: w.End,
		})
	}
	res.Page = out
	return sandbox.Encode(res)
}

// recognisePage renders one page in this (worker) process and reads it.
func recognisePage(ctx context.Context, req ocrRequest) (*ocr.Page, error) {
	data, err := readInput(req.Path)
	if err != nil {
		return nil, err
	}
	kind, _ := sniff(data)
	if kind == KindPDF && req.Password == "" {
		if img, ok, err := renderGrayDirect(data, req.Page); ok {
			if err != nil {
				return nil, err
			}
			return engine.Recognize(ctx, img)
		}
	}
	var doc *fitz.Document
	switch kind {
	case KindPDF:
		doc, err = openFitz(data, req.Password)
	case KindImage:
		doc, err = fitz.NewFromMemory(data)
		if err != nil && doc != nil {
			_ = doc.Close()
		}
	default:
		return nil, ErrUnsupported
	}
	if err != nil {
		return nil, err
	}
	defer doc.Close()
	if req.Page < 1 || req.Page > doc.NumPage() {
		return nil, fmt.Errorf("page %d of %d: %w", req.Page, doc.NumPage(), fitz.ErrPageMissing)
	}
	// An oversize page (a poster, a 29-inch drawing) is read with a Tabloid page's pixels, as it is
	// rendered for the packet: at 200 dpi it would take hundreds of MB and seconds more to read.
	dpi := float64(ocrDPI)
	if size, err := doc.Bound(req.Page - 1); err == nil {
		dpi = pageDPI(dpi, size)
	}
	img, err := doc.ImageDPI(req.Page-1, dpi)
	if err != nil {
		return nil, err
	}
	return engine.Recognize(ctx, img)
}

// grayRenderer renders a page in grey (the direct MuPDF renderer does).
type grayRenderer interface {
	RenderGray(i int, dpi float64) (*image.Gray, error)
}

// renderGrayDirect renders page (1-based) of a PDF in grey with the direct renderer, at the OCR
// resolution within the pixel budget of oversize pages; ok is false when that renderer cannot be
// used here (go-fitz renders the page instead).
func renderGrayDirect(data []byte, page int) (img *image.Gray, ok bool, err error) {
	r, ok, err := openDirectRenderer(data, false)
	if !ok || err != nil {
		return nil, ok, err
	}
	defer r.Close()
	g, ok := r.(grayRenderer)
	if !ok {
		return nil, false, nil
	}
	if page < 1 || page > r.NumPage() {
		return nil, true, fmt.Errorf("page %d of %d: %w", page, r.NumPage(), fitz.ErrPageMissing)
	}
	dpi := float64(ocrDPI)
	if size, err := r.PageSize(page - 1); err == nil {
		dpi = pageDPI(dpi, size)
	}
	img, err = g.RenderGray(page-1, dpi)
	return img, true, err
}

// recogniseScans reads the image-only pages of in by OCR in sandbox workers and uses their text.
// Cancelling ctx stops it (the workers' jobs are killed); in then stays as Inspect left it. A page
// that cannot be read is left as it was.
func recogniseScans(ctx context.Context, in *Input, pt Patient, opt Options) {
	pages := in.noText
	if opt.NoOCR || len(pages) == 0 {
		return
	}
	if !ocr.Available() {
		in.ScanNote = ocr.ErrUnavailable.Error()
		return
	}
	results := make([]*scanWords, len(pages))
	var done atomic.Int32
	var unavailable atomic.Bool
	var wg sync.WaitGroup
	// More jobs in flight than workers only queue in the pool; a few more keep it busy.
	sem := make(chan struct{}, 2*runtime.NumCPU())
	pw := opt.password(in.Path)
	for i, p := range pages {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			req := ocrRequest{Path: in.Path, Password: pw, Page: p, Timeout: ocrPageLimit + workerGrace}
			body, err := sandbox.Encode(req)
			if err == nil {
				body, err = opt.pool().Do(ctx, jobOCR, body, ocrPageLimit)
			}
			var res ocrResult
			if err == nil {
				err = sandbox.Decode(body, &res)
			}
			if err == nil && res.Unavailable {
				unavailable.Store(true)
			}
			if err == nil && res.Err == "" {
				results[i] = &res.Page
			}
			n := done.Add(1)
			if opt.ScanProgress != nil {
				opt.ScanProgress(in.Path, int(n), len(pages))
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return
	}
	if unavailable.Load() {
		in.ScanNote = ocr.ErrUnavailable.Error()
	}
	applyScans(in, pages, results, pt, opt)
}

// applyScans uses the recognised text of pages (nil: not read) as text pages' text is used.
func applyScans(in *Input, pages []int, results []*scanWords, pt Patient, opt Options) {
	texts := map[int]*scanWords{}
	for i, p := range pages {
		s := results[i]
		if s == nil {
			continue
		}
		texts[p] = s
		in.Scanned = append(in.Scanned, p)
		if in.scans == nil {
			in.scans = map[int]*scanWords{}
		}
		in.scans[p] = s
		if s.Rotate != 0 {
			if in.Turned == nil {
				in.Turned = map[int]int{}
			}
			in.Turned[p] = s.Rotate
		}
		if !hasWords(s) {
			// Ink but no words: a noisy blank sheet (fax noise, a punched hole, a stamp).
			in.Blank = append(in.Blank, p)
			continue
		}
		for _, rs := range checkPage(s.Text, pt) {
			in.Flags = append(in.Flags, PageFlag{Page: p, Reason: rs, Conf: int(math.Round(s.Conf))})
		}
	}
	sort.Ints(in.Blank)
	sort.SliceStable(in.Flags, func(i, j int) bool { return in.Flags[i].Page < in.Flags[j].Page })
	if len(texts) == 0 || in.DateSource == DateText || in.DateSource == DateUser {
		return
	}
	// No date in the text layer: date it from the scanned text of its first pages.
	var first []string
	for p := 1; p <= min(in.Pages, datePages); p++ {
		if s := texts[p]; s != nil {
			first = append(first, s.Text)
		} else {
			first = append(first, "")
		}
	}
	m, ok := docDateMatch(first, pt.DOB, opt.now())
	if !ok {
		return
	}
	conf := texts[m.page+1].confOf(m.start, m.end)
	in.Date, in.DateSource, in.DateConf = m.t, DateScan, int(math.Round(conf))
	in.CheckDate = conf < sureConf
}

// hasWords: at least two confident words of two letters or more.
func hasWords(s *scanWords) bool {
	n := 0
	for _, w := range s.Words {
		if w.Conf >= wordConf && countLetters(w.Text) >= 2 {
			n++
		}
	}
	return n >= 2
}

// scanLayer turns a scanned page upright and puts its recognised words under it as invisible text
// (render mode 3, as ocrmypdf does): the page looks the same, its text can be searched and copied.
// Pages without OCR come back as they are.
func scanLayer(body pageBody, in *Input, p int) pageBody {
	s := in.scans[p]
	if s == nil || s.W0 <= 0 || s.H0 <= 0 {
		return body
	}
	d2u, wd, hd := displayToUser(body.box, body.rotate)
	// Where the OCR image lies on the displayed page: the whole page, or a photo's place on it.
	target := rect{0, 0, wd, hd}
	if in.Kind == KindImage && (in.imageType == "jpeg" || in.imageType == "png") {
		_, target = placeOnLetter(float64(s.W0), float64(s.H0))
	}
	w0, h0 := float64(s.W0), float64(s.H0)
	var unturn matrix // upright image pixels → rendered image pixels
	switch s.Rotate {
	case 90:
		unturn = matrix{0, -1, 1, 0, 0, h0}
	case 180:
		unturn = matrix{-1, 0, 0, -1, w0, h0}
	case 270:
		unturn = matrix{0, 1, -1, 0, w0, 0}
	default:
		unturn = identity
	}
	toDisplay := matrix{target.w() / w0, 0, 0, -target.h() / h0, target.x0, target.y1}
	px2u := unturn.then(toDisplay).then(d2u)

	var ops bytes.Buffer
	ops.WriteString("\nBT 3 Tr /" + stampFont + " 1 Tf\n")
	for _, w := range s.Words {
		txt := winAnsi(w.Text)
		adv := textWidth(txt, "Helvetica", 1)
		h := float64(w.Y1 - w.Y0)
		if len(txt) == 0 || adv <= 0 || h <= 0 || w.X1 <= w.X0 {
			continue
		}
		// Text space → upright pixels: the word's width, its box's height, on its baseline.
		tm := matrix{float64(w.X1-w.X0) / adv, 0, 0, -h, float64(w.X0), float64(w.Y1) - 0.2*h}.then(px2u)
		fmt.Fprintf(&ops, "%s %s %s %s %s %s Tm ", fmtNum(tm[0]), fmtNum(tm[1]), fmtNum(tm[2]), fmtNum(tm[3]), fmtNum(tm[4]), fmtNum(tm[5]))
		writePDFString(&ops, txt)
		ops.WriteString(" Tj\n")
	}
	ops.WriteString("ET\n")
	out := body
	out.ops = append(append(make([]byte, 0, len(body.ops)+ops.Len()), body.ops...), ops.Bytes()...)
	out.rotate = (body.rotate + s.Rotate) % 360
	return out
}
