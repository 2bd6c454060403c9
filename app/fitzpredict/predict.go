//go:build (linux || windows) && cgo && !nocgo

package fitzpredict

// The declarations below are MuPDF 1.24.9's (include/mupdf/fitz/{stream,context}.h of go-fitz
// v1.24.15): go-fitz links MuPDF but does not export its headers. fz_open_predict's checks and its
// state are read from go-fitz's libmupdf (filter-predict.o); TestPredictAsMuPDF fails if they drift.

/*
#cgo LDFLAGS: -Wl,--wrap=fz_open_predict
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct fz_context fz_context;
typedef struct fz_stream fz_stream;
typedef int (fz_stream_next_fn)(fz_context *ctx, fz_stream *stm, size_t max);
typedef void (fz_stream_drop_fn)(fz_context *ctx, void *state);
typedef void (fz_stream_seek_fn)(fz_context *ctx, fz_stream *stm, int64_t offset, int whence);
struct fz_stream
{
	int refs;
	int error;
	int eof;
	int progressive;
	int64_t pos;
	int avail;
	int bits;
	unsigned char *rp, *wp;
	void *state;
	fz_stream_next_fn *next;
	fz_stream_drop_fn *drop;
	fz_stream_seek_fn *seek;
};

fz_stream *fz_new_stream(fz_context *ctx, void *state, fz_stream_next_fn *next, fz_stream_drop_fn *drop);
fz_stream *fz_keep_stream(fz_context *ctx, fz_stream *stm);
void fz_drop_stream(fz_context *ctx, fz_stream *stm);
size_t fz_read(fz_context *ctx, fz_stream *stm, unsigned char *data, size_t len);
void *fz_calloc(fz_context *ctx, size_t count, size_t size);
void fz_free(fz_context *ctx, void *p);
void fz_warn(fz_context *ctx, const char *fmt, ...);

fz_stream *__real_fz_open_predict(fz_context *ctx, fz_stream *chain, int predictor, int columns, int colors, int bpc);

enum { RDP_MAX_COLORS = 32, RDP_BUFFER = 4096 };

typedef struct
{
	fz_stream *chain;
	size_t stride, bpp;
	unsigned char *in;  // a row as read: its filter type, then stride bytes
	unsigned char *out; // the row undone
	unsigned char *ref; // the row above (zeros above the first)
	unsigned char *rp, *wp;
	unsigned char buffer[RDP_BUFFER];
} rdp_state;

static long rdp_opened; // predictor streams opened here

static long rdp_opened_count(void) { return __atomic_load_n(&rdp_opened, __ATOMIC_RELAXED); }

static inline int rdp_paeth(int a, int b, int c)
{
	int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// rdp_row undoes one row of len bytes (fewer than stride for a last row cut short) as MuPDF's
// fz_predict_png does, with the byte just written kept in a register rather than read back.
static void rdp_row(fz_context *ctx, rdp_state *st, size_t len, int type)
{
	unsigned char *out = st->out, *ref = st->ref;
	const unsigned char *in = st->in + 1;
	size_t bpp = st->bpp < len ? st->bpp : len, i;
	switch (type)
	{
	default:
		fz_warn(ctx, "unknown png predictor %d, treating as none", type);
		// fallthrough
	case 0:
		memcpy(out, in, len);
		break;
	case 1: // Sub
		memcpy(out, in, bpp);
		if (bpp == 1)
		{
			unsigned char left = out[0];
			for (i = 1; i < len; i++)
				out[i] = left = (unsigned char)(in[i] + left);
		}
		else
			for (i = bpp; i < len; i++)
				out[i] = (unsigned char)(in[i] + out[i - bpp]);
		break;
	case 2: // Up
		for (i = 0; i < len; i++)
			out[i] = (unsigned char)(in[i] + ref[i]);
		break;
	case 3: // Average
		for (i = 0; i < bpp; i++)
			out[i] = (unsigned char)(in[i] + ref[i] / 2);
		if (bpp == 1)
		{
			unsigned left = out[0];
			for (i = 1; i < len; i++)
				out[i] = (unsigned char)(left = (unsigned char)(in[i] + (left + ref[i]) / 2));
		}
		else
			for (i = bpp; i < len; i++)
				out[i] = (unsigned char)(in[i] + (out[i - bpp] + ref[i]) / 2);
		break;
	case 4: // Paeth
		for (i = 0; i < bpp; i++)
			out[i] = (unsigned char)(in[i] + ref[i]);
		if (bpp == 1)
		{
			int left = out[0];
			for (i = 1; i < len; i++)
				out[i] = (unsigned char)(left = (unsigned char)(in[i] + rdp_paeth(left, ref[i], ref[i - 1])));
		}
		else
			for (i = bpp; i < len; i++)
				out[i] = (unsigned char)(in[i] + rdp_paeth(out[i - bpp], ref[i], ref[i - bpp]));
		break;
	}
}

static int rdp_next(fz_context *ctx, fz_stream *stm, size_t len)
{
	rdp_state *st = stm->state;
	unsigned char *p = st->buffer, *ep;
	if (len > RDP_BUFFER)
		len = RDP_BUFFER;
	ep = p + len;
	while (p < ep)
	{
		size_t n;
		if (st->rp == st->wp)
		{
			n = fz_read(ctx, st->chain, st->in, st->stride + 1);
			if (n == 0)
				break;
			rdp_row(ctx, st, n - 1, st->in[0]);
			memcpy(st->ref, st->out, st->stride);
			st->rp = st->out;
			st->wp = st->out + n - 1;
		}
		n = (size_t)(st->wp - st->rp);
		if (n > (size_t)(ep - p))
			n = (size_t)(ep - p);
		memcpy(p, st->rp, n);
		p += n;
		st->rp += n;
	}
	stm->rp = st->buffer;
	stm->wp = p;
	stm->pos += p - st->buffer;
	if (stm->rp == stm->wp)
		return -1; // EOF
	return *stm->rp++;
}

static void rdp_drop(fz_context *ctx, void *state)
{
	rdp_state *st = state;
	fz_drop_stream(ctx, st->chain);
	fz_free(ctx, st);
}

// __wrap_fz_open_predict takes MuPDF's calls of fz_open_predict (see doc.go). It undoes the PNG
// predictors (10 to 15: each row says which) of parameters MuPDF accepts as they are; MuPDF's own
// function has the rest, with its corrections and errors.
fz_stream *__wrap_fz_open_predict(fz_context *ctx, fz_stream *chain, int predictor, int columns, int colors, int bpc)
{
	rdp_state *st;
	size_t stride;
	if (predictor < 10 || predictor > 15 || columns < 1 || colors < 1 || colors > RDP_MAX_COLORS ||
		(bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) || columns >= INT_MAX / (bpc * colors))
		return __real_fz_open_predict(ctx, chain, predictor, columns, colors, bpc);
	stride = ((size_t)bpc * colors * columns + 7) / 8;
	st = fz_calloc(ctx, 1, sizeof *st + 3 * stride + 1); // zeroed: ref is the row above the first
	__atomic_add_fetch(&rdp_opened, 1, __ATOMIC_RELAXED);
	st->stride = stride;
	st->bpp = ((size_t)bpc * colors + 7) / 8;
	st->in = (unsigned char *)(st + 1);
	st->out = st->in + stride + 1;
	st->ref = st->out + stride;
	st->rp = st->wp = st->out;
	st->chain = fz_keep_stream(ctx, chain);
	return fz_new_stream(ctx, st, rdp_next, rdp_drop); // drops st if it fails
}

// For the tests: decode n bytes of data with a predictor stream, ours or MuPDF's, read chunk bytes
// at a time, into out (cap bytes); returns the length (cap + 1 if it did not fit), and the count of
// MuPDF's warnings in *warnings.
fz_context *fz_new_context_imp(const void *alloc, const void *locks, size_t max_store, const char *version);
void fz_set_warning_callback(fz_context *ctx, void (*cb)(void *user, const char *message), void *user);
fz_stream *fz_open_memory(fz_context *ctx, const unsigned char *data, size_t len);

void fz_flush_warnings(fz_context *ctx);

static void rdp_count_warning(void *user, const char *message) { (void)message; ++*(int *)user; }
static void rdp_no_warning(void *user, const char *message) { (void)user; (void)message; }

static fz_context *rdp_test_ctx; // one, for the tests' calls (made one after the other)

static long rdp_decode(int real, const unsigned char *data, size_t n, int predictor, int columns, int colors, int bpc,
	size_t chunk, unsigned char *out, size_t cap, int *warnings)
{
	fz_context *ctx;
	fz_stream *mem, *stm;
	size_t got = 0, k;
	if (!rdp_test_ctx)
		rdp_test_ctx = fz_new_context_imp(NULL, NULL, 0, "1.24.9");
	ctx = rdp_test_ctx;
	if (!ctx)
		return -1;
	// MuPDF holds back a warning that repeats the one before it: forget the last call's.
	fz_set_warning_callback(ctx, rdp_no_warning, NULL);
	fz_flush_warnings(ctx);
	*warnings = 0;
	fz_set_warning_callback(ctx, rdp_count_warning, warnings);
	mem = fz_open_memory(ctx, data, n);
	stm = real ? __real_fz_open_predict(ctx, mem, predictor, columns, colors, bpc)
		: __wrap_fz_open_predict(ctx, mem, predictor, columns, colors, bpc);
	while ((k = fz_read(ctx, stm, out + got, got + chunk <= cap ? chunk : cap + 1 - got)) > 0)
	{
		got += k;
		if (got > cap)
			break;
	}
	fz_drop_stream(ctx, stm);
	fz_drop_stream(ctx, mem);
	fz_flush_warnings(ctx); // a warning repeated within the call
	return (long)got;
}
*/
import "C"

