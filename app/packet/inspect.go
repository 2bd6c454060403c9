package packet

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gen2brain/go-fitz"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/referraldesk/referraldesk/app/exif"
)

// RepairedRendered is Input.Repaired for a file rebuilt from its rendered pages.
const RepairedRendered = "repaired: rebuilt from rendered pages"

// Low resolution used to look for blank and duplicate pages.
const analysisDPI = 36

// datePages is how many leading pages are searched for the document date.
const datePages = 5

// inspectHere is Inspect inside this process (the worker's side of it). It never panics and never
// hangs past opt.FileTimeout or ctx. Pages are looked at one at a time, so long files do not sit in
// memory as images.
func inspectHere(ctx context.Context, path string, pt Patient, opt Options) (in *Input) {
	in = &Input{Path: path, Title: defaultTitle(path)}
	defer func() {
		if p := recover(); p != nil {
			in.Err = fmt.Errorf("packet: inspect %s: %w: %w", filepath.Base(path), ErrDamaged, errCrashed)
		}
	}()
	fail := func(err error) *Input {
		in.Err = fmt.Errorf("packet: inspect %s: %w", filepath.Base(path), err)
		return in
	}
	data, err := readInput(path)
	if err != nil {
		return fail(err)
	}
	kind, sub := sniff(data)
	if kind == "" {
		return fail(ErrUnsupported)
	}
	in.Kind, in.imageType = kind, sub
	var mtime time.Time
	if st, err := os.Stat(path); err == nil {
		mtime = st.ModTime()
	}

	res, err := guard(ctx, opt.timeout(), func(ctx context.Context) (*Input, error) {
		r := &Input{Kind: kind, imageType: sub}
		if kind == KindPDF {
			return r, inspectPDF(ctx, r, data, opt.password(path), pt, opt)
		}
		return r, inspectImage(ctx, r, data, pt, opt)
	})
	if err != nil {
		return fail(err)
	}
	in.Pages, in.render, in.Repaired, in.mustDraw = res.Pages, res.render, res.Repaired, res.mustDraw
	in.Flags, in.Blank, in.hashes, in.noText, in.texts = res.Flags, res.Blank, res.hashes, res.noText, res.texts // noText: OCR
	in.Date, in.DateSource, in.CheckDate = res.Date, res.DateSource, res.CheckDate
	if in.Date.IsZero() {
		in.Date, in.DateSource, in.CheckDate = mtime, DateFile, true
	}
	MarkDuplicates([]*Input{in})
	return in
}

