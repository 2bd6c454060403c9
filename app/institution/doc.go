// Package institution describes the institution that receives referrals: its departments, its
// campuses and regions with their phones, faxes, e-mail and time zones, the insurance types it
// names, useful contacts, and the rules an order must follow (pediatric locations, packet and
// upload limits, appointment hours, fax turnaround, how long a patient stays on "my patients").
//
// The data comes from a JSON profile. The default one is embedded in package assets; a user may
// load another with LoadFile. Nothing in this package is specific to one institution.
package institution
