//go:build cgo && !nocgo

package packet

// A direct MuPDF renderer for the pages Build rebuilds from their image (damaged files). go-fitz's
// ImageDPI makes a new MuPDF context per document (colour management set up again each time), renders
// into a fresh C buffer, copies it into Go memory twice, and drops the buffers: on a 150 dpi Letter
// page that is 25 MB of fresh memory, whose page faults cost more than the drawing. This renderer
// draws straight into a Go buffer that Build reuses from page to page, and keeps MuPDF contexts for
// the next document. The declarations are those of MuPDF 1.24.9, as in stamptext_cgo.go, and it is used
// only when go-fitz links that version (directReaderUsable); otherwise Build renders with go-fitz.

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RR_VERSION "1.24.9"

typedef struct fz_context fz_context;
typedef struct fz_document fz_document;
typedef struct fz_page fz_page;
typedef struct fz_stream fz_stream;
typedef struct fz_colorspace fz_colorspace;
typedef struct fz_pixmap fz_pixmap;
typedef struct fz_device fz_device;
typedef struct fz_separations fz_separations;
typedef struct fz_cookie fz_cookie;
typedef struct { float x0, y0, x1, y1; } fz_rect;
typedef struct { int x0, y0, x1, y1; } fz_irect;
typedef struct { float a, b, c, d, e, f; } fz_matrix;

enum { FZ_NO_CACHE = 2 };

fz_context *fz_new_context_imp(const void *alloc, const void *locks, size_t max_store, const char *version);
void fz_drop_context(fz_context *ctx);
void fz_set_warning_callback(fz_context *ctx, void (*cb)(void *user, const char *message), void *user);
void fz_set_error_callback(fz_context *ctx, void (*cb)(void *user, const char *message), void *user);
void fz_register_document_handlers(fz_context *ctx);
void fz_empty_store(fz_context *ctx);
void fz_disable_icc(fz_context *ctx);
fz_stream *fz_open_memory(fz_context *ctx, const unsigned char *data, size_t len);
fz_stream *fz_open_file(fz_context *ctx, const char *filename);
void fz_drop_stream(fz_context *ctx, fz_stream *stm);
fz_document *fz_open_document_with_stream(fz_context *ctx, const char *magic, fz_stream *stream);
void fz_drop_document(fz_context *ctx, fz_document *doc);
int fz_needs_password(fz_context *ctx, fz_document *doc);
int fz_count_pages(fz_context *ctx, fz_document *doc);
fz_page *fz_load_page(fz_context *ctx, fz_document *doc, int number);
void fz_drop_page(fz_context *ctx, fz_page *page);
fz_rect fz_bound_page(fz_context *ctx, fz_page *page);
fz_matrix fz_scale(float sx, float sy);
fz_rect fz_transform_rect(fz_rect rect, fz_matrix m);
fz_irect fz_round_rect(fz_rect rect);
fz_colorspace *fz_device_rgb(fz_context *ctx);
fz_colorspace *fz_device_gray(fz_context *ctx);
fz_pixmap *fz_new_pixmap_with_bbox_and_data(fz_context *ctx, fz_colorspace *colorspace, fz_irect rect, fz_separations *seps, int alpha, unsigned char *samples);
void fz_drop_pixmap(fz_context *ctx, fz_pixmap *pix);
void fz_clear_pixmap_with_value(fz_context *ctx, fz_pixmap *pix, int value);
fz_device *fz_new_draw_device(fz_context *ctx, fz_matrix transform, fz_pixmap *dest);
void fz_enable_device_hints(fz_context *ctx, fz_device *dev, int hints);
void fz_run_page_contents(fz_context *ctx, fz_page *page, fz_device *dev, fz_matrix transform, fz_cookie *cookie);
void fz_close_device(fz_context *ctx, fz_device *dev);
void fz_drop_device(fz_context *ctx, fz_device *dev);
typedef struct fz_display_list fz_display_list;
fz_display_list *fz_new_display_list(fz_context *ctx, fz_rect mediabox);
fz_device *fz_new_list_device(fz_context *ctx, fz_display_list *list);
void fz_run_display_list(fz_context *ctx, fz_display_list *list, fz_device *dev, fz_matrix ctm, fz_rect scissor, fz_cookie *cookie);
void fz_drop_display_list(fz_context *ctx, fz_display_list *list);
typedef struct pdf_page pdf_page;
typedef struct pdf_obj pdf_obj;
pdf_page *pdf_page_from_fz_page(fz_context *ctx, fz_page *ptr);
pdf_obj *pdf_page_resources(fz_context *ctx, pdf_page *page);
pdf_obj *pdf_dict_gets(fz_context *ctx, pdf_obj *dict, const char *key);
int pdf_dict_len(fz_context *ctx, pdf_obj *dict);
pdf_obj *pdf_dict_get_val(fz_context *ctx, pdf_obj *dict, int idx);
const char *pdf_to_name(fz_context *ctx, pdf_obj *obj);
int pdf_is_jpx_image(fz_context *ctx, pdf_obj *dict);

