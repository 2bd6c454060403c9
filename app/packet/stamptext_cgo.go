//go:build cgo && !nocgo

package packet

// A direct MuPDF reader for the stamp check (see stampReader): it checks the page's two content
// streams and runs the stamp's alone, with MuPDF's own interpreter (pdf_process_contents with a run
// processor, as fz_run_page_contents does for the whole page), into a small device that keeps only
// filled (visible) text whose glyphs sit on the page. That is stricter than MuPDF's structured text
// (go-fitz's Text), which also has invisible text (render mode 3) and text off the page.
//
// go-fitz links MuPDF but does not export its headers, so the few declarations needed are repeated
// below, as in MuPDF 1.24.9 (include/mupdf/fitz/{system,context,geometry,color,text,device,
// document,stream}.h of go-fitz v1.24.15). MuPDF itself refuses a context whose version string is
// not its own, and the reader is only tried when go-fitz's version is that one too; otherwise
// openStampReader falls back to go-fitz (TestDirectStampReader fails then, as a reminder to compare
// the declarations with the new headers and update RD_VERSION).

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RD_VERSION "1.24.9"

typedef struct fz_context fz_context;
typedef struct fz_document fz_document;
typedef struct fz_page fz_page;
typedef struct fz_stream fz_stream;
typedef struct fz_font fz_font;
typedef struct fz_colorspace fz_colorspace;
typedef struct fz_path fz_path;
typedef struct fz_stroke_state fz_stroke_state;
typedef struct fz_shade fz_shade;
typedef struct fz_image fz_image;
typedef struct fz_function fz_function;
typedef struct fz_default_colorspaces fz_default_colorspaces;
typedef struct fz_device_container_stack fz_device_container_stack;
typedef struct fz_cookie fz_cookie;
typedef struct fz_display_list fz_display_list;
void fz_drop_display_list(fz_context *ctx, fz_display_list *list);
typedef struct { float x0, y0, x1, y1; } fz_rect;
typedef struct { float a, b, c, d, e, f; } fz_matrix;
typedef struct { uint8_t ri, bp, op, opm; } fz_color_params;
typedef int fz_structure; // enum
typedef int fz_metatext; // enum

typedef struct
{
	float x, y;
	int gid;
	int ucs;
	int cid;
} fz_text_item;

typedef struct fz_text_span
{
	fz_font *font;
	fz_matrix trm;
	unsigned wmode : 1;
	unsigned bidi_level : 7;
	unsigned markup_dir : 2;
	unsigned language : 15;
	int len, cap;
	fz_text_item *items;
	struct fz_text_span *next;
} fz_text_span;

typedef struct
{
	int refs;
	fz_text_span *head, *tail;
} fz_text;

