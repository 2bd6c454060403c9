package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/referral"
)

func (e *orderEditor) buildProvider() fyne.CanvasObject {
	var list []app.Provider
	info := widget.NewLabel("")
	info.Wrapping = fyne.TextWrapWord
	e.providerSel = widget.NewSelect(nil, func(name string) {
		for _, p := range list {
			if p.DisplayName() == name {
				e.order.ProviderID = p.ID
				e.changed()
				info.SetText(providerInfo(p))
				return
			}
		}
	})
	e.providerSel.PlaceHolder = catalog.T(catalog.UIOrderStepsChooseAuthorizingProvider)
	manage := widget.NewButton(catalog.T(catalog.UIOrderStepsManageProviders), func() {
		e.saver.flush()
		e.u.setBody(newProvidersScreen(e.u, func() {
			e.u.setBody(e.content)
			e.goTo(stepProvider)
		}).content)
	})
	run(&e.u.bg, func(ctx context.Context) ([]app.Provider, error) {
		return e.u.deps.Providers.Providers(ctx, false)
	}, func(ps []app.Provider, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIOrderStepsCouldNotLoadProviders), err)
			return
		}
		list = ps
		names := make([]string, len(ps))
		for i, p := range ps {
			names[i] = p.DisplayName()
		}
		e.providerSel.SetOptions(names)
		for _, p := range ps {
			if p.ID == e.order.ProviderID {
				e.providerSel.SetSelected(p.DisplayName())
			}
		}
		if len(ps) == 0 {
			info.SetText(catalog.T(catalog.UIOrderStepsNoProvidersYetUse))
		}
	})
	return container.NewVBox(
		widget.NewLabel(catalog.T(catalog.UIOrderStepsWhoAuthorizesReferralInstitution)),
		widget.NewForm(widget.NewFormItem(catalog.T(catalog.UIOrderStepsAuthorizingProvider), e.providerSel)),
		info,
		container.NewHBox(manage),
	)
}

func providerInfo(p app.Provider) string {
	switch {
	case p.NPI == "":
		return catalog.T(catalog.UIOrderStepsNpiMissingAddUnder)
	case !referral.ValidNPI(p.NPI):
		return catalog.T(catalog.UIOrderStepsNpiNpiNumberFails, p.NPI)
	default:
		return catalog.T(catalog.UIOrderStepsNpiNpi, p.NPI)
	}
}

func (e *orderEditor) buildDepartment() fyne.CanvasObject {
	prof := e.u.deps.Profile
	names := make([]string, len(prof.Departments))
	for i, d := range prof.Departments {
		names[i] = d.Label(uiLang())
	}
	e.deptRadio = newChoiceList(names, func(name string) {
		for _, d := range prof.Departments {
			if d.Label(uiLang()) == name {
				e.order.Department = d.Code
				e.changed()
			}
		}
	})
	if d, ok := prof.Department(e.order.Department); ok {
		e.deptRadio.Selected = d.Label(uiLang())
	}
	prio := e.order.Priority
	if prio != app.PriorityUrgent {
		prio = app.PriorityRoutine
	}
	e.prioRadio = choiceRadio([]msg.Code{catalog.PriorityRoutine, catalog.PriorityUrgent},
		[]app.Priority{app.PriorityRoutine, app.PriorityUrgent}, prio, func(p app.Priority) {
			if p != app.PriorityUrgent {
				p = app.PriorityRoutine
			}
			e.order.Priority = p
			e.changed()
		})
	e.prioRadio.Required = true
	hint := widget.NewLabel(catalog.T(catalog.UIOrderStepsUrgentMedicalSurgicalNeeds))
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(
		widget.NewLabelWithStyle(catalog.T(catalog.UIOrderStepsPriority), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), e.prioRadio, hint,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(catalog.T(catalog.UIOrderStepsRequestedDepartmentPreferenceList, prof.ShortName), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	)
	return container.NewBorder(top, nil, nil, nil, e.deptRadio)
}

func (e *orderEditor) buildReason() fyne.CanvasObject {
	e.reasonEntry = widget.NewMultiLineEntry()
	e.reasonEntry.Wrapping = fyne.TextWrapWord
	e.reasonEntry.SetPlaceHolder(catalog.T(catalog.UIOrderStepsNatureMedicalIssueWhat))
	e.reasonEntry.SetText(e.order.Reason)
	e.reasonEntry.OnChanged = func(s string) {
		e.order.Reason = s
		e.changed()
	}
	return container.NewBorder(widget.NewLabel(catalog.T(catalog.UIOrderStepsReasonReferralFreeText)), nil, nil, nil, e.reasonEntry)
}

func (e *orderEditor) buildComment() fyne.CanvasObject {
	e.comment = widget.NewMultiLineEntry()
	e.comment.Wrapping = fyne.TextWrapWord
	e.comment.SetPlaceHolder(catalog.T(catalog.UIOrderStepsEGPatientPrefers))
	e.comment.SetText(e.order.SchedulingComment)
	e.comment.OnChanged = func(s string) {
		e.order.SchedulingComment = s
		e.changed()
	}
	hours := ""
	if loc, ok := e.u.deps.Profile.Location(e.order.Location); ok {
		hours = catalog.T(catalog.UIOrderStepsAppointmentsAtNameAre, loc.Name, hoursText(loc.Hours()))
	}
	lbl := widget.NewLabel(catalog.T(catalog.UIOrderStepsSchedulingInstructionsCommentsScheduling, hours))
	lbl.Wrapping = fyne.TextWrapWord
	return container.NewBorder(lbl, nil, nil, nil, e.comment)
}
