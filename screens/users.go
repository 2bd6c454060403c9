package screens

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/users"
)

// usersScreen lists the people who share this workstation and adds new ones.
type usersScreen struct {
	u         *UI
	content   fyne.CanvasObject
	list      *fyne.Container
	name      *widget.Entry
	role      *widget.Select
	provider  *widget.Select
	pin, pin2 *widget.Entry
	msg       *widget.Label
	providers []app.Provider
	people    []users.User
	names     map[int64]string                    // provider id → signing name
	rows      map[int64]map[string]*widget.Button // each user's buttons by text (tests tap them)
	addCard   fyne.CanvasObject
	// The open dialogs (tests reach into them).
	pinDialog, editDialog *userDialog
}

var roleCode = map[users.Role]msg.Code{users.RolePhysician: catalog.UIUsersRolePhysician, users.RoleStaff: catalog.UIUsersRoleStaff}

// roleText names a role in the user's language.
func roleText(r users.Role) string { return catalog.T(roleCode[r]) }

// ShowUsers shows the local users (from Settings).
func (u *UI) ShowUsers() {
	u.flush()
	u.editor = nil
	u.setBody(newUsersScreen(u).content)
}

func newUsersScreen(u *UI) *usersScreen {
	s := &usersScreen{u: u, list: container.NewVBox()}
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder(catalog.T(catalog.UIUsersFullNameAsShould))
	s.provider = widget.NewSelect(nil, nil)
	s.provider.PlaceHolder = catalog.T(catalog.UIUsersWhichProviderAreYou)
	s.role = widget.NewSelect([]string{roleText(users.RolePhysician), roleText(users.RoleStaff)}, func(r string) {
		if r == roleText(users.RolePhysician) {
			s.provider.Enable()
		} else {
			s.provider.Disable()
		}
	})
	s.role.SetSelected(roleText(users.RoleStaff))
	s.pin, s.pin2 = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	s.pin.SetPlaceHolder(catalog.T(catalog.UIUsers412Digits))
	s.pin2.SetPlaceHolder(catalog.T(catalog.UIUsersSamePinAgain))
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(catalog.T(catalog.UIUsersName), s.name),
		widget.NewFormItem(catalog.T(catalog.UIUsersRole), s.role),
		widget.NewFormItem(catalog.T(catalog.UIUsersProvider), s.provider),
		widget.NewFormItem(catalog.T(catalog.UIUsersPin), s.pin),
		widget.NewFormItem(catalog.T(catalog.UIUsersPinAgain), s.pin2),
	)
	form.SubmitText = catalog.T(catalog.UIUsersAddUser)
	form.OnSubmit = s.add
	intro := widget.NewLabel(catalog.T(catalog.UIUsersEveryoneWhoWorksAt))
	intro.Wrapping = fyne.TextWrapWord
	if u.deps.Users == nil {
		intro.SetText(catalog.T(catalog.UIUsersUsersCannotSetUp))
		form.Hide()
	}
	back := widget.NewButtonWithIcon(catalog.T(catalog.UIUsersSettings), theme.NavigateBackIcon(), u.ShowSettings)
	head := container.NewBorder(nil, nil, back, nil,
		widget.NewLabelWithStyle(catalog.T(catalog.UIUsersUsersComputer), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	s.addCard = widget.NewCard(catalog.T(catalog.UIUsersAddUser2), catalog.T(catalog.UIUsersFirstUserAdministratorThey),
		form)
	s.content = container.NewBorder(head, nil, nil, nil, container.NewVScroll(container.NewVBox(intro,
		widget.NewCard(catalog.T(catalog.UIUsersPeople), "", container.NewVBox(s.list, s.msg)), s.addCard)))
	s.load()
	return s
}

type usersData struct {
	people    []users.User
	providers []app.Provider
}

func (s *usersScreen) load() {
	u := s.u
	if u.deps.Users == nil {
		return
	}
	run(&u.bg, func(ctx context.Context) (usersData, error) {
		people, err := u.deps.Users.Users(ctx, false)
		if err != nil {
			return usersData{}, err
		}
		provs, err := u.deps.Providers.Providers(ctx, false)
		return usersData{people, provs}, err
	}, func(d usersData, err error) {
		if err != nil {
			showError(u.win, catalog.T(catalog.UIUsersCouldNotReadUsers), err)
			return
		}
		s.providers = d.providers
		opts := make([]string, len(d.providers))
		names := map[int64]string{}
		for i, p := range d.providers {
			opts[i] = p.SigningName()
			names[p.ID] = opts[i]
		}
		s.provider.Options = opts
		s.provider.Refresh()
		s.people = d.people
		s.names = names
		s.list.Objects = nil
		s.rows = map[int64]map[string]*widget.Button{}
		if len(d.people) == 0 {
			s.list.Add(widget.NewLabel(catalog.T(catalog.UIUsersNoUsersYetComputer)))
		}
		for _, p := range d.people {
			s.list.Add(s.row(p))
		}
		s.list.Refresh()
		// Adding users is for administrators (and for whoever sets up the first one).
		showIf(s.addCard, s.mayManage())
	})
}

// mayManage reports whether the person working may add and remove users.
func (s *usersScreen) mayManage() bool {
	cur := s.u.current
	return cur == nil || cur.Admin || !users.HasAdmin(s.people)
}

// row is one user's line with what the person working may do to them.
func (s *usersScreen) row(p users.User) fyne.CanvasObject {
	u := s.u
	line := p.Name + " — " + roleText(p.Role)
	if p.Role == users.RolePhysician {
		line += " (" + s.names[p.ProviderID] + ")"
	}
	if p.Admin {
		line += catalog.T(catalog.UIUsersAdministrator)
	}
	who := p
	btns := map[string]*widget.Button{}
	add := func(text string, icon fyne.Resource, f func()) {
		b := widget.NewButtonWithIcon(text, icon, f)
		btns[text] = b
	}
	me := u.current != nil && u.current.ID == p.ID
	if me {
		add(catalog.T(catalog.UIUsersChangeMyPin), theme.LoginIcon(), func() { s.showChangePIN(who) })
	}
	if _, ok := users.CanEdit(u.current, p, s.people); ok {
		add(catalog.T(catalog.UIUsersEdit), theme.DocumentCreateIcon(), func() { s.showEdit(who) })
	}
	if u.current != nil && u.current.Admin && !me {
		add(catalog.T(catalog.UIUsersResetPin), theme.ViewRefreshIcon(), func() { s.showResetPIN(who) })
	}
	if s.mayManage() && !me {
		add(catalog.T(catalog.UIUsersRemove), theme.DeleteIcon(), func() {
			showConfirm(u.win, catalog.T(catalog.UIUsersRemoveName, who.Name),
				catalog.T(catalog.UIUsersTheyCanNoLonger), func(ok bool) {
					if ok {
						s.deactivate(who)
					}
				})
		})
	}
	s.rows[p.ID] = btns
	box := container.NewHBox()
	for _, text := range []string{catalog.T(catalog.UIUsersChangeMyPin), catalog.T(catalog.UIUsersEdit), catalog.T(catalog.UIUsersResetPin), catalog.T(catalog.UIUsersRemove)} {
		if b := btns[text]; b != nil {
			box.Add(b)
		}
	}
	return container.NewBorder(nil, nil, nil, box, widget.NewLabel(line))
}

// add checks the form, hashes the PIN off the UI thread and saves the user.
func (s *usersScreen) add() {
	nu := users.User{Name: strings.TrimSpace(s.name.Text), Role: users.RoleStaff, Active: true}
	if s.role.Selected == roleText(users.RolePhysician) {
		nu.Role = users.RolePhysician
		for _, p := range s.providers {
			if p.SigningName() == s.provider.Selected {
				nu.ProviderID = p.ID
			}
		}
	}
	pin := s.pin.Text
	switch {
	case nu.Name == "":
		s.msg.SetText(catalog.T(catalog.UIUsersTypeUserSName))
		return
	case nu.Role == users.RolePhysician && nu.ProviderID == 0:
		s.msg.SetText(catalog.T(catalog.UIUsersChooseWhichProviderPhysician))
		return
	case users.CheckPINFormat(pin) != nil:
		s.msg.SetText(catalog.T(catalog.UIUsersPinMust412))
		return
	case pin != s.pin2.Text:
		s.msg.SetText(catalog.T(catalog.UIUsersTwoPinsDifferType))
		return
	}
	s.pin.SetText("")
	s.pin2.SetText("")
	u := s.u
	run(&u.bg, func(ctx context.Context) (users.User, error) {
		h, err := users.Hash(pin)
		if err != nil {
			return nu, err
		}
		nu.PINHash = h
		return nu, u.deps.Users.SaveUser(ctx, &nu)
	}, func(saved users.User, err error) {
		switch {
		case errors.Is(err, app.ErrAlreadyExists):
			s.msg.SetText(catalog.T(catalog.UIUsersThereAlreadyUserName))
		case err != nil:
			showError(u.win, catalog.T(catalog.UIUsersUserWasNotSaved), err)
		default:
			s.msg.SetText(catalog.T(catalog.UIUsersNameWasAdded, saved.Name))
			s.name.SetText("")
			s.load()
		}
	})
}

// deactivate keeps the user's row (orders and the audit trail refer to it) but no longer lists it.
func (s *usersScreen) deactivate(who users.User) {
	u := s.u
	who.Active = false
	editor := s.editor()
	run(&u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, users.Edit(ctx, u.deps.Users, editor, who)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.msg.SetText(userErrorText(err))
			return
		}
		s.msg.SetText(catalog.T(catalog.UIUsersNameWasRemoved, who.Name))
		s.load()
	})
}

// editor is a copy of the person working, for users.Edit (nil: nobody signed in).
func (s *usersScreen) editor() *users.User {
	if s.u.current == nil {
		return nil
	}
	c := *s.u.current
	return &c
}