#include "mupdf_try.h"
#include "mupdf_locks.h"
#include "jpxreduce.h"

static void rr_quiet(void *user, const char *message) { (void)user; (void)message; }

// rr_new_context makes a context for one document at a time (NULL: MuPDF is not RR_VERSION); without
// colour management unless icc.
static fz_context *rr_new_context(int icc)
{
	fz_context *ctx = fz_new_context_imp(NULL, mu_shared_locks(), 64 << 20, RR_VERSION);
	if (!ctx)
		return NULL;
	fz_set_warning_callback(ctx, rr_quiet, NULL);
	fz_set_error_callback(ctx, rr_quiet, NULL);
	mu_try(ctx)
	{
		fz_register_document_handlers(ctx);
		if (!icc)
			fz_disable_icc(ctx);
	}
	mu_catch(ctx)
	{
		fz_drop_context(ctx);
		return NULL;
	}
	return ctx;
}

#include "mupdf_doc.h"

typedef mu_doc rr_doc;

static void rr_close(rr_doc *h) { mu_doc_close(h); }

// rr_open: see mu_doc_open (NULL with *err = 2, or 3 when the PDF needs a password).
static rr_doc *rr_open(fz_context *ctx, const unsigned char *src, size_t n, int *err)
{
	return mu_doc_open(ctx, src, n, 0, err);
}

static fz_stream *rr_open_path(fz_context *ctx, const void *path, size_t n)
{
	(void)n;
	return fz_open_file(ctx, (const char *)path);
}

// rr_open_file opens the PDF at path (UTF-8), which MuPDF reads as it needs it: a thumbnail reads a
// few objects of a large file, not all of it. NULL with *err = 2, or 3 when it needs a password.
static rr_doc *rr_open_file(fz_context *ctx, const char *path, int *err)
{
	mu_doc *h = mu_doc_new(ctx, err);
	return h ? mu_doc_open_with(h, rr_open_path, path, 0, err) : NULL;
}

// rr_bound gives the box of page i in points. 0, or -1.
static int rr_bound(rr_doc *h, int i, fz_rect *out)
{
	fz_context *ctx = h->ctx;
	fz_page *volatile page = NULL;
	volatile int rc = -1;
	mu_try(ctx)
	{
		page = fz_load_page(ctx, h->doc, i);
		*out = fz_bound_page(ctx, page);
		rc = 0;
	}
	mu_always(ctx)
	{
		fz_drop_page(ctx, page);
	}
	mu_catch(ctx)
	{
		rc = -1;
	}
	return rc;
}

// rr_bbox gives the pixel box of page i at zoom (as go-fitz's ImageDPI computes it). 0, or -1.
static int rr_bbox(rr_doc *h, int i, float zoom, fz_irect *out)
{
	fz_rect r;
	if (rr_bound(h, i, &r) != 0)
		return -1;
	*out = fz_round_rect(fz_transform_rect(r, fz_scale(zoom, zoom)));
	return 0;
}

