package referral

import "github.com/referraldesk/referraldesk/app"

// ValidNPI reports whether npi is a National Provider Identifier (see app.ValidNPI, which the
// clinic's organisation NPI uses too).
func ValidNPI(npi string) bool { return app.ValidNPI(npi) }
