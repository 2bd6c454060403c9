//go:build cgo && !nocgo

// Reduced-resolution JPEG 2000 decoding for thumbnails and for the blank and duplicate checks.
//
// A JPEG 2000 codestream holds its image as a pyramid of resolutions: each level halves the width and
// height, and decoding stops at a level by skipping the code blocks of the finer ones (most of the
// decoding work). MuPDF 1.24.9 always decodes the whole image (source/fitz/load-jpx.c), and then draws
// it scaled down into a 200-pixel thumbnail. For its own JPEG and other images MuPDF decodes at a
// smaller scale when the image is drawn smaller (fz_get_pixmap_from_image: the largest power of two
// that keeps the image at least the size it is drawn, plus 2 pixels), but not for JPEG 2000.
//
// The linker sends MuPDF's calls of opj_decode here (-Wl,--wrap, GNU ld and mingw's ld; see
// jpxreduce_cgo.go). While the thread draws a thumbnail or a page for the checks (rdj_set_need, set
// by render_cgo.go's rr_draw and rr_record around the page's run and cleared after it), an image is
// decoded at the coarsest level whose longer side still has the pixels the drawing's page needs, as
// MuPDF itself chooses for other images; the image's canvas is then set to the reduced size, which
// is what MuPDF sizes its pixmap from. Anything else (other drawings: the packet's rebuilt pages,
// OCR; an image whose origin is not 0,0 or whose components are subsampled; a level the codestream
// does not have) is decoded whole, as before.
//
// The structures are OpenJPEG 2.5.0's (openjpeg.h), the version in go-fitz v1.24.15's libmupdfthird;
// TestJPXReducedThumbnail fails if they drift (the reduced sizes and pixels are checked).
#include <stdint.h>
#include "jpxreduce.h"

#if defined(__linux__) || defined(_WIN32)

typedef int OPJ_BOOL;
typedef struct opj_codec opj_codec_t;
typedef struct opj_stream opj_stream_t;

typedef struct
{
	uint32_t dx, dy, w, h, x0, y0, prec, bpp, sgnd, resno_decoded, factor;
	int32_t *data;
	uint16_t alpha;
} rdj_comp;

typedef struct
{
	uint32_t x0, y0, x1, y1, numcomps;
	int color_space;
	rdj_comp *comps;
	unsigned char *icc_profile_buf;
	uint32_t icc_profile_len;
} rdj_image;

OPJ_BOOL __real_opj_decode(opj_codec_t *codec, opj_stream_t *stream, rdj_image *image);
OPJ_BOOL opj_set_decoded_resolution_factor(opj_codec_t *codec, uint32_t factor);

static __thread int rdj_need, rdj_failed;
static long rdj_reduced, rdj_levels;
static int rdj_fail_reduced; // tests: a reduced decode fails, as one the codestream refused would

void rdj_set_need(int px)
{
	rdj_need = px > 0 ? px : 0;
	rdj_failed = 0;
}

int rdj_reduced_failed(void) { return rdj_failed; }

long rdj_reduced_count(void) { return __atomic_load_n(&rdj_reduced, __ATOMIC_RELAXED); }

long rdj_levels_count(void) { return __atomic_load_n(&rdj_levels, __ATOMIC_RELAXED); }

void rdj_test_fail_reduced(int on) { __atomic_store_n(&rdj_fail_reduced, on, __ATOMIC_RELAXED); }

static uint32_t rdj_ceil_shift(uint32_t v, uint32_t r) { return (uint32_t)(((uint64_t)v + (1ull << r) - 1) >> r); }

// rdj_factor is the number of levels to drop from image for a longer side of need pixels: 0 when
// the image is not one this file reduces.
static uint32_t rdj_factor(const rdj_image *image, int need)
{
	uint32_t k, r = 0, side;
	if (need <= 0 || !image || image->numcomps == 0 || !image->comps || image->x0 != 0 || image->y0 != 0)
		return 0;
	for (k = 0; k < image->numcomps; k++)
	{
		const rdj_comp *c = &image->comps[k];
		if (c->dx != 1 || c->dy != 1 || c->factor != 0 || c->data)
			return 0;
	}
	side = image->x1 > image->y1 ? image->x1 : image->y1;
	// MuPDF's rule for its other images (fz_get_pixmap_from_image): keep halving while the next
	// level is still at least the size drawn plus 2 pixels.
	while (r < 31 && rdj_ceil_shift(side, r + 1) >= (uint32_t)need + 2)
		r++;
	return r;
}

OPJ_BOOL __wrap_opj_decode(opj_codec_t *codec, opj_stream_t *stream, rdj_image *image)
{
	uint32_t r = rdj_factor(image, rdj_need), k, w, h;
	if (r > 0)
	{
		// A codestream with fewer levels turns a factor down: try the next coarsest.
		uint32_t want = r;
		while (r > 0 && !opj_set_decoded_resolution_factor(codec, r))
			r--;
		if (r == 0 && want > 0)
			opj_set_decoded_resolution_factor(codec, 0);
	}
	if ((r > 0 && __atomic_load_n(&rdj_fail_reduced, __ATOMIC_RELAXED)) || !__real_opj_decode(codec, stream, image))
	{
		// MuPDF would leave the image out and draw the rest of the page: the caller draws the page
		// again with every image whole.
		rdj_failed |= r > 0;
		return 0;
	}
	if (r == 0)
		return 1;
	w = rdj_ceil_shift(image->x1, r);
	h = rdj_ceil_shift(image->y1, r);
	for (k = 0; k < image->numcomps; k++)
	{
		const rdj_comp *c = &image->comps[k];
		if (c->factor != r || c->w != w || c->h != h)
		{
			rdj_failed = 1; // not reduced as asked: the caller draws the page again, whole
			return 0;
		}
	}
	image->x1 = w;
	image->y1 = h;
	__atomic_add_fetch(&rdj_reduced, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&rdj_levels, r, __ATOMIC_RELAXED);
	return 1;
}

#else

// No --wrap in this linker (macOS's ld64): MuPDF decodes JPEG 2000 images whole.
void rdj_set_need(int px) { (void)px; }

int rdj_reduced_failed(void) { return 0; }

long rdj_reduced_count(void) { return 0; }

long rdj_levels_count(void) { return 0; }

void rdj_test_fail_reduced(int on) { (void)on; }

#endif