typedef struct fz_device fz_device;
struct fz_device
{
	int refs;
	int hints;
	int flags;
	void (*close_device)(fz_context *, fz_device *);
	void (*drop_device)(fz_context *, fz_device *);
	void (*fill_path)(fz_context *, fz_device *, const fz_path *, int, fz_matrix, fz_colorspace *, const float *, float, fz_color_params);
	void (*stroke_path)(fz_context *, fz_device *, const fz_path *, const fz_stroke_state *, fz_matrix, fz_colorspace *, const float *, float, fz_color_params);
	void (*clip_path)(fz_context *, fz_device *, const fz_path *, int, fz_matrix, fz_rect);
	void (*clip_stroke_path)(fz_context *, fz_device *, const fz_path *, const fz_stroke_state *, fz_matrix, fz_rect);
	void (*fill_text)(fz_context *, fz_device *, const fz_text *, fz_matrix, fz_colorspace *, const float *, float, fz_color_params);
	void (*stroke_text)(fz_context *, fz_device *, const fz_text *, const fz_stroke_state *, fz_matrix, fz_colorspace *, const float *, float, fz_color_params);
	void (*clip_text)(fz_context *, fz_device *, const fz_text *, fz_matrix, fz_rect);
	void (*clip_stroke_text)(fz_context *, fz_device *, const fz_text *, const fz_stroke_state *, fz_matrix, fz_rect);
	void (*ignore_text)(fz_context *, fz_device *, const fz_text *, fz_matrix);
	void (*fill_shade)(fz_context *, fz_device *, fz_shade *, fz_matrix, float, fz_color_params);
	void (*fill_image)(fz_context *, fz_device *, fz_image *, fz_matrix, float, fz_color_params);
	void (*fill_image_mask)(fz_context *, fz_device *, fz_image *, fz_matrix, fz_colorspace *, const float *, float, fz_color_params);
	void (*clip_image_mask)(fz_context *, fz_device *, fz_image *, fz_matrix, fz_rect);
	void (*pop_clip)(fz_context *, fz_device *);
	void (*begin_mask)(fz_context *, fz_device *, fz_rect, int, fz_colorspace *, const float *, fz_color_params);
	void (*end_mask)(fz_context *, fz_device *, fz_function *);
	void (*begin_group)(fz_context *, fz_device *, fz_rect, fz_colorspace *, int, int, int, float);
	void (*end_group)(fz_context *, fz_device *);
	int (*begin_tile)(fz_context *, fz_device *, fz_rect, fz_rect, float, float, fz_matrix, int);
	void (*end_tile)(fz_context *, fz_device *);
	void (*render_flags)(fz_context *, fz_device *, int, int);
	void (*set_default_colorspaces)(fz_context *, fz_device *, fz_default_colorspaces *);
	void (*begin_layer)(fz_context *, fz_device *, const char *);
	void (*end_layer)(fz_context *, fz_device *);
	void (*begin_structure)(fz_context *, fz_device *, fz_structure, const char *, int);
	void (*end_structure)(fz_context *, fz_device *);
	void (*begin_metatext)(fz_context *, fz_device *, fz_metatext, const char *);
	void (*end_metatext)(fz_context *, fz_device *);
	fz_rect d1_rect;
	int container_len;
	int container_cap;
	fz_device_container_stack *container;
};

enum { FZ_NO_CACHE = 2, FZ_DONT_DECODE_IMAGES = 4 };

fz_context *fz_new_context_imp(const void *alloc, const void *locks, size_t max_store, const char *version);
void fz_drop_context(fz_context *ctx);
void fz_set_warning_callback(fz_context *ctx, void (*cb)(void *user, const char *message), void *user);
void fz_set_error_callback(fz_context *ctx, void (*cb)(void *user, const char *message), void *user);
void fz_register_document_handlers(fz_context *ctx);
void fz_disable_icc(fz_context *ctx);
void fz_empty_store(fz_context *ctx);
fz_stream *fz_open_memory(fz_context *ctx, const unsigned char *data, size_t len);
void fz_drop_stream(fz_context *ctx, fz_stream *stm);
fz_document *fz_open_document_with_stream(fz_context *ctx, const char *magic, fz_stream *stream);
void fz_drop_document(fz_context *ctx, fz_document *doc);
int fz_count_pages(fz_context *ctx, fz_document *doc);
int fz_needs_password(fz_context *ctx, fz_document *doc);
fz_page *fz_load_page(fz_context *ctx, fz_document *doc, int number);
void fz_drop_page(fz_context *ctx, fz_page *page);
fz_rect fz_bound_page(fz_context *ctx, fz_page *page);
fz_device *fz_new_device_of_size(fz_context *ctx, int size);
void fz_enable_device_hints(fz_context *ctx, fz_device *dev, int hints);
void fz_run_page_contents(fz_context *ctx, fz_page *page, fz_device *dev, fz_matrix transform, fz_cookie *cookie);
void fz_close_device(fz_context *ctx, fz_device *dev);
void fz_drop_device(fz_context *ctx, fz_device *dev);
typedef struct fz_buffer fz_buffer;
size_t fz_buffer_storage(fz_context *ctx, fz_buffer *buf, unsigned char **datap);
void fz_drop_buffer(fz_context *ctx, fz_buffer *buf);

