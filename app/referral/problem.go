package referral

import (
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// Steps of the order form, the values of Problem.Field, in form order.
const (
	FieldInstitution = "institution" // no institution profile loaded
	FieldPatient     = "patient"
	FieldProvider    = "provider"
	FieldDepartment  = "department"
	FieldPriority    = "priority"
	FieldReason      = "reason"
	FieldDiagnosis   = "diagnosis"
	FieldLocation    = "location"
	FieldAttachments = "attachments"
)

// Fields lists the form steps in the order the form shows them.
var Fields = []string{
	FieldInstitution, FieldPatient, FieldProvider, FieldDepartment, FieldPriority, FieldReason,
	FieldDiagnosis, FieldLocation, FieldAttachments,
}

// Problem is one thing to fix before an order can be signed.
type Problem struct {
	Field   string // the form step, one of the Field constants
	Message string // for the user: what is wrong and what to do
}

func (p Problem) String() string { return p.Field + ": " + p.Message }

// NotReadyError carries the problems that stop an order from being signed. It matches
// app.ErrNotReady with errors.Is.
type NotReadyError struct{ Problems []Problem }

func (e *NotReadyError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.String()
	}
	return fmt.Sprintf("referral: %s: %s", app.ErrNotReady, strings.Join(msgs, "; "))
}

// Is makes errors.Is(err, app.ErrNotReady) true.
func (e *NotReadyError) Is(target error) bool { return target == app.ErrNotReady }

// Err is nil when there are no problems, else a *NotReadyError holding them.
func Err(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	return &NotReadyError{Problems: problems}
}
