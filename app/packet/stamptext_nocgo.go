//go:build !cgo || nocgo

package packet

// Without cgo go-fitz runs MuPDF through purego, and the check uses go-fitz's text extraction.
func openDirectStampReader([]byte, bool) (r stampReader, ok bool, err error) { return nil, false, nil }

func directReaderUsable() bool { return false }

func isDirectReader(stampReader) bool { return false }

const (
	cgoEnabled    = false
	directVersion = ""
)
