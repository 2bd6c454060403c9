package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/users"
)

// userErrorText says in one sentence why a change to a user was refused.
func userErrorText(err error) string {
	var wait *users.WaitError
	switch {
	case errors.As(err, &wait) && errors.Is(err, users.ErrLockedOut):
		return fmt.Sprintf("Too many wrong PINs. Try again in %d s.", seconds(wait.Wait))
	case errors.As(err, &wait):
		return fmt.Sprintf("The current PIN is wrong. Try again in %d s.", seconds(wait.Wait))
	case errors.Is(err, users.ErrBadPIN):
		return "The PIN must be 4 to 12 digits."
	case errors.Is(err, users.ErrLastAdmin):
		return "Someone else must be an administrator first: at least one user stays one."
	case errors.Is(err, users.ErrNotAllowed):
		return "Only an administrator can do this."
	case errors.Is(err, users.ErrOwnPIN):
		return "Change your own PIN with Change my PIN."
	case errors.Is(err, app.ErrAlreadyExists):
		return "There is already a user with this name."
	case errors.Is(err, users.ErrInvalid):
		return "Check the name, and for a physician the provider."
	}
	return "The change was not saved: " + err.Error()
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
	cancel := widget.NewButton("Cancel", func() { ud.d.Hide() })
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
	a.SetPlaceHolder("4 to 12 digits")
	b.SetPlaceHolder("The same PIN again")
	return a, b
}

func checkPinPair(a, b *widget.Entry) string {
	switch {
	case users.CheckPINFormat(a.Text) != nil:
		return "The new PIN must be 4 to 12 digits."
	case a.Text != b.Text:
		return "The two new PINs differ. Type the same PIN twice."
	}
	return ""
}

// showChangePIN lets the person working change their own PIN; the current one is checked with
// the same growing wait as at the lock screen.
func (s *usersScreen) showChangePIN(me users.User) {
	u := s.u
	cur := widget.NewPasswordEntry()
	cur.SetPlaceHolder("Your PIN now")
	pin, pin2 := pinPair()
	form := widget.NewForm(widget.NewFormItem("Current PIN", cur), widget.NewFormItem("New PIN", pin),
		widget.NewFormItem("New PIN again", pin2))
	s.pinDialog = newUserDialog(u, "Change my PIN", "Save PIN", form, "", func(ud *userDialog) {
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
			s.msg.SetText("Your PIN was changed.")
		})
	})
}

// showResetPIN lets an administrator give another user a new PIN (the forgotten-PIN path).
func (s *usersScreen) showResetPIN(who users.User) {
	u := s.u
	pin, pin2 := pinPair()
	form := widget.NewForm(widget.NewFormItem("New PIN", pin), widget.NewFormItem("New PIN again", pin2))
	note := "Tell " + who.Name + " the new PIN in person. They can change it under Settings → Users → Change my PIN."
	s.pinDialog = newUserDialog(u, "New PIN for "+who.Name, "Set new PIN", form, note, func(ud *userDialog) {
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
			s.msg.SetText(who.Name + " has a new PIN.")
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
	provider.PlaceHolder = "Which provider?"
	provider.SetSelected(s.names[who.ProviderID])
	role := widget.NewSelect([]string{roleText[users.RolePhysician], roleText[users.RoleStaff]}, func(r string) {
		if r == roleText[users.RolePhysician] && !nameOnly {
			provider.Enable()
		} else {
			provider.Disable()
		}
	})
	role.SetSelected(roleText[who.Role])
	admin := widget.NewCheck("Administrator: adds and removes users, resets forgotten PINs", nil)
	admin.SetChecked(who.Admin)
	if nameOnly {
		role.Disable()
		provider.Disable()
		admin.Disable()
	}
	form := widget.NewForm(widget.NewFormItem("Name", name), widget.NewFormItem("Role", role),
		widget.NewFormItem("Provider", provider), widget.NewFormItem("", admin))
	note := ""
	if nameOnly {
		note = "An administrator can change your role."
	}
	s.editDialog = newUserDialog(u, "Edit "+who.Name, "Save changes", form, note, func(ud *userDialog) {
		changed := who
		changed.Name = strings.TrimSpace(name.Text)
		changed.Role, changed.ProviderID = users.RoleStaff, 0
		if role.Selected == roleText[users.RolePhysician] {
			changed.Role = users.RolePhysician
			for _, p := range s.providers {
				if p.SigningName() == provider.Selected {
					changed.ProviderID = p.ID
				}
			}
			if changed.ProviderID == 0 {
				ud.msg.SetText("Choose which provider this physician is.")
				return
			}
		}
		if changed.Name == "" {
			ud.msg.SetText("Type the user's name.")
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
			s.msg.SetText(changed.Name + " was saved.")
			s.load()
		})
	})
}
