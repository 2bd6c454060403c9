// Package intl holds the facts ReferralDesk needs to take patients and providers from any country:
// the ISO 3166-1 country list with names, per-country address rules (state and postal code are
// required and checked for the US and Canada, free-form elsewhere), phone numbers parsed and stored
// in E.164, and the list of preferred languages (BCP 47) with each language's own name.
package intl
