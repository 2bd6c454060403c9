package catalog

import "github.com/referraldesk/referraldesk/app/msg"

// Codes of texts only the screens or the CLI say (the domain's own codes live in its packages).
var (
	OutboxUnreadable  = msg.Define("ui.status.outbox_unreadable", "error")
	OutboxNoneWaiting = msg.Define("ui.status.offline_none_waiting")
	OutboxWaiting     = msg.Define("ui.status.offline_waiting", "n")
)

// Counted nouns ("1 image", "3 images"): the one plural helper for counts, T(CountImages, n).
var (
	CountImages   = msg.Define("count.images", "n")
	CountStudies  = msg.Define("count.studies", "n")
	CountSeries   = msg.Define("count.series", "n")
	CountPatients = msg.Define("count.patients", "n")
	CountFiles    = msg.Define("count.files", "n")
	CountCopies   = msg.Define("count.copies", "n")
)
