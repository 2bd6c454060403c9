//go:build !windows

package ocr

// fromMemory is false: Tesseract opens files by their UTF-8 paths here.
func fromMemory(string, string) bool { return false }
