package app

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// foldTransformer drops combining marks after canonical decomposition, so "Müller" and "Muller" match.
var foldTransformer = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// Fold makes a name comparable regardless of case, accents and punctuation spacing:
// "  Núñez-O'Brien " -> "nunez-o'brien". It is used for searching and duplicate checks.
func Fold(s string) string {
	out, _, err := transform.String(foldTransformer, s)
	if err != nil {
		out = s
	}
	// A few letters do not decompose into base + mark.
	out = strings.NewReplacer("ß", "ss", "ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d").Replace(out)
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}
