package assets

import _ "embed"

// DefaultInstitution is the default institution profile (Mayo Clinic) as JSON, read by
// app/institution.LoadDefault. Every fact in it carries a "source" note pointing to the seed
// page it came from.
//
//go:embed institution/mayo-clinic.json
var DefaultInstitution []byte
