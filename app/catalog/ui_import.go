package catalog

import "github.com/referraldesk/referraldesk/app/msg"

// Codes of the import from a clinic's EHR: the clinic's MRN on the chart form, and keeping an
// imported order's suggestions across restarts.
var (
	ClinicMRNLabel       = msg.Define("ui.chart.clinic_mrn")
	ClinicMRNPlaceholder = msg.Define("ui.chart.clinic_mrn_placeholder")
	ClinicMRNHint        = msg.Define("ui.chart.clinic_mrn_hint")
	ClinicMRNImported    = msg.Define("ui.chart.clinic_mrn_imported", "system")
	ImportKeepFailed     = msg.Define("ui.import.keep_failed")
	ImportRestoreFailed  = msg.Define("ui.import.restore_failed")
)