// rr_draw draws page i at zoom over white into samples (RGBA, 4 * width bytes a row, for the box
// rr_bbox gave, or a band of it; grey without alpha, 1 byte a pixel, when gray). The samples are
// the caller's: MuPDF drops its pixmap before returning. It replays list, the page's display list
// (what lies outside box is skipped), or, when list is NULL, runs the page's contents with JPEG 2000
// images decoded with the pixels a longer side of need asks for (jpxreduce.c; 0: whole); *redo is
// then set when such a decode failed and MuPDF left the image out. 0, or -1.
static int rr_draw(rr_doc *h, int i, fz_display_list *list, float zoom, fz_irect box, unsigned char *samples, int gray, int need, int *redo)
{
	fz_context *ctx = h->ctx;
	fz_page *volatile page = NULL;
	fz_pixmap *volatile pix = NULL;
	fz_device *volatile dev = NULL;
	volatile int rc = -1;
	fz_matrix identity = { 1, 0, 0, 1, 0, 0 };
	fz_rect scissor = { (float)box.x0, (float)box.y0, (float)box.x1, (float)box.y1 };
	*redo = 0;
	mu_try(ctx)
	{
		pix = gray ? fz_new_pixmap_with_bbox_and_data(ctx, fz_device_gray(ctx), box, NULL, 0, samples)
			: fz_new_pixmap_with_bbox_and_data(ctx, fz_device_rgb(ctx), box, NULL, 1, samples);
		fz_clear_pixmap_with_value(ctx, pix, 0xff);
		if (list)
		{
			dev = fz_new_draw_device(ctx, identity, pix);
			fz_enable_device_hints(ctx, dev, FZ_NO_CACHE);
			fz_run_display_list(ctx, list, dev, fz_scale(zoom, zoom), scissor, NULL);
		}
		else
		{
			page = fz_load_page(ctx, h->doc, i);
			dev = fz_new_draw_device(ctx, fz_scale(zoom, zoom), pix);
			fz_enable_device_hints(ctx, dev, FZ_NO_CACHE);
			rdj_set_need(need);
			fz_run_page_contents(ctx, page, dev, identity, NULL);
			*redo = rdj_reduced_failed();
		}
		fz_close_device(ctx, dev);
		rc = 0;
	}
	mu_always(ctx)
	{
		rdj_set_need(0);
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
		fz_drop_page(ctx, page);
	}
	mu_catch(ctx)
	{
		rc = -1;
	}
	return rc;
}

// Display lists (the analysis renderer's: see directRenderer.analysis). A page's contents are run
// once into a list, which its text and each band of its drawing then replay: MuPDF parses a content
// stream again on every run, and a page of thousands of inline images is decoded in full each time,
// to find where each image ends.

static long rr_recorded; // display lists recorded (tests)

static long rr_recorded_count(void) { return __atomic_load_n(&rr_recorded, __ATOMIC_RELAXED); }

// rr_record runs page i's contents into a new display list, its JPEG 2000 images decoded for need
// pixels (jpxreduce.c); *redo is set when such a decode failed (the list lacks the image). NULL when
// MuPDF fails on the page.
static fz_display_list *rr_record(rr_doc *h, int i, int need, int *redo)
{
	fz_context *ctx = h->ctx;
	fz_page *volatile page = NULL;
	fz_display_list *volatile list = NULL;
	fz_device *volatile dev = NULL;
	volatile int ok = 0;
	fz_matrix identity = { 1, 0, 0, 1, 0, 0 };
	*redo = 0;
	mu_try(ctx)
	{
		page = fz_load_page(ctx, h->doc, i);
		list = fz_new_display_list(ctx, fz_bound_page(ctx, page));
		dev = fz_new_list_device(ctx, list);
		rdj_set_need(need);
		fz_run_page_contents(ctx, page, dev, identity, NULL);
		*redo = rdj_reduced_failed();
		fz_close_device(ctx, dev);
		__atomic_add_fetch(&rr_recorded, 1, __ATOMIC_RELAXED);
		ok = 1;
	}
	mu_always(ctx)
	{
		rdj_set_need(0);
		fz_drop_device(ctx, dev);
		fz_drop_page(ctx, page);
	}
	mu_catch(ctx)
	{
		ok = 0;
	}
	if (!ok)
	{
		fz_drop_display_list(ctx, list);
		return NULL;
	}
	return list;
}

// rr_page_list makes h->list page i's display list for need (kept from the last call when it is the
// same page and need). 0, or -1 when MuPDF fails on the page.
static int rr_page_list(rr_doc *h, int i, int need)
{
	fz_display_list *list;
	int redo = 0;
	if (h->list && h->list_page == i && h->list_need == need)
		return 0;
	fz_drop_display_list(h->ctx, h->list);
	h->list = NULL;
	list = rr_record(h, i, need, &redo);
	if (list && redo && need > 0)
	{
		fz_drop_display_list(h->ctx, list);
		list = rr_record(h, i, 0, &redo);
	}
	if (!list)
		return -1;
	h->list = list;
	h->list_page = i;
	h->list_need = need;
	return 0;
}