// From include/mupdf/pdf/{document,page,object,interpret}.h of MuPDF 1.24.9 (go-fitz does not ship
// them; the argument registers of pdf_new_run_processor and pdf_process_contents were checked
// against go-fitz's libmupdf_linux_amd64.a).
typedef struct pdf_document pdf_document;
typedef struct pdf_page pdf_page;
typedef struct pdf_obj pdf_obj;
typedef struct pdf_processor pdf_processor;
typedef struct pdf_gstate pdf_gstate;
pdf_document *pdf_document_from_fz_document(fz_context *ctx, fz_document *ptr);
pdf_page *pdf_page_from_fz_page(fz_context *ctx, fz_page *ptr);
pdf_obj *pdf_page_contents(fz_context *ctx, pdf_page *page);
pdf_obj *pdf_page_resources(fz_context *ctx, pdf_page *page);
void pdf_page_transform(fz_context *ctx, pdf_page *page, fz_rect *mediabox, fz_matrix *ctm);
int pdf_is_array(fz_context *ctx, pdf_obj *obj);
int pdf_array_len(fz_context *ctx, pdf_obj *array);
pdf_obj *pdf_array_get(fz_context *ctx, pdf_obj *array, int i);
int pdf_is_stream(fz_context *ctx, pdf_obj *obj);
fz_buffer *pdf_load_stream(fz_context *ctx, pdf_obj *ref);
pdf_processor *pdf_new_run_processor(fz_context *ctx, pdf_document *doc, fz_device *dev, fz_matrix ctm, int struct_parent, const char *usage, pdf_gstate *gstate, fz_default_colorspaces *default_cs, fz_cookie *cookie);
void pdf_process_contents(fz_context *ctx, pdf_processor *proc, pdf_document *doc, pdf_obj *res, pdf_obj *stm, fz_cookie *cookie, pdf_obj **out_res);
void pdf_close_processor(fz_context *ctx, pdf_processor *proc);
void pdf_drop_processor(fz_context *ctx, pdf_processor *proc);

#include "mupdf_try.h"

// The text device: filled text runs whose glyph origins all lie on the page, one per line.
typedef struct
{
	fz_device super;
	fz_rect bounds;
	char *buf;
	size_t len, cap;
	int oom;
} rd_device;

static void rd_put(rd_device *d, const char *s, size_t n)
{
	if (d->oom)
		return;
	if (d->len + n > d->cap)
	{
		size_t cap = d->cap ? d->cap : 1024;
		char *b;
		while (cap < d->len + n)
			cap *= 2;
		b = realloc(d->buf, cap);
		if (!b)
		{
			d->oom = 1;
			return;
		}
		d->buf = b;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, s, n);
	d->len += n;
}

static void rd_put_rune(rd_device *d, int c)
{
	char b[4];
	if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		c = 0xFFFD;
	if (c < 0x80) { b[0] = (char)c; rd_put(d, b, 1); }
	else if (c < 0x800) { b[0] = (char)(0xC0 | c >> 6); b[1] = (char)(0x80 | (c & 0x3F)); rd_put(d, b, 2); }
	else if (c < 0x10000) { b[0] = (char)(0xE0 | c >> 12); b[1] = (char)(0x80 | (c >> 6 & 0x3F)); b[2] = (char)(0x80 | (c & 0x3F)); rd_put(d, b, 3); }
	else { b[0] = (char)(0xF0 | c >> 18); b[1] = (char)(0x80 | (c >> 12 & 0x3F)); b[2] = (char)(0x80 | (c >> 6 & 0x3F)); b[3] = (char)(0x80 | (c & 0x3F)); rd_put(d, b, 4); }
}

static void rd_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix m, fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	rd_device *d = (rd_device *)dev;
	const fz_text_span *s;
	int i;
	(void)ctx; (void)cs; (void)color; (void)cp;
	if (!(alpha > 0))
		return;
	for (s = text->head; s; s = s->next)
		for (i = 0; i < s->len; i++)
		{
			float x = s->items[i].x * m.a + s->items[i].y * m.c + m.e;
			float y = s->items[i].x * m.b + s->items[i].y * m.d + m.f;
			if (!(x >= d->bounds.x0 - 1 && x <= d->bounds.x1 + 1 && y >= d->bounds.y0 - 1 && y <= d->bounds.y1 + 1))
				return;
		}
	for (s = text->head; s; s = s->next)
		for (i = 0; i < s->len; i++)
			if (s->items[i].ucs >= 0)
				rd_put_rune(d, s->items[i].ucs);
	rd_put(d, "\n", 1);
}

#include "mupdf_doc.h"

typedef mu_doc rd_doc;

static void rd_close(rd_doc *h) { mu_doc_close(h); }

