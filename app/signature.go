package app

import (
	"fmt"
	"strings"
)

// SignerRole says who put their name to an order.
type SignerRole string

const (
	// SignerUnknown: signed before the signer was recorded (only the computer login is known).
	SignerUnknown SignerRole = ""
	// SignerProvider: the authorizing provider signed the order themself.
	SignerProvider SignerRole = "provider"
	// SignerStaff: a staff member entered and submitted the order on the provider's behalf, as the
	// institution's portal allows.
	SignerStaff SignerRole = "staff"
)

// Valid reports whether r is a role an order can be signed with (SignerUnknown is not).
func (r SignerRole) Valid() bool { return r == SignerProvider || r == SignerStaff }

// Signature is who signed an order and for whom. Order.SignedBy is SignerName.
type Signature struct {
	SignerName string     // the person who signed, e.g. "Ana Ruiz" or "Dr Jane Smith"
	SignerRole SignerRole // the provider themself, or a staff member
	// ForProviderID is the authorizing provider the order is signed for (the order's provider).
	ForProviderID int64
	// ForProvider is that provider's name as it was at signing ("Dr Jane Smith"); the store fills it.
	ForProvider string
	// OSUser is the computer login at signing: kept for the audit trail, never shown as the signer.
	OSUser string
}

// Check lists what stops the signature from being recorded (nil when nothing).
func (s Signature) Check() error {
	var missing []string
	if !s.SignerRole.Valid() {
		missing = append(missing, fmt.Sprintf("signer role %q is neither %q nor %q", s.SignerRole, SignerProvider, SignerStaff))
	}
	if strings.TrimSpace(s.SignerName) == "" && s.SignerRole != SignerProvider {
		missing = append(missing, "no signer name")
	}
	if len(missing) > 0 {
		return fmt.Errorf("signature: %s", strings.Join(missing, "; "))
	}
	return nil
}

// SignatureText says who signed, for the order's status line, the fax form and the audit view:
// "signed by Dr Jane Smith" when the provider signed, "entered by Ana Ruiz for Dr Jane Smith" when a
// staff member did. The computer login is never given as the signer.
func SignatureText(s Signature) string {
	name, provider := strings.TrimSpace(s.SignerName), strings.TrimSpace(s.ForProvider)
	switch s.SignerRole {
	case SignerProvider:
		if name == "" {
			name = provider
		}
		return "signed by " + name
	case SignerStaff:
		if provider == "" {
			return "entered by " + name
		}
		return "entered by " + name + " for " + provider
	}
	return "signed (signer not recorded)"
}

// doctorCredentials are the credentials written "Dr" before the name.
var doctorCredentials = map[string]bool{"MD": true, "DO": true, "DPM": true, "DDS": true, "DMD": true, "OD": true}

// SigningName is how a provider is named in a signature: "Dr Jane Smith" for a physician (MD, DO,
// …), else "Jane Smith, NP", or "Jane Smith" without credentials.
func (p Provider) SigningName() string {
	name := strings.TrimSpace(strings.TrimSpace(p.Given) + " " + strings.TrimSpace(p.Family))
	cred := strings.TrimSpace(p.Credentials)
	switch {
	case doctorCredentials[strings.ToUpper(strings.ReplaceAll(cred, ".", ""))]:
		return "Dr " + name
	case cred != "":
		return name + ", " + cred
	}
	return name
}
