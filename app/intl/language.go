package intl

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Language is a preferred language of a patient.
type Language struct {
	Tag     string // BCP 47, e.g. "es", "zh-Hans", "pt-BR"
	Name    string // its own name ("español", "简体中文")
	English string // its English name, for the staff
}

// languageTags are the languages offered first: those most asked for by patients of US clinics
// and those of the institution's international pages. Any other valid BCP 47 tag is accepted too.
var languageTags = []string{
	"en", "es", "zh-Hans", "zh-Hant", "yue", "ar", "vi", "tl", "ko", "ru", "fr", "ht", "pt", "pt-BR",
	"de", "it", "pl", "hi", "ur", "bn", "pa", "gu", "fa", "ja", "so", "am", "om", "ti", "sw", "hmn",
	"km", "lo", "th", "my", "ne", "uk", "ro", "el", "tr", "he", "hy", "sq", "bs", "sr", "hr", "ase",
}

// Languages lists the offered languages with their own and English names.
func Languages() []Language {
	out := make([]Language, 0, len(languageTags))
	for _, t := range languageTags {
		if l, ok := LookupLanguage(t); ok {
			out = append(out, l)
		}
	}
	return out
}

// LookupLanguage parses a BCP 47 tag and names it. Tags x/text has no own name for (Hmong,
// Haitian Creole, American Sign Language) keep their English name.
func LookupLanguage(tag string) (Language, bool) {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return Language{}, false
	}
	t, err := language.Parse(tag)
	if err != nil {
		return Language{}, false
	}
	l := Language{Tag: t.String(), Name: display.Self.Name(t), English: display.English.Tags().Name(t)}
	if l.English == "" {
		l.English = selfNames[l.Tag]
	}
	if l.Name == "" {
		l.Name = selfNames[l.Tag]
		if l.Name == "" {
			l.Name = l.English
		}
	}
	if l.Name == "" {
		l.Name = l.Tag
	}
	return l, true
}

// selfNames fill the gaps of x/text's self names.
var selfNames = map[string]string{
	"ht": "Kreyòl ayisyen", "hmn": "Hmoob", "ase": "American Sign Language",
}

// LanguageLabel is how a chooser lists a language: "español — Spanish (es)".
func LanguageLabel(tag string) string {
	l, ok := LookupLanguage(tag)
	if !ok {
		return tag
	}
	if l.English == "" || l.English == l.Name {
		return l.Name + " (" + l.Tag + ")"
	}
	return l.Name + " — " + l.English + " (" + l.Tag + ")"
}

// ParseLanguageLabel reads the tag from a LanguageLabel or a bare tag.
func ParseLanguageLabel(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if i := strings.LastIndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		s = s[i+1 : len(s)-1]
	}
	l, ok := LookupLanguage(s)
	return l.Tag, ok
}

// LanguageLabels lists LanguageLabel for every offered language.
func LanguageLabels() []string {
	ls := Languages()
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = LanguageLabel(l.Tag)
	}
	return out
}
