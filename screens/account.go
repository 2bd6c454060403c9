package screens

import (
	"context"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/smart"
)

// accountScreen signs in to the institution's server. The secret goes to the system keychain only.
type accountScreen struct {
	u                        *UI
	content                  fyne.CanvasObject
	fhirURL, dicom, user, ca *widget.Entry
	secret                   *widget.Entry
	method                   *widget.RadioGroup // password/token or SMART on FHIR
	clientID                 *widget.Entry
	userItems, smartItems    []*widget.FormItem
	commonItems              []*widget.FormItem
	caItem                   *widget.FormItem
	form                     *widget.Form
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
	a.fhirURL.SetPlaceHolder(catalog.T(catalog.UIAccountHttpsFhirInstitutionExample))
	a.dicom.SetPlaceHolder(catalog.T(catalog.UIAccountHttpsPacsInstitutionExample))
	a.user.SetPlaceHolder(catalog.T(catalog.UIAccountYourUserNameLeave))
	a.ca.SetPlaceHolder(catalog.T(catalog.UIAccountOnlyBehindInspectingProxy))
	a.secret = widget.NewPasswordEntry()
	a.secret.SetPlaceHolder(catalog.T(catalog.UIAccountPasswordApiToken))
	a.secret.OnSubmitted = func(string) { a.submit() }
	a.msg = widget.NewLabel("")
	a.msg.Wrapping = fyne.TextWrapWord
	base := widget.NewFormItem(catalog.T(catalog.UIAccountFhirServer), a.fhirURL)
	base.Required = true
	a.clientID = widget.NewEntry()
	a.clientID.SetPlaceHolder(catalog.T(catalog.UIAccountClientIdInstitutionRegistered))
	a.method = widget.NewRadioGroup([]string{methodPassword(), methodSMART()}, func(string) { a.showMethod() })
	a.method.Horizontal = true
	a.userItems = []*widget.FormItem{widget.NewFormItem(catalog.T(catalog.UIAccountUserName), a.user), widget.NewFormItem(catalog.T(catalog.UIAccountPasswordToken), a.secret)}
	a.smartItems = []*widget.FormItem{widget.NewFormItem(catalog.T(catalog.UIAccountClientId), a.clientID)}
	a.commonItems = []*widget.FormItem{widget.NewFormItem(catalog.T(catalog.UIAccountSignIn), a.method), base, widget.NewFormItem(catalog.T(catalog.UIAccountDicomwebServer), a.dicom)}
	a.caItem = widget.NewFormItem(catalog.T(catalog.UIAccountExtraCaFile), a.ca)
	form := widget.NewForm()
	a.form = form
	a.signIn = widget.NewButtonWithIcon(catalog.T(catalog.UIAccountTestConnectionSign), theme.LoginIcon(), a.submit)
	a.signIn.Importance = widget.HighImportance
	a.signOut = widget.NewButtonWithIcon(catalog.T(catalog.UIAccountSignOut), theme.LogoutIcon(), a.confirmSignOut)
	a.signOut.Hide()
	a.method.SetSelected(methodPassword())
	back := widget.NewButtonWithIcon(catalog.T(catalog.UIAccountDone), theme.NavigateBackIcon(), u.ShowHome)
	note := widget.NewLabel(catalog.T(catalog.UIAccountReferraldeskSendsSignedOrders, u.deps.Profile.Name))
	note.Wrapping = fyne.TextWrapWord
	a.content = container.NewBorder(container.NewVBox(widget.NewLabelWithStyle(catalog.T(catalog.UIAccountInstitutionAccount), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), note),
		container.NewHBox(back), nil, nil,
		container.NewVBox(form, container.NewHBox(a.signIn, a.signOut), a.msg))
	a.content = container.NewPadded(a.content)
	if u.deps.Sync == nil {
		a.msg.SetText(catalog.T(catalog.UIAccountSyncNotAvailableBuild))
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
		a.clientID.SetText(s.acct.ClientID)
		if s.acct.Kind() == creds.AuthSMARTUser {
			a.method.SetSelected(methodSMART())
		}
		a.msg.SetText(catalog.T(catalog.UIAccountSignedHostEnterPassword, s.acct.Host()))
		a.signOut.Show()
	})
	return a
}

// browserSignInTimeout bounds a sign-in through the browser, where a person types: past smart's own
// wait, so that its clearer message comes first (run's 30 s would cut the person off).
const browserSignInTimeout = smart.DefaultBrowserTimeout + time.Minute

