//go:build !linux && cgo && !noocr

package ocr

// loadTesseract: other systems link Tesseract into the program (no start-up cost to save there).
func loadTesseract() error { return nil }
