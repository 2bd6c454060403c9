//go:build linux && cgo && !nocgo

package packet

// libjpeg-turbo's TurboJPEG library, where the system has it, encodes the pages rebuilt from their
// image several times faster than image/jpeg (SIMD): on a 150 dpi Letter page in gray, 21 ms became
// a few ms, and a packet with damaged files has one such page each. It is opened at run time
// (dlopen), never linked: the program runs the same without it, and its libjpeg, which MuPDF's own
// would clash with when linked statically, stays inside it. Only its stable C API is used, declared
// here, so building needs no headers of it.

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>

typedef void *tjhandle;
typedef tjhandle (*tj_init_fn)(void);
typedef int (*tj_compress_fn)(tjhandle, const unsigned char *, int, int, int, int, unsigned char **, unsigned long *, int, int, int);
typedef void (*tj_free_fn)(unsigned char *);
typedef int (*tj_destroy_fn)(tjhandle);

static tj_init_fn tj_init;
static tj_compress_fn tj_compress;
static tj_free_fn tj_free;
static tj_destroy_fn tj_destroy;

// tj_open loads the library (1) or says it is not there (0).
static int tj_open(void)
{
	void *lib = dlopen("libturbojpeg.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return 0;
	tj_init = (tj_init_fn)dlsym(lib, "tjInitCompress");
	tj_compress = (tj_compress_fn)dlsym(lib, "tjCompress2");
	tj_free = (tj_free_fn)dlsym(lib, "tjFree");
	tj_destroy = (tj_destroy_fn)dlsym(lib, "tjDestroy");
	if (!tj_init || !tj_compress || !tj_free || !tj_destroy)
	{
		dlclose(lib);
		return 0;
	}
	return 1;
}

// tj_encode encodes w x h pixels (pitch bytes a row; format and subsampling as TurboJPEG numbers
// them) and returns the JPEG's size, its bytes in *out (free them with tj_release), or 0.
static unsigned long tj_encode(const unsigned char *pix, int w, int pitch, int h, int format, int subsamp, int quality, unsigned char **out)
{
	unsigned long n = 0;
	*out = NULL;
	tjhandle t = tj_init();
	if (!t)
		return 0;
	if (tj_compress(t, pix, w, pitch, h, format, out, &n, subsamp, quality, 0) != 0)
	{
		if (*out)
			tj_free(*out);
		*out = NULL;
		n = 0;
	}
	tj_destroy(t);
	return n;
}

static void tj_release(unsigned char *p) { tj_free(p); }
*/
import "C"

import (
	"image"
	"runtime"
	"sync"
	"unsafe"
)

// TurboJPEG's numbers for the pixel formats and subsamplings used here (turbojpeg.h).
const (
	tjPixelRGBX  = 2
	tjPixelGray  = 6
	tjSample420  = 2 // as image/jpeg does for colour
	tjSampleGray = 3
)

var turboJPEG = sync.OnceValue(func() bool { return C.tj_open() == 1 })

// fastJPEG encodes an opaque *image.RGBA (its alpha ignored; gray: as a gray JPEG, which the
// pixels must be) or an *image.Gray with TurboJPEG at quality q. ok is false when the library is not
// there or refuses: the caller uses image/jpeg.
func fastJPEG(img image.Image, q int, gray bool) (enc []byte, ok bool) {
	if !turboJPEG() {
		return nil, false
	}
	var pix []byte
	var stride, format, subsamp int
	switch m := img.(type) {
	case *image.RGBA:
		if m == nil {
			return nil, false
		}
		pix, stride, format, subsamp = m.Pix, m.Stride, tjPixelRGBX, tjSample420
		if gray {
			subsamp = tjSampleGray
		}
	case *image.Gray:
		if m == nil {
			return nil, false
		}
		pix, stride, format, subsamp = m.Pix, m.Stride, tjPixelGray, tjSampleGray
	default:
		return nil, false
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if w <= 0 || h <= 0 || len(pix) < (h-1)*stride+w {
		return nil, false
	}
	var out *C.uchar
	n := C.tj_encode((*C.uchar)(unsafe.Pointer(&pix[0])), C.int(w), C.int(stride), C.int(h), C.int(format), C.int(subsamp), C.int(q), &out)
	runtime.KeepAlive(pix)
	if n == 0 || out == nil {
		return nil, false
	}
	defer C.tj_release(out)
	return C.GoBytes(unsafe.Pointer(out), C.int(n)), true
}
