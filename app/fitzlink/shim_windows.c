//go:build windows && cgo

// Windows-only link shims for go-fitz's prebuilt MuPDF libraries (see link_windows.go).
// Nothing here runs unless MuPDF calls it; the file is compiled only for GOOS=windows.
#include <stddef.h>

// UCRT's setjmp is __intrinsic_setjmpex(buf, frame); msvcrt's is _setjmp(buf, frame) with the
// same arguments. It must be a tail jump, not a call: setjmp records the caller's stack frame.
__asm__(
    ".text\n"
    ".globl __intrinsic_setjmpex\n"
    ".def __intrinsic_setjmpex; .scl 2; .type 32; .endef\n"
    "__intrinsic_setjmpex:\n"
    "    jmp _setjmp\n");

// References to libssp's fortify helpers, so that the linker takes them from libssp.a when it
// first scans it (the go-fitz archives come later on the command line).
extern void *__memmove_chk(void *, const void *, size_t, size_t);
extern void *__memcpy_chk(void *, const void *, size_t, size_t);
extern void *__memset_chk(void *, int, size_t, size_t);
extern char *__strcat_chk(char *, const char *, size_t);
extern void __chk_fail(void);

void *referraldesk_ssp_refs[] = {
    (void *)__memmove_chk, (void *)__memcpy_chk, (void *)__memset_chk,
    (void *)__strcat_chk,  (void *)__chk_fail,
};
