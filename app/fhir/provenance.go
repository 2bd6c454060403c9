package fhir

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// Provenance agent types (SystemProvenanceParticipant).
const (
	// AgentAuthor: the authorizing provider, who signed the order themself.
	AgentAuthor = "author"
	// AgentEnterer: a staff member who entered and submitted the order on the provider's behalf.
	AgentEnterer = "enterer"
)

// BuildProvenance builds the Provenance that says who signed the order (step 4, after the
// transaction): target the ServiceRequest, recorded and occurred at the signing time, and agent[0]
// the person who signed. A provider signing themself is the author (who = their Practitioner, on
// behalf of the clinic's Organization when there is one); a staff member is the enterer (who =
// their name only: staff have no Practitioner of their own at the institution) on behalf of the
// provider's Practitioner. ids are the server ids by resource type that Client.Transaction
// returned. It also returns the conditional-create query (target plus agent type: a Provenance has
// no identifier) that makes a repeated post find the first one.
//
// An order signed before the signer was recorded (SignerUnknown) has no Provenance: nil, "", nil.
func BuildProvenance(s Submission, ids map[string]string) (*Provenance, string, error) {
	o, sig := s.Order, s.Order.Signature
	if sig.SignerRole == app.SignerUnknown {
		return nil, "", nil
	}
	var errs []error
	for _, typ := range []string{"ServiceRequest", "Practitioner"} {
		if !ValidID(ids[typ]) {
			errs = append(errs, fmt.Errorf("%w: no server id of the %s from the transaction", ErrInvalid, typ))
		}
	}
	if o.SignedAt.IsZero() {
		errs = append(errs, fmt.Errorf("%w: the order has no signing time", ErrInvalid))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, "", fmt.Errorf("fhir: provenance:\n%w", err)
	}
	provider := strings.TrimSpace(sig.ForProvider)
	if provider == "" {
		provider = s.Provider.SigningName()
	}
	practitioner := Reference{Reference: "Practitioner/" + ids["Practitioner"], Display: provider}
	var agent ProvenanceAgent
	switch sig.SignerRole {
	case app.SignerProvider:
		agent = ProvenanceAgent{Type: agentType(AgentAuthor, "Author"), Who: practitioner}
		if id := ids["Organization"]; s.Clinic != nil && ValidID(id) {
			agent.OnBehalfOf = &Reference{Reference: "Organization/" + id, Display: s.Clinic.Normalized().Name}
		}
	case app.SignerStaff:
		agent = ProvenanceAgent{
			Type:       agentType(AgentEnterer, "Enterer"),
			Who:        Reference{Type: "Practitioner", Display: strings.TrimSpace(o.SignedBy)},
			OnBehalfOf: &practitioner,
		}
	default:
		return nil, "", fmt.Errorf("fhir: provenance: %w: signer role %q", ErrInvalid, sig.SignerRole)
	}
	signed := instant(o.SignedAt)
	p := &Provenance{
		ResourceType:     "Provenance",
		Target:           []Reference{{Reference: "ServiceRequest/" + ids["ServiceRequest"]}},
		OccurredDateTime: signed,
		Recorded:         signed,
		Agent:            []ProvenanceAgent{agent},
	}
	q := url.Values{
		"target":     {p.Target[0].Reference},
		"agent-type": {SystemProvenanceParticipant + "|" + agent.Type.Coding[0].Code},
	}
	return p, q.Encode(), nil
}

func agentType(code, display string) *CodeableConcept {
	return &CodeableConcept{Coding: []Coding{{System: SystemProvenanceParticipant, Code: code, Display: display}}}
}

// ValidateProvenance checks a Provenance from BuildProvenance before it is created.
func ValidateProvenance(p *Provenance) error {
	if p == nil {
		return fmt.Errorf("%w: no Provenance", ErrInvalid)
	}
	v := &validator{fullURLs: map[string]string{}}
	v.resource("Provenance", p)
	return errors.Join(v.errs...)
}
