package catalog

import "github.com/referraldesk/referraldesk/app/msg"

// Codes of texts only the screens or the CLI say (the domain's own codes live in its packages).
var (
	OutboxUnreadable  = msg.Define("ui.status.outbox_unreadable", "error")
	OutboxNoneWaiting = msg.Define("ui.status.offline_none_waiting")
	OutboxWaiting     = msg.Define("ui.status.offline_waiting", "n")
	UploadRetryKeeps  = msg.Define("ui.images.retry_keeps")
	CannotStart       = msg.Define("ui.cannot_start", "error")
	StudyBlocked      = msg.Define("ui.images.blocked", "reasons")
	ServerRefused     = msg.Define("ui.order.server_refused", "reason")
	ScanFound         = msg.Define("ui.images.found", "images", "studies")
	ScanUnusable      = msg.Define("ui.images.unusable", "n")
	AndMore           = msg.Define("ui.and_more", "n")
	RegistryFound     = msg.Define("ui.registry.found", "n")
	RegistryFailed    = msg.Define("ui.registry.failed", "error")
	CountPages        = msg.Define("ui.packet.pages", "n")
	PagesToCheck      = msg.Define("ui.packet.pages_to_check", "n")
	PagesLeftOut      = msg.Define("ui.packet.pages_left_out", "n")
	AnswerYes         = msg.Define("ui.answer.yes")
	AnswerNo          = msg.Define("ui.answer.no")
	PriorityRoutine   = msg.Define("ui.priority.routine")
	PriorityUrgent    = msg.Define("ui.priority.urgent")
)

// Codes of an order's status and priority as lists show them (lower case, inside a line).
var (
	StatusDraft          = msg.Define("ui.status.draft")
	StatusReady          = msg.Define("ui.status.ready")
	StatusSigned         = msg.Define("ui.status.signed")
	StatusQueued         = msg.Define("ui.status.queued")
	StatusSent           = msg.Define("ui.status.sent")
	StatusReceived       = msg.Define("ui.status.received")
	StatusAccepted       = msg.Define("ui.status.accepted")
	StatusDeclined       = msg.Define("ui.status.declined")
	StatusScheduled      = msg.Define("ui.status.scheduled")
	StatusCompleted      = msg.Define("ui.status.completed")
	StatusCancelled      = msg.Define("ui.status.cancelled")
	StatusNeedsAttention = msg.Define("ui.status.needs_attention")
	PriorityRoutineLower = msg.Define("ui.priority.routine_lower")
	PriorityUrgentLower  = msg.Define("ui.priority.urgent_lower")
)

// Codes of the chart's sex choices (the stored values stay English codes).
var (
	SexFemale  = msg.Define("ui.sex.female")
	SexMale    = msg.Define("ui.sex.male")
	SexOther   = msg.Define("ui.sex.other")
	SexUnknown = msg.Define("ui.sex.unknown")
)
