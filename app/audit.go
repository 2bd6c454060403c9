package app

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Audit event kinds recorded through EventRecorder.RecordEvent (the store writes its own kinds,
// such as "order.sign" and "patient.create", inside the transaction of each change).
const (
	EventChartViewed    = "chart.view"
	EventResultOpened   = "result.open"
	EventPacketBuilt    = "packet.build"
	EventAccountAdded   = "account.add"
	EventAccountRemoved = "account.remove"
	EventDemoData       = "demo.fill"
	EventExport         = "export"
	EventRetention      = "retention.remove" // files of finished orders removed; the order and its audit stay
	EventTempCleanup    = "retention.temp"   // stale temporary files removed
)

// EventRecorder writes one audit event with the store's clock and user. detail holds ids, counts
// and statuses only, never patient data. orderID 0 and patientID 0 mean "none"; the store fills in
// the patient of an order.
type EventRecorder interface {
	RecordEvent(ctx context.Context, kind string, patientID, orderID int64, detail string) error
}

// AuditQuery filters the audit trail. Zero fields do not filter.
type AuditQuery struct {
	Since     time.Time // entries at or after
	PatientID int64
	Actor     string
	Limit     int // at most this many, newest kept (<= 0: all)
}

// AuditReader lists and checks the audit trail.
type AuditReader interface {
	// AuditEvents lists matching entries, oldest first.
	AuditEvents(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	// VerifyAudit recomputes the hash chain; a break is a *ChainError (errors.Is ErrAuditBroken).
	VerifyAudit(ctx context.Context) (rows int, err error)
}

// ErrAuditBroken means the audit trail's hash chain does not hold: a row was changed, removed or
// inserted outside the app.
var ErrAuditBroken = errors.New("audit trail broken")

// ChainError names the first row at which the audit chain breaks.
type ChainError struct {
	ID     int64  // the row's id
	Reason string // e.g. "its content was changed after it was written"
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("%v at row %d: %s", ErrAuditBroken, e.ID, e.Reason)
}

func (e *ChainError) Unwrap() error { return ErrAuditBroken }
