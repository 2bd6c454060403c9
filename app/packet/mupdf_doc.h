// A PDF opened from a private copy of its bytes (or from memory outside the Go heap), for the cgo preambles of this package that call
// MuPDF directly (render_cgo.go, stamptext_cgo.go). Include after mupdf_try.h and the MuPDF
// declarations of the file (fz_open_memory, fz_open_document_with_stream, fz_needs_password,
// fz_count_pages, fz_drop_document, fz_drop_stream, fz_empty_store).
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
} mu_doc;

// mu_doc_close drops the document and its copy of the data; the context stays for the next one.
static inline void mu_doc_close(mu_doc *h)
{
	if (!h)
		return;
	fz_drop_document(h->ctx, h->doc);
	fz_drop_stream(h->ctx, h->stm);
	fz_empty_store(h->ctx);
	free(h->data);
	free(h);
}

// mu_doc_open opens the PDF in src with ctx: a copy of it, or src itself when borrow (memory outside
// the Go heap, which the caller keeps until the document is closed). It returns NULL with *err = 2
// when MuPDF cannot open it, 3 when it needs a password.
static inline mu_doc *mu_doc_open(fz_context *ctx, const unsigned char *src, size_t n, int borrow, int *err)
{
	const unsigned char *data = src;
	mu_doc *h = calloc(1, sizeof *h);
	if (!h)
	{
		*err = 2;
		return NULL;
	}
	h->ctx = ctx;
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
		data = h->data;
	}
	*err = 0;
	mu_try(ctx)
	{
		h->stm = fz_open_memory(ctx, data, n);
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

#endif
