package screens

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
)

// ActivitySource is what the Activity view needs: the audit trail (local.Store implements it).
type ActivitySource interface {
	app.AuditReader
	// AuditActors lists the users that appear in the trail.
	AuditActors(ctx context.Context) ([]string, error)
}

// activityLimit bounds one load; filter by patient or user to look further back.
const activityLimit = 1000

func allUsers() string { return catalog.T(catalog.UIActivityAllUsers) }

// activityView is the audit trail for a compliance officer: newest first, filtered by patient id
// and by user, with a check of the hash chain. Rows show ids, never names, like the trail itself.
type activityView struct {
	src ActivitySource
	bg  *background

	patient *widget.Entry
	user    *widget.Select
	status  *widget.Label
	chain   *widget.Label
	list    *widget.List
	content fyne.CanvasObject

	entries []app.AuditEntry // newest first
}

// NewActivity builds the Activity view; it loads the trail in the background at once.
func NewActivity(src ActivitySource) fyne.CanvasObject {
	return newActivity(src, &background{}).content
}

func newActivity(src ActivitySource, bg *background) *activityView {
	v := &activityView{src: src, bg: bg}
	v.patient = widget.NewEntry()
	v.patient.SetPlaceHolder(catalog.T(catalog.UIActivityPatientIdAllPatients))
	v.patient.Validator = func(s string) error {
		if _, ok := parsePatientID(s); !ok {
			return errors.New("a patient id is a number")
		}
		return nil
	}
	v.patient.OnSubmitted = func(string) { v.load() }
	v.status = widget.NewLabel(catalog.T(catalog.UIActivityLoading))
	v.user = widget.NewSelect([]string{allUsers()}, nil)
	v.user.SetSelectedIndex(0)
	v.user.OnChanged = func(string) { v.load() } // set after the first selection: nothing to load twice
	v.chain = widget.NewLabel("")
	v.chain.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.entries) }, twoLineRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		top, bottom := activityLines(v.entries[i])
		setTwoLines(o, top, bottom)
	})
	filters := container.NewBorder(nil, nil, widget.NewLabel(catalog.T(catalog.UIActivityFilter)),
		container.NewHBox(widget.NewButton(catalog.T(catalog.UIActivityApply), v.load), widget.NewButton(catalog.T(catalog.UIActivityCheckIntegrity), v.verify)),
		container.NewGridWithColumns(2, v.patient, v.user))
	v.content = container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle(catalog.T(catalog.UIActivityActivity), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			filters, v.status, v.chain),
		nil, nil, nil, v.list)
	v.load()
	v.loadUsers()
	return v
}

