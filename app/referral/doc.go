// Package referral checks referral orders: the National Provider Identifier, the patient's chart
// and the readiness check run before Sign, which lists everything still missing or wrong as
// Problems whose messages tell the user what to do.
package referral
