package screens

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/workflow"
)

type step int

// The steps follow the portal flow of the institution's referral guide.
const (
	stepPatient step = iota
	stepProvider
	stepDepartment
	stepReason
	stepDiagnosis
	stepQuestions
	stepAttachments
	stepComment
	stepReview
	stepCount
)

var stepTitles = [stepCount]msg.Code{
	catalog.UIOrderStepPatient, catalog.UIOrderStepAuthorizingProvider, catalog.UIOrderStepDepartmentPriority, catalog.UIOrderStepReasonForReferral, catalog.UIOrderStepDiagnosis, catalog.UIOrderStepQuestionPanel, catalog.UIOrderStepAttachments, catalog.UIOrderStepSchedulingComment, catalog.UIOrderStepReviewSign,
}

// stepTitle names a step in the user's language.
func stepTitle(s step) string { return catalog.T(stepTitles[s]) }

// orderEditor walks the user through one referral order. Every change goes to the store as a draft.
type orderEditor struct {
	u       *UI
	order   app.Order
	patient app.Patient // zero until chosen
	saver   *draftSaver
	step    step

	content  *fyne.Container
	steps    *widget.List
	title    *widget.Label
	area     *fyne.Container
	back     *widget.Button
	next     *widget.Button
	discard  *widget.Button
	readOnly bool

	// widgets of the current step that tests and shortcuts reach
	patientStep *patientStep
	providerSel *widget.Select
	deptRadio   *choiceList
	prioRadio   *widget.RadioGroup
	reasonEntry *widget.Entry
	diag        *diagnosisStep
	quest       *questionStep
	attach      *attachmentStep
	comment     *widget.Entry
	review      *reviewStep
	packet      *packetStep // the packet builder while it is shown
	imported    *Imported   // the EHR export this order was started from, if any
}

func newOrderEditor(u *UI, o app.Order) *orderEditor {
	e := &orderEditor{u: u, order: o, readOnly: !o.Status.Editable()}
	e.saver = newDraftSaver(u.deps.Orders, &u.bg, func(err error) { showError(u.win, catalog.T(catalog.UIOrderDraftCouldNotSaved), err) })
	e.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.area = container.NewStack()
	e.steps = widget.NewList(func() int { return int(stepCount) },
		func() fyne.CanvasObject {
			return widget.NewLabel(catalog.T(catalog.UIOrderAuthorizingProviderTemplate))
		},
		func(i widget.ListItemID, obj fyne.CanvasObject) {
			prefix := fmt.Sprintf("%d. ", i+1)
			obj.(*widget.Label).SetText(prefix + stepTitle(step(i)))
		})
	e.steps.OnSelected = func(i widget.ListItemID) { e.goTo(step(i)) }
	e.back = widget.NewButtonWithIcon(catalog.T(catalog.UIOrderBack), theme.NavigateBackIcon(), func() { e.goTo(e.step - 1) })
	e.next = widget.NewButtonWithIcon(catalog.T(catalog.UIOrderAcceptContinue), theme.NavigateNextIcon(), func() { e.goTo(e.step + 1) })
	e.next.Importance = widget.HighImportance
	closeBtn := widget.NewButtonWithIcon(catalog.T(catalog.UIOrderClose), theme.HomeIcon(), u.ShowHome)
	e.discard = widget.NewButtonWithIcon(catalog.T(catalog.UIOrderDiscardDraft), theme.DeleteIcon(), e.confirmDiscard)
	bottom := container.NewBorder(widget.NewSeparator(), nil, container.NewHBox(closeBtn, e.discard), container.NewHBox(e.back, e.next))
	head := container.NewVBox(e.title, widget.NewSeparator())
	left := container.NewBorder(widget.NewLabelWithStyle(e.heading(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, e.steps)
	split := container.NewHSplit(left, container.NewBorder(head, bottom, nil, nil, container.NewPadded(e.area)))
	split.Offset = 0.22
	e.content = container.NewStack(split)

	first := stepPatient
	if e.order.PatientID != 0 {
		first = stepProvider
		if s := step(e.order.LastStep); s > stepProvider && s < stepCount {
			first = s // Resume opens where the user left off
		}
		e.loadPatient()
	}
	if e.readOnly {
		first = stepReview
	}
	e.goTo(first)
	return e
}

func (e *orderEditor) heading() string {
	if e.readOnly {
		return catalog.T(catalog.UIOrderReferralOrderStatus, statusText(e.order.Status))
	}
	return catalog.T(catalog.UIOrderPlaceOrder)
}

func (e *orderEditor) loadPatient() {
	id := e.order.PatientID
	run(&e.u.bg, func(ctx context.Context) (app.Patient, error) {
		return e.u.deps.Patients.Patient(ctx, id)
	}, func(p app.Patient, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIOrderCouldNotLoadPatient), err)
			return
		}
		e.patient = p
		e.u.record(app.EventChartViewed, p.ID, e.order.ID, "")
		e.refreshTitle()
		if e.step == stepReview || e.step == stepPatient {
			e.goTo(e.step)
		}
	})
}