// rd_open opens the PDF in src (a copy of it unless borrow: see mu_doc_open) with ctx (a context of
// render_cgo.go's pool, without colour management: text colours do not matter here). On failure it
// returns NULL with *err = 2 (3: it needs a password, which a packet never does).
static rd_doc *rd_open(fz_context *ctx, const unsigned char *src, size_t n, int borrow, int *err)
{
	return mu_doc_open(ctx, src, n, borrow, err);
}

// rd_new_device makes the text device for page (its bounds), without colour or image work.
static rd_device *rd_new_device(fz_context *ctx, fz_page *page)
{
	rd_device *dev = (rd_device *)fz_new_device_of_size(ctx, sizeof(rd_device));
	dev->super.fill_text = rd_fill_text;
	dev->bounds = fz_bound_page(ctx, page);
	fz_enable_device_hints(ctx, &dev->super, FZ_NO_CACHE | FZ_DONT_DECODE_IMAGES);
	return dev;
}

// rd_finish closes dev after its run and hands its text runs to *out and *outlen; it returns 0, or -1
// when they did not fit in memory.
static int rd_finish(fz_context *ctx, rd_device *dev, char **out, size_t *outlen)
{
	fz_close_device(ctx, &dev->super);
	if (dev->oom)
		return -1;
	*out = dev->buf;
	*outlen = dev->len;
	dev->buf = NULL;
	return 0;
}

// rd_drop_device frees dev (may be NULL) and the text it still holds.
static void rd_drop_device(fz_context *ctx, rd_device *dev)
{
	if (dev)
	{
		free(dev->buf);
		dev->buf = NULL;
		fz_drop_device(ctx, &dev->super);
	}
}

// rd_page_text runs page i and returns its text runs (see rd_fill_text) in *out (malloc'd, may be
// NULL when there are none; free it with free). It returns 0, or -1 when MuPDF fails on the page.
static int rd_page_text(rd_doc *h, int i, char **out, size_t *outlen)
{
	fz_context *ctx = h->ctx;
	fz_page *volatile page = NULL;
	rd_device *volatile dev = NULL;
	volatile int rc = -1;
	fz_matrix identity = { 1, 0, 0, 1, 0, 0 };
	*out = NULL;
	*outlen = 0;
	mu_try(ctx)
	{
		page = fz_load_page(ctx, h->doc, i);
		dev = rd_new_device(ctx, page);
		fz_run_page_contents(ctx, page, &dev->super, identity, NULL);
		rc = rd_finish(ctx, dev, out, outlen);
	}
	mu_always(ctx)
	{
		rd_drop_device(ctx, dev);
		fz_drop_page(ctx, page);
	}
	mu_catch(ctx)
	{
		rc = -1;
	}
	return rc;
}

// rd_stamp_text checks page i as Build wrote it: its /Contents must be an array of two streams, the
// first of which decodes to body (bodylen bytes). It then runs the second stream alone, with the page's
// resources and transform (as fz_run_page_contents would have reached it: the first stream is
// balanced by its own q/Q), and returns its text runs as rd_page_text does. It returns 0, -1 when
// MuPDF fails, -2 when the page is not laid out so or its first stream differs from body.
static int rd_stamp_text(rd_doc *h, int i, const unsigned char *body, size_t bodylen, char **out, size_t *outlen)
{
	fz_context *ctx = h->ctx;
	fz_page *volatile page = NULL;
	rd_device *volatile dev = NULL;
	pdf_processor *volatile proc = NULL;
	fz_buffer *volatile buf = NULL;
	volatile int rc = -1;
	*out = NULL;
	*outlen = 0;
	mu_try(ctx)
	{
		pdf_document *doc = pdf_document_from_fz_document(ctx, h->doc);
		pdf_page *pp;
		pdf_obj *contents = NULL, *drawing = NULL, *stamp = NULL;
		unsigned char *data = NULL;
		size_t n;
		fz_rect mediabox;
		fz_matrix ctm;
		page = fz_load_page(ctx, h->doc, i);
		pp = doc ? pdf_page_from_fz_page(ctx, page) : NULL;
		if (pp)
			contents = pdf_page_contents(ctx, pp);
		if (contents && pdf_is_array(ctx, contents) && pdf_array_len(ctx, contents) == 2)
		{
			drawing = pdf_array_get(ctx, contents, 0);
			stamp = pdf_array_get(ctx, contents, 1);
		}
		if (!stamp || !pdf_is_stream(ctx, stamp) || !pdf_is_stream(ctx, drawing))
			rc = -2;
		else
		{
			buf = pdf_load_stream(ctx, drawing);
			n = fz_buffer_storage(ctx, buf, &data);
			if (n != bodylen || (n > 0 && memcmp(data, body, n) != 0))
				rc = -2;
			else
			{
				dev = rd_new_device(ctx, page);
				pdf_page_transform(ctx, pp, &mediabox, &ctm);
				proc = pdf_new_run_processor(ctx, doc, &dev->super, ctm, -1, "View", NULL, NULL, NULL);
				pdf_process_contents(ctx, proc, doc, pdf_page_resources(ctx, pp), stamp, NULL, NULL);
				pdf_close_processor(ctx, proc);
				rc = rd_finish(ctx, dev, out, outlen);
			}
		}
	}
	mu_always(ctx)
	{
		pdf_drop_processor(ctx, proc);
		fz_drop_buffer(ctx, buf);
		rd_drop_device(ctx, dev);
		fz_drop_page(ctx, page);
	}
	mu_catch(ctx)
	{
		rc = -1;
	}
	return rc;
}
*/
import "C"

