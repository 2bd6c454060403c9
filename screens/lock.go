package screens

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/users"
)

// The idle lock (HIPAA automatic log-off) and "who is working".
//
// Locking swaps the window's whole content for the lock screen and takes every dialog off the canvas,
// keeping both in memory: nothing with patient data stays drawn. Background work (the sync service,
// packet builds, uploads) is not touched, so sending goes on while the window is locked.
//
// Input detection: Fyne has no window-wide input event, and an overlay that sees every click would
// also swallow it. So activity is gathered from what can be seen without stealing events: the
// keyboard shortcuts, keys pressed with no widget focused (desktop.Canvas.SetOnKeyDown), every screen
// change (setBody), and a poll every few seconds of the keyboard focus, the focused entry's text and
// cursor, and the dialogs shown. Typing, tabbing, clicking into a field or a button that changes the
// screen all count; moving the mouse alone does not.

// DefaultLockAfter is the idle time before the lock when Deps.LockAfter is 0.
const DefaultLockAfter = 10 * time.Minute

// idlePoll is how often the activity fingerprint is compared (the lock comes at most this late).
const idlePoll = 5 * time.Second

func (u *UI) lockAfter() time.Duration {
	if u.deps.LockAfter > 0 {
		return u.deps.LockAfter
	}
	return DefaultLockAfter
}

// touch records user activity.
func (u *UI) touch() { u.lastInput = u.deps.now() }

// activityMark is what the idle poll compares: a change means someone is working.
type activityMark struct {
	focused  fyne.Focusable
	text     string
	row, col int
	overlays int
}

func (u *UI) mark() activityMark {
	c := u.win.Canvas()
	m := activityMark{focused: c.Focused(), overlays: len(c.Overlays().List())}
	var e *widget.Entry
	switch x := m.focused.(type) {
	case *widget.Entry:
		e = x
	case *keyEntry:
		e = &x.Entry
	}
	if e != nil {
		m.text, m.row, m.col = e.Text, e.CursorRow, e.CursorColumn
	}
	return m
}

// startIdleWatch hooks key presses and, with a real driver, polls for activity and idleness.
func (u *UI) startIdleWatch() {
	u.touch()
	if dc, ok := u.win.Canvas().(desktop.Canvas); ok {
		prev := dc.OnKeyDown()
		dc.SetOnKeyDown(func(ev *fyne.KeyEvent) {
			u.touch()
			if prev != nil {
				prev(ev)
			}
		})
	}
	if u.bg.manual {
		return // tests and screenshots call checkIdle themselves
	}
	u.stopIdle = make(chan struct{})
	go func() {
		t := time.NewTicker(idlePoll)
		defer t.Stop()
		for {
			select {
			case <-u.stopIdle:
				return
			case <-t.C:
				fyne.Do(u.checkIdle)
			}
		}
	}()
}

// checkIdle counts a changed activity mark as input, and locks once the idle time has passed.
func (u *UI) checkIdle() {
	if u.locked {
		return
	}
	if m := u.mark(); m != u.lastMark {
		u.lastMark = m
		u.touch()
		return
	}
	if u.deps.now().Sub(u.lastInput) >= u.lockAfter() {
		u.lockNow()
	}
}

// lockNow hides all patient data behind the lock screen (Ctrl+L, the status bar's Lock, idleness).
func (u *UI) lockNow() { u.lock(false) }

// lock swaps in the lock screen; atStart is the sign-in when the app opens.
func (u *UI) lock(atStart bool) {
	if u.locked {
		return
	}
	u.flush()
	u.locked = true
	c := u.win.Canvas()
	u.hidden = c.Content()
	ov := c.Overlays()
	u.hiddenOverlays = append([]fyne.CanvasObject(nil), ov.List()...)
	for _, o := range u.hiddenOverlays {
		ov.Remove(o)
	}
	// A dialog's Enter/Escape hook must not act on the hidden dialog.
	u.hiddenTypedKey = c.OnTypedKey()
	c.SetOnTypedKey(nil)
	u.lockView = newLockScreen(u, atStart)
	u.win.SetContent(u.lockView.content)
	u.lockView.load()
}