func (e *orderEditor) refreshTitle() {
	t := stepTitle(e.step)
	if e.patient.ID != 0 {
		t += catalog.T(catalog.UIOrderDisplayNameDobBirth, e.patient.DisplayName(), app.FormatDate(e.patient.BirthDate))
	}
	e.title.SetText(t)
}

// goTo shows step s. Without a patient only the patient step can be shown.
func (e *orderEditor) goTo(s step) {
	if s < 0 || s >= stepCount {
		return
	}
	if e.order.ID == 0 && s != stepPatient {
		s = stepPatient
	}
	if e.readOnly && s != stepReview {
		s = stepReview
	}
	e.step = s
	if int(s) != e.order.LastStep && s > stepPatient && !e.readOnly && e.order.ID != 0 {
		e.order.LastStep = int(s)
		e.changed()
	}
	e.packet = nil
	e.refreshTitle()
	e.area.Objects = []fyne.CanvasObject{e.build(s)}
	e.area.Refresh()
	e.back.Disable()
	if s > stepPatient && !e.readOnly {
		e.back.Enable()
	}
	e.next.Show()
	e.next.Disable()
	if s < stepReview && e.order.ID != 0 {
		e.next.Enable()
	}
	if s == stepReview {
		e.next.Hide()
	}
	if e.readOnly || e.order.ID == 0 || e.order.Status == app.StatusNeedsAttention {
		e.discard.Hide() // an order the institution has seen is fixed and signed again, not deleted
	} else {
		e.discard.Show()
	}
	e.steps.OnSelected = nil
	e.steps.Select(int(s))
	e.steps.OnSelected = func(i widget.ListItemID) { e.goTo(step(i)) }
	e.focusStep()
}

func (e *orderEditor) build(s step) fyne.CanvasObject {
	switch s {
	case stepPatient:
		e.patientStep = newPatientStep(e)
		return e.patientStep.content
	case stepProvider:
		return e.buildProvider()
	case stepDepartment:
		return e.buildDepartment()
	case stepReason:
		return e.buildReason()
	case stepDiagnosis:
		e.diag = newDiagnosisStep(e)
		return e.diag.content
	case stepQuestions:
		e.quest = newQuestionStep(e)
		return e.quest.content
	case stepAttachments:
		e.attach = newAttachmentStep(e)
		return e.attach.content
	case stepComment:
		return e.buildComment()
	default:
		e.review = newReviewStep(e)
		return e.review.content
	}
}

func (e *orderEditor) focusStep() {
	c := e.u.win.Canvas()
	switch e.step {
	case stepPatient:
		if e.patientStep != nil && e.patientStep.search != nil {
			c.Focus(e.patientStep.search)
		}
	case stepReason:
		c.Focus(e.reasonEntry)
	case stepDiagnosis:
		c.Focus(e.diag.search)
	case stepComment:
		c.Focus(e.comment)
	}
}

func (e *orderEditor) focusSearch() {
	if e.step == stepPatient && e.patientStep != nil && e.patientStep.search != nil {
		e.u.win.Canvas().Focus(e.patientStep.search)
	}
}

// changed records an edit: the draft is saved in the background right away.
func (e *orderEditor) changed() {
	if e.readOnly || e.order.ID == 0 {
		return
	}
	e.saver.save(e.order)
}

