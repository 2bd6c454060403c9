package screens

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/users"
)

// userErrorText says in one sentence why a change to a user was refused.
func userErrorText(err error) string {
	var wait *users.WaitError
	switch {
	case errors.As(err, &wait) && errors.Is(err, users.ErrLockedOut):
		return catalog.T(catalog.UIUserdialogsTooManyWrongPins, seconds(wait.Wait))
	case errors.As(err, &wait):
		return catalog.T(catalog.UIUserdialogsCurrentPinWrongTry, seconds(wait.Wait))
	case errors.Is(err, users.ErrBadPIN):
		return catalog.T(catalog.UIUserdialogsPinMust412)
	case errors.Is(err, users.ErrLastAdmin):
		return catalog.T(catalog.UIUserdialogsSomeoneElseMustAdministrator)
	case errors.Is(err, users.ErrNotAllowed):
		return catalog.T(catalog.UIUserdialogsOnlyAdministratorCanDo)
	case errors.Is(err, users.ErrOwnPIN):
		return catalog.T(catalog.UIUserdialogsChangeYourOwnPin)
	case errors.Is(err, app.ErrAlreadyExists):
		return catalog.T(catalog.UIUserdialogsThereAlreadyUserName)
	case errors.Is(err, users.ErrInvalid):
		return catalog.T(catalog.UIUserdialogsCheckNamePhysicianProvider)
	}
	return catalog.T(catalog.UIUserdialogsChangeWasNotSaved, err.Error())
}

// userDialog is a small form in a dialog that stays open until its work succeeds (a refused PIN
// is said inside it, not in a second dialog).
type userDialog struct {
	d    dialog.Dialog
	form *widget.Form
	msg  *widget.Label
	ok   *widget.Button
}

func newUserDialog(u *UI, title, okText string, form *widget.Form, note string, onOK func(*userDialog)) *userDialog {
	ud := &userDialog{msg: widget.NewLabel(""), form: form}
	ud.msg.Wrapping = fyne.TextWrapWord
	ud.msg.Importance = widget.DangerImportance
	ud.ok = widget.NewButton(okText, func() { onOK(ud) })
	ud.ok.Importance = widget.HighImportance
	cancel := widget.NewButton(catalog.T(catalog.UIUserdialogsCancel), func() { ud.d.Hide() })
	body := container.NewVBox(form)
	if note != "" {
		l := widget.NewLabel(note)
		l.Wrapping = fyne.TextWrapWord
		body.Add(l)
	}
	body.Add(ud.msg)
	body.Add(container.NewHBox(cancel, ud.ok))
	ud.d = dialog.NewCustomWithoutButtons(title, body, u.win)
	ud.d.Show()
	ud.d.Resize(fyne.NewSize(480, ud.d.MinSize().Height))
	return ud
}

// pinPair is a new PIN typed twice.
func pinPair() (*widget.Entry, *widget.Entry) {
	a, b := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	a.SetPlaceHolder(catalog.T(catalog.UIUserdialogs412Digits))
	b.SetPlaceHolder(catalog.T(catalog.UIUserdialogsSamePinAgain))
	return a, b
}

func checkPinPair(a, b *widget.Entry) string {
	switch {
	case users.CheckPINFormat(a.Text) != nil:
		return catalog.T(catalog.UIUserdialogsNewPinMust4)
	case a.Text != b.Text:
		return catalog.T(catalog.UIUserdialogsTwoNewPinsDiffer)
	}
	return ""
}

// showChangePIN lets the person working change their own PIN; the current one is checked with
// the same growing wait as at the lock screen.
func (s *usersScreen) showChangePIN(me users.User) {
	u := s.u
	cur := widget.NewPasswordEntry()
	cur.SetPlaceHolder(catalog.T(catalog.UIUserdialogsYourPinNow))
	pin, pin2 := pinPair()
	form := widget.NewForm(widget.NewFormItem(catalog.T(catalog.UIUserdialogsCurrentPin), cur), widget.NewFormItem(catalog.T(catalog.UIUserdialogsNewPin), pin),
		widget.NewFormItem(catalog.T(catalog.UIUserdialogsNewPinAgain), pin2))
	s.pinDialog = newUserDialog(u, catalog.T(catalog.UIUserdialogsChangeMyPin), catalog.T(catalog.UIUserdialogsSavePin), form, "", func(ud *userDialog) {
		if m := checkPinPair(pin, pin2); m != "" {
			ud.msg.SetText(m)
			return
		}
		old, nu := cur.Text, pin.Text
		cur.SetText("")
		ud.ok.Disable()
		run(&u.bg, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, users.ChangePIN(ctx, u.deps.Users, &u.guard, me.ID, old, nu)
		}, func(_ struct{}, err error) {
			ud.ok.Enable()
			if err != nil {
				ud.msg.SetText(userErrorText(err))
				return
			}
			ud.d.Hide()
			s.msg.SetText(catalog.T(catalog.UIUserdialogsYourPinWasChanged))
		})
	})
}

