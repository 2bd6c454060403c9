//go:build cgo && !nocgo

package packet

// See jpxreduce.c: MuPDF's calls of opj_decode are sent there (GNU ld and mingw's ld; macOS's ld64
// has no --wrap, and there thumbnails decode JPEG 2000 images whole).

/*
#cgo linux LDFLAGS: -Wl,--wrap=opj_decode
#cgo windows LDFLAGS: -Wl,--wrap=opj_decode
#include "jpxreduce.h"
*/
import "C"

// jpxReduced says how many JPEG 2000 images this process decoded at a reduced resolution, and how
// many resolution levels they dropped in all (tests).
func jpxReduced() (images, levels int64) {
	return int64(C.rdj_reduced_count()), int64(C.rdj_levels_count())
}

// failReducedJPX makes every reduced JPEG 2000 decode fail while on (tests of the fallback).
func failReducedJPX(on bool) {
	v := C.int(0)
	if on {
		v = 1
	}
	C.rdj_test_fail_reduced(v)
}