// setPatient starts the draft for p and goes on to the provider. Choosing a different patient for a
// draft never moves the draft: its reason, diagnoses, insurance and records belong to the first patient
// (records would be stamped with the wrong name). A new order starts clean for p instead.
func (e *orderEditor) setPatient(p app.Patient) {
	if e.order.ID != 0 && e.order.PatientID == p.ID {
		e.goTo(stepProvider)
		return
	}
	if e.order.ID != 0 {
		e.switchPatient(p)
		return
	}
	e.patient = p
	e.order.PatientID = p.ID
	e.u.record(app.EventChartViewed, p.ID, 0, "")
	o, work := e.order, e.u.deps.work()
	run(&e.u.bg, func(ctx context.Context) (app.Order, error) {
		return work.StartOrder(ctx, o, p)
	}, func(saved app.Order, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIOrderCouldNotStartOrder), err)
			return
		}
		e.order.ID, e.order.UUID, e.order.CreatedAt = saved.ID, saved.UUID, saved.CreatedAt
		e.keepImportedFiles()
		e.goTo(stepProvider)
	})
}

func (e *orderEditor) confirmDiscard() {
	showConfirm(e.u.win, catalog.T(catalog.UIOrderDiscardDraft2),
		catalog.T(catalog.UIOrderDraftOrderDisplayName, e.patient.DisplayName()),
		func(ok bool) {
			if !ok {
				return
			}
			e.saver.flush()
			id := e.order.ID
			run(&e.u.bg, func(ctx context.Context) (struct{}, error) {
				return struct{}{}, e.u.deps.Orders.DeleteDraft(ctx, id)
			}, func(_ struct{}, err error) {
				if err != nil {
					showError(e.u.win, catalog.T(catalog.UIOrderCouldNotDiscardDraft), err)
					return
				}
				e.u.editor = nil
				e.u.ShowHome()
			})
		})
}

// switchPatient starts a clean order for p. The current draft is kept under Requests when it holds
// anything, and removed when it holds nothing but its patient (no stray drafts).
func (e *orderEditor) switchPatient(p app.Patient) {
	old, oldPatient := e.order, e.patient
	start := func(keepOld bool) {
		e.saver.flush()
		run(&e.u.bg, func(ctx context.Context) (struct{}, error) {
			if keepOld {
				return struct{}{}, nil
			}
			return struct{}{}, e.u.deps.Orders.DeleteDraft(ctx, old.ID)
		}, func(_ struct{}, err error) {
			if err != nil {
				showError(e.u.win, catalog.T(catalog.UIOrderCouldNotRemoveEmpty), err)
				return
			}
			// Only the authorizing provider carries over: it is the clinic's choice, not the patient's.
			fresh := workflow.NewOrder(e.u.currentID(), old.ProviderID, e.u.deps.DefaultLocation)
			ed := newOrderEditor(e.u, fresh)
			e.u.editor = ed
			e.u.setBody(ed.content)
			ed.setPatient(p)
		})
	}
	run(&e.u.bg, func(ctx context.Context) (int, error) {
		ins, err := e.u.deps.Packets.PacketInputs(ctx, old.ID)
		return len(ins), err
	}, func(records int, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIOrderCouldNotReadDraft), err)
			return
		}
		if records == 0 && !draftHasContent(old, e.u.deps.DefaultLocation) {
			start(false)
			return
		}
		e.confirmSwitch(p, oldPatient, start)
	})
}

func (e *orderEditor) confirmSwitch(p, oldPatient app.Patient, start func(keepOld bool)) {
	showConfirm(e.u.win, catalog.T(catalog.UIOrderStartOrderDisplayName, p.DisplayName()),
		catalog.T(catalog.UIOrderOrderBelongsDisplayName, oldPatient.DisplayName(), p.DisplayName(), oldPatient.DisplayName(), oldPatient.DisplayName()),
		func(ok bool) {
			if ok {
				start(true)
			}
		})
}

// draftHasContent tells whether the user entered anything on the order besides its patient and
// provider (and the default location it started with).
func draftHasContent(o app.Order, defaultLocation string) bool {
	return o.Department != "" || strings.TrimSpace(o.Reason) != "" || len(o.Diagnoses) > 0 || o.Location != defaultLocation ||
		o.UploadImages != "" || o.UploadRecords != "" || o.Insurance != (app.Insurance{}) || len(o.Attachments) > 0 ||
		strings.TrimSpace(o.SchedulingComment) != ""
}
