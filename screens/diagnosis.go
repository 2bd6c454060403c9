package screens

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

const diagnosisResults = 25

// diagnosisStep associates ICD-10-CM diagnoses: the patient's existing ones, by code, or by keyword (offline).
type diagnosisStep struct {
	e        *orderEditor
	content  fyne.CanvasObject
	search   *keyEntry
	results  []app.Diagnosis
	existing []app.Diagnosis
	found    *pickList
	chosen   *widget.List
	hint     *widget.Label
	seq      int
}

func newDiagnosisStep(e *orderEditor) *diagnosisStep {
	d := &diagnosisStep{e: e}
	// Keyboard: Down or Enter in the search box moves to the results; arrows move, Enter adds.
	d.search = newKeyEntry(d.focusResults)
	d.search.SetPlaceHolder(catalog.T(catalog.UIDiagnosisIcd10CodeE11))
	d.search.OnSubmitted = func(string) { d.focusResults() }
	d.search.OnChanged = func(string) { d.run() }
	find := widget.NewButtonWithIcon("", theme.SearchIcon(), d.run)
	d.hint = widget.NewLabel("")
	d.hint.Wrapping = fyne.TextWrapWord
	d.found = newPickList(func() int { return len(d.results) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon(catalog.T(catalog.UIDiagnosisAdd), theme.ContentAddIcon(), nil),
				widget.NewLabel(catalog.T(catalog.UIDiagnosisE119Type2)))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			dx := d.results[i]
			text := dx.Code + "  " + dx.Description
			if dx.Why != "" {
				text += catalog.T(catalog.UIDiagnosisMatchedWhy, dx.Why) // why the physician can trust an abbreviation or a typo
			}
			c.Objects[0].(*widget.Label).SetText(text)
			c.Objects[1].(*widget.Button).OnTapped = func() { d.add(dx) }
		},
		func(i int) { d.add(d.results[i]) })
	d.found.onLeave = func() { e.u.win.Canvas().Focus(d.search) }
	d.chosen = widget.NewList(func() int { return len(e.order.Diagnoses) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon(catalog.T(catalog.UIDiagnosisRemove), theme.DeleteIcon(), nil),
				widget.NewLabel(catalog.T(catalog.UIDiagnosisE119Type2)))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			dx := e.order.Diagnoses[i]
			label := dx.Code + "  " + dx.Description
			if i == 0 {
				label += catalog.T(catalog.UIDiagnosisPrimary)
			}
			c.Objects[0].(*widget.Label).SetText(label)
			c.Objects[1].(*widget.Button).OnTapped = func() { d.remove(dx.Code) }
		})
	top := container.NewVBox(
		widget.NewLabelWithStyle(catalog.T(catalog.UIDiagnosisDiagnosesOrder), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	)
	chosenBox := container.NewBorder(top, nil, nil, nil, d.chosen)
	searchBox := container.NewBorder(container.NewVBox(
		widget.NewLabelWithStyle(catalog.T(catalog.UIDiagnosisFindDiagnosisWorksOffline), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, find, d.search), d.hint), nil, nil, nil, d.found)
	split := container.NewVSplit(chosenBox, searchBox)
	split.Offset = 0.3
	d.content = split
	d.loadExisting()
	return d
}

// loadExisting offers the patient's earlier diagnoses first, before anything is typed.
func (d *diagnosisStep) loadExisting() {
	pid := d.e.order.PatientID
	run(&d.e.u.bg, func(ctx context.Context) ([]app.Diagnosis, error) {
		return d.e.u.deps.Patients.PatientDiagnoses(ctx, pid)
	}, func(ds []app.Diagnosis, err error) {
		if err != nil {
			showError(d.e.u.win, catalog.T(catalog.UIDiagnosisCouldNotLoadPatient), err)
			return
		}
		d.existing = ds
		if strings.TrimSpace(d.search.Text) == "" {
			d.showExisting()
		}
	})
}

// showExisting lists the patient's earlier diagnoses that are not on the order yet.
func (d *diagnosisStep) showExisting() {
	d.results = nil
	for _, dx := range append(d.e.importedSuggestions(), d.existing...) {
		if containsCode(d.results, dx.Code) {
			continue
		}
		if !containsCode(d.e.order.Diagnoses, dx.Code) {
			d.results = append(d.results, dx)
		}
	}
	switch {
	case d.e.imported != nil && len(d.results) > 0:
		d.hint.SetText(catalog.T(catalog.UIDiagnosisSuggestedFromImportedDocument))
	case len(d.existing) == 0:
		d.hint.SetText(catalog.T(catalog.UIDiagnosisPatientHasNoEarlier))
	case len(d.results) == 0:
		d.hint.SetText(catalog.T(catalog.UIDiagnosisPatientSExistingDiagnoses))
	default:
		d.hint.SetText(catalog.T(catalog.UIDiagnosisPatientSExistingDiagnoses2))
	}
	d.found.Refresh()
	d.found.top()
}

// focusResults gives the keyboard to the result list, on its first row.
func (d *diagnosisStep) focusResults() {
	if len(d.results) == 0 {
		return
	}
	d.found.top()
	d.e.u.win.Canvas().Focus(d.found)
}

func (d *diagnosisStep) run() {
	q := strings.TrimSpace(d.search.Text)
	d.seq++
	seq := d.seq
	if q == "" {
		d.showExisting()
		return
	}
	run(&d.e.u.bg, func(ctx context.Context) ([]app.Diagnosis, error) {
		return d.e.u.deps.Codes.Search(ctx, q, diagnosisResults)
	}, func(found []app.Diagnosis, err error) {
		if seq != d.seq {
			return
		}
		if err != nil {
			showError(d.e.u.win, catalog.T(catalog.UIDiagnosisDiagnosisSearchFailed), err)
			return
		}
		// The patient's existing diagnoses that match come first.
		var first, rest []app.Diagnosis
		for _, f := range found {
			if containsCode(d.existing, f.Code) {
				first = append(first, f)
			} else {
				rest = append(rest, f)
			}
		}
		d.results = append(first, rest...)
		if len(found) == 0 {
			d.hint.SetText(catalog.T(catalog.UIDiagnosisNoIcd10Cm, q))
		} else {
			d.hint.SetText("")
		}
		d.found.Refresh()
		d.found.top()
	})
}

func containsCode(ds []app.Diagnosis, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

func (d *diagnosisStep) add(dx app.Diagnosis) {
	if containsCode(d.e.order.Diagnoses, dx.Code) {
		return
	}
	d.e.order.Diagnoses = append(d.e.order.Diagnoses, dx)
	d.e.changed()
	d.chosen.Refresh()
	if strings.TrimSpace(d.search.Text) == "" {
		d.showExisting() // an earlier diagnosis just added is not offered again
	}
}

func (d *diagnosisStep) remove(code string) {
	ds := d.e.order.Diagnoses[:0:0]
	for _, x := range d.e.order.Diagnoses {
		if x.Code != code {
			ds = append(ds, x)
		}
	}
	d.e.order.Diagnoses = ds
	d.e.changed()
	d.chosen.Refresh()
}
