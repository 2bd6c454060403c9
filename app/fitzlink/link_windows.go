//go:build windows

package fitzlink

// The Windows MuPDF libraries bundled with go-fitz were built with a UCRT toolchain and the
// fortify/stack-protector checks; Debian's mingw-w64 (msvcrt) lacks their helper symbols
// (go-fitz issue #123). Linking GCC's libssp statically supplies the __*_chk and __stack_chk_*
// functions; shim_windows.c supplies __intrinsic_setjmpex and makes sure the libssp members
// are pulled in before the go-fitz archives are scanned. Harmless when go-fitz is not linked.
// See GUIDE.md §9 (in ../shared). Every program that links go-fitz imports this package (app/jobs does).

/*
#cgo windows LDFLAGS: -l:libssp.a
*/
import "C"
