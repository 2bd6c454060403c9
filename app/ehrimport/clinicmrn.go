package ehrimport

import (
	"regexp"
	"strings"
)

// oidRE is an ISO OID as a C-CDA root carries it.
var oidRE = regexp.MustCompile(`^[0-2](\.(0|[1-9][0-9]*))+$`)

// IdentifierSystem is an identifier's system as FHIR writes it: "urn:oid:<root>" for an OID, the
// URI as sent otherwise.
func IdentifierSystem(system string) string {
	s := strings.TrimSpace(system)
	if oidRE.MatchString(s) {
		return "urn:oid:" + s
	}
	return s
}

// ClinicMRN is the sending clinic's medical record number among the patient's identifiers: the
// one typed MR, else the first that is not a national or personal number (SSN, NPI, driver's
// licence, passport). An identifier without a system is never chosen: without one the number
// cannot be told from another clinic's. ok is false when there is none.
func (p PatientInfo) ClinicMRN() (id Identifier, ok bool) {
	var fallback *Identifier
	for i := range p.Identifiers {
		c := p.Identifiers[i]
		if strings.TrimSpace(c.Value) == "" || strings.TrimSpace(c.System) == "" {
			continue
		}
		if strings.EqualFold(c.Type, "MR") {
			return c, true
		}
		if fallback == nil && !isSSN(c) && !isNPI(c) && !isPersonalDocument(c) {
			fallback = &p.Identifiers[i]
		}
	}
	if fallback != nil {
		return *fallback, true
	}
	return Identifier{}, false
}

// isNPI tells a US National Provider Identifier (some files put the patient's provider's there).
func isNPI(id Identifier) bool {
	sys := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(id.System)), "urn:oid:")
	return sys == "2.16.840.1.113883.4.6" || sys == "http://hl7.org/fhir/sid/us-npi" || strings.EqualFold(id.Type, "NPI")
}

// isPersonalDocument tells a driver's licence (US state OIDs 2.16.840.1.113883.4.3.<state>, type DL)
// or a passport (type PPN): numbers of the person, not of a clinic's records.
func isPersonalDocument(id Identifier) bool {
	sys := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(id.System)), "urn:oid:")
	switch {
	case strings.HasPrefix(sys, "2.16.840.1.113883.4.3."), strings.EqualFold(id.Type, "DL"), strings.EqualFold(id.Type, "PPN"):
		return true
	}
	a := strings.ToLower(id.Authority)
	return strings.Contains(a, "driver") || strings.Contains(a, "passport")
}
