package model

// ReferralDesk's test of its change to this vendored copy (see REFERRALDESK.md at the module root).

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"
)

// upstreamPositionToNextWhitespaceOrChar is positionToNextWhitespaceOrChar as pdfcpu v0.15.0 has it.
func upstreamPositionToNextWhitespaceOrChar(s, chars string) (int, string) {
	if len(chars) == 0 {
		return positionToNextWhitespace(s)
	}
	for i, c := range s {
		for _, m := range chars {
			if c == m || unicode.IsSpace(c) || c == 0x00 {
				return i, s[i:]
			}
		}
	}
	return -1, s
}

// The one-pass scan finds the same position as upstream's on strings made of delimiters, ASCII and
// Unicode spaces (U+0085 and U+00A0 as UTF-8 and as lone bytes), NUL, letters and broken UTF-8,
// for every set of characters the parser asks for.
func TestPositionToNextWhitespaceOrCharAsUpstream(t *testing.T) {
	pieces := []string{
		"a", "Z", "1", "#", "/", "<", ">", "(", ")", "[", "]", "%", " ", "\t", "\n", "\r", "\f", "\v",
		"\x00", "\xc2\x85", "\xc2\xa0", "\x85", "\xa0", "\xe2\x80\xa8", "\xe3\x80\x80", "\xc3\xa9", "\xff", "\xe2\x80",
	}
	charSets := []string{"%", "/<>()[]%", "/<([]>%", "/<([]>", "<(]", "/", "/]", "", "\x85", "é"}
	check := func(s, chars string) {
		t.Helper()
		wantI, wantRest := upstreamPositionToNextWhitespaceOrChar(s, chars)
		gotI, gotRest := positionToNextWhitespaceOrChar(s, chars)
		if gotI != wantI || gotRest != wantRest {
			t.Fatalf("positionToNextWhitespaceOrChar(%q, %q) = %d, %q; upstream %d, %q", s, chars, gotI, gotRest, wantI, wantRest)
		}
	}
	for _, p := range pieces {
		for _, chars := range charSets {
			check("Name"+p+"rest", chars)
		}
	}
	r := rand.New(rand.NewSource(15))
	for n := 0; n < 200000; n++ {
		var b strings.Builder
		for j := r.Intn(12); j > 0; j-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		check(b.String(), charSets[r.Intn(len(charSets))])
	}
}
