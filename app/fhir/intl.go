package fhir

import (
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/intl"
)

// PractitionerIdentifier is the provider's identifier: the NPI when there is one, else the
// medical licence (type MD, system per issuing country and authority, the authority as assigner).
func PractitionerIdentifier(p app.Provider) Identifier {
	if npi := strings.TrimSpace(p.NPI); npi != "" || !p.HasLicence() {
		return Identifier{System: SystemNPI, Value: npi}
	}
	id := Identifier{
		Use:    "official",
		Type:   &CodeableConcept{Coding: []Coding{{System: systemV20203, Code: "MD", Display: "Medical License number"}}},
		System: LicenceSystem(p.LicenceCountry, p.LicenceAuthority),
		Value:  strings.TrimSpace(p.LicenceNumber),
	}
	if a := strings.TrimSpace(p.LicenceAuthority); a != "" {
		id.Assigner = &Reference{Display: a}
	}
	return id
}

// LicenceSystem is SystemLicencePrefix + country + ":" + the authority as a slug (letters and
// digits folded to ASCII lower case, the rest as single dashes); without an authority it ends
// at the country.
func LicenceSystem(country, authority string) string {
	sys := SystemLicencePrefix + strings.ToLower(strings.TrimSpace(country))
	var b strings.Builder
	dash := false
	for _, r := range app.Fold(authority) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	if b.Len() > 0 {
		sys += ":" + b.String()
	}
	return sys
}

// practitionerRoleValue is the part of the role identifier after the installation: the NPI, or
// "<country>-licence-<number>" for a licence.
func practitionerRoleValue(id Identifier) string {
	if id.System == SystemNPI {
		return id.Value
	}
	return strings.TrimPrefix(id.System, SystemLicencePrefix) + "/" + id.Value
}

// fhirAddress maps a domain address, its street lines split on new lines.
func fhirAddress(use string, a app.Address) Address {
	out := Address{Use: use, City: a.City, State: a.State, PostalCode: a.PostalCode, Country: strings.ToUpper(strings.TrimSpace(a.Country))}
	for _, l := range strings.Split(a.Line, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out.Line = append(out.Line, l)
		}
	}
	return out
}

// phoneValue is a number in E.164 when it parses in the country it belongs to, else as typed.
func phoneValue(phone, country string) string {
	if strings.TrimSpace(country) == "" {
		country = "US"
	}
	return intl.NormalizePhone(phone, country)
}

// communication is the patient's preferred language (Patient.communication, preferred) and the
// interpreter-required extension. The extension is sent when the chart answers the question:
// when a language is recorded (the form asks both together) or an interpreter is needed.
func communication(pt app.Patient) ([]PatientCommunication, []Extension) {
	var comms []PatientCommunication
	if l, ok := intl.LookupLanguage(pt.Language); ok {
		yes := true
		display := l.English
		if display == "" {
			display = l.Name
		}
		comms = append(comms, PatientCommunication{
			Language:  CodeableConcept{Coding: []Coding{{System: SystemBCP47, Code: l.Tag, Display: display}}, Text: l.Name},
			Preferred: &yes,
		})
	}
	var exts []Extension
	if len(comms) > 0 || pt.InterpreterNeeded {
		v := pt.InterpreterNeeded
		exts = append(exts, Extension{URL: ExtInterpreterRequired, ValueBoolean: &v})
	}
	return comms, exts
}

// PatientLanguage reads back the preferred language (BCP 47) and the interpreter-required flag of
// a Patient from the registry: the preferred communication, else the first one.
func PatientLanguage(p *Patient) (tag string, interpreter bool) {
	for i, c := range p.Communication {
		if i > 0 && (c.Preferred == nil || !*c.Preferred) {
			continue
		}
		for _, cd := range c.Language.Coding {
			if cd.System == SystemBCP47 || cd.System == "" {
				if l, ok := intl.LookupLanguage(cd.Code); ok {
					tag = l.Tag
				}
			}
		}
		if c.Preferred != nil && *c.Preferred {
			break
		}
	}
	for _, e := range p.Extension {
		if e.URL == ExtInterpreterRequired && e.ValueBoolean != nil {
			interpreter = *e.ValueBoolean
		}
	}
	return tag, interpreter
}
