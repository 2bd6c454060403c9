//go:build (linux || windows) && cgo && !nocgo

package packet

// libjpeg-turbo's TurboJPEG library encodes the pages rebuilt from their image several times faster
// than image/jpeg (SIMD): on a 150 dpi Letter page in gray, 21 ms became a few ms, and a packet with
// damaged files has one such page each. Linux uses the system's (libturbojpeg.so.0); Windows the
// libturbojpeg.dll that the installer puts beside the program (scripts/windows/turbojpeg.sh builds
// it). It is opened at run time, never linked: the program runs the same without it, and its
// libjpeg, which MuPDF's own would clash with when linked statically, stays inside it. Only its
// stable C API is used, declared here, so building needs no headers of it.

/*
#cgo linux LDFLAGS: -ldl
#include <stdlib.h>
#ifdef _WIN32
#include <windows.h>
#ifndef LOAD_LIBRARY_SEARCH_APPLICATION_DIR
#define LOAD_LIBRARY_SEARCH_APPLICATION_DIR 0x00000200
#endif
#else
#include <dlfcn.h>
#endif

typedef void *tjhandle;
typedef tjhandle (*tj_init_fn)(void);
typedef int (*tj_compress_fn)(tjhandle, const unsigned char *, int, int, int, int, unsigned char **, unsigned long *, int, int, int);
typedef void (*tj_free_fn)(unsigned char *);
typedef int (*tj_destroy_fn)(tjhandle);

static tj_init_fn tj_init;
static tj_compress_fn tj_compress;
static tj_free_fn tj_free;
static tj_destroy_fn tj_destroy;

#ifdef _WIN32
// Only from the program's own folder, never from the current folder or PATH, where a DLL of that
// name could have been planted.
static void *tj_load(void) { return LoadLibraryExW(L"libturbojpeg.dll", NULL, LOAD_LIBRARY_SEARCH_APPLICATION_DIR); }
static void *tj_sym(void *lib, const char *name) { return (void *)GetProcAddress((HMODULE)lib, name); }
static void tj_unload(void *lib) { FreeLibrary((HMODULE)lib); }
#else
static void *tj_load(void) { return dlopen("libturbojpeg.so.0", RTLD_NOW | RTLD_LOCAL); }
static void *tj_sym(void *lib, const char *name) { return dlsym(lib, name); }
static void tj_unload(void *lib) { dlclose(lib); }
#endif

// tj_open loads the library (1) or says it is not there (0).
static int tj_open(void)
{
	void *lib = tj_load();
	if (!lib)
		return 0;
	tj_init = (tj_init_fn)tj_sym(lib, "tjInitCompress");
	tj_compress = (tj_compress_fn)tj_sym(lib, "tjCompress2");
	tj_free = (tj_free_fn)tj_sym(lib, "tjFree");
	tj_destroy = (tj_destroy_fn)tj_sym(lib, "tjDestroy");
	if (!tj_init || !tj_compress || !tj_free || !tj_destroy)
	{
		tj_unload(lib);
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
