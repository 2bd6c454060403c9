package assets

import _ "embed"

// ICD10CM is the FY2026 ICD-10-CM code list (billable codes only, in tabular order) as a gzip-compressed
// TSV: undotted code, short description and long description per line. It is generated from the
// CMS/CDC release by "go generate ./app/icd10/"; see icd10cm/README.md. Package icd10 parses it.
//
//go:embed icd10cm/icd10cm_2026.tsv.gz
var ICD10CM []byte
