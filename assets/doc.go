// Package assets embeds the data ReferralDesk needs at run time: the icon, the ICD-10-CM code
// list and the default institution profile. Each kind of asset has its own file in this package.
package assets
