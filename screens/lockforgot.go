package screens

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/users"
)

// "Forgot PIN?" on the lock screen. The person whose name is chosen signs in to the institution
// account this computer sends with (the password, or the SMART login page in the browser) and then
// sets a new PIN, which unlocks the window for them (users.Recovery does the work). The
// administrator's way back in is always shown below, for when there is no network or no account.

// forgotText is the administrator's way back in. It names administrators (staff names, no patient
// data) so the person knows whom to ask.
func forgotText(people []users.User) string {
	var admins []string
	for _, p := range people {
		if p.Admin {
			admins = append(admins, p.Name)
		}
	}
	ask := catalog.T(catalog.UILockAskAdministrator)
	if len(admins) > 0 {
		ask += " (" + strings.Join(admins, ", ") + ")"
	}
	return catalog.T(catalog.UILockAskSignHereGive, ask)
}

// forgotPIN is the "Forgot PIN?" dialog: first the sign-in, then the new PIN.
type forgotPIN struct {
	l         *lockScreen
	who       users.User
	acct      creds.Account
	rec       *users.Recovery
	ticket    users.Ticket
	step      *fyne.Container // the sign-in, then the new PIN
	msg       *widget.Label
	password  *widget.Entry
	signInB   *widget.Button
	pin, pin2 *widget.Entry
	setB      *widget.Button
}

// showForgot reads the saved account off the UI thread, then shows the dialog: the sign-in when a
// name is chosen and the account has a person's sign-in, else why not, with the administrator's way.
func (l *lockScreen) showForgot() {
	u := l.u
	who, chosen := l.chosen()
	if !chosen || u.deps.Sync == nil || u.deps.Users == nil {
		note := ""
		if !chosen && u.deps.Sync != nil {
			note = catalog.T(catalog.UILockForgotChooseName)
		}
		l.showForgotDialog(nil, note)
		return
	}
	run(&u.bg, func(ctx context.Context) (accountState, error) {
		acct, ok, err := u.deps.Sync.Account(ctx)
		return accountState{acct, ok}, err
	}, func(s accountState, err error) {
		if u.lockView != l {
			return // unlocked meanwhile
		}
		switch {
		case err != nil:
			l.showForgotDialog(nil, catalog.T(catalog.UILockForgotNotSignedIn, catalog.Err(err)))
		case !s.ok:
			l.showForgotDialog(nil, catalog.T(catalog.UILockForgotNoAccount))
		case s.acct.Kind() == creds.AuthSMARTBackend:
			l.showForgotDialog(nil, catalog.Err(syncer.ErrNoPersonSignIn))
		default:
			f := &forgotPIN{l: l, who: who, acct: s.acct, rec: &users.Recovery{
				Store: u.deps.Users, Institution: u.deps.Sync, Guard: &u.guard, Now: u.deps.Now,
			}}
			l.recover = f
			l.showForgotDialog(f.signInStep(), "")
		}
	})
}

// showForgotDialog shows the dialog with the sign-in part (nil: none) or a note saying why there is none.
func (l *lockScreen) showForgotDialog(part fyne.CanvasObject, note string) {
	var top []fyne.CanvasObject
	if part != nil {
		top = append(top, part, widget.NewSeparator(), widget.NewLabel(catalog.T(catalog.UILockForgotOr)))
	} else if note != "" {
		n := widget.NewLabel(note)
		n.Wrapping = fyne.TextWrapWord
		top = append(top, n, widget.NewSeparator())
	}
	admin := widget.NewLabel(forgotText(l.people))
	admin.Wrapping = fyne.TextWrapWord
	body := container.NewVScroll(container.NewVBox(append(top, admin)...))
	l.forgot = dialog.NewCustom(catalog.T(catalog.UILockForgotYourPin), catalog.T(catalog.UILockClose), body, l.u.win)
	l.forgot.SetOnClosed(func() { l.recover = nil })
	l.forgot.Show()
	l.forgot.Resize(fyne.NewSize(580, 620))
	if l.recover != nil && l.recover.password != nil {
		l.u.win.Canvas().Focus(l.recover.password)
	}
}

// signInStep is the sign-in part of the dialog: the step (sign-in, later the new PIN) and a message.
func (f *forgotPIN) signInStep() fyne.CanvasObject {
	f.msg = widget.NewLabel("")
	f.msg.Wrapping = fyne.TextWrapWord
	f.step = container.NewVBox(f.signInFields()...)
	return container.NewVBox(f.step, f.msg)
}

