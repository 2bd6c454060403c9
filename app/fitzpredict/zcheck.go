//go:build (linux || windows) && cgo && !nocgo

package fitzpredict

// MuPDF reads every /FlateDecode stream (page contents, images, fonts) through zlib, which sums each
// stream's output with Adler-32 to compare with the sum at its end; on the inline-image pages of a
// scanner that was a tenth of a worker's time. MuPDF then ignores a wrong sum (filter-flate.c: it
// warns "ignoring zlib error: incorrect data check" and keeps the data it has, the whole stream).
// The linker sends MuPDF's calls of inflateInit_ and inflateInit2_ here (-Wl,--wrap); the stream is
// set up as before, then told not to compute the sum (inflateValidate, zlib 1.2.9 and later, in
// go-fitz's libmupdfthird): the data are the same, the ignored warning is not given.

/*
#cgo LDFLAGS: -Wl,--wrap=inflateInit_ -Wl,--wrap=inflateInit2_
#include <stddef.h>

// z_stream as zlib.h declares it (go-fitz does not install zlib's headers).
typedef struct
{
	const unsigned char *next_in;
	unsigned avail_in;
	unsigned long total_in;
	unsigned char *next_out;
	unsigned avail_out;
	unsigned long total_out;
	const char *msg;
	void *state;
	void *zalloc, *zfree, *opaque;
	int data_type;
	unsigned long adler, reserved;
} rdz_stream;

int __real_inflateInit_(rdz_stream *strm, const char *version, int stream_size);
int __real_inflateInit2_(rdz_stream *strm, int window_bits, const char *version, int stream_size);
int inflateInit_(rdz_stream *strm, const char *version, int stream_size);
int inflateValidate(rdz_stream *strm, int check);
int inflate(rdz_stream *strm, int flush);
int inflateEnd(rdz_stream *strm);

static long rdz_unchecked; // inflate streams set up here without the sum

static void rdz_skip_check(rdz_stream *strm)
{
	if (inflateValidate(strm, 0) == 0)
		__atomic_add_fetch(&rdz_unchecked, 1, __ATOMIC_RELAXED);
}

int __wrap_inflateInit_(rdz_stream *strm, const char *version, int stream_size)
{
	int rc = __real_inflateInit_(strm, version, stream_size);
	if (rc == 0)
		rdz_skip_check(strm);
	return rc;
}

int __wrap_inflateInit2_(rdz_stream *strm, int window_bits, const char *version, int stream_size)
{
	int rc = __real_inflateInit2_(strm, window_bits, version, stream_size);
	if (rc == 0)
		rdz_skip_check(strm);
	return rc;
}

static long rdz_unchecked_count(void) { return __atomic_load_n(&rdz_unchecked, __ATOMIC_RELAXED); }

// rdz_inflate inflates the zlib stream in (n bytes) into out (cap bytes) with the wrapped
// inflateInit_, as MuPDF would, for the tests: zlib's result code, the bytes written in *got.
static int rdz_inflate(const unsigned char *in, size_t n, unsigned char *out, size_t cap, size_t *got)
{
	rdz_stream z = { 0 };
	int rc = inflateInit_(&z, "1.2.13", (int)sizeof z);
	if (rc != 0)
		return rc;
	z.next_in = in;
	z.avail_in = (unsigned)n;
	z.next_out = out;
	z.avail_out = (unsigned)cap;
	rc = inflate(&z, 4); // Z_FINISH
	*got = cap - z.avail_out;
	inflateEnd(&z);
	return rc;
}
*/
import "C"

import "unsafe"

// Unchecked is how many inflate streams were set up without zlib's Adler-32 sum in this process.
func Unchecked() int64 { return int64(C.rdz_unchecked_count()) }

// inflateHere inflates a zlib stream through the wrapped zlib (tests): the data, and zlib's result
// code (1: the stream ended, -3: bad data).
func inflateHere(in []byte, max int) ([]byte, int) {
	out := make([]byte, max+1)
	var got C.size_t
	var src *C.uchar
	if len(in) > 0 {
		src = (*C.uchar)(unsafe.Pointer(&in[0]))
	}
	rc := C.rdz_inflate(src, C.size_t(len(in)), (*C.uchar)(unsafe.Pointer(&out[0])), C.size_t(len(out)), &got)
	return out[:got], int(rc)
}
