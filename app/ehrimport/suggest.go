package ehrimport

import (
	"regexp"
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/icd10"
)

// MaxSuggestions is how many ICD-10-CM codes are offered per problem.
const MaxSuggestions = 5

// reSemanticTag is SNOMED CT's "(disorder)", "(finding)" ... at the end of a display name.
var reSemanticTag = regexp.MustCompile(`\s*\((disorder|finding|situation|morphologic abnormality|procedure|observable entity|event|qualifier value)\)\s*$`)

// Suggest checks each problem's ICD-10-CM codes against the FY2026 list and fills its suggestions:
// the file's valid codes first, then (when the file has none) the offline search on the problem's
// name. A code not in the list is kept in Problem.ICD10 with its status, never suggested silently.
func Suggest(ix *icd10.Index, doc *Document) {
	cache := map[string][]icd10.Code{}
	for i := range doc.Problems {
		p := &doc.Problems[i]
		p.ICD10, p.Suggestions = nil, nil
		seen := map[string]bool{}
		for _, c := range p.Codes {
			if c.System != sysICD10CM {
				continue
			}
			chk := ICD10Check{Code: c.Code}
			if hit, ok := ix.Lookup(c.Code); ok {
				chk.Status, chk.Description = ICD10Valid, hit.Long
				if !seen[hit.Code] {
					seen[hit.Code] = true
					p.Suggestions = append(p.Suggestions, app.Diagnosis{Code: hit.Code, Description: hit.Long})
				}
			} else if under := ix.Search(icd10.Normalize(c.Code), 1); len(under) > 0 && strings.HasPrefix(icd10.Normalize(under[0].Code), icd10.Normalize(c.Code)) {
				chk.Status = ICD10Category
			} else {
				chk.Status = ICD10NotInList
			}
			p.ICD10 = append(p.ICD10, chk)
		}
		if len(p.Suggestions) > 0 {
			continue
		}
		// A category code of the file: offer the codes under it first.
		for _, chk := range p.ICD10 {
			if chk.Status == ICD10Category {
				for _, c := range ix.Search(icd10.Normalize(chk.Code), MaxSuggestions) {
					p.Suggestions = appendCode(p.Suggestions, seen, c)
				}
			}
		}
		q := searchName(p)
		if q == "" || len(p.Suggestions) >= MaxSuggestions {
			continue
		}
		found, ok := cache[q]
		if !ok {
			found = searchLoose(ix, q)
			cache[q] = found
		}
		for _, c := range found {
			if len(p.Suggestions) >= MaxSuggestions {
				break
			}
			p.Suggestions = appendCode(p.Suggestions, seen, c)
		}
	}
}

func appendCode(s []app.Diagnosis, seen map[string]bool, c icd10.Code) []app.Diagnosis {
	if seen[c.Code] {
		return s
	}
	seen[c.Code] = true
	return append(s, app.Diagnosis{Code: c.Code, Description: c.Long})
}

// searchName is the text searched for a problem: its name without SNOMED's semantic tag, or the
// display of a SNOMED CT coding.
func searchName(p *Problem) string {
	name := p.Name
	if name == "" {
		for _, c := range p.Codes {
			if c.Display != "" {
				name = c.Display
				break
			}
		}
	}
	name = reSemanticTag.ReplaceAllString(name, "")
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		switch r {
		case '(', ')', ',', ';', ':', '[', ']', '"', '+':
			return ' '
		}
		return r
	}, name)), " ")
}

// searchLoose searches the whole name, then, when nothing matches every word, the name with one
// word left out (the longest remaining words first), then its longest word.
func searchLoose(ix *icd10.Index, q string) []icd10.Code {
	if res := ix.Search(q, MaxSuggestions); len(res) > 0 {
		return res
	}
	words := strings.Fields(q)
	if len(words) < 2 {
		return nil
	}
	var out []icd10.Code
	seen := map[string]bool{}
	for i := range words {
		sub := append(append([]string(nil), words[:i]...), words[i+1:]...)
		for _, c := range ix.Search(strings.Join(sub, " "), MaxSuggestions) {
			if !seen[c.Code] {
				seen[c.Code] = true
				out = append(out, c)
			}
		}
		if len(out) >= MaxSuggestions {
			return out[:MaxSuggestions]
		}
	}
	if len(out) > 0 {
		return out
	}
	longest := ""
	for _, w := range words {
		if len(w) > len(longest) && len(w) >= 5 {
			longest = w
		}
	}
	if longest == "" {
		return nil
	}
	return ix.Search(longest, MaxSuggestions)
}
