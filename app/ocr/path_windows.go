package ocr

import "strings"

// fromMemory says whether to load the model of langs from memory rather than let Tesseract open it:
// Tesseract opens its files with fopen, which reads a path in the ANSI code page, not UTF-8, so a
// models folder under a user named "José" would not load. A single language only (Tesseract reads
// one model from memory).
func fromMemory(dir, langs string) bool {
	return dir != "" && !isASCII(dir) && !strings.Contains(langs, "+")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