// rr_render draws page i as rr_draw does: from its display list for need when listed (see
// rr_page_list), else by a run of the page, drawn again with every image whole when need was not
// met.
static int rr_render(rr_doc *h, int i, float zoom, fz_irect box, unsigned char *samples, int gray, int need, int listed)
{
	int redo = 0, rc;
	if (listed)
		return rr_page_list(h, i, need) != 0 ? -1 : rr_draw(h, i, h->list, zoom, box, samples, gray, need, &redo);
	rc = rr_draw(h, i, NULL, zoom, box, samples, gray, need, &redo);
	if (need > 0 && (rc != 0 || redo))
		rc = rr_draw(h, i, NULL, zoom, box, samples, gray, 0, &redo);
	return rc;
}

// rr_plain_page says whether page i's XObjects are all images other than JPEG 2000 (or it has none):
// then recording its display list costs little more than reading its text (MuPDF decodes a JPEG
// 2000 image when it loads it, and a form can hold one). 1, or 0 (also on failure).
static int rr_plain_page(rr_doc *h, int i)
{
	fz_context *ctx = h->ctx;
	fz_page *volatile page = NULL;
	volatile int plain = 0;
	mu_try(ctx)
	{
		page = fz_load_page(ctx, h->doc, i);
		pdf_page *pp = pdf_page_from_fz_page(ctx, page);
		if (pp)
		{
			pdf_obj *xobjects = pdf_dict_gets(ctx, pdf_page_resources(ctx, pp), "XObject");
			int k, n = pdf_dict_len(ctx, xobjects);
			plain = 1;
			for (k = 0; k < n && plain; k++)
			{
				pdf_obj *x = pdf_dict_get_val(ctx, xobjects, k);
				plain = strcmp(pdf_to_name(ctx, pdf_dict_gets(ctx, x, "Subtype")), "Image") == 0 && !pdf_is_jpx_image(ctx, x);
			}
		}
	}
	mu_always(ctx)
	{
		fz_drop_page(ctx, page);
	}
	mu_catch(ctx)
	{
		plain = 0;
	}
	return plain;
}

*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"os"
	"runtime"
	"sync"
	"unsafe"
)

// idleContexts keeps MuPDF contexts between documents (each is used by one document at a time):
// with colour management ([1]) and without ([0]).
var idleContexts = [2]chan *C.fz_context{make(chan *C.fz_context, 4), make(chan *C.fz_context, 4)}

func takeContext(icc int) *C.fz_context {
	select {
	case c := <-idleContexts[icc]:
		return c
	default:
		return C.rr_new_context(C.int(icc))
	}
}

func giveContext(c *C.fz_context, icc int) {
	select {
	case idleContexts[icc] <- c:
	default:
		C.fz_drop_context(c)
	}
}

var errRenderOpen = errors.New("MuPDF cannot open the document")

// directRenderer renders the pages of one PDF.
type directRenderer struct {
	h   *C.rr_doc
	icc int
	// fitImages: JPEG 2000 images are decoded only at the resolution the page's pixel size needs
	// (jpxreduce.c), as for thumbnails and the blank and duplicate checks.
	fitImages bool
	// analysis: r draws for the blank and duplicate checks (forAnalysis), from each page's display
	// list, which its text shares when the page has no XObjects.
	analysis bool
}

// forAnalysis makes r draw for the blank and duplicate checks, when it is a direct renderer: JPEG
// 2000 images fitted to the page, and pages drawn from their display list (kept for the page's
// bands and, when the page draws no XObjects, made by its text). Every drawing for the checks goes
// this way, in the worker and in this process alike, so that the hashes of one page agree.
func forAnalysis(r pageRenderer) {
	if d, ok := r.(*directRenderer); ok {
		d.fitImages = true
		d.analysis = true
	}
}

// analysisNeed is the pixel count a JPEG 2000 image's longer side needs when page i is drawn for the
// checks.
func (r *directRenderer) analysisNeed(i int) (C.int, bool) {
	box, _, err := r.pixelBox(i, analysisPageDPI(r, i))
	if err != nil {
		return 0, false
	}
	return r.imageNeed(int(box.x1-box.x0), int(box.y1-box.y0)), true
}

