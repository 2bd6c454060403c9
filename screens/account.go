package screens

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/creds"
)

// accountScreen signs in to the institution's server. The secret goes to the system keychain only.
type accountScreen struct {
	u                        *UI
	content                  fyne.CanvasObject
	fhirURL, dicom, user, ca *widget.Entry
	secret                   *widget.Entry
	msg                      *widget.Label
	signIn, signOut          *widget.Button
}

// ShowAccount shows the sign-in screen.
func (u *UI) ShowAccount() {
	u.flush()
	u.editor = nil
	a := newAccountScreen(u)
	u.account = a
	u.setBody(a.content)
}

func newAccountScreen(u *UI) *accountScreen {
	a := &accountScreen{u: u}
	a.fhirURL, a.dicom, a.user, a.ca = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	a.fhirURL.SetPlaceHolder("https://fhir.institution.example/R4")
	a.dicom.SetPlaceHolder("https://pacs.institution.example/dicom-web (for images)")
	a.user.SetPlaceHolder("Your user name (leave empty for an API token)")
	a.ca.SetPlaceHolder("Only behind an inspecting proxy: the clinic's CA certificates (PEM file)")
	a.secret = widget.NewPasswordEntry()
	a.secret.SetPlaceHolder("Password or API token")
	a.secret.OnSubmitted = func(string) { a.submit() }
	a.msg = widget.NewLabel("")
	a.msg.Wrapping = fyne.TextWrapWord
	url := widget.NewFormItem("FHIR server", a.fhirURL)
	url.Required = true
	form := widget.NewForm(url, widget.NewFormItem("DICOMweb server", a.dicom), widget.NewFormItem("User name", a.user),
		widget.NewFormItem("Password or token", a.secret), widget.NewFormItem("Extra CA file", a.ca))
	a.signIn = widget.NewButtonWithIcon("Test connection and sign in", theme.LoginIcon(), a.submit)
	a.signIn.Importance = widget.HighImportance
	a.signOut = widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), a.confirmSignOut)
	a.signOut.Hide()
	back := widget.NewButtonWithIcon("Done", theme.NavigateBackIcon(), u.ShowHome)
	note := widget.NewLabel("ReferralDesk sends signed orders to " + u.deps.Profile.Name + "'s server and brings back their status, " +
		"appointments, messages and results. The password or token is kept only in this computer's keychain.")
	note.Wrapping = fyne.TextWrapWord
	a.content = container.NewBorder(container.NewVBox(widget.NewLabelWithStyle("Institution account", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), note),
		container.NewHBox(back), nil, nil,
		container.NewVBox(form, container.NewHBox(a.signIn, a.signOut), a.msg))
	a.content = container.NewPadded(a.content)
	if u.deps.Sync == nil {
		a.msg.SetText("Sync is not available in this build.")
		a.signIn.Disable()
		return a
	}
	run(&u.bg, func(ctx context.Context) (accountState, error) {
		acct, ok, err := u.deps.Sync.Account(ctx)
		return accountState{acct, ok}, err
	}, func(s accountState, err error) {
		if err != nil || !s.ok {
			return
		}
		a.fhirURL.SetText(s.acct.FHIRBase)
		a.dicom.SetText(s.acct.DICOMWebBase)
		a.user.SetText(s.acct.User)
		a.ca.SetText(s.acct.CAFile)
		a.msg.SetText("Signed in to " + s.acct.Host() + ". Enter the password again only to change it.")
		a.signOut.Show()
	})
	return a
}

type accountState struct {
	acct creds.Account
	ok   bool
}

func (a *accountScreen) account() creds.Account {
	return creds.Account{
		FHIRBase: strings.TrimSpace(a.fhirURL.Text), DICOMWebBase: strings.TrimSpace(a.dicom.Text),
		User: strings.TrimSpace(a.user.Text), CAFile: strings.TrimSpace(a.ca.Text),
	}
}

// submit tests the connection off the UI thread and says precisely what is wrong, if anything.
func (a *accountScreen) submit() {
	acct, secret := a.account(), a.secret.Text
	if err := acct.Validate(); err != nil {
		a.fail(err.Error())
		return
	}
	if secret == "" {
		a.fail("Enter the password or token.")
		return
	}
	a.signIn.Disable()
	a.msg.Importance = widget.MediumImportance
	a.msg.SetText("Connecting to " + acct.Host() + "…")
	run(&a.u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, a.u.deps.Sync.SignIn(ctx, acct, secret)
	}, func(_ struct{}, err error) {
		a.signIn.Enable()
		a.secret.SetText("")
		if err != nil {
			a.fail(err.Error())
			return
		}
		a.msg.Importance = widget.SuccessImportance
		a.msg.SetText("Signed in to " + acct.Host() + ". Signed orders are being sent.")
		a.signOut.Show()
	})
}

func (a *accountScreen) fail(msg string) {
	a.msg.Importance = widget.DangerImportance
	a.msg.SetText(msg)
}

func (a *accountScreen) confirmSignOut() {
	showConfirm(a.u.win, "Sign out?", "The password or token is removed from this computer's keychain. Signed orders keep waiting until you sign in again.",
		func(ok bool) {
			if !ok {
				return
			}
			run(&a.u.bg, func(ctx context.Context) (struct{}, error) {
				return struct{}{}, a.u.deps.Sync.SignOut(ctx)
			}, func(_ struct{}, err error) {
				if err != nil {
					a.fail(err.Error())
					return
				}
				a.signOut.Hide()
				a.msg.Importance = widget.MediumImportance
				a.msg.SetText("Signed out.")
			})
		})
}
