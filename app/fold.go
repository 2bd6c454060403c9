package app

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// A transform.Chain keeps state between calls, so each goroutine needs its own: take one from the pool.
var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Letters that do not decompose into a base letter plus a mark.
var foldLetters = strings.NewReplacer("ß", "ss", "ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d")

// Fold makes a name comparable regardless of case, accents and spacing:
// "  Núñez-O'Brien " -> "nunez-o'brien". It is used for searching and duplicate checks and is
// safe for concurrent use.
func Fold(s string) string {
	if !isASCII(s) {
		t := foldPool.Get().(transform.Transformer)
		out, _, err := transform.String(t, s)
		foldPool.Put(t)
		if err == nil {
			s = out
		}
		s = foldLetters.Replace(s)
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