// unlock brings the work back for who (nil: no users are set up). Someone else than the user who
// was working gets the home screen with their own drafts, never the previous user's screen.
func (u *UI) unlock(who *users.User) {
	if !u.locked {
		return
	}
	same := u.current == nil && who == nil || u.current != nil && who != nil && u.current.ID == who.ID
	if u.lockView != nil && u.lockView.forgot != nil {
		u.lockView.forgot.Hide() // the lock screen's help goes with it
	}
	u.locked, u.lockView = false, nil
	u.current = who
	u.bg.actor = ""
	if who != nil {
		u.bg.actor = who.Name
	}
	c := u.win.Canvas()
	// The window's SetContent (not the canvas's): the real driver hid the content when the lock
	// screen replaced it, and shows it again only this way.
	u.win.SetContent(u.hidden)
	u.hidden.Show()
	u.hidden = nil
	if same {
		for _, o := range u.hiddenOverlays {
			c.Overlays().Add(o)
		}
		c.SetOnTypedKey(u.hiddenTypedKey)
	} else {
		c.SetOnTypedKey(u.baseTypedKey)
		u.ShowHome()
	}
	u.hiddenOverlays, u.hiddenTypedKey = nil, nil
	u.updateWho()
	u.touch()
	if u.signInAfterUnlock {
		u.signInAfterUnlock = false
		u.askSignIn()
	}
}

// workerName is who is working: the signed-in user, else the computer login.
func (u *UI) workerName() string {
	if u.current != nil {
		return u.current.Name
	}
	return u.deps.User
}

func (u *UI) currentID() int64 {
	if u.current != nil {
		return u.current.ID
	}
	return 0
}

// lockScreen asks who is working and their PIN; with no users set up, just to unlock.
type lockScreen struct {
	u       *UI
	atStart bool
	content fyne.CanvasObject
	box     *fyne.Container
	people  []users.User
	who     *widget.Select
	pin     *widget.Entry
	msg     *widget.Label
	unlockB *widget.Button
	forgot  dialog.Dialog // the "Forgot PIN?" help, while shown
	recover *forgotPIN    // its sign-in and new PIN, while shown
}

func newLockScreen(u *UI, atStart bool) *lockScreen {
	l := &lockScreen{u: u, atStart: atStart}
	title := catalog.T(catalog.UILockReferraldeskLocked)
	// Explicit line breaks: a wrapping label in a fixed-size card measures itself too short.
	intro := catalog.T(catalog.UILockPatientInformationHiddenAfter, int(u.lockAfter()/time.Minute))
	if atStart {
		title, intro = catalog.T(catalog.UILockWhoWorking), catalog.T(catalog.UILockChooseYourNameType)
	}
	head := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(intro)
	text.Alignment = fyne.TextAlignCenter
	l.msg = widget.NewLabel("")
	l.msg.Importance = widget.DangerImportance
	l.box = container.NewVBox()
	name := widget.NewLabelWithStyle(u.deps.Profile.Name, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	card := widget.NewCard("", "", container.NewVBox(head, text, l.box, l.msg))
	l.content = container.NewBorder(nil, name, nil, nil,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(460, 400), card)))
	return l
}

// load reads the users off the UI thread and fills in the form.
func (l *lockScreen) load() {
	u := l.u
	if u.deps.Users == nil {
		l.fill(nil)
		return
	}
	run(&u.bg, func(ctx context.Context) ([]users.User, error) {
		return u.deps.Users.Users(ctx, false)
	}, func(list []users.User, err error) {
		if err != nil {
			l.msg.SetText(catalog.T(catalog.UILockCouldNotReadUsers, err.Error()))
		}
		if u.lockView != l {
			return // unlocked meanwhile
		}
		if len(list) == 0 && l.atStart {
			u.unlock(nil) // no users: the computer login is the person
			return
		}
		l.fill(list)
	})
}

