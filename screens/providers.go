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
	"github.com/referraldesk/referraldesk/app/referral"
)

// providersScreen manages the authorizing providers: name, credentials and a checked NPI, or
// for a provider outside the US a licence; and the practice's address and phone.
type providersScreen struct {
	u                               *UI
	content                         fyne.CanvasObject
	list                            *widget.List
	all                             []app.Provider
	editing                         app.Provider
	family, given, credentials, npi *widget.Entry
	intl                            *providerIntlFields
	active                          *widget.Check
	save                            *widget.Button
	msg                             *widget.Label
}

func newProvidersScreen(u *UI, done func()) *providersScreen {
	s := &providersScreen{u: u}
	s.list = widget.NewList(func() int { return len(s.all) },
		func() fyne.CanvasObject {
			return widget.NewLabel(catalog.T(catalog.UIProvidersLongnameFirstnameMdNpi))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := s.all[i]
			t := p.DisplayName() + " · " + providerIDText(p)
			if !p.Active {
				t += catalog.T(catalog.UIProvidersInactive)
			}
			o.(*widget.Label).SetText(t)
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.all) {
			s.edit(s.all[i])
		}
	}
	s.family, s.given, s.credentials, s.npi = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	s.credentials.SetPlaceHolder(catalog.T(catalog.UIProvidersMdDoNpPa))
	s.npi.SetPlaceHolder(catalog.T(catalog.UIProviders10Digits))
	// Checked as the user types, once they have typed: without this Fyne keeps the last (valid) state
	// while the entry has the focus and shows a green check on a half-typed NPI.
	s.npi.OnChanged = func(string) {
		s.npi.AlwaysShowValidationError = true
		_ = s.npi.Validate()
	}
	s.npi.Validator = func(v string) error {
		// Empty is allowed: a provider outside the US has a licence instead.
		if v = strings.TrimSpace(v); v != "" && !referral.ValidNPI(v) {
			return errorString(catalog.T(catalog.UIProvidersInvalidNpi))
		}
		return nil
	}
	s.active = widget.NewCheck(catalog.T(catalog.UIProvidersActiveOfferedNewOrders), nil)
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	req := func(l string, w fyne.CanvasObject) *widget.FormItem {
		it := widget.NewFormItem(l, w)
		it.Required = true
		return it
	}
	npiItem := widget.NewFormItem(catalog.T(catalog.UIProvidersNpi), s.npi)
	npiItem.HintText = catalog.T(catalog.UIProvidersUsCheckDigitVerified)
	s.intl = newProviderIntlFields(u.deps.Profile.HomeCountry())
	items := []*widget.FormItem{
		req(catalog.T(catalog.UIProvidersLastName), s.family), req(catalog.T(catalog.UIProvidersFirstName), s.given),
		widget.NewFormItem(catalog.T(catalog.UIProvidersCredentials), s.credentials), npiItem,
	}
	items = append(items, s.intl.items()...)
	form := widget.NewForm(append(items, widget.NewFormItem("", s.active))...)
	s.intl.form = form
	s.save = widget.NewButtonWithIcon(catalog.T(catalog.UIProvidersSaveProvider), theme.DocumentSaveIcon(), s.submit)
	s.save.Importance = widget.HighImportance
	newBtn := widget.NewButtonWithIcon(catalog.T(catalog.UIProvidersNewProvider), theme.ContentAddIcon(), func() { s.edit(app.Provider{Active: true}) })
	back := widget.NewButtonWithIcon(catalog.T(catalog.UIProvidersDone), theme.NavigateBackIcon(), done)
	right := container.NewVBox(widget.NewLabelWithStyle(catalog.T(catalog.UIProvidersProviderDetails), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form, s.msg, container.NewHBox(s.save, newBtn))
	left := container.NewBorder(widget.NewLabelWithStyle(catalog.T(catalog.UIProvidersAuthorizingProviders), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.list)
	// The licence and practice fields make the form taller than small windows: it scrolls.
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(right)))
	split.Offset = 0.45
	s.content = container.NewBorder(nil, container.NewHBox(back), nil, nil, split)
	s.edit(app.Provider{Active: true})
	s.load()
	return s
}

type errorString string

func (e errorString) Error() string { return string(e) }

func (s *providersScreen) load() {
	run(&s.u.bg, func(ctx context.Context) ([]app.Provider, error) {
		return s.u.deps.Providers.Providers(ctx, true)
	}, func(ps []app.Provider, err error) {
		if err != nil {
			showError(s.u.win, catalog.T(catalog.UIProvidersCouldNotLoadProviders), err)
			return
		}
		s.all = ps
		s.list.Refresh()
		if len(ps) == 0 {
			s.msg.SetText(catalog.T(catalog.UIProvidersNoProvidersYetAdd))
		}
	})
}

func (s *providersScreen) edit(p app.Provider) {
	s.editing = p
	s.family.SetText(p.Family)
	s.given.SetText(p.Given)
	s.credentials.SetText(p.Credentials)
	s.npi.SetText(p.NPI)
	s.npi.AlwaysShowValidationError = p.NPI != "" // a new provider's empty NPI is not an error yet
	s.npi.SetValidationError(nil)
	if p.NPI != "" {
		_ = s.npi.Validate()
	}
	s.intl.set(p)
	s.active.SetChecked(p.Active)
	s.msg.SetText("")
}

func (s *providersScreen) submit() {
	p := s.editing
	p.Family = strings.TrimSpace(s.family.Text)
	p.Given = strings.TrimSpace(s.given.Text)
	p.Credentials = strings.TrimSpace(s.credentials.Text)
	p.NPI = strings.TrimSpace(s.npi.Text)
	p.Active = s.active.Checked
	s.intl.read(&p)
	problems := referral.CheckProvider(p)
	p = referral.NormalizeProvider(p)
	if len(problems) > 0 {
		s.msg.Importance = widget.DangerImportance
		texts := make([]string, len(problems))
		for i, m := range problems {
			texts[i] = catalog.Default().Text(m)
		}
		s.msg.SetText(strings.Join(texts, "\n"))
		return
	}
	run(&s.u.bg, func(ctx context.Context) (app.Provider, error) {
		err := s.u.deps.Providers.SaveProvider(ctx, &p)
		return p, err
	}, func(p app.Provider, err error) {
		if err != nil {
			showError(s.u.win, catalog.T(catalog.UIProvidersProviderCouldNotSaved), err)
			return
		}
		s.editing = p
		s.msg.Importance = widget.SuccessImportance
		s.msg.SetText(catalog.T(catalog.UIProvidersSavedDisplayName, p.DisplayName()))
		s.load()
	})
}
