package institution

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Names are a profile text's translations, keyed by BCP 47 tag: {"es": "Cardiología",
// "zh-Hans": "心脏科"}. The English name beside them is the fallback and the canonical value: the
// one an order stores and sends, and that lookups by name accept.
type Names map[string]string

// In is the name in lang ("es-MX" finds "es", "zh" finds "zh-Hans"), else name.
func (n Names) In(lang, name string) string {
	if len(n) == 0 || lang == "" {
		return name
	}
	want, err := language.Parse(lang)
	if err != nil {
		return name
	}
	if s := strings.TrimSpace(n[want.String()]); s != "" {
		return s
	}
	tags := []language.Tag{language.English} // no good match: English
	var keys []string
	for k, v := range n {
		if t, err := language.Parse(k); err == nil && strings.TrimSpace(v) != "" {
			tags, keys = append(tags, t), append(keys, k)
		}
	}
	_, i, conf := language.NewMatcher(tags).Match(want)
	if i == 0 || conf == language.No {
		return name
	}
	return strings.TrimSpace(n[keys[i-1]])
}

// Label is the department's name in lang (BCP 47), English when it has no translation.
func (d Department) Label(lang string) string { return d.Names.In(lang, d.Name) }

// Label is the location's name in lang (BCP 47), English when it has no translation.
func (l Location) Label(lang string) string { return l.Names.In(lang, l.Name) }

// Label is the insurance type's name in lang (BCP 47), English when it has no translation.
func (t InsuranceType) Label(lang string) string { return t.Names.In(lang, t.Name) }

// names checks a text's translations: BCP 47 keys, non-empty texts.
func (v *validator) names(at string, n Names) {
	for k, s := range n {
		if _, err := language.Parse(k); err != nil {
			v.add(at+".names", k, "is not a BCP 47 language tag (e.g. \"es\", \"zh-Hans\")")
		} else if strings.TrimSpace(s) == "" {
			v.add(fmt.Sprintf("%s.names.%s", at, k), s, msgMissing)
		}
	}
}
