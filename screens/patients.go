package screens

import (
	"context"
	"fmt"
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
	ps.search.SetPlaceHolder("Last, First — or date of birth, or registration number (Ctrl+F)")
	ps.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	ps.search.OnChanged = func(string) { ps.refresh() }
	ps.search.OnSubmitted = func(string) {
		if len(ps.results) == 1 {
			ps.choose(ps.results[0])
		}
	}
	ps.heading = widget.NewLabelWithStyle("My patients", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ps.list = widget.NewList(func() int { return len(ps.results) },
		func() fyne.CanvasObject {
			return widget.NewLabel("DOE, Jane Mary · 1970-01-02 · female · MRN 0000000")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(patientLine(ps.results[i])) })
	ps.list.OnSelected = func(i widget.ListItemID) {
		if i < len(ps.results) {
			ps.choose(ps.results[i])
		}
	}
	all := widget.NewButtonWithIcon("Search all patients", theme.SearchIcon(), ps.searchRegistry)
	create := widget.NewButtonWithIcon("Create a new chart", theme.ContentAddIcon(), func() {
		showChartForm(e.u, ps.prefill(), func(p app.Patient) { ps.choose(p) }, func() { e.goTo(stepPatient) })
	})
	buttons := container.NewHBox(all, create)
	if e.u.deps.Imports != nil {
		buttons.Add(widget.NewButtonWithIcon("Import from EHR…", theme.DownloadIcon(), e.u.browseImport))
	}
	top := container.NewVBox(ps.search, buttons, ps.heading)
	if e.patient.ID != 0 {
		top.Objects = append([]fyne.CanvasObject{widget.NewLabel("Chosen: " + patientLine(e.patient) + ". Pick another patient below to change it.")}, top.Objects...)
	}
	ps.content = container.NewBorder(top, nil, nil, nil, ps.list)
	ps.refresh()
	return ps
}

func patientLine(p app.Patient) string {
	parts := []string{strings.ToUpper(p.Family) + ", " + p.Given, app.FormatDate(p.BirthDate), string(p.Sex)}
	if p.MRN != "" {
		parts = append(parts, "MRN "+p.MRN)
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
			showError(ps.e.u.win, "Search failed", err)
			return
		}
		ps.results = found
		switch {
		case q == "" && len(found) == 0:
			ps.heading.SetText("My patients — none active in the last 120 days. Search, or create a new chart.")
		case q == "":
			ps.heading.SetText(fmt.Sprintf("My patients (%d active in the last 120 days)", len(found)))
		case len(found) == 0:
			ps.heading.SetText("No patient in this computer's list matches \"" + q + "\". Try \"Last, First\", a date of birth, or create a new chart.")
		default:
			ps.heading.SetText(fmt.Sprintf("%d matching patients", len(found)))
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
		dialog.ShowInformation("Search all patients needs a connection",
			"Searching "+u.deps.Profile.Name+"'s patient registry needs a connection and a signed-in account.", u.win)
		return
	}
	q := widget.NewEntry()
	q.SetText(strings.TrimSpace(ps.search.Text))
	q.SetPlaceHolder("Last, First (and the date of birth, if known)")
	msg := widget.NewLabel("Searches " + u.deps.Profile.Name + "'s registry. Needs a connection.")
	msg.Wrapping = fyne.TextWrapWord
	var found []app.Patient
	var d dialog.Dialog
	list := widget.NewList(func() int { return len(found) },
		func() fyne.CanvasObject {
			return widget.NewLabel("DOE, Jane Mary · 1970-01-02 · female · MRN 0000000")
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
		msg.SetText("Searching…")
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
				msg.SetText("No patient in the registry matches. Check the spelling, or create a new chart.")
			default:
				msg.SetText(catalog.T(catalog.RegistryFound, len(ps)))
			}
		})
	}
	q.OnSubmitted = func(string) { search() }
	d = dialog.NewCustom("Search all patients", "Close", container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("Search", theme.SearchIcon(), search), q), msg),
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
			showError(u.win, "The patient could not be added", err)
			return
		}
		ps.choose(p)
	})
}
