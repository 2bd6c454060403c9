package institution

import (
	"errors"
	"strings"
	"testing"
)

func TestNamesIn(t *testing.T) {
	n := Names{"es": "Hematología", "zh-Hans": "血液科"}
	for lang, want := range map[string]string{
		"es": "Hematología", "es-MX": "Hematología", "zh-Hans": "血液科", "zh": "血液科", "zh-CN": "血液科",
		"en": "Hematology", "fr": "Hematology", "": "Hematology", "not a tag!": "Hematology",
	} {
		if got := n.In(lang, "Hematology"); got != want {
			t.Errorf("%q: %q, want %q", lang, got, want)
		}
	}
	if got := Names(nil).In("es", "Hematology"); got != "Hematology" {
		t.Errorf("no names: %q", got)
	}
}

// The default profile names every department and insurance type in Spanish and Chinese; the
// lookups by name still take the English one.
func TestDefaultProfileTranslated(t *testing.T) {
	p, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"es", "zh-Hans"} {
		for _, d := range p.Departments {
			if d.Names[lang] == "" {
				t.Errorf("department %s has no %s name", d.Code, lang)
			}
		}
		for _, it := range p.InsuranceTypes {
			if it.Names[lang] == "" {
				t.Errorf("insurance type %s has no %s name", it.Code, lang)
			}
		}
	}
	if it, ok := p.InsuranceType("Workers' compensation"); !ok || it.Label("es") != "Compensación para trabajadores" {
		t.Errorf("insurance by English name: %+v %v", it, ok)
	}
	if d, ok := p.Department("hematology"); !ok || d.Label("zh-Hans") != "血液科" || d.Label("en") != "Hematology" {
		t.Errorf("hematology: %+v", d)
	}
}

// A translation under a tag that is not BCP 47, or empty, is refused by name.
func TestNamesValidated(t *testing.T) {
	p, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	p.Departments[0].Names = Names{"spanish!": "Cáncer", "zh-Hans": " "}
	err = p.Validate()
	var fe *FieldError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "departments[0].names") || !strings.Contains(err.Error(), "zh-Hans") {
		t.Fatalf("validate: %v", err)
	}
}
