package ehrimport

import "strings"

// Code systems, by OID (C-CDA) and URI (FHIR).
const (
	sysSNOMED  = "SNOMED CT"
	sysICD10CM = "ICD-10-CM"
	sysICD9CM  = "ICD-9-CM"
	sysICD10   = "ICD-10"
	sysLOINC   = "LOINC"
	sysRxNorm  = "RxNorm"
)

var systemNames = map[string]string{
	"2.16.840.1.113883.6.96":                      sysSNOMED,
	"http://snomed.info/sct":                      sysSNOMED,
	"2.16.840.1.113883.6.90":                      sysICD10CM,
	"http://hl7.org/fhir/sid/icd-10-cm":           sysICD10CM,
	"2.16.840.1.113883.6.103":                     sysICD9CM,
	"2.16.840.1.113883.6.104":                     sysICD9CM,
	"http://hl7.org/fhir/sid/icd-9-cm":            sysICD9CM,
	"2.16.840.1.113883.6.3":                       sysICD10,
	"http://hl7.org/fhir/sid/icd-10":              sysICD10,
	"2.16.840.1.113883.6.1":                       sysLOINC,
	"http://loinc.org":                            sysLOINC,
	"2.16.840.1.113883.6.88":                      sysRxNorm,
	"http://www.nlm.nih.gov/research/umls/rxnorm": sysRxNorm,
	"2.16.840.1.113883.3.26.1.1":                  "NCI Thesaurus",
	"2.16.840.1.113883.6.69":                      "NDC",
	"http://hl7.org/fhir/sid/ndc":                 "NDC",
	"2.16.840.1.113883.4.9":                       "UNII",
	"http://fdasis.nlm.nih.gov":                   "UNII",
	"2.16.840.1.113883.12.292":                    "CVX",
}

// Identifier systems with a well-known name.
var authorityNames = map[string]string{
	"2.16.840.1.113883.4.1":                      "US Social Security number",
	"http://hl7.org/fhir/sid/us-ssn":             "US Social Security number",
	"2.16.840.1.113883.4.6":                      "NPI",
	"http://hl7.org/fhir/sid/us-npi":             "NPI",
	"2.16.840.1.113883.4.3.25":                   "Massachusetts driver's license",
	"https://github.com/synthetichealth/synthea": "Synthea",
}

// systemName names a code system given as an OID, "urn:oid:" URI or URL; unknown ones are kept as sent.
func systemName(id string) string {
	id = strings.TrimSpace(id)
	if n, ok := systemNames[strings.TrimPrefix(id, "urn:oid:")]; ok {
		return n
	}
	if n, ok := systemNames[id]; ok {
		return n
	}
	return id
}
