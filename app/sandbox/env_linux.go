package sandbox

// platformWorkerEnv tunes glibc's allocator for the C libraries a worker runs (MuPDF, Tesseract),
// which allocate and free tens of MB for each page they draw or read:
//   - blocks under 32 MB come from its heap, and up to 256 MB of freed memory stays there for the
//     next pages and files, instead of a fresh mapping for each image, every 4 KB page of which
//     faults in (several µs each on a virtual machine);
//   - the heap asks for transparent huge pages (glibc 2.35 and later; ignored before), which fault
//     in 2 MB at a time.
//
// `make bench-packet` went 7 % faster (the whole command). The worker gives the memory back once it
// is idle (OnIdle) and exits after its idle timeout. Other C libraries (musl) ignore the variable.
var platformWorkerEnv = []string{
	"GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456",
}
