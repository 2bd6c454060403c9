//go:build !windows

package ocr

// nativePath is p: Tesseract opens files with UTF-8 paths here.
func nativePath(p string) string { return p }
