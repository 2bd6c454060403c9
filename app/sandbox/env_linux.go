package sandbox

// platformWorkerEnv asks glibc's allocator, for the C libraries a worker runs (MuPDF, Tesseract),
// to back its heap with transparent huge pages (glibc 2.35 and later; ignored before): MuPDF and
// Tesseract allocate and free tens of MB for each page they draw or read, and on a virtual machine
// a fault for each fresh 4 KB page costs several µs (20 MB touched: 12 ms in 4 KB pages, 2 ms in huge
// pages, measured). glibc's thresholds for keeping freed memory are left as they are: raised (32 MB
// mmap, 256 MB trim), they bought little time and a 250-page file's worker peaked 25 MB higher, close
// to the packet's memory goal (scripts/bench-packet.sh). Other C libraries (musl) ignore the variable.
var platformWorkerEnv = []string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=1"}