// showResetPIN lets an administrator give another user a new PIN (the forgotten-PIN path).
func (s *usersScreen) showResetPIN(who users.User) {
	u := s.u
	pin, pin2 := pinPair()
	form := widget.NewForm(widget.NewFormItem(catalog.T(catalog.UIUserdialogsNewPin), pin), widget.NewFormItem(catalog.T(catalog.UIUserdialogsNewPinAgain), pin2))
	note := catalog.T(catalog.UIUserdialogsTellNameNewPin, who.Name)
	s.pinDialog = newUserDialog(u, catalog.T(catalog.UIUserdialogsNewPinName, who.Name), catalog.T(catalog.UIUserdialogsSetNewPin), form, note, func(ud *userDialog) {
		if m := checkPinPair(pin, pin2); m != "" {
			ud.msg.SetText(m)
			return
		}
		nu := pin.Text
		admin := *u.current
		ud.ok.Disable()
		run(&u.bg, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, users.ResetPIN(ctx, u.deps.Users, admin, who.ID, nu)
		}, func(_ struct{}, err error) {
			ud.ok.Enable()
			if err != nil {
				ud.msg.SetText(userErrorText(err))
				return
			}
			ud.d.Hide()
			s.msg.SetText(catalog.T(catalog.UIUserdialogsNameHasNewPin, who.Name))
		})
	})
}

// showEdit changes a user's name and, for an administrator, role, provider and administrator right.
func (s *usersScreen) showEdit(who users.User) {
	u := s.u
	nameOnly, _ := users.CanEdit(s.editor(), who, s.people)
	name := widget.NewEntry()
	name.SetText(who.Name)
	provider := widget.NewSelect(s.provider.Options, nil)
	provider.PlaceHolder = catalog.T(catalog.UIUserdialogsWhichProvider)
	provider.SetSelected(s.names[who.ProviderID])
	role := widget.NewSelect([]string{roleText(users.RolePhysician), roleText(users.RoleStaff)}, func(r string) {
		if r == roleText(users.RolePhysician) && !nameOnly {
			provider.Enable()
		} else {
			provider.Disable()
		}
	})
	role.SetSelected(roleText(who.Role))
	admin := widget.NewCheck(catalog.T(catalog.UIUserdialogsAdministratorAddsRemovesUsers), nil)
	admin.SetChecked(who.Admin)
	if nameOnly {
		role.Disable()
		provider.Disable()
		admin.Disable()
	}
	form := widget.NewForm(widget.NewFormItem(catalog.T(catalog.UIUserdialogsName), name), widget.NewFormItem(catalog.T(catalog.UIUserdialogsRole), role),
		widget.NewFormItem(catalog.T(catalog.UIUserdialogsProvider), provider), widget.NewFormItem("", admin))
	note := ""
	if nameOnly {
		note = catalog.T(catalog.UIUserdialogsAdministratorCanChangeYour)
	}
	s.editDialog = newUserDialog(u, catalog.T(catalog.UIUserdialogsEditName, who.Name), catalog.T(catalog.UIUserdialogsSaveChanges), form, note, func(ud *userDialog) {
		changed := who
		changed.Name = strings.TrimSpace(name.Text)
		changed.Role, changed.ProviderID = users.RoleStaff, 0
		if role.Selected == roleText(users.RolePhysician) {
			changed.Role = users.RolePhysician
			for _, p := range s.providers {
				if p.SigningName() == provider.Selected {
					changed.ProviderID = p.ID
				}
			}
			if changed.ProviderID == 0 {
				ud.msg.SetText(catalog.T(catalog.UIUserdialogsChooseWhichProviderPhysician))
				return
			}
		}
		if changed.Name == "" {
			ud.msg.SetText(catalog.T(catalog.UIUserdialogsTypeUserSName))
			return
		}
		changed.Admin = admin.Checked
		editor := s.editor()
		run(&u.bg, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, users.Edit(ctx, u.deps.Users, editor, changed)
		}, func(_ struct{}, err error) {
			if err != nil {
				ud.msg.SetText(userErrorText(err))
				return
			}
			ud.d.Hide()
			if u.current != nil && u.current.ID == changed.ID {
				c := *u.current
				c.Name, c.Role, c.ProviderID, c.Admin = changed.Name, changed.Role, changed.ProviderID, changed.Admin
				u.current = &c
				u.bg.actor = c.Name
				u.updateWho()
			}
			s.msg.SetText(catalog.T(catalog.UIUserdialogsNameWasSaved, changed.Name))
			s.load()
		})
	})
}