func (l *lockScreen) fill(list []users.User) {
	l.people = list
	l.unlockB = widget.NewButtonWithIcon(catalog.T(catalog.UILockUnlock), theme.LoginIcon(), l.submit)
	l.unlockB.Importance = widget.HighImportance
	if len(list) == 0 {
		l.box.Objects = []fyne.CanvasObject{l.unlockB}
		l.box.Refresh()
		l.u.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
			if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
				l.submit()
			}
		})
		return
	}
	names := make([]string, len(list))
	for i, p := range list {
		names[i] = p.Name
	}
	l.who = widget.NewSelect(names, func(string) { l.msg.SetText(""); l.u.win.Canvas().Focus(l.pin) })
	l.who.PlaceHolder = catalog.T(catalog.UILockChooseYourName)
	if cur := l.u.current; cur != nil {
		l.who.SetSelected(cur.Name)
	} else if len(list) == 1 {
		l.who.SetSelected(list[0].Name)
	}
	l.pin = widget.NewPasswordEntry()
	l.pin.SetPlaceHolder(catalog.T(catalog.UILockPin))
	l.pin.OnSubmitted = func(string) { l.submit() }
	forgot := widget.NewButton(catalog.T(catalog.UILockForgotPin), l.showForgot)
	forgot.Importance = widget.LowImportance
	l.box.Objects = []fyne.CanvasObject{
		widget.NewForm(widget.NewFormItem(catalog.T(catalog.UILockName), l.who), widget.NewFormItem(catalog.T(catalog.UILockPin), l.pin)), l.unlockB,
		container.NewCenter(forgot),
	}
	l.box.Refresh()
	l.u.win.Canvas().Focus(l.pin)
}

func (l *lockScreen) chosen() (users.User, bool) {
	if l.who == nil {
		return users.User{}, false
	}
	for _, p := range l.people {
		if p.Name == l.who.Selected {
			return p, true
		}
	}
	return users.User{}, false
}

// submit checks the PIN off the UI thread (Argon2id takes a moment) and unlocks on success.
func (l *lockScreen) submit() {
	u := l.u
	if len(l.people) == 0 {
		u.unlock(nil)
		return
	}
	who, ok := l.chosen()
	if !ok {
		l.msg.SetText(catalog.T(catalog.UILockChooseYourNameFirst))
		return
	}
	pin := l.pin.Text
	l.pin.SetText("")
	l.unlockB.Disable()
	run(&u.bg, func(context.Context) (struct{}, error) {
		return struct{}{}, u.guard.Verify(who, pin)
	}, func(_ struct{}, err error) {
		l.unlockB.Enable()
		var wait *users.WaitError
		switch {
		case err == nil:
			u.unlock(&who)
		case errors.As(err, &wait) && errors.Is(err, users.ErrLockedOut):
			l.msg.SetText(catalog.T(catalog.UILockTooManyWrongPins, seconds(wait.Wait)))
		case errors.As(err, &wait):
			l.msg.SetText(catalog.T(catalog.UILockWrongPinTryAgain, seconds(wait.Wait)))
		default:
			l.msg.SetText(catalog.T(catalog.UILockPinCouldNotChecked, err.Error()))
		}
	})
}

func seconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

// ownOrders drops the drafts another user started: when users are set up, each sees their own
// unfinished orders (and those from before users, which belong to nobody). Signed orders stay listed.
// me is the working user's id (0: no users, nothing is dropped).
func ownOrders(list []app.OrderSummary, me int64) []app.OrderSummary {
	if me == 0 {
		return list
	}
	out := list[:0:0]
	for _, o := range list {
		if (o.Status == app.StatusDraft || o.Status == app.StatusReady) && o.CreatedBy != 0 && o.CreatedBy != me {
			continue
		}
		out = append(out, o)
	}
	return out
}