// fitImagesToPage makes r decode JPEG 2000 images only at the resolution its drawings need, when it
// is a direct renderer: for what is looked at small (thumbnails, the blank and duplicate checks), not
// for what goes into the packet or to OCR.
func fitImagesToPage(r pageRenderer) {
	if d, ok := r.(*directRenderer); ok {
		d.fitImages = true
	}
}

// imageNeed is the pixel count that a JPEG 2000 image's longer side needs on a page whose pixel box
// is w by h: 0 (decode whole) unless r fits images to the page.
func (r *directRenderer) imageNeed(w, h int) C.int {
	if !r.fitImages {
		return 0
	}
	return C.int(max(w, h))
}

// openDirectRenderer opens a PDF for rendering, with colour management when colour (pages rebuilt
// for the packet) and without it otherwise (thumbnails: as fast as mutool, colours close enough);
// ok is false when the direct renderer cannot be used here (another MuPDF, a PDF that needs a
// password: go-fitz's path decrypts it).
func openDirectRenderer(data []byte, colour bool) (r pageRenderer, ok bool, err error) {
	if !directReaderUsable() || len(data) == 0 {
		return nil, false, nil
	}
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i > 0 {
		data = data[i:]
	}
	icc := 0
	if colour {
		icc = 1
	}
	ctx := takeContext(icc)
	if ctx == nil {
		return nil, false, nil
	}
	var code C.int
	h := C.rr_open(ctx, (*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), &code)
	if h == nil {
		giveContext(ctx, icc)
		if code == 3 {
			return nil, false, nil
		}
		return nil, true, errRenderOpen
	}
	if h.pages <= 0 {
		C.rr_close(h)
		giveContext(ctx, icc)
		return nil, true, fmt.Errorf("no pages: %w", ErrDamaged)
	}
	return &directRenderer{h: h, icc: icc}, true, nil
}

// openDirectRendererFile opens the PDF at path without colour management, for a thumbnail: MuPDF
// reads the file as it needs it. ok is false when the direct renderer cannot be used here (another
// MuPDF, a PDF that needs a password).
func openDirectRendererFile(path string) (r pageRenderer, ok bool, err error) {
	if !directReaderUsable() {
		return nil, false, nil
	}
	ctx := takeContext(0)
	if ctx == nil {
		return nil, false, nil
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var code C.int
	h := C.rr_open_file(ctx, cpath, &code)
	if h == nil {
		giveContext(ctx, 0)
		if code == 3 {
			return nil, false, nil
		}
		return nil, true, errRenderOpen
	}
	if h.pages <= 0 {
		C.rr_close(h)
		giveContext(ctx, 0)
		return nil, true, fmt.Errorf("no pages: %w", ErrDamaged)
	}
	return &directRenderer{h: h}, true, nil
}

// warmRenderer makes n MuPDF contexts without colour management (for thumbnails), ahead of their
// first use.
func warmRenderer(n int) {
	if !directReaderUsable() {
		return
	}
	var made []*C.fz_context
	for range n {
		if ctx := takeContext(0); ctx != nil {
			made = append(made, ctx)
		}
	}
	for _, ctx := range made {
		giveContext(ctx, 0)
	}
}

func (r *directRenderer) NumPage() int { return int(r.h.pages) }

// renderSplit draws page i whole at dpi, as Render does, its rows cut in 1+len(others) bands drawn
// at once: r draws the first, and each of others (readers of the same file) the next. MuPDF decodes
// only the images that meet a band, so a page of many images (a scan in strips) draws in a fraction
// of the time on as many cores.
func (r *directRenderer) renderSplit(i int, dpi float64, others []*directRenderer) (*image.RGBA, error) {
	full, zoom, err := r.pixelBox(i, dpi)
	if err != nil {
		return nil, err
	}
	w, h := int(full.x1-full.x0), int(full.y1-full.y0)
	pix := make([]byte, 4*w*h)
	parts := append([]*directRenderer{r}, others...)
	failed := make([]bool, len(parts))
	var wg sync.WaitGroup
	for k, p := range parts {
		band := full
		band.y0 = full.y0 + C.int(k*h/len(parts))
		band.y1 = full.y0 + C.int((k+1)*h/len(parts))
		if band.y1 <= band.y0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each band into its own rows of pix; every reader has a MuPDF context of its own.
			at := unsafe.Pointer(&pix[4*w*int(band.y0-full.y0)])
			failed[k] = C.rr_render(p.h, C.int(i), zoom, band, (*C.uchar)(at), 0, p.imageNeed(w, h), 0) != 0
		}()
	}
	wg.Wait()
	for _, f := range failed {
		if f {
			return nil, fmt.Errorf("page %d: MuPDF cannot draw it: %w", i+1, ErrDamaged)
		}
	}
	return &image.RGBA{Pix: pix, Stride: 4 * w, Rect: image.Rect(int(full.x0), int(full.y0), int(full.x1), int(full.y1))}, nil
}