import (
	"unsafe"

	_ "github.com/gen2brain/go-fitz" // links MuPDF, whose fz_open_predict this wraps

	_ "github.com/referraldesk/referraldesk/app/fitzlink" // MuPDF links with mingw-w64 (Windows)
)

// Opened says how many streams this package's predictor has undone in this process (a test checks
// that MuPDF's calls come here).
func Opened() int64 { return int64(C.rdp_opened_count()) }

// decode runs data through a predictor stream (MuPDF's own if mupdf) read chunk bytes at a time, and
// returns at most limit bytes of what it gives (limit+1: more) and MuPDF's warnings; the tests compare
// the two. Parameters must be ones that MuPDF accepts (it throws otherwise, which is not caught here).
func decode(mupdf bool, data []byte, predictor, columns, colors, bpc, chunk, limit int) ([]byte, int) {
	out := make([]byte, limit+1)
	var in *C.uchar
	if len(data) > 0 {
		in = (*C.uchar)(unsafe.Pointer(&data[0]))
	}
	r := C.int(0)
	if mupdf {
		r = 1
	}
	var warnings C.int
	n := C.rdp_decode(r, in, C.size_t(len(data)), C.int(predictor), C.int(columns), C.int(colors), C.int(bpc),
		C.size_t(chunk), (*C.uchar)(unsafe.Pointer(&out[0])), C.size_t(limit), &warnings)
	if n < 0 {
		return nil, -1
	}
	return out[:n], int(warnings)
}
