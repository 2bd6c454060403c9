//go:build linux && cgo && !noocr

package ocr

// #cgo LDFLAGS: -ldl
// int rd_tess_load(void);
import "C"

import (
	"fmt"
	"sync"
)

// loadTesseract opens libtesseract (see tessdl_linux.c) in the process that first needs OCR.
var loadTesseract = sync.OnceValue(func() error {
	if C.rd_tess_load() != 1 {
		return fmt.Errorf("ocr: libtesseract.so.5 cannot be loaded (install the Tesseract 5 library): %w", ErrUnavailable)
	}
	return nil
})
