package screens

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

// Home tab order.
const (
	tabAppointments = iota
	tabRequests
	tabReporting
	tabMessages
	tabQuickLinks
	tabHelp
)

// homeScreen mirrors the portal's home page: appointments, requests, reporting, messages, quick links.
type homeScreen struct {
	inbox
	u        *UI
	content  fyne.CanvasObject
	tabs     *container.AppTabs
	banner   *fyne.Container
	requests *widget.List
	reqEmpty *widget.Label // says why the list is empty and what to do
	orders   []app.OrderSummary
	filter   *widget.Select
}

func allStatuses() string { return catalog.T(catalog.UIHomeAllOrders) }

func newHomeScreen(u *UI) *homeScreen {
	h := &homeScreen{u: u}
	newOrder := widget.NewButtonWithIcon(catalog.T(catalog.UIHomePlaceOrder), theme.ContentAddIcon(), u.NewOrder)
	newOrder.Importance = widget.HighImportance
	find := widget.NewButtonWithIcon(catalog.T(catalog.UIHomeFindPatient), theme.SearchIcon(), u.FindPatient)
	providers := widget.NewButtonWithIcon(catalog.T(catalog.UIHomeProviders), theme.AccountIcon(), u.ShowProviders)
	account := widget.NewButtonWithIcon(catalog.T(catalog.UIHomeAccount), theme.LoginIcon(), u.ShowAccount)
	settings := widget.NewButtonWithIcon(catalog.T(catalog.UIHomeSettings), theme.SettingsIcon(), u.ShowSettings)
	var activity fyne.CanvasObject = widget.NewButtonWithIcon(catalog.T(catalog.UIHomeActivity), theme.ListIcon(), u.ShowActivity)
	if u.deps.Activity == nil {
		activity = layout.NewSpacer()
	}
	title := widget.NewLabelWithStyle(catalog.T(catalog.UIHomeReferraldeskName, u.deps.Profile.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bar := container.NewBorder(nil, nil, title, container.NewHBox(newOrder, find, providers, account, settings, activity))
	h.banner = container.NewVBox()

	h.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(catalog.T(catalog.UIHomeUpcomingAppointments), theme.HistoryIcon(), h.buildAppointments()),
		container.NewTabItemWithIcon(catalog.T(catalog.UIHomeRequests), theme.ListIcon(), h.buildRequests()),
		container.NewTabItemWithIcon(catalog.T(catalog.UIHomeReporting), theme.DocumentIcon(), h.buildResults()),
		container.NewTabItemWithIcon(catalog.T(catalog.UIHomeUnreadMessages), theme.MailComposeIcon(), h.buildMessages()),
		container.NewTabItemWithIcon(catalog.T(catalog.UIHomeQuickLinks), theme.InfoIcon(), quickLinks(u)),
		container.NewTabItemWithIcon(catalog.T(catalog.UIHomeHelp), theme.HelpIcon(), helpText(u)),
	)
	h.tabs.SelectIndex(tabRequests)
	h.content = container.NewBorder(container.NewVBox(bar, h.banner), nil, nil, nil, h.tabs)
	h.loadDraftBanner()
	h.reload()
	return h
}

// reload refreshes every list from the local cache.
func (h *homeScreen) reload() {
	h.loadOrders()
	h.loadInbox()
}

func emptyState(title, text string) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d := widget.NewLabel(text)
	d.Wrapping = fyne.TextWrapWord
	d.Alignment = fyne.TextAlignCenter
	return container.NewVBox(widget.NewLabel(""), t, d)
}

