// A PDF opened from a private copy of its bytes (or from memory outside the Go heap), for the cgo preambles of this package that call
// MuPDF directly (render_cgo.go, stamptext_cgo.go). Include after mupdf_try.h and the MuPDF
// declarations of the file (fz_open_memory, fz_open_document_with_stream, fz_needs_password,
// fz_count_pages, fz_drop_document, fz_drop_stream, fz_empty_store, fz_drop_display_list).
#ifndef REFERRALDESK_MUPDF_DOC_H
#define REFERRALDESK_MUPDF_DOC_H

#include <stdlib.h>
#include <string.h>

typedef struct
{
	fz_context *ctx;
	fz_stream *stm;
	fz_document *doc;
	unsigned char *data;
	int pages;
	// The display list of one page (list_page, its JPEG 2000 images decoded for list_need pixels:
	// see jpxreduce.c), kept for the next drawing or text of that page (render_cgo.go); or NULL.
	fz_display_list *list;
	int list_page, list_need;
} mu_doc;

// mu_doc_close drops the document and its copy of the data; the context stays for the next one.
static inline void mu_doc_close(mu_doc *h)
{
	if (!h)
		return;
	fz_drop_display_list(h->ctx, h->list);
	fz_drop_document(h->ctx, h->doc);
	fz_drop_stream(h->ctx, h->stm);
	fz_empty_store(h->ctx);
	free(h->data);
	free(h);
}

// mu_opener opens the stream of a document: from memory (mu_open_memory), or from a file (a
// preamble that declares fz_open_file can write one).
typedef fz_stream *(*mu_opener)(fz_context *ctx, const void *arg, size_t n);

static inline fz_stream *mu_open_memory(fz_context *ctx, const void *data, size_t n)
{
	return fz_open_memory(ctx, (const unsigned char *)data, n);
}

// mu_doc_new makes an empty handle for ctx (NULL with *err = 2 when out of memory).
static inline mu_doc *mu_doc_new(fz_context *ctx, int *err)
{
	mu_doc *h = calloc(1, sizeof *h);
	if (!h)
	{
		*err = 2;
		return NULL;
	}
	h->ctx = ctx;
	return h;
}

// mu_doc_open_with opens h's PDF from the stream open(ctx, arg, n) gives. It returns h, or NULL (h
// closed) with *err = 2 when MuPDF cannot open it, 3 when it needs a password.
static inline mu_doc *mu_doc_open_with(mu_doc *h, mu_opener open, const void *arg, size_t n, int *err)
{
	fz_context *ctx = h->ctx;
	*err = 0;
	mu_try(ctx)
	{
		h->stm = open(ctx, arg, n);
		h->doc = fz_open_document_with_stream(ctx, "application/pdf", h->stm);
		if (fz_needs_password(ctx, h->doc))
			*err = 3;
		else
			h->pages = fz_count_pages(ctx, h->doc);
	}
	mu_catch(ctx)
	{
		*err = 2;
	}
	if (*err)
	{
		mu_doc_close(h);
		return NULL;
	}
	return h;
}

// mu_doc_open opens the PDF in src with ctx: a copy of it, or src itself when borrow (memory outside
// the Go heap, which the caller keeps until the document is closed). It returns NULL with *err = 2
// when MuPDF cannot open it, 3 when it needs a password.
static inline mu_doc *mu_doc_open(fz_context *ctx, const unsigned char *src, size_t n, int borrow, int *err)
{
	mu_doc *h = mu_doc_new(ctx, err);
	if (!h)
		return NULL;
	if (!borrow)
	{
		h->data = malloc(n ? n : 1);
		if (!h->data)
		{
			free(h);
			*err = 2;
			return NULL;
		}
		memcpy(h->data, src, n);
		src = h->data;
	}
	return mu_doc_open_with(h, mu_open_memory, src, n, err);
}

#endif