import (
	"errors"
	"unsafe"

	"github.com/gen2brain/go-fitz"
)

// directVersion is the MuPDF version the declarations in the preamble were copied from.
const directVersion = C.RD_VERSION

const cgoEnabled = true

// directReaderUsable reports whether the direct reader may be tried: go-fitz must link the MuPDF
// the declarations were written for.
func directReaderUsable() bool { return fitz.FzVersion == directVersion }

var errDirectOpen = errors.New("MuPDF cannot open the document")

// openDirectStampReader opens data with the direct reader; ok is false when it cannot be used here.
// borrow: MuPDF reads data itself, not a copy (memory outside the Go heap, kept until Close).
func openDirectStampReader(data []byte, borrow bool) (r stampReader, ok bool, err error) {
	if !directReaderUsable() || len(data) == 0 {
		return nil, false, nil
	}
	// A context of the renderer's pool, without colour management: making one (ICC profiles
	// included) costs more than opening a small document.
	ctx := takeContext(0)
	if ctx == nil {
		return nil, false, nil // another MuPDF after all: go-fitz's reader
	}
	var code C.int
	cborrow := C.int(0)
	if borrow {
		cborrow = 1
	}
	h := C.rd_open(ctx, (*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), cborrow, &code)
	if h == nil {
		giveContext(ctx, 0)
		return nil, true, errDirectOpen
	}
	return &directStampReader{h: h}, true, nil
}

type directStampReader struct{ h *C.rd_doc }

func isDirectReader(r stampReader) bool {
	_, ok := r.(*directStampReader)
	return ok
}

func (r *directStampReader) NumPage() int { return int(r.h.pages) }

func (r *directStampReader) Shows(i int, want pageCheck) bool {
	if i < 0 || i >= r.NumPage() {
		return false
	}
	var body *C.uchar
	if len(want.body) > 0 {
		body = (*C.uchar)(unsafe.Pointer(&want.body[0]))
	}
	var text *C.char
	var n C.size_t
	if C.rd_stamp_text(r.h, C.int(i), body, C.size_t(len(want.body)), &text, &n) != 0 {
		return false
	}
	defer C.free(unsafe.Pointer(text))
	return showsInRun(C.GoStringN(text, C.int(n)), want.stamp)
}

// pageText runs the whole of page i (its original drawing included) and returns its visible text runs,
// one per line, as the check did before it ran the stamp alone; the tests compare the two.
func (r *directStampReader) pageText(i int) (string, bool) {
	var text *C.char
	var n C.size_t
	if i < 0 || i >= r.NumPage() || C.rd_page_text(r.h, C.int(i), &text, &n) != 0 {
		return "", false
	}
	defer C.free(unsafe.Pointer(text))
	return C.GoStringN(text, C.int(n)), true
}

func (r *directStampReader) Close() {
	if r.h != nil {
		ctx := r.h.ctx
		C.rd_close(r.h)
		giveContext(ctx, 0)
		r.h = nil
	}
}