// splitThumbnailBytes is how many bytes of file a page must have, on average, for its thumbnail to
// be drawn in bands on several cores (see renderThumbnailSplit): below it, a page draws in a few
// milliseconds and a second reader would only add its opening.
const splitThumbnailBytes = 256 << 10

// thumbnailParts is how many bands a costly thumbnail is drawn in at once: 2 on a machine with more
// than one core. MuPDF scales an image cut by a band a little differently; in more bands, a scan's
// tone could change visibly from band to band (TestSplitThumbnailMatchesWhole).
func thumbnailParts() int { return min(runtime.NumCPU(), 2) }

// renderThumbnailSplit draws the thumbnail of page (1-based) of the PDF at path that r has open, in
// bands on 2 cores, when the file holds enough bytes a page to be worth it; ok is false when
// it does not (the caller draws it whole).
func renderThumbnailSplit(r pageRenderer, path string, page, maxPx int) (img image.Image, ok bool, err error) {
	dr, isDirect := r.(*directRenderer)
	parts := thumbnailParts()
	if !isDirect || parts < 2 || page < 1 || page > dr.NumPage() {
		return nil, false, nil
	}
	if st, err := os.Stat(path); err != nil || st.Size()/int64(dr.NumPage()) < splitThumbnailBytes {
		return nil, false, nil
	}
	var others []*directRenderer
	defer func() {
		for _, o := range others {
			o.Close()
		}
	}()
	for range parts - 1 {
		o, ok, err := openDirectRendererFile(path)
		if !ok || err != nil {
			break
		}
		fitImagesToPage(o)
		others = append(others, o.(*directRenderer))
	}
	if len(others) == 0 {
		return nil, false, nil
	}
	b, err := dr.PageSize(page - 1)
	if err != nil {
		return nil, true, err
	}
	img, err = dr.renderSplit(page-1, thumbnailDPI(b, maxPx), others)
	return img, true, err
}

// Render draws page i (0-based) at dpi over white, into buf when it is large enough.
func (r *directRenderer) Render(i int, dpi float64, buf []byte) (*image.RGBA, error) {
	box, pix, err := r.render(i, dpi, buf, 4)
	if err != nil {
		return nil, err
	}
	w := int(box.x1 - box.x0)
	return &image.RGBA{Pix: pix, Stride: 4 * w, Rect: image.Rect(int(box.x0), int(box.y0), int(box.x1), int(box.y1))}, nil
}

// RenderGray draws page i (0-based) at dpi over white in 8-bit grey, at origin 0,0: what OCR reads,
// with a quarter of the memory of an RGBA render.
func (r *directRenderer) RenderGray(i int, dpi float64) (*image.Gray, error) {
	box, pix, err := r.render(i, dpi, nil, 1)
	if err != nil {
		return nil, err
	}
	w, h := int(box.x1-box.x0), int(box.y1-box.y0)
	return &image.Gray{Pix: pix, Stride: w, Rect: image.Rect(0, 0, w, h)}, nil
}

// RenderBand draws band k of n (the rows [k*rows/n, (k+1)*rows/n) of the page's rows at dpi) of page
// i (0-based) over white, as they are in Render's image, into buf when it is large enough; pixels is
// the whole page's pixel count. MuPDF draws only what falls in the band: images wholly outside it are
// not decoded.
func (r *directRenderer) RenderBand(i int, dpi float64, k, n int, buf []byte) (img *image.RGBA, pixels int, err error) {
	box, pix, err := r.renderBand(i, dpi, buf, 4, func(full C.fz_irect) C.fz_irect {
		rows := int(full.y1 - full.y0)
		pixels = rows * int(full.x1-full.x0)
		band := full
		band.y0 = full.y0 + C.int(k*rows/n)
		band.y1 = full.y0 + C.int((k+1)*rows/n)
		return band
	})
	if err != nil {
		return nil, pixels, err
	}
	w := int(box.x1 - box.x0)
	return &image.RGBA{Pix: pix, Stride: 4 * w, Rect: image.Rect(int(box.x0), int(box.y0), int(box.x1), int(box.y1))}, pixels, nil
}

