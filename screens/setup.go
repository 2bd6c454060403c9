package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

// The first-start setup asks, in three short steps, for what every order needs and a new
// installation does not have: the referring clinic, one authorizing provider, and the institution
// account (or "later": orders are then kept until an account is added, or faxed).

const setupSteps = 3

// setupState is what a new installation has already.
type setupState struct {
	clinic    bool
	providers int
}

func (s setupState) fresh() bool { return !s.clinic && s.providers == 0 }

// checkSetup opens the setup on a fresh installation, and on an older one without a clinic shows a
// banner on the home screen that leads to it.
func (u *UI) checkSetup() {
	if u.deps.Clinics == nil {
		return
	}
	run(&u.bg, func(ctx context.Context) (setupState, error) {
		_, ok, err := u.deps.Clinics.Clinic(ctx)
		if err != nil {
			return setupState{}, err
		}
		ps, err := u.deps.Providers.Providers(ctx, false)
		return setupState{clinic: ok, providers: len(ps)}, err
	}, func(s setupState, err error) {
		switch {
		case err != nil:
			showError(u.win, catalog.T(catalog.UISetupCouldNotReadClinic), err)
		case s.fresh():
			u.ShowSetup(1)
		case !s.clinic && u.home != nil && u.editor == nil:
			u.home.showSetupBanner()
		}
	})
}

func (h *homeScreen) showSetupBanner() {
	msg := widget.NewLabel(catalog.T(catalog.UISetupReferringClinicNotSet))
	msg.Wrapping = fyne.TextWrapWord
	set := widget.NewButtonWithIcon(catalog.T(catalog.UISetupSetUpClinic), theme.SettingsIcon(), func() { h.u.ShowSetup(1) })
	set.Importance = widget.HighImportance
	h.banner.Add(widget.NewCard("", "", container.NewBorder(nil, nil, nil, set, msg)))
	h.banner.Refresh()
}

// ShowSetup shows step n (1–3) of the first-start setup.
func (u *UI) ShowSetup(n int) {
	u.flush()
	u.editor = nil
	var body fyne.CanvasObject
	var title, intro string
	switch n {
	case 1:
		title = catalog.T(catalog.UISetupYourClinic)
		intro = catalog.T(catalog.UISetupClinicThatSendsReferrals)
		f := newClinicForm(u, catalog.T(catalog.UISetupSaveContinue), func(app.Clinic) { u.ShowSetup(2) })
		f.load()
		u.setupClinic = f
		body = container.NewVBox(f.form, f.msg)
	case 2:
		title = catalog.T(catalog.UISetupFirstAuthorizingProvider)
		intro = catalog.T(catalog.UISetupEveryOrderAuthorizedBy)
		next := widget.NewButtonWithIcon(catalog.T(catalog.UISetupContinue), theme.NavigateNextIcon(), func() { u.ShowSetup(3) })
		next.Importance = widget.HighImportance
		body = container.NewBorder(nil, container.NewHBox(next), nil, nil, newProvidersScreen(u, func() { u.ShowSetup(3) }).content)
	default:
		n = setupSteps
		title = catalog.T(catalog.UISetupInstitutionAccount)
		intro = catalog.T(catalog.UISetupSignedOrdersAreSent, u.deps.Profile.Name)
		now := widget.NewButtonWithIcon(catalog.T(catalog.UISetupSetUpAccountNow), theme.LoginIcon(), u.ShowAccount)
		now.Importance = widget.HighImportance
		later := widget.NewButtonWithIcon(catalog.T(catalog.UISetupLater), theme.HomeIcon(), u.ShowHome)
		body = container.NewHBox(now, later)
	}
	head := widget.NewLabelWithStyle(catalog.T(catalog.UISetupWelcomeReferraldeskSetupStep, n, setupSteps, title),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(intro)
	text.Wrapping = fyne.TextWrapWord
	skip := widget.NewButtonWithIcon(catalog.T(catalog.UISetupFinishLater), theme.HomeIcon(), u.ShowHome)
	back := widget.NewButtonWithIcon(catalog.T(catalog.UISetupBack), theme.NavigateBackIcon(), func() { u.ShowSetup(n - 1) })
	if n == 1 {
		back.Disable()
	}
	u.setBody(container.NewBorder(container.NewVBox(head, text, widget.NewSeparator()),
		container.NewBorder(widget.NewSeparator(), nil, back, skip), nil, nil,
		container.NewVScroll(container.NewPadded(body))))
}
