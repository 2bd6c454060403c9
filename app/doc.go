// Package app holds ReferralDesk's domain: the types every other package speaks
// (patients, providers, referral orders, attachments, the outbox) and the small
// interfaces the services and screens depend on. It imports neither Fyne nor SQL;
// the sub-packages below it each do one job (icd10, institution, referral, ...).
package app