// render draws page i with n bytes a pixel (4: RGBA, 1: grey) into buf when it is large enough.
func (r *directRenderer) render(i int, dpi float64, buf []byte, n int) (C.fz_irect, []byte, error) {
	return r.renderBand(i, dpi, buf, n, nil)
}

// renderBand is render of the part of the page's pixel box that band (nil: all of it) keeps.
func (r *directRenderer) renderBand(i int, dpi float64, buf []byte, n int, band func(C.fz_irect) C.fz_irect) (C.fz_irect, []byte, error) {
	box, zoom, err := r.pixelBox(i, dpi)
	if err != nil {
		return box, nil, err
	}
	w, h := int(box.x1-box.x0), int(box.y1-box.y0)
	need := r.imageNeed(w, h)
	if band != nil {
		if box = band(box); box.y1 <= box.y0 {
			return box, nil, fmt.Errorf("page %d: empty band: %w", i+1, errBadPage)
		}
		h = int(box.y1 - box.y0)
	}
	size := n * w * h
	if cap(buf) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	gray := C.int(0)
	if n == 1 {
		gray = 1
	}
	listed := C.int(0)
	if r.analysis {
		listed = 1
	}
	if C.rr_render(r.h, C.int(i), zoom, box, (*C.uchar)(unsafe.Pointer(&buf[0])), gray, need, listed) != 0 {
		return box, nil, fmt.Errorf("page %d: MuPDF cannot draw it: %w", i+1, ErrDamaged)
	}
	return box, buf, nil
}

// pixelBox is page i's pixel box at dpi and MuPDF's zoom for it, refused when the page is not there
// or its size is not one to draw (empty, or over 32,768 pixels a side).
func (r *directRenderer) pixelBox(i int, dpi float64) (box C.fz_irect, zoom C.float, err error) {
	zoom = C.float(dpi / 72)
	if i < 0 || i >= int(r.h.pages) || C.rr_bbox(r.h, C.int(i), zoom, &box) != 0 {
		return box, zoom, fmt.Errorf("page %d: %w", i+1, errBadPage)
	}
	if w, h := int(box.x1-box.x0), int(box.y1-box.y0); w <= 0 || h <= 0 || w > 1<<15 || h > 1<<15 {
		return box, zoom, fmt.Errorf("page %d: bad size %dx%d: %w", i+1, w, h, errBadPage)
	}
	return box, zoom, nil
}

// PageSize is page i's box in points, truncated to whole points as go-fitz's Bound does.
func (r *directRenderer) PageSize(i int) (image.Rectangle, error) {
	var box C.fz_rect
	if i < 0 || i >= int(r.h.pages) || C.rr_bound(r.h, C.int(i), &box) != 0 {
		return image.Rectangle{}, fmt.Errorf("page %d: %w", i+1, errBadPage)
	}
	return image.Rect(int(box.x0), int(box.y0), int(box.x1), int(box.y1)), nil
}

func (r *directRenderer) Close() {
	if r.h != nil {
		ctx := r.h.ctx
		C.rr_close(r.h)
		giveContext(ctx, r.icc)
		r.h = nil
	}
}

// textList is page i's display list for its text (see Text), or nil when the text is read with a
// run of the page: a renderer not for the checks, a page with XObjects other than images or with
// JPEG 2000 images (which MuPDF decodes on loading them, and a text-only run does not load), or a
// list MuPDF could not make. The list stays for the drawings of the page that may follow.
func (r *directRenderer) textList(i int) *C.fz_display_list {
	if !r.analysis || C.rr_plain_page(r.h, C.int(i)) != 1 {
		return nil
	}
	need, ok := r.analysisNeed(i)
	if !ok || C.rr_page_list(r.h, C.int(i), need) != 0 {
		return nil
	}
	return r.h.list
}

// listsRecorded is how many page display lists this process recorded (tests).
func listsRecorded() int64 { return int64(C.rr_recorded_count()) }
