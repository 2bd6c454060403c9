package screens

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

const patientListLimit = 200

// patientStep finds the patient: my patients, a search of the local cache, the registry (online) or a new chart.
type patientStep struct {
	e        *orderEditor
	content  *fyne.Container
	search   *widget.Entry
	heading  *widget.Label
	list     *widget.List
	results  []app.Patient
	seq      int // the newest search; older answers are ignored
	chart    *chartForm
	registry *registrySearch
}

func newPatientStep(e *orderEditor) *patientStep {
	ps := &patientStep{e: e}
	ps.search = widget.NewEntry()
	ps.search.SetPlaceHolder(catalog.T(catalog.UIPatientsLastFirstDateBirth))
	ps.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	ps.search.OnChanged = func(string) { ps.refresh() }
	ps.search.OnSubmitted = func(string) {
		if len(ps.results) == 1 {
			ps.choose(ps.results[0])
		}
	}
	ps.heading = widget.NewLabelWithStyle(catalog.T(catalog.UIPatientsMyPatients), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ps.list = widget.NewList(func() int { return len(ps.results) },
		func() fyne.CanvasObject {
			return widget.NewLabel(catalog.T(catalog.UIPatientsDoeJaneMary1970))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(patientLine(ps.results[i])) })
	ps.list.OnSelected = func(i widget.ListItemID) {
		if i < len(ps.results) {
			ps.choose(ps.results[i])
		}
	}
	all := widget.NewButtonWithIcon(catalog.T(catalog.UIPatientsSearchAllPatients), theme.SearchIcon(), ps.searchRegistry)
	create := widget.NewButtonWithIcon(catalog.T(catalog.UIPatientsCreateNewChart), theme.ContentAddIcon(), func() {
		showChartForm(e.u, ps.prefill(), func(p app.Patient) { ps.choose(p) }, func() { e.goTo(stepPatient) })
	})
	buttons := container.NewHBox(all, create)
	if e.u.deps.Imports != nil {
		buttons.Add(widget.NewButtonWithIcon(catalog.T(catalog.UIPatientsImportFromEhr), theme.DownloadIcon(), e.u.browseImport))
	}
	top := container.NewVBox(ps.search, buttons, ps.heading)
	if e.patient.ID != 0 {
		top.Objects = append([]fyne.CanvasObject{widget.NewLabel(catalog.T(catalog.UIPatientsChosenPatientPickAnother, patientLine(e.patient)))}, top.Objects...)
	}
	ps.content = container.NewBorder(top, nil, nil, nil, ps.list)
	ps.refresh()
	return ps
}

func patientLine(p app.Patient) string {
	parts := []string{strings.ToUpper(p.Family) + ", " + p.Given, app.FormatDate(p.BirthDate), sexText(p.Sex)}
	if p.MRN != "" {
		parts = append(parts, catalog.T(catalog.UIPatientsMrnMrn, p.MRN))
	}
	return strings.Join(parts, " · ")
}

// refresh lists my patients for an empty query, or searches the local cache.
func (ps *patientStep) refresh() {
	ps.seq++
	seq, q := ps.seq, strings.TrimSpace(ps.search.Text)
	deps := ps.e.u.deps
	now := deps.now()
	run(&ps.e.u.bg, func(ctx context.Context) ([]app.Patient, error) {
		if q == "" {
			return deps.Patients.MyPatients(ctx, now, patientListLimit)
		}
		return deps.Patients.SearchPatients(ctx, q, patientListLimit)
	}, func(found []app.Patient, err error) {
		if seq != ps.seq {
			return
		}
		if err != nil {
			showError(ps.e.u.win, catalog.T(catalog.UIPatientsSearchFailed), err)
			return
		}
		ps.results = found
		switch {
		case q == "" && len(found) == 0:
			ps.heading.SetText(catalog.T(catalog.UIPatientsMyPatientsNoneActive))
		case q == "":
			ps.heading.SetText(catalog.T(catalog.UIPatientsMyPatientsNActive, len(found)))
		case len(found) == 0:
			ps.heading.SetText(catalog.T(catalog.UIPatientsNoPatientComputerS, q))
		default:
			ps.heading.SetText(catalog.T(catalog.UIPatientsNMatchingPatients, len(found)))
		}
		ps.list.UnselectAll()
		ps.list.Refresh()
	})
}

func (ps *patientStep) choose(p app.Patient) { ps.e.setPatient(p) }

// prefill carries a typed "Last, First" into the new chart form.
func (ps *patientStep) prefill() app.Patient {
	var p app.Patient
	q := strings.TrimSpace(ps.search.Text)
	if q == "" || strings.ContainsAny(q, "0123456789") {
		return p
	}
	last, first, _ := strings.Cut(q, ",")
	p.Family, p.Given = strings.TrimSpace(last), strings.TrimSpace(first)
	return p
}

// searchRegistry searches the institution's patient registry (online) and adds the chosen patient
// to this computer's list. Without an account it says plainly what is needed.
func (ps *patientStep) searchRegistry() {
	u := ps.e.u
	if u.deps.Sync == nil {
		dialog.ShowInformation(catalog.T(catalog.UIPatientsSearchAllPatientsNeeds),
			catalog.T(catalog.UIPatientsSearchingNameSPatient, u.deps.Profile.Name), u.win)
		return
	}
	q := widget.NewEntry()
	q.SetText(strings.TrimSpace(ps.search.Text))
	q.SetPlaceHolder(catalog.T(catalog.UIPatientsLastFirstDateBirth2))
	msg := widget.NewLabel(catalog.T(catalog.UIPatientsSearchesNameSRegistry, u.deps.Profile.Name))
	msg.Wrapping = fyne.TextWrapWord
	var found []app.Patient
	var d dialog.Dialog
	list := widget.NewList(func() int { return len(found) },
		func() fyne.CanvasObject {
			return widget.NewLabel(catalog.T(catalog.UIPatientsDoeJaneMary1970))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(patientLine(found[i])) })
	list.OnSelected = func(i widget.ListItemID) {
		if i >= len(found) {
			return
		}
		d.Hide()
		ps.addFromRegistry(found[i])
	}
	search := func() {
		msg.SetText(catalog.T(catalog.UIPatientsSearching))
		line := q.Text
		run(&u.bg, func(ctx context.Context) ([]app.Patient, error) {
			return u.deps.Sync.SearchRegistry(ctx, line)
		}, func(ps []app.Patient, err error) {
			found = ps
			list.Refresh()
			switch {
			case err != nil:
				msg.SetText(catalog.T(catalog.RegistryFailed, err))
			case len(ps) == 0:
				msg.SetText(catalog.T(catalog.UIPatientsNoPatientRegistryMatches))
			default:
				msg.SetText(catalog.T(catalog.RegistryFound, len(ps)))
			}
		})
	}
	q.OnSubmitted = func(string) { search() }
	d = dialog.NewCustom(catalog.T(catalog.UIPatientsSearchAllPatients), catalog.T(catalog.UIPatientsClose), container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon(catalog.T(catalog.UIPatientsSearch), theme.SearchIcon(), search), q), msg),
		nil, nil, nil, list), u.win)
	d.Resize(fyne.NewSize(720, 480))
	d.Show()
	u.win.Canvas().Focus(q)
	ps.registry = &registrySearch{entry: q, results: &found, list: list, run: search}
}

// registrySearch exposes the dialog's parts to tests.
type registrySearch struct {
	entry   *widget.Entry
	results *[]app.Patient
	list    *widget.List
	run     func()
}

// addFromRegistry keeps the registry's chart in the local cache (once) and chooses it.
func (ps *patientStep) addFromRegistry(p app.Patient) {
	u := ps.e.u
	run(&u.bg, func(ctx context.Context) (app.Patient, error) {
		// Already in this computer's list: that chart rather than a second one.
		return u.deps.work().ChartFromRegistry(ctx, p)
	}, func(p app.Patient, err error) {
		if err != nil {
			showError(u.win, catalog.T(catalog.UIPatientsPatientCouldNotAdded), err)
			return
		}
		ps.choose(p)
	})
}