func parsePatientID(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// query is the filter as set in the widgets; ok is false when the patient id is not a number.
func (v *activityView) query() (app.AuditQuery, bool) {
	id, ok := parsePatientID(v.patient.Text)
	q := app.AuditQuery{PatientID: id, Limit: activityLimit}
	if u := v.user.Selected; u != "" && u != allUsers() {
		q.Actor = u
	}
	return q, ok
}

func (v *activityView) load() {
	q, ok := v.query()
	if !ok {
		v.status.SetText(catalog.T(catalog.UIActivityTypePatientIdNumber))
		return
	}
	run(v.bg, func(ctx context.Context) ([]app.AuditEntry, error) {
		return v.src.AuditEvents(ctx, q)
	}, func(es []app.AuditEntry, err error) {
		if err != nil {
			v.status.SetText(catalog.T(catalog.UIActivityActivityCouldNotRead, err.Error()))
			return
		}
		// Newest first on screen.
		v.entries = make([]app.AuditEntry, len(es))
		for i, e := range es {
			v.entries[len(es)-1-i] = e
		}
		switch {
		case len(es) == 0:
			v.status.SetText(catalog.T(catalog.UIActivityNoActivityMatches))
		case len(es) == activityLimit:
			v.status.SetText(catalog.T(catalog.UIActivityNewestActivityLimitEntries, activityLimit))
		default:
			v.status.SetText(catalog.T(catalog.UIActivityNEntries, len(es)))
		}
		v.list.Refresh()
	})
}

func (v *activityView) loadUsers() {
	run(v.bg, func(ctx context.Context) ([]string, error) {
		return v.src.AuditActors(ctx)
	}, func(users []string, err error) {
		if err != nil {
			return // the filter keeps "All users"
		}
		v.user.SetOptions(append([]string{allUsers()}, users...))
	})
}

func (v *activityView) verify() {
	v.chain.SetText(catalog.T(catalog.UIActivityChecking))
	type result struct {
		n   int
		err error
	}
	run(v.bg, func(ctx context.Context) (result, error) {
		n, err := v.src.VerifyAudit(ctx)
		return result{n, err}, nil
	}, func(r result, _ error) {
		var ce *app.ChainError
		switch {
		case errors.As(r.err, &ce):
			v.chain.SetText(catalog.T(catalog.UIActivityTrailWasChangedOutside, ce.ID, ce.Reason, r.n))
		case r.err != nil:
			v.chain.SetText(catalog.T(catalog.UIActivityCheckCouldNotRun, r.err.Error()))
		default:
			v.chain.SetText(catalog.T(catalog.UIActivityIntegrityCheckedAllN, r.n))
		}
	})
}

// activityLabels names the actions for people; unknown ones show as recorded.
var activityLabels = map[string]msg.Code{
	"patient.create": catalog.UIActivityLabelChartCreated, "patient.update": catalog.UIActivityLabelChartChanged, "patient.bulk_insert": catalog.UIActivityLabelChartsImported,
	app.EventChartViewed: catalog.UIActivityLabelChartViewed, "provider.save": catalog.UIActivityLabelProviderSaved, "order.save": catalog.UIActivityLabelOrderSaved,
	"order.status": catalog.UIActivityLabelOrderStatus, "order.sign": catalog.UIActivityLabelOrderSigned, "order.send": catalog.UIActivityLabelOrderSent,
	"order.delete": catalog.UIActivityLabelDraftDeleted, "outbox.dead": catalog.UIActivityLabelSendingGivenUp, "images.plan": catalog.UIActivityLabelImagesChosen,
	"images.uploaded": catalog.UIActivityLabelImagesUploaded, "study.mismatch_confirmed": catalog.UIActivityLabelImagePatientMismatchConfirmed,
	app.EventPacketBuilt: catalog.UIActivityLabelRecordsPacketBuilt, app.EventResultOpened: catalog.UIActivityLabelResultOpened,
	app.EventAccountAdded: catalog.UIActivityLabelAccountAdded, app.EventAccountRemoved: catalog.UIActivityLabelAccountRemoved,
	app.EventDemoData: catalog.UIActivityLabelDemoDataAdded, app.EventExport: catalog.UIActivityLabelExported,
	app.EventRetention: catalog.UIActivityLabelOldFilesRemoved, app.EventTempCleanup: catalog.UIActivityLabelTemporaryFilesRemoved,
}

// activityLines: "2026-03-10 09:30 · tester · Order signed" over "order 12 · patient 4 · outbox=1".
func activityLines(e app.AuditEntry) (top, bottom string) {
	label := e.Action
	if c, ok := activityLabels[e.Action]; ok {
		label = catalog.T(c)
	}
	top = e.At.Local().Format("2006-01-02 15:04") + " · " + e.Actor + " · " + label
	var parts []string
	if e.EntityID != 0 && (e.Entity != "patient" || e.EntityID != e.PatientID) {
		parts = append(parts, e.Entity+" "+strconv.FormatInt(e.EntityID, 10))
	}
	if e.PatientID != 0 {
		parts = append(parts, catalog.T(catalog.UIActivityPatientFormatInt, strconv.FormatInt(e.PatientID, 10)))
	}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	return top, strings.Join(parts, " · ")
}