func inspectPDF(ctx context.Context, r *Input, data []byte, password string, pt Patient, opt Options) error {
	pc, perr := readPDF(ctx, data, password)
	if errors.Is(perr, ErrEncrypted) || errors.Is(perr, ErrWrongPassword) {
		return perr
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	pdfcpuPages := 0
	var verr error
	if perr == nil {
		if err := checkPageClaim(int64(pc.PageCount), len(data)); err != nil {
			return err
		}
		pdfcpuPages = pc.PageCount
		// The page tree first, as Build's copy will find it: pdfcpu's validation mends some damage
		// (a page whose dictionary lacks its endobj) in ways that lose the page's content.
		verr = checkPageTree(pc)
		if verr == nil {
			verr = validateInput(pc)
		}
		if t, ok := infoDate(pc); ok {
			r.Date, r.DateSource, r.CheckDate = t, DateMetadata, true
		}
	}
	var textless map[int]bool
	if perr == nil && verr == nil {
		textless = textlessPages(pc)
		r.mustDraw = lostResourcePages(pc)
	}
	if password == "" {
		// One MuPDF document for the text, the metadata and the renders (see pagetext_cgo.go).
		if rend, ok, err := openDirectRenderer(data, false); ok && err == nil {
			if t, ok := rend.(interface {
				pageTexter
				CreationDate() string
			}); ok {
				defer rend.Close()
				hr := &hashRenderer{r: rend, tried: true}
				hr.open() // before the first page's text, which the renderer's display lists serve too
				var texter pageTexter = t
				if len(textless) > 0 && rend.NumPage() == pdfcpuPages {
					texter = skipTexter{t, textless}
				}
				return analyseOpened(ctx, r, texter, hr, rend.NumPage(), t.CreationDate(), len(data), perr, verr, pdfcpuPages, pt, opt, false)
			}
			rend.Close()
		}
	}
	doc, ferr := openFitz(data, password)
	if ferr != nil {
		if errors.Is(ferr, ErrWrongPassword) || errors.Is(ferr, ErrEncrypted) {
			return ferr
		}
		if perr != nil || pdfcpuPages == 0 {
			return fmt.Errorf("%w (%v)", ErrDamaged, firstErr(perr, ferr))
		}
		// pdfcpu reads it, MuPDF does not: copy the pages, without text analysis.
		if verr != nil {
			return fmt.Errorf("%w (%v)", ErrDamaged, verr)
		}
		r.Pages = pdfcpuPages
		return nil
	}
	defer doc.Close()
	hr := &hashRenderer{data: data, doc: doc}
	defer hr.close()
	return analyseOpened(ctx, r, doc, hr, doc.NumPage(), doc.Metadata()["creationDate"], len(data), perr, verr, pdfcpuPages, pt, opt, password != "")
}

// pageTexter gives the text of a document's pages (go-fitz, or the direct renderer).
type pageTexter interface {
	Text(i int) (string, error)
}

// skipTexter does not run MuPDF over the pages that cannot show text (0-based; see textlessPages):
// on a scan made of thousands of inline images, running the page for its text costs as much as
// drawing it.
type skipTexter struct {
	pageTexter
	none map[int]bool
}

func (s skipTexter) Text(i int) (string, error) {
	if s.none[i] {
		return "", nil
	}
	return s.pageTexter.Text(i)
}

// textlessPages lists the pages (0-based) whose resources, as pdfcpu read them, leave no way to show
// text: no fonts, no patterns, and only images among their external objects (a form or a pattern
// has resources of its own, which may hold fonts). A scanned page is one.
func textlessPages(pc *model.Context) map[int]bool {
	none := map[int]bool{}
	_ = safely(func() error {
		for p := 1; p <= pc.PageCount; p++ {
			_, _, inh, err := pc.PageDict(p, false)
			if err != nil || inh == nil || !imagesOnly(pc, inh.Resources) {
				continue
			}
			none[p-1] = true
		}
		return nil
	})
	return none
}

func imagesOnly(pc *model.Context, res types.Dict) bool {
	for k := range res {
		switch k {
		case "XObject", "ProcSet", "ExtGState", "ColorSpace", "Shading", "Properties":
		default:
			return false // Font, Pattern, or something unknown: it may show text
		}
	}
	xobjs, err := pc.DereferenceDict(res["XObject"])
	if err != nil {
		return false
	}
	for _, o := range xobjs {
		sd, _, err := pc.DereferenceStreamDict(o)
		if err != nil || sd == nil {
			return false
		}
		if st, ok := sd.Dict["Subtype"].(types.Name); !ok || st != "Image" {
			return false
		}
	}
	return true
}

// analyseOpened goes on with a PDF that MuPDF opened (pages pages, creation date as written).
func analyseOpened(ctx context.Context, r *Input, doc pageTexter, hr *hashRenderer, pages int, created string, size int,
	perr, verr error, pdfcpuPages int, pt Patient, opt Options, renderAll bool,
) error {
	r.Pages = pages
	if err := checkPageClaim(int64(r.Pages), size); err != nil {
		return err
	}
	switch {
	case perr != nil, verr != nil, pdfcpuPages != r.Pages:
		r.render = true
		r.Repaired = RepairedRendered
	}
	if r.Date.IsZero() {
		if t, ok := parsePDFDate(created); ok {
			r.Date, r.DateSource, r.CheckDate = t, DateMetadata, true
		}
	}
	return analysePages(ctx, r, doc, hr, pt, opt, true, renderAll)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func inspectImage(ctx context.Context, r *Input, data []byte, pt Patient, opt Options) error {
	if r.imageType == "jpeg" {
		if ex := exif.ReadJPEG(data); !ex.Taken.IsZero() {
			r.Date, r.DateSource, r.CheckDate = ex.Taken, DateMetadata, true
		}
	}
	if err := checkImageClaim(data, r.imageType); err != nil {
		return err
	}
	doc, err := fitz.NewFromMemory(data)
	if err != nil {
		if doc != nil {
			_ = doc.Close()
		}
		return fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	defer doc.Close()
	r.Pages = doc.NumPage()
	if r.Pages <= 0 {
		return fmt.Errorf("no pages: %w", ErrDamaged)
	}
	if err := checkPageClaim(int64(r.Pages), len(data)); err != nil {
		return err
	}
	if r.imageType != "tiff" {
		r.Pages = 1
	}
	return analysePages(ctx, r, doc, &hashRenderer{doc: doc}, pt, opt, false, true)
}

// analysePages reads each page's text (dates, wrong-patient flags) and, where it can matter, a small
// render (blank and duplicate pages), one page at a time.
//
// A page is a duplicate of another when both its text and its render are the same. Rendering is most of
// the time spent here, so a page with text (which cannot be blank) is rendered only when another page
// has the same text: in this file here, in another file by MarkDuplicates. Until then its hash is of
// its text alone (pending). renderAll renders every page (password-protected files, which
// MarkDuplicates could not open again, and images).
func analysePages(ctx context.Context, r *Input, doc pageTexter, hr *hashRenderer, pt Patient, opt Options, hasText, renderAll bool) error {
	var firstTexts []string
	anyText := false
	r.hashes = make([][32]byte, r.Pages)
	r.texts = make([][32]byte, r.Pages)
	twins := map[[32]byte]int{} // text hash → pages with it
	for i := 0; i < r.Pages; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		text := ""
		if hasText {
			t, err := doc.Text(i)
			if err == nil {
				text = t
			}
		}
		if countLetters(text) >= 20 {
			anyText = true
		}
		if i < datePages {
			firstTexts = append(firstTexts, text)
		}
		if reasons := checkPage(text, pt); len(reasons) > 0 {
			for _, rs := range reasons {
				r.Flags = append(r.Flags, PageFlag{Page: i + 1, Reason: rs})
			}
		}
		key := textHash(text)
		r.texts[i] = key
		twins[key]++
		if !renderAll && !mayBeBlank(text) {
			r.hashes[i] = key // pending
			continue
		}
		blank, inkKey, err := hr.look(i, text, key)
		if err != nil {
			// Unrenderable page: keep it (the build decides), but it cannot be blank or a duplicate.
			_, _ = rand.Read(r.hashes[i][:]) // a hash no other page has
			continue
		}
		switch {
		case blank:
			r.Blank = append(r.Blank, i+1)
		case countLetters(text) < 20: // OCR (scan.go): an image-only page, to read
			r.noText = append(r.noText, i+1)
		}
		if inkKey != key { // pending on what was drawn of it (see look)
			twins[key]--
			key = inkKey
			r.texts[i] = key
			twins[key]++
		}
		r.hashes[i] = key
		if blank {
			r.hashes[i] = sha256.Sum256(append([]byte("blank\x00"), key[:]...)) // never a duplicate
		}
	}
	for i := range r.hashes {
		if !r.isPending(i) || twins[r.texts[i]] < 2 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if img, err := hr.render(i); err == nil {
			r.hashes[i] = pageHash(r.texts[i], img)
		}
	}
	if t, ok := docDate(firstTexts, pt.DOB, opt.now()); ok {
		r.Date, r.DateSource, r.CheckDate = t, DateText, false
	} else if !anyText || r.Date.IsZero() {
		r.CheckDate = true
	}
	return nil
}

// mayBeBlank: isBlank can be true for a page with this text (none, or only "intentionally left blank").
func mayBeBlank(text string) bool {
	letters := countLetters(text)
	return letters == 0 || (letters < 60 && strings.Contains(strings.ToLower(text), "intentionally left blank"))
}

// textHash is the hash of a page's text, spaces normalised: a page's hash while it is pending.
func textHash(text string) [32]byte {
	return sha256.Sum256([]byte("text\x00" + strings.Join(strings.Fields(text), " ")))
}

// pageHash is a page's duplicate hash: its text's hash, then its low-resolution render.
func pageHash(text [32]byte, img *image.RGBA) [32]byte {
	h := sha256.New()
	h.Write(text[:])
	b := img.Bounds()
	fmt.Fprintf(h, "%dx%d", b.Dx(), b.Dy())
	h.Write(img.Pix)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// hashRenderer renders pages at the resolution blank and duplicate detection use. A PDF is drawn by the
// direct renderer without colour management (several times faster on CMYK and ICC-based pages; the
// worker and MarkDuplicates draw alike, so their hashes agree), other files and PDFs it cannot open by
// go-fitz (doc, not closed here).
type hashRenderer struct {
	data  []byte // the PDF, or nil
	doc   *fitz.Document
	r     pageRenderer
	tried bool
	buf   []byte
}

func (h *hashRenderer) render(i int) (*image.RGBA, error) {
	h.open()
	img, err := h.renderer().Render(i, h.dpi(i), h.buf) // hashed before the next page is drawn
	if err == nil {
		h.buf = img.Pix
	}
	return img, err
}

// inkBands is how many bands of rows look cuts a page into.
const inkBands = 8

// bandRenderer draws a band of a page's rows (the direct renderer).
type bandRenderer interface {
	RenderBand(i int, dpi float64, k, n int, buf []byte) (img *image.RGBA, pixels int, err error)
}

// look tells whether page i, with text (key: its text hash), is blank, and gives the page's key while
// its duplicate hash is pending: the hash of its text and of the bands drawn. Most pages that may be
// blank are scans, whose images are most of the time spent here: the page is drawn band by band from
// the top at the analysis resolution, and the drawing stops at the first band that brings the ink
// over what a blank page may have. The whole page is drawn only when it is blank (as before) or when
// another page has the same key (see analysePages, confirmTextTwins): two pages that draw alike start
// alike. A renderer without bands draws the whole page, whose key is then the text's.
func (h *hashRenderer) look(i int, text string, key [32]byte) (blank bool, inkKey [32]byte, err error) {
	h.open()
	br, ok := h.r.(bandRenderer)
	if !ok {
		img, err := h.render(i)
		if err != nil {
			return false, key, err
		}
		return isBlank(img, text), key, nil
	}
	dpi := h.dpi(i)
	letters := countLetters(text)
	sum := sha256.New()
	sum.Write([]byte("ink\x00"))
	sum.Write(key[:])
	ink, pixels := 0, 0
	for k := 0; k < inkBands; k++ {
		img, n, err := br.RenderBand(i, dpi, k, inkBands, h.buf)
		if err != nil {
			return false, key, err
		}
		h.buf, pixels = img.Pix, n
		fmt.Fprintf(sum, "%dx%d", img.Rect.Dx(), img.Rect.Dy())
		sum.Write(img.Pix)
		ink += inkCount(img.Pix)
		if !withinBlank(ink, pixels, letters) {
			break
		}
	}
	copy(inkKey[:], sum.Sum(nil))
	return withinBlank(ink, pixels, letters), inkKey, nil
}

func (h *hashRenderer) open() {
	if !h.tried && h.data != nil {
		h.tried = true
		if r, ok, err := openDirectRenderer(h.data, false); ok && err == nil {
			h.r = r
		}
	}
	if h.r != nil {
		// The checks look at the page at the analysis resolution: a JPEG 2000 scan is decoded with the
		// pixels that needs, as MuPDF decodes its other images, and the page is drawn from its display
		// list (the same in every process, so that the hashes of one page agree).
		forAnalysis(h.r)
	}
}

// dpi is the analysis resolution for page i.
func (h *hashRenderer) dpi(i int) float64 { return analysisPageDPI(h.renderer(), i) }

// analysisPageDPI is the resolution page i of r is drawn at for the blank and duplicate checks.
func analysisPageDPI(r pageRenderer, i int) float64 {
	dpi := float64(analysisDPI)
	if b, err := r.PageSize(i); err == nil {
		dpi = pageDPI(dpi, b) // an oversize page needs no more pixels to look blank or alike
	}
	return dpi
}

func (h *hashRenderer) renderer() pageRenderer {
	if h.r != nil {
		return h.r
	}
	return fitzRenderer{h.doc}
}

func (h *hashRenderer) close() {
	if h.r != nil {
		h.r.Close()
		h.r = nil
	}
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// isBlank: no text (or only "intentionally left blank") and almost no ink.
func isBlank(img *image.RGBA, text string) bool {
	letters := countLetters(text)
	lower := strings.ToLower(text)
	if letters > 0 && !(strings.Contains(lower, "intentionally left blank") && letters < 60) {
		return false
	}
	b := img.Bounds()
	return withinBlank(inkCount(img.Pix), b.Dx()*b.Dy(), letters)
}

// inkCount counts the dark pixels of RGBA pixels.
func inkCount(pix []byte) int {
	ink := 0
	for i := 0; i+3 < len(pix); i += 4 {
		// Luma, integer approximation.
		y := (299*int(pix[i]) + 587*int(pix[i+1]) + 114*int(pix[i+2])) / 1000
		if y < 160 {
			ink++
		}
	}
	return ink
}

// withinBlank: ink dark pixels out of total are few enough for a blank page with that many letters.
func withinBlank(ink, total, letters int) bool {
	if total == 0 {
		return true
	}
	if letters > 0 { // "this page intentionally left blank": its own words are ink
		return float64(ink)/float64(total) < 0.02
	}
	return float64(ink)/float64(total) < 0.003
}

// MarkDuplicates sets DupOf on every page whose content (rendered at low resolution, plus its text)
// is identical to an earlier page, in the order of inputs. Blank pages are not marked (see Blank).
// Call it again after adding or removing inputs.
func MarkDuplicates(inputs []*Input) {
	confirmTextTwins(inputs)
	first := map[[32]byte]PageRef{}
	for _, in := range inputs {
		if in == nil {
			continue
		}
		in.DupOf = nil
		blank := map[int]bool{}
		for _, p := range in.Blank {
			blank[p] = true
		}
		for i, h := range in.hashes {
			if blank[i+1] || in.isPending(i) { // a pending page has no twin (or it could not be rendered)
				continue
			}
			if f, ok := first[h]; ok {
				if in.DupOf == nil {
					in.DupOf = map[int]PageRef{}
				}
				in.DupOf[i+1] = f
				continue
			}
			first[h] = PageRef{Doc: in, Page: i + 1}
		}
	}
}

func (in *Input) isPending(i int) bool {
	return i < len(in.texts) && i < len(in.hashes) && in.hashes[i] == in.texts[i]
}

// confirmTextTwins renders, in this process, the pending pages whose text another page has too, and
// gives them their full hash. Only files inspected in a worker and unchanged since are
// read here (isChecked); a page that cannot be rendered stays pending, and is no one's duplicate.
func confirmTextTwins(inputs []*Input) {
	count := map[[32]byte]int{}
	for _, in := range inputs {
		if in == nil {
			continue
		}
		for _, h := range in.texts {
			count[h]++
		}
	}
	// Files apart, on every core: each has its own MuPDF document, and writes only its own hashes.
	jobs := make(chan func(), len(inputs))
	for _, in := range inputs {
		if in == nil {
			continue
		}
		var pages []int
		for i, h := range in.hashes {
			if in.isPending(i) && count[h] > 1 { // h is the page's text hash
				pages = append(pages, i)
			}
		}
		if len(pages) > 0 {
			jobs <- func() { renderPending(in, pages) }
		}
	}
	close(jobs)
	var wg sync.WaitGroup
	for range min(runtime.NumCPU(), len(jobs)) {
		wg.Go(func() {
			for job := range jobs {
				job()
			}
		})
	}
	wg.Wait()
}

func renderPending(in *Input, pages []int) {
	if !isChecked(in.Path) {
		return
	}
	keys := make([][32]byte, len(pages))
	for k, i := range pages {
		keys[k] = in.hashes[i]
	}
	full, err := guard(context.Background(), Options{}.timeout(), func(context.Context) (map[int][32]byte, error) {
		data, err := readInput(in.Path)
		if err != nil {
			return nil, err
		}
		// The direct renderer, as in the worker; go-fitz only when it cannot be used here.
		hr := &hashRenderer{data: data, tried: true}
		if r, ok, err := openDirectRenderer(data, false); ok && err == nil {
			hr.r = r
		} else {
			doc, err := openFitz(data, "")
			if err != nil {
				return nil, err
			}
			defer doc.Close()
			hr.doc = doc
		}
		defer hr.close()
		out := map[int][32]byte{}
		for k, i := range pages {
			if img, err := hr.render(i); err == nil {
				out[i] = pageHash(keys[k], img)
			}
		}
		return out, nil
	})
	if err != nil {
		return
	}
	for i, h := range full {
		in.hashes[i] = h
	}
}

// renderThumbnail draws page (1-based) of doc so that its longer side is maxPx pixels.
func renderThumbnail(doc pageRenderer, page, maxPx int) (image.Image, error) {
	if page < 1 || page > doc.NumPage() {
		return nil, fmt.Errorf("page %d of %d: %w", page, doc.NumPage(), fitz.ErrPageMissing)
	}
	b, err := doc.PageSize(page - 1)
	if err != nil {
		return nil, err
	}
	return doc.Render(page-1, thumbnailDPI(b, maxPx), nil)
}

// thumbnailDPI fits a page of size b (points) in maxPx pixels.
func thumbnailDPI(b image.Rectangle, maxPx int) float64 {
	longer := math.Max(float64(b.Dx()), float64(b.Dy()))
	if longer <= 0 {
		longer = 792
	}
	return math.Max(1, 72*float64(maxPx)/longer)
}

// thumbnailHere is Thumbnail inside this process.
func thumbnailHere(ctx context.Context, path string, page, maxPx int, opt Options) (image.Image, error) {
	if maxPx <= 0 {
		maxPx = 200
	}
	img, err := guard(ctx, opt.timeout(), func(ctx context.Context) (image.Image, error) {
		var doc pageRenderer
		if head, err := readHead(path); err != nil {
			return nil, err
		} else if bytes.HasPrefix(head, []byte("%PDF-")) && opt.password(path) == "" {
			// MuPDF reads what the page needs from the file, not all of it.
			if r, ok, err := openDirectRendererFile(path); ok {
				if err != nil {
					return nil, err
				}
				doc = r
			}
		}
		if doc != nil {
			defer doc.Close()
			fitImagesToPage(doc)
			if img, ok, err := renderThumbnailSplit(doc, path, page, maxPx); ok {
				return img, err
			}
			return renderThumbnail(doc, page, maxPx)
		}
		data, err := readInput(path)
		if err != nil {
			return nil, err
		}
		kind, _ := sniff(data)
		if kind == "" {
			return nil, ErrUnsupported
		}
		if kind == KindPDF {
			// A thumbnail needs no colour management: MuPDF draws it several times faster without.
			if r, ok, err := openDirectRenderer(data, false); ok {
				if err != nil {
					return nil, err
				}
				doc = r
			}
		}
		if doc == nil {
			var d *fitz.Document
			if kind == KindPDF {
				d, err = openFitz(data, opt.password(path))
			} else {
				d, err = fitz.NewFromMemory(data)
				if err != nil && d != nil {
					_ = d.Close()
				}
			}
			if err != nil {
				return nil, err
			}
			doc = fitzRenderer{d}
		}
		defer doc.Close()
		fitImagesToPage(doc)
		return renderThumbnail(doc, page, maxPx)
	})
	if err != nil {
		return nil, fmt.Errorf("packet: thumbnail %s page %d: %w", filepath.Base(path), page, err)
	}
	return img, nil
}
