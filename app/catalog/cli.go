package catalog

import "github.com/referraldesk/referraldesk/app/msg"

// Codes of the command line's reports and errors (the help is in app/cli/help). Machine-readable
// output (--json, --csv, tab-separated lists) is not translated.
var (
	CLIUnknownCommand = msg.Define("cli.unknown_command", "command")
	CLIUnexpectedArg  = msg.Define("cli.unexpected_argument", "argument")
	CLIDOBNotDate     = msg.Define("cli.dob_not_date")

	CLIOrderUsage            = msg.Define("cli.order.usage")
	CLIOrderUnknown          = msg.Define("cli.order.unknown_command", "command")
	CLIOrderStarted          = msg.Define("cli.order.started", "order", "patient")
	CLIOrderChartIncomplete  = msg.Define("cli.order.chart_incomplete")
	CLIOrderSimilarChart     = msg.Define("cli.order.similar_chart")
	CLIOrderExistingChart    = msg.Define("cli.order.existing_chart", "id")
	CLIOrderNotAttached      = msg.Define("cli.order.not_attached", "reason")
	CLIOrderFilesNotAttached = msg.Define("cli.order.files_not_attached", "n")
	CLIOrderCannotUse        = msg.Define("cli.order.cannot_use", "file", "reason")
	CLIOrderPacketAttached   = msg.Define("cli.order.packet_attached", "path", "n", "order")
	CLIOrderNotReady         = msg.Define("cli.order.not_ready", "order")
	CLIOrderSigned           = msg.Define("cli.order.signed", "order")

	CLIPacketStatusOK       = msg.Define("cli.packet.status_ok")
	CLIPacketStatusRepaired = msg.Define("cli.packet.status_repaired")
	CLIPacketStatusError    = msg.Define("cli.packet.status_error")
	CLIPacketInput          = msg.Define("cli.packet.input", "file", "used", "n")
	CLIPacketDated          = msg.Define("cli.packet.dated", "date", "source")
	CLIPacketSure           = msg.Define("cli.packet.sure", "percent")
	CLIPacketCheckDate      = msg.Define("cli.packet.check_date")
	CLIParenClose           = msg.Define("cli.paren_close")
	CLIPacketLeftOut        = msg.Define("cli.packet.left_out", "n")
	CLIPacketWritten        = msg.Define("cli.packet.written", "path", "n")
	CLIPacketNoneUsable     = msg.Define("cli.packet.none_usable")
	CLIPacketNeedsOut       = msg.Define("cli.packet.needs_out")

	CLISyncSummary     = msg.Define("cli.sync.summary", "sent", "failed", "attention", "size", "changes", "appointments", "messages", "results")
	CLISyncNotAllSent  = msg.Define("cli.sync.not_all_sent", "failed", "attention")
	CLISyncOnlyOnce    = msg.Define("cli.sync.only_once")
	CLISettingsUsage   = msg.Define("cli.settings.usage", "names")
	CLISettingsAllowed = msg.Define("cli.settings.allowed", "allowed")
	CLISettingsDefault = msg.Define("cli.settings.default", "value", "note")
	CLISettingsRefused = msg.Define("cli.settings.refused", "problem", "note")

	CLIUsersUsage     = msg.Define("cli.users.usage")
	CLIUsersAddNeeds  = msg.Define("cli.users.add_needs")
	CLIUsersNone      = msg.Define("cli.users.none")
	CLIUsersAdded     = msg.Define("cli.users.added", "id")
	CLIUsersSaved     = msg.Define("cli.users.saved", "id")
	CLIUsersPINReset  = msg.Define("cli.users.pin_reset", "id")
	CLIUsersPINStdin  = msg.Define("cli.users.pin_stdin")
	CLIUsersResetUse  = msg.Define("cli.users.reset_usage")
	CLIUsersEditUsage = msg.Define("cli.users.edit_usage")
)
