package ocr

import (
	"golang.org/x/sys/windows"
)

// nativePath makes p openable by Tesseract, which opens its model files with fopen and so reads a
// path in the ANSI code page, not UTF-8: a folder under a user named "José" would not load. A path
// with non-ASCII letters becomes its 8.3 short form (ASCII), when the volume keeps short names;
// otherwise p as it is.
func nativePath(p string) string {
	if p == "" || isASCII(p) {
		return p
	}
	long, err := windows.UTF16PtrFromString(p)
	if err != nil {
		return p
	}
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n, err := windows.GetShortPathName(long, &buf[0], uint32(len(buf)))
	if err != nil || n == 0 || int(n) >= len(buf) {
		return p
	}
	if s := windows.UTF16ToString(buf[:n]); isASCII(s) {
		return s
	}
	return p
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
