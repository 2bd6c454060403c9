package catalog

import "github.com/referraldesk/referraldesk/app/msg"

// Codes of the packet step's reading of files and of scanned pages (OCR).
var (
	ReadingFilesTitle = msg.Define("ui.packet.reading_title")
	ReadingFiles      = msg.Define("ui.packet.reading", "done", "total")
	DateFromScan      = msg.Define("ui.packet.date_from_scan", "date", "percent")
	DateFrom          = msg.Define("ui.packet.date_from", "date", "source")
	ScannedPagesRead  = msg.Define("ui.packet.scanned_read", "n")
	PagesTurned       = msg.Define("ui.packet.pages_turned", "n")
)