// loadDraftBanner offers to resume the order the user was entering when the app last closed.
func (h *homeScreen) loadDraftBanner() {
	u := h.u
	me := u.currentID() // read on the UI thread
	run(&u.bg, func(ctx context.Context) (draftInfo, error) {
		// The user's own drafts only (see ownOrders); Orders lists the latest first.
		drafts, err := u.deps.Orders.Orders(ctx, app.StatusDraft, app.StatusReady)
		if err != nil {
			return draftInfo{}, err
		}
		if drafts = ownOrders(drafts, me); len(drafts) == 0 {
			return draftInfo{}, nil
		}
		o, err := u.deps.Orders.Order(ctx, drafts[0].ID)
		if errors.Is(err, app.ErrNotFound) {
			return draftInfo{}, nil
		}
		if err != nil {
			return draftInfo{}, err
		}
		p, err := u.deps.Patients.Patient(ctx, o.PatientID)
		return draftInfo{order: o, patient: p, others: len(drafts) - 1}, err
	}, func(d draftInfo, err error) {
		if err != nil || d.order.ID == 0 {
			return
		}
		text := catalog.T(catalog.UIHomeYouHaveUnfinishedOrder, d.patient.DisplayName(), catalog.Default().DayTime(d.order.UpdatedAt.Local()))
		if d.others > 0 {
			text = catalog.T(catalog.UIHomeYouHaveXUnfinished, d.others+1, d.patient.DisplayName(), catalog.Default().DayTime(d.order.UpdatedAt.Local()))
		}
		msg := widget.NewLabel(text)
		msg.Wrapping = fyne.TextWrapWord
		resume := widget.NewButtonWithIcon(catalog.T(catalog.UIHomeResume), theme.MediaPlayIcon(), func() { u.OpenOrder(d.order.ID) })
		resume.Importance = widget.HighImportance
		h.banner.Objects = []fyne.CanvasObject{widget.NewCard("", "", container.NewBorder(nil, nil, nil, resume, msg))}
		h.banner.Refresh()
	})
}

type draftInfo struct {
	order   app.Order
	patient app.Patient
	others  int // further unfinished orders
}

func (h *homeScreen) buildRequests() fyne.CanvasObject {
	opts := []string{allStatuses()}
	for _, s := range app.Statuses {
		opts = append(opts, statusText(s))
	}
	h.filter = widget.NewSelect(opts, func(string) { h.loadOrders() })
	h.filter.Selected = allStatuses()
	h.requests = widget.NewList(func() int { return len(h.orders) },
		func() fyne.CanvasObject {
			status := container.NewGridWrap(fyne.NewSize(150, 36), widget.NewLabel(catalog.T(catalog.UIHomeNeedsAttention)))
			return container.NewBorder(nil, nil, status, widget.NewLabel("2026-11-25 14:05"),
				widget.NewLabel(catalog.T(catalog.UIHomeDoeJaneCardiovascularDiseases)))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			s := h.orders[i]
			c.Objects[0].(*widget.Label).SetText(h.requestLine(s))
			st := c.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
			st.SetText(statusText(s.Status))
			st.Importance = statusImportance(s.Status)
			st.Refresh()
			c.Objects[2].(*widget.Label).SetText(s.UpdatedAt.Local().Format("2006-01-02 15:04"))
		})
	h.requests.OnSelected = func(i widget.ListItemID) {
		if i < len(h.orders) {
			h.u.OpenOrder(h.orders[i].ID)
		}
		h.requests.UnselectAll()
	}
	top := container.NewBorder(nil, nil, widget.NewLabel(catalog.T(catalog.UIHomeShow)), nil, h.filter)
	h.reqEmpty = widget.NewLabel("")
	h.reqEmpty.Wrapping = fyne.TextWrapWord
	h.reqEmpty.Alignment = fyne.TextAlignCenter
	h.reqEmpty.Hide()
	return container.NewBorder(container.NewVBox(top, h.reqEmpty), nil, nil, nil, h.requests)
}

func (h *homeScreen) requestLine(s app.OrderSummary) string {
	dept := s.Department
	if d, ok := h.u.deps.Profile.Department(s.Department); ok {
		dept = d.Label(uiLang())
	}
	if dept == "" {
		dept = catalog.T(catalog.UIHomeNoDepartmentYet)
	}
	return upperFamily(s.PatientName) + " · " + dept + " · " + priorityText(s.Priority)
}

