package smart

import (
	"slices"
	"strings"
)

// need is one SMART v2 resource scope ReferralDesk uses and the feature that needs it.
type need struct {
	typ, perms, feature string
}

// needs is every resource access the outbox, the status pull and the registry search make (checked
// against the FHIR test peer, which enforces scopes): nothing more is asked for.
var needs = []need{
	{"Patient", "crus", "sending orders and searching the institution's patients"},
	{"Practitioner", "crus", "sending orders"},
	{"PractitionerRole", "crus", "sending orders"},
	{"Organization", "crus", "naming the referring clinic on orders"},
	{"Provenance", "crs", "recording who signed each order"},
	{"Coverage", "crus", "sending orders"},
	{"ServiceRequest", "crus", "sending orders"},
	{"Task", "crus", "sending orders and following their status"},
	{"QuestionnaireResponse", "crus", "sending orders"},
	{"DocumentReference", "crus", "sending records and receiving results"},
	{"Binary", "cru", "sending records and opening results"},
	{"ImagingStudy", "crus", "sending images"},
	{"Appointment", "rs", "seeing appointments"},
	{"Communication", "rs", "seeing messages from the institution"},
	{"DiagnosticReport", "rs", "seeing results"},
}

// UserScopes are the scopes a person's sign-in asks for: the resource scopes (user/...), the identity
// (openid fhirUser) and a refresh token (offline_access), so the outbox keeps working overnight.
func UserScopes() []string {
	return append(resourceScopes("user"), "openid", "fhirUser", "offline_access")
}

// BackendScopes are the scopes the clinic's system asks for (system/...).
func BackendScopes() []string { return resourceScopes("system") }

func resourceScopes(ctx string) []string {
	out := make([]string, 0, len(needs))
	for _, n := range needs {
		out = append(out, ctx+"/"+n.typ+"."+n.perms)
	}
	return out
}

// MissingFeatures compares the granted resource scopes (the token response's "scope") with what was
// asked for and names, once each, the features that will not work. An empty granted string means the server
// granted what was asked (RFC 6749 §5.1).
func MissingFeatures(requested []string, granted string) []string {
	if strings.TrimSpace(granted) == "" {
		return nil
	}
	have := strings.Fields(granted)
	var out []string
	add := func(f string) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, r := range requested {
		if r == "openid" || r == "fhirUser" || r == "offline_access" {
			// Servers often leave these out of "scope" (which then lists the resource's scopes): the
			// sign-in judges them by the identity and refresh tokens it got.
			continue
		}
		ctx, rest, ok := strings.Cut(r, "/")
		if !ok {
			continue
		}
		typ, perms, _ := strings.Cut(rest, ".")
		if !covered(have, ctx, typ, perms) {
			for _, n := range needs {
				if n.typ == typ {
					add(n.feature)
				}
			}
		}
	}
	return out
}

// covered reports whether the granted scopes allow every permission letter of ctx/typ.perms, taking
// wildcards (user/*.cruds) and SMART v1 forms (user/Patient.read, .write, .*) into account.
func covered(have []string, ctx, typ, perms string) bool {
	got := map[rune]bool{}
	for _, h := range have {
		hc, rest, ok := strings.Cut(h, "/")
		if !ok || hc != ctx {
			continue
		}
		ht, hp, _ := strings.Cut(rest, ".")
		if ht != typ && ht != "*" {
			continue
		}
		switch hp {
		case "*":
			hp = "cruds"
		case "read":
			hp = "rs"
		case "write":
			hp = "cud"
		}
		for _, c := range hp {
			got[c] = true
		}
	}
	for _, c := range perms {
		if !got[c] {
			return false
		}
	}
	return true
}
