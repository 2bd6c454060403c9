//go:build linux && cgo && !nocgo

package packet

// #include <malloc.h>
import "C"

// trimC gives the C heap's free memory back to the system. MuPDF and Tesseract allocate and free
// tens of MB for each scanned page; glibc would keep that memory in the worker (in its arenas), so
// that a worker that read 40 pages held twice what one page needs.
func trimC() { C.malloc_trim(0) }