// upperFamily writes "Doe, Jane" as "DOE, Jane", the way charts show the last name.
func upperFamily(name string) string {
	last, rest, found := strings.Cut(name, ",")
	if !found {
		return strings.ToUpper(name)
	}
	return strings.ToUpper(last) + "," + rest
}

func statusImportance(s app.Status) widget.Importance {
	switch s {
	case app.StatusNeedsAttention, app.StatusDeclined:
		return widget.DangerImportance
	case app.StatusDraft, app.StatusReady:
		return widget.WarningImportance
	case app.StatusScheduled, app.StatusCompleted, app.StatusAccepted:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

func (h *homeScreen) loadOrders() {
	var statuses []app.Status
	if h.filter != nil && h.filter.Selected != allStatuses() {
		statuses = []app.Status{statusOf(h.filter.Selected)}
	}
	run(&h.u.bg, func(ctx context.Context) ([]app.OrderSummary, error) {
		return h.u.deps.Orders.Orders(ctx, statuses...)
	}, func(list []app.OrderSummary, err error) {
		if err != nil {
			showError(h.u.win, catalog.T(catalog.UIHomeCouldNotListOrders), err)
			return
		}
		list = ownOrders(list, h.u.currentID())
		h.orders = list
		h.requests.Refresh()
		switch {
		case len(list) > 0:
			h.reqEmpty.Hide()
		case len(statuses) > 0:
			h.reqEmpty.SetText(catalog.T(catalog.UIHomeNoOrderHasStatus, statusText(statuses[0]), allStatuses()))
			h.reqEmpty.Show()
		default:
			h.reqEmpty.SetText(catalog.T(catalog.UIHomeNoOrdersYetPlace))
			h.reqEmpty.Show()
		}
	})
}

func quickLinks(u *UI) fyne.CanvasObject {
	prof := u.deps.Profile
	grid := container.NewGridWithColumns(2)
	for _, l := range prof.Locations {
		var lines []string
		if a := formatAddress(l.Address); a != "" {
			lines = append(lines, a)
		}
		add := func(label, v string) {
			if v != "" {
				lines = append(lines, label+": "+v)
			}
		}
		add(catalog.T(catalog.UIHomeReferrals), l.ReferralPhone)
		add(catalog.T(catalog.UIHomeAppointments), l.AppointmentPhone)
		add(catalog.T(catalog.UIHomeFax), l.Fax)
		add(catalog.T(catalog.UIHomeFromOutsideUS), l.InternationalPhone)
		add(catalog.T(catalog.UIHomeFaxFromOutsideU), l.InternationalFax)
		add(catalog.T(catalog.UIHomeEMail), l.Email)
		grid.Add(infoCard(l.Label(uiLang()), strings.Join(lines, "\n")))
	}
	if in := prof.International; in != nil {
		grid.Add(infoCard(in.Label, internationalText(prof)))
	}
	var other []string
	for _, c := range prof.Contacts {
		if c.Phone != "" {
			other = append(other, c.Label+": "+c.Phone)
		}
	}
	if len(other) > 0 {
		grid.Add(infoCard(catalog.T(catalog.UIHomeOtherLines), strings.Join(other, "\n")))
	}
	return container.NewVScroll(grid)
}

// infoCard is a titled block of wrapped text; its width follows the window, never the text.
func infoCard(title, text string) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.Wrapping = fyne.TextWrapWord
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord
	return widget.NewCard("", "", container.NewVBox(t, body))
}

func helpText(u *UI) fyne.CanvasObject {
	prof := u.deps.Profile
	md := catalog.T(catalog.UIHomeFirstStartNewInstallation, prof.Rules.MyPatientsDays, prof.Rules.MaxPacketPages)
	rt := widget.NewRichTextFromMarkdown(md)
	rt.Wrapping = fyne.TextWrapWord
	return container.NewVScroll(rt)
}
