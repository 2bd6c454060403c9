package packet

import "syscall"

// hugeBuf is 2 MB, a transparent huge page.
const hugeBuf = 2 << 20

// newDrawBuf returns at least n bytes for a page drawn at the build's resolution, mapped outside the Go
// heap with transparent huge pages asked for (where the system gives them on request, as most do):
// the first drawing into fresh memory touches each of its pages, and on virtual machines a fault per
// 4 KB page cost more than the drawing (measured: 17 MB touched in 55-66 ms in 4 KB pages, 5 ms in
// huge pages). The buffer is kept for the next file (drawBuf) and unmapped when a larger one
// replaces it. ok is false when mapping fails: the caller then uses the Go heap.
func newDrawBuf(n int) (b []byte, ok bool) {
	size := (n + hugeBuf - 1) / hugeBuf * hugeBuf
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, false
	}
	_ = syscall.Madvise(b, 14) // MADV_HUGEPAGE; refused: 4 KB pages as before
	return b, true
}

// freeDrawBuf unmaps a buffer newDrawBuf made.
func freeDrawBuf(b []byte) { _ = syscall.Munmap(b[:cap(b)]) }