// signInFields ask for the account's password, or offer the login page of a SMART account.
func (f *forgotPIN) signInFields() []fyne.CanvasObject {
	host := f.acct.Host()
	intro := catalog.T(catalog.UILockForgotIntroPassword, f.who.Name, f.acct.User, host)
	if f.acct.User == "" {
		intro = catalog.T(catalog.UILockForgotIntroToken, f.who.Name, host) // a bearer token account
	}
	var fields []fyne.CanvasObject
	if f.acct.Kind() == creds.AuthSMARTUser {
		intro = catalog.T(catalog.UILockForgotIntroSmart, f.who.Name, host)
		f.password = nil
		f.signInB = widget.NewButtonWithIcon(catalog.T(catalog.UIAccountSignBrowser), theme.LoginIcon(), f.signIn)
	} else {
		f.password = widget.NewPasswordEntry()
		f.password.SetPlaceHolder(catalog.T(catalog.UIAccountPasswordApiToken))
		f.password.OnSubmitted = func(string) { f.signIn() }
		fields = append(fields, widget.NewForm(widget.NewFormItem(catalog.T(catalog.UIAccountPasswordToken), f.password)))
		f.signInB = widget.NewButtonWithIcon(catalog.T(catalog.UILockForgotSignIn), theme.LoginIcon(), f.signIn)
	}
	f.signInB.Importance = widget.HighImportance
	text := widget.NewLabel(intro)
	text.Wrapping = fyne.TextWrapWord
	return append(append([]fyne.CanvasObject{text}, fields...), container.NewHBox(f.signInB))
}

// live reports whether the dialog is still the lock screen's (not closed, not unlocked).
func (f *forgotPIN) live() bool { return f.l.u.lockView == f.l && f.l.recover == f }

// signIn checks the sign-in off the UI thread; nothing is unlocked by it alone.
func (f *forgotPIN) signIn() {
	var password string
	if f.password != nil {
		if password = f.password.Text; password == "" {
			f.fail(catalog.T(catalog.UIAccountEnterPasswordToken))
			return
		}
		f.password.SetText("")
	}
	host := f.acct.Host()
	f.signInB.Disable()
	f.msg.Importance = widget.MediumImportance
	f.msg.SetText(catalog.T(catalog.UILockForgotSigningIn, host))
	open := f.l.u.openBrowser()
	runWithin(&f.l.u.bg, browserSignInTimeout, func(ctx context.Context) (users.Ticket, error) {
		return f.rec.SignIn(ctx, f.who.ID, password, open)
	}, func(t users.Ticket, err error) {
		if !f.live() {
			return
		}
		f.signInB.Enable()
		switch {
		case errors.Is(err, creds.ErrUnreachable):
			f.fail(catalog.T(catalog.UILockForgotOffline, host))
		case err != nil:
			f.fail(catalog.T(catalog.UILockForgotNotSignedIn, catalog.Err(err)))
		default:
			f.ticket = t
			f.pinStep()
		}
	})
}

// pinStep replaces the sign-in with the new PIN's fields.
func (f *forgotPIN) pinStep() {
	f.msg.SetText("")
	f.pin, f.pin2 = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	f.pin2.OnSubmitted = func(string) { f.setPIN() }
	f.setB = widget.NewButtonWithIcon(catalog.T(catalog.UILockSetPinUnlock), theme.LoginIcon(), f.setPIN)
	f.setB.Importance = widget.HighImportance
	done := widget.NewLabel(catalog.T(catalog.UILockForgotSignedInNewPin, f.ticket.Host()))
	done.Wrapping = fyne.TextWrapWord
	f.step.Objects = []fyne.CanvasObject{
		done,
		widget.NewForm(widget.NewFormItem(catalog.T(catalog.UILockNewPin), f.pin), widget.NewFormItem(catalog.T(catalog.UILockNewPinAgain), f.pin2)),
		container.NewHBox(f.setB),
	}
	f.step.Refresh()
	f.l.u.win.Canvas().Focus(f.pin)
}

// setPIN stores the new PIN off the UI thread (Argon2id) and unlocks for the user.
func (f *forgotPIN) setPIN() {
	if f.pin.Text != f.pin2.Text {
		f.fail(catalog.T(catalog.UILockPinsDiffer))
		return
	}
	pin := f.pin.Text
	f.setB.Disable()
	run(&f.l.u.bg, func(ctx context.Context) (users.User, error) {
		return f.rec.SetPIN(ctx, f.ticket, pin)
	}, func(who users.User, err error) {
		if !f.live() {
			return
		}
		f.setB.Enable()
		switch {
		case errors.Is(err, users.ErrTicketExpired) || errors.Is(err, users.ErrNoTicket):
			f.step.Objects = f.signInFields() // sign in again
			f.step.Refresh()
			f.fail(catalog.T(catalog.UILockSignInTooOld))
		case err != nil:
			f.fail(userErrorText(err))
		default:
			f.l.u.unlock(&who)
		}
	})
}

func (f *forgotPIN) fail(text string) {
	f.msg.Importance = widget.DangerImportance
	f.msg.SetText(text)
}
