package packet

import (
	"strings"
	"testing"
)

// The kind of a document is what its patterns alone say: the words looked for first only spare
// running them over texts they cannot match, whatever the case and however (?i) folds letters.
func TestDocKindAsPatternsSay(t *testing.T) {
	byPatterns := func(text string) string {
		switch {
		case reDischarge().MatchString(text):
			return kindDischarge
		case reNote().MatchString(text):
			return kindNote
		case reReport().MatchString(text):
			return kindReport
		}
		return kindOther
	}
	phrases := []string{
		"DISCHARGE SUMMARY", "Discharge\nSummary", "discharge  summary", "Progress Note", "OFFICE VISIT",
		"clinic note", "Consultation Note", "consult note", "Visit note", "History and Physical", "H&P",
		"Chief Complaint", "RADIOLOGY", "Imaging", "Surgical Pathology", "cytology", "Histology",
		"Ultrasound", "MRI", "CT scan", "X-ray", "xray", "Mammogram", "Mammography", "IMPRESSION:",
		"Findings:", "Specimen", "Diagnosis:",
		// (?i) folds the long s and the Kelvin sign to s and k.
		"ſpecimen", "Diſcharge ſummary", "ultraſound", "CT ſcan", "Chief Complaint\u212a",
		"\u212aEY FINDINGS:", "hiſtory and phyſical",
		// Near misses.
		"discharged home", "note", "visits", "scanned", "gray", "array", "diagnosis", "impression", "the summary",
	}
	for _, p := range phrases {
		for _, text := range []string{p, "Patient seen. " + p + " follows.", strings.ToUpper(p), strings.ToLower(p)} {
			if got, want := docKindOf(text), byPatterns(text); got != want {
				t.Errorf("%q: kind %q, the patterns say %q", text, got, want)
			}
		}
	}
	if docKindOf("Discharge Summary\nImpression: stable") != kindDischarge || docKindOf("SPECIMEN received") != kindReport || docKindOf("Office Visit") != kindNote {
		t.Error("kinds not found")
	}
}