// openBrowser shows a sign-in page: Deps.OpenBrowser, else the desktop's default browser.
func (u *UI) openBrowser() func(url string) error {
	if u.deps.OpenBrowser != nil {
		return u.deps.OpenBrowser
	}
	return func(raw string) error {
		addr, err := url.Parse(raw)
		if err != nil {
			return err
		}
		return fyne.CurrentApp().OpenURL(addr)
	}
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

// The sign-in methods, as the radio group names them.
func methodPassword() string { return catalog.T(catalog.UIAccountMethodPassword) }

func methodSMART() string { return catalog.T(catalog.UIAccountMethodSmart) }

// showMethod shows the fields of the chosen sign-in method only.
func (a *accountScreen) showMethod() {
	smartOn := a.method.Selected == methodSMART()
	items := append([]*widget.FormItem{}, a.commonItems...)
	for _, it := range a.userItems {
		it.Widget.Show()
		if smartOn {
			it.Widget.Hide()
		} else {
			items = append(items, it)
		}
	}
	for _, it := range a.smartItems {
		it.Widget.Hide()
		if smartOn {
			it.Widget.Show()
			items = append(items, it)
		}
	}
	a.form.Items = append(items, a.caItem)
	a.signIn.SetText(catalog.T(catalog.UIAccountTestConnectionSign))
	if smartOn {
		a.signIn.SetText(catalog.T(catalog.UIAccountSignBrowser))
	}
	a.form.Refresh()
}

// submitSMART signs in through the institution's login page in the system browser (never an
// embedded view); only the refresh token is kept, in the keychain.
func (a *accountScreen) submitSMART() {
	acct := a.account()
	acct.Auth, acct.ClientID, acct.User = creds.AuthSMARTUser, strings.TrimSpace(a.clientID.Text), ""
	if err := acct.Validate(); err != nil {
		a.fail(catalog.Err(err))
		return
	}
	if acct.ClientID == "" {
		a.fail(catalog.T(catalog.UIAccountEnterClientIdInstitution))
		return
	}
	a.signIn.Disable()
	a.msg.Importance = widget.MediumImportance
	a.msg.SetText(catalog.T(catalog.UIAccountOpeningHostSSign, acct.Host()))
	open := a.u.openBrowser()
	runWithin(&a.u.bg, browserSignInTimeout, func(ctx context.Context) (*smart.Session, error) {
		return a.u.deps.Sync.SignInSMART(ctx, acct, open)
	}, func(sess *smart.Session, err error) {
		a.signIn.Enable()
		if err != nil {
			a.fail(catalog.Err(err))
			return
		}
		a.msg.Importance = widget.SuccessImportance
		text := catalog.T(catalog.UIAccountSignedAsAtHost, sess.SignedInAs(), acct.Host())
		if len(sess.Missing) > 0 {
			a.msg.Importance = widget.WarningImportance
			text += catalog.T(catalog.UIAccountServerDidNotAllow, strings.Join(sess.Missing, "; "))
		}
		a.msg.SetText(text)
		a.signOut.Show()
	})
}

// submit tests the connection off the UI thread and says precisely what is wrong, if anything.
func (a *accountScreen) submit() {
	if a.method.Selected == methodSMART() {
		a.submitSMART()
		return
	}
	acct, secret := a.account(), a.secret.Text
	if err := acct.Validate(); err != nil {
		a.fail(catalog.Err(err))
		return
	}
	if secret == "" {
		a.fail(catalog.T(catalog.UIAccountEnterPasswordToken))
		return
	}
	a.signIn.Disable()
	a.msg.Importance = widget.MediumImportance
	a.msg.SetText(catalog.T(catalog.UIAccountConnectingHost, acct.Host()))
	run(&a.u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, a.u.deps.Sync.SignIn(ctx, acct, secret)
	}, func(_ struct{}, err error) {
		a.signIn.Enable()
		a.secret.SetText("")
		if err != nil {
			a.fail(catalog.Err(err))
			return
		}
		a.msg.Importance = widget.SuccessImportance
		a.msg.SetText(catalog.T(catalog.UIAccountSignedHostSignedOrders, acct.Host()))
		a.signOut.Show()
	})
}

func (a *accountScreen) fail(msg string) {
	a.msg.Importance = widget.DangerImportance
	a.msg.SetText(msg)
}

func (a *accountScreen) confirmSignOut() {
	showConfirm(a.u.win, catalog.T(catalog.UIAccountSignOut2), catalog.T(catalog.UIAccountPasswordTokenRemovedFrom),
		func(ok bool) {
			if !ok {
				return
			}
			run(&a.u.bg, func(ctx context.Context) (struct{}, error) {
				return struct{}{}, a.u.deps.Sync.SignOut(ctx)
			}, func(_ struct{}, err error) {
				if err != nil {
					a.fail(catalog.Err(err))
					return
				}
				a.signOut.Hide()
				a.msg.Importance = widget.MediumImportance
				a.msg.SetText(catalog.T(catalog.UIAccountSignedOut))
			})
		})
}
