//go:build cgo && !nocgo

package packet

// Page text and metadata for inspection through the direct renderer's document (render_cgo.go), so
// that a worker opens each PDF once in MuPDF (not again with go-fitz), with a context of the pool
// (go-fitz makes a new one per document, ICC profiles included) and without colour management. The
// text is MuPDF's structured text, as go-fitz's Text returns it (same options); images are not
// decoded for it (go-fitz decodes inline images), as text is all that is kept.

/*
#include <stdlib.h>
#include <string.h>
#include "mupdf_try.h"

typedef struct fz_document fz_document;
typedef struct fz_page fz_page;
typedef struct fz_device fz_device;
typedef struct fz_stext_page fz_stext_page;
typedef struct fz_buffer fz_buffer;
typedef struct fz_cookie fz_cookie;
typedef struct fz_display_list fz_display_list;
typedef struct { float x0, y0, x1, y1; } fz_rect;
typedef struct { float a, b, c, d, e, f; } fz_matrix;
typedef struct { int flags; float scale; } fz_stext_options;

enum { PT_NO_CACHE = 2, PT_DONT_DECODE_IMAGES = 4 };

fz_page *fz_load_page(fz_context *ctx, fz_document *doc, int number);
void fz_drop_page(fz_context *ctx, fz_page *page);
fz_rect fz_bound_page(fz_context *ctx, fz_page *page);
fz_stext_page *fz_new_stext_page(fz_context *ctx, fz_rect mediabox);
void fz_drop_stext_page(fz_context *ctx, fz_stext_page *page);
fz_device *fz_new_stext_device(fz_context *ctx, fz_stext_page *page, const fz_stext_options *options);
void fz_enable_device_hints(fz_context *ctx, fz_device *dev, int hints);
void fz_run_page_contents(fz_context *ctx, fz_page *page, fz_device *dev, fz_matrix transform, fz_cookie *cookie);
void fz_run_display_list(fz_context *ctx, fz_display_list *list, fz_device *dev, fz_matrix ctm, fz_rect scissor, fz_cookie *cookie);
void fz_close_device(fz_context *ctx, fz_device *dev);
void fz_drop_device(fz_context *ctx, fz_device *dev);
fz_buffer *fz_new_buffer_from_stext_page(fz_context *ctx, fz_stext_page *text);
const char *fz_string_from_buffer(fz_context *ctx, fz_buffer *buf);
void fz_drop_buffer(fz_context *ctx, fz_buffer *buf);
int fz_lookup_metadata(fz_context *ctx, fz_document *doc, const char *key, char *buf, int size);

// pt_page_text returns page i's structured text in *out (malloc'd; free it with free): from the
// page's display list when list is not NULL (render_cgo.go), else from a run of its contents. 0, or
// -1 when MuPDF fails on the page.
static int pt_page_text(fz_context *ctx, fz_document *doc, int i, fz_display_list *list, char **out)
{
	fz_page *volatile page = NULL;
	fz_stext_page *volatile text = NULL;
	fz_device *volatile dev = NULL;
	fz_buffer *volatile buf = NULL;
	volatile int rc = -1;
	fz_matrix identity = { 1, 0, 0, 1, 0, 0 };
	// As fz_infinite_rect: all of the list.
	fz_rect all = { -2147483648.0f, -2147483648.0f, 2147483520.0f, 2147483520.0f };
	fz_stext_options opts = { 0, 0 };
	*out = NULL;
	mu_try(ctx)
	{
		page = fz_load_page(ctx, doc, i);
		text = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
		dev = fz_new_stext_device(ctx, text, &opts);
		fz_enable_device_hints(ctx, dev, PT_NO_CACHE | PT_DONT_DECODE_IMAGES);
		if (list)
			fz_run_display_list(ctx, list, dev, identity, all, NULL);
		else
			fz_run_page_contents(ctx, page, dev, identity, NULL);
		fz_close_device(ctx, dev);
		buf = fz_new_buffer_from_stext_page(ctx, text);
		*out = strdup(fz_string_from_buffer(ctx, buf));
		if (*out)
			rc = 0;
	}
	mu_always(ctx)
	{
		fz_drop_buffer(ctx, buf);
		fz_drop_device(ctx, dev);
		fz_drop_stext_page(ctx, text);
		fz_drop_page(ctx, page);
	}
	mu_catch(ctx)
	{
		rc = -1;
	}
	return rc;
}

// pt_metadata looks up a metadata key into buf (NUL-terminated). The length, or -1.
static int pt_metadata(fz_context *ctx, fz_document *doc, const char *key, char *buf, int size)
{
	volatile int n = -1;
	mu_try(ctx)
	{
		n = fz_lookup_metadata(ctx, doc, key, buf, size);
	}
	mu_catch(ctx)
	{
		n = -1;
	}
	return n;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Text is page i's (0-based) text, as go-fitz's Text gives it.
func (r *directRenderer) Text(i int) (string, error) {
	if i < 0 || i >= int(r.h.pages) {
		return "", fmt.Errorf("page %d: %w", i+1, errBadPage)
	}
	var out *C.char
	listed := false
	if list := r.textList(i); list != nil {
		// The list loads the page's images, which the text alone does not: when one of them stops
		// it, the text is read directly, as before (the dates and the patient checks need it).
		listed = C.pt_page_text(r.h.ctx, r.h.doc, C.int(i), list, &out) == 0
	}
	if !listed && C.pt_page_text(r.h.ctx, r.h.doc, C.int(i), nil, &out) != 0 {
		return "", fmt.Errorf("page %d: MuPDF cannot read its text: %w", i+1, ErrDamaged)
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoString(out), nil
}

// CreationDate is the document information's CreationDate, as written ("" when there is none).
func (r *directRenderer) CreationDate() string {
	key := C.CString("info:CreationDate")
	defer C.free(unsafe.Pointer(key))
	var buf [256]C.char
	if C.pt_metadata(r.h.ctx, r.h.doc, key, &buf[0], C.int(len(buf))) < 0 {
		return ""
	}
	return C.GoString(&buf[0])
}
