package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/ehrimport"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/users"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// UI is the main window's controller: it swaps screens in the content area and owns the status bar.
type UI struct {
	win    fyne.Window
	deps   Deps
	bg     background
	body   *fyne.Container
	status *widget.Label

	home    *homeScreen
	editor  *orderEditor // the order being entered, if any
	account *accountScreen
	images  *imagesScreen

	setupClinic *clinicForm     // the clinic form of the first-start setup, while shown
	prefs       *prefsCard      // the Settings screen's app settings, while shown
	band        *fyne.Container // the permanent "Demo data" band, when the database is a demo one

	// Who is working and the idle lock (lock.go).
	current        *users.User // the signed-in user; nil when no users are set up
	guard          users.Guard
	who            *widget.Label // the status bar's "who is working"
	locked         bool
	lockView       *lockScreen
	hidden         fyne.CanvasObject   // the real content while locked
	hiddenOverlays []fyne.CanvasObject // dialogs taken off the canvas while locked
	hiddenTypedKey func(*fyne.KeyEvent)
	baseTypedKey   func(*fyne.KeyEvent) // the canvas's key handler with no dialog shown
	lastInput      time.Time
	lastMark       activityMark
	stopIdle       chan struct{}

	signInAfterUnlock bool // the server refused the credentials while locked
	syncSignIn        bool // the last sync status asked to sign in again
}

// New builds the interface inside w and shows the home screen.
func New(w fyne.Window, deps Deps) *UI { return newUI(w, deps, false) }

// newUI with manual delivery is for Fyne's headless driver (tests, screenshots): see background.
func newUI(w fyne.Window, deps Deps, manual bool) *UI {
	u := &UI{win: w, deps: deps, status: widget.NewLabel(""), who: widget.NewLabel("")}
	u.bg.manual = manual
	u.guard.Now = deps.now
	u.body = container.NewStack()
	u.band = container.NewVBox()
	w.SetContent(container.NewBorder(u.band, u.statusBar(), nil, nil, u.body))
	u.addShortcuts()
	u.baseTypedKey = w.Canvas().OnTypedKey()
	u.startIdleWatch()
	w.SetOnDropped(u.dropped)
	w.SetCloseIntercept(func() {
		u.flush()
		if u.stopIdle != nil {
			close(u.stopIdle)
			u.stopIdle = nil
		}
		w.Close()
	})
	if deps.Sync != nil {
		deps.Sync.OnStatus(func(st syncer.Status) {
			text := catalog.Default().Line(st.Parts())
			u.bg.deliver(func() {
				if text != u.status.Text && u.home != nil && u.editor == nil {
					u.home.reload() // statuses, appointments, messages or results may have changed
				}
				signIn := st.State() == syncer.StateSignIn
				if signIn && !u.syncSignIn {
					if u.locked {
						u.signInAfterUnlock = true // no dialog over the lock screen
					} else {
						u.askSignIn()
					}
				}
				u.syncSignIn = signIn
				u.status.SetText(text)
			})
		})
	}
	u.ShowHome()
	if deps.Users != nil {
		u.lock(true) // who is working? (unlocks by itself when no users are set up)
	}
	u.loadPrefs()
	u.checkSetup()
	u.checkDemo()
	u.updateWho()
	return u
}

// checkDemo shows a permanent band over every screen when the database holds demo data, so fake
// patients are never mistaken for real ones (and nobody wonders why nothing is sent).
func (u *UI) checkDemo() {
	if u.deps.Demo == nil {
		return
	}
	run(&u.bg, u.deps.Demo.IsDemo, func(demo bool, err error) {
		if err != nil || !demo {
			return
		}
		l := widget.NewLabelWithStyle(catalog.T(catalog.UIUiDemoDataFictitiousPatients),
			fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		l.Importance = widget.WarningImportance
		u.band.Objects = []fyne.CanvasObject{l, widget.NewSeparator()}
		u.band.Refresh()
	})
}

// ShowActivity shows the audit trail: who did what, when, filtered by patient or user.
func (u *UI) ShowActivity() {
	u.flush()
	u.editor = nil
	back := widget.NewButtonWithIcon(catalog.T(catalog.UIUiHome), theme.HomeIcon(), u.ShowHome)
	u.setBody(container.NewBorder(nil, container.NewHBox(back), nil, nil, newActivity(u.deps.Activity, &u.bg).content))
}

func (u *UI) statusBar() fyne.CanvasObject {
	u.status.TextStyle = fyne.TextStyle{Italic: true}
	// A long status (a server's refusal) is cut with "…", never widening the window.
	u.status.Truncation = fyne.TextTruncateEllipsis
	name := u.deps.Profile.Name
	lock := widget.NewButtonWithIcon(catalog.T(catalog.UIUiLock), theme.VisibilityOffIcon(), u.lockNow)
	lock.Importance = widget.LowImportance
	return container.NewBorder(widget.NewSeparator(), nil, nil,
		container.NewHBox(u.who, lock, widget.NewLabel(name)), u.status)
}

// updateWho names who is working in the status bar.
func (u *UI) updateWho() {
	u.who.SetText(u.workerName())
}

// refreshStatus asks the sync service for a fresh status line (or, without sync, counts the outbox).
func (u *UI) refreshStatus() {
	if u.deps.Sync != nil {
		return // the sync service pushes its status line (see newUI)
	}
	run(&u.bg, func(ctx context.Context) (int, error) {
		entries, err := u.deps.Orders.Outbox(ctx, app.OutboxPending)
		return len(entries), err
	}, func(n int, err error) {
		switch {
		case err != nil:
			u.status.SetText(catalog.T(catalog.OutboxUnreadable, err))
		case n == 0:
			u.status.SetText(catalog.T(catalog.OutboxNoneWaiting))
		default:
			u.status.SetText(catalog.T(catalog.OutboxWaiting, n))
		}
	})
}

func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	for _, key := range []fyne.KeyName{fyne.KeyN, fyne.KeyF, fyne.KeyL} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault},
			func(fyne.Shortcut) { u.shortcut(key) })
	}
}

// shortcut runs Ctrl/⌘+key. While locked they do nothing: the lock screen stays until someone signs in.
func (u *UI) shortcut(key fyne.KeyName) {
	if u.locked {
		return
	}
	u.touch()
	switch key {
	case fyne.KeyN:
		u.NewOrder()
	case fyne.KeyF:
		u.FindPatient()
	case fyne.KeyL:
		u.lockNow()
	}
}

func (u *UI) setBody(o fyne.CanvasObject) {
	if u.images != nil && u.images.content != o {
		u.images = nil // the image uploader is no longer shown
	}
	u.body.Objects = []fyne.CanvasObject{o}
	u.body.Refresh()
	u.touch()
}

// ShowHome shows the home tabs (and flushes any order in progress: it stays a draft).
func (u *UI) ShowHome() {
	u.flush()
	u.editor = nil
	u.home = newHomeScreen(u)
	u.setBody(u.home.content)
	u.refreshStatus()
}

// NewOrder starts "Place an order" at the patient step.
func (u *UI) NewOrder() {
	u.flush()
	u.editor = newOrderEditor(u, workflow.NewOrder(u.currentID(), 0, u.deps.DefaultLocation))
	u.setBody(u.editor.content)
	u.editor.focusSearch()
}

// FindPatient opens order entry with the cursor in the patient search (Ctrl+F).
func (u *UI) FindPatient() {
	if u.editor != nil && u.editor.step == stepPatient {
		u.editor.focusSearch()
		return
	}
	if u.editor != nil && !u.editor.readOnly && u.editor.order.ID != 0 {
		// Inside an order, say that Ctrl+F leaves it (nothing is lost: it is a saved draft).
		showConfirm(u.win, catalog.T(catalog.UIUiLeaveOrder),
			catalog.T(catalog.UIUiFindingAnotherPatientStarts),
			func(ok bool) {
				if ok {
					u.NewOrder()
				}
			})
		return
	}
	u.NewOrder()
}

// OpenOrder continues an editable order, or shows a signed one read-only.
// An order started from an EHR import gets back the import's suggestions, medications and allergies.
func (u *UI) OpenOrder(id int64) {
	type opened struct {
		order     app.Order
		imported  *ehrimport.Document
		importErr error
	}
	work := u.deps.work()
	run(&u.bg, func(ctx context.Context) (opened, error) {
		o, err := u.deps.Orders.Order(ctx, id)
		if err != nil {
			return opened{}, err
		}
		doc, ierr := work.OrderImport(ctx, id)
		return opened{order: o, imported: doc, importErr: ierr}, nil
	}, func(op opened, err error) {
		if err != nil {
			showError(u.win, catalog.T(catalog.UIUiCouldNotOpenOrder), err)
			return
		}
		u.flush()
		u.editor = newOrderEditor(u, op.order)
		if op.imported != nil {
			u.editor.imported = &Imported{Doc: op.imported}
			if st := u.editor.step; st == stepDiagnosis || st == stepReview {
				u.editor.goTo(st) // built before the import was known: again, with it
			}
		}
		u.setBody(u.editor.content)
		if op.importErr != nil {
			showError(u.win, catalog.T(catalog.ImportRestoreFailed), op.importErr)
		}
	})
}

// ShowProviders shows the managed list of authorizing providers.
func (u *UI) ShowProviders() {
	u.flush()
	u.editor = nil
	u.setBody(newProvidersScreen(u, u.ShowHome).content)
}

// askSignIn tells the user, once, that the server refused the saved credentials; nothing is lost.
func (u *UI) askSignIn() {
	showConfirm(u.win, catalog.T(catalog.UIUiSignAgain),
		catalog.T(catalog.UIUiInstitutionSServerRefused),
		func(ok bool) {
			if ok {
				u.ShowAccount()
			}
		})
}

// dropped takes files dragged from the file manager: into the packet when it is open, else as attachments.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	if u.locked {
		return // nothing is shown to drop onto, and no patient's files are taken in
	}
	paths := make([]string, 0, len(uris))
	for _, x := range uris {
		paths = append(paths, x.Path())
	}
	if u.images != nil {
		u.images.scan(paths)
		return
	}
	// On the home screen or the patient step a dropped file is an EHR export to import.
	if (u.editor == nil && u.home != nil) || (u.editor != nil && u.editor.step == stepPatient && u.editor.order.ID == 0) {
		if len(paths) > 0 && u.deps.Imports != nil {
			u.importFile(paths[0])
		}
		return
	}
	if u.editor == nil || u.editor.readOnly || u.editor.order.ID == 0 {
		return
	}
	if u.editor.packet != nil {
		u.editor.packet.addPaths(paths)
		return
	}
	u.editor.addFiles(paths)
}

// flush makes sure the order being edited is on disk.
func (u *UI) flush() {
	if u.editor != nil {
		u.editor.saver.flush()
	}
}

// Idle waits until background work has finished (for tests and the screenshot renderer).
func (u *UI) Idle() {
	for i := 0; i < 3; i++ {
		u.bg.idle()
		if u.editor != nil {
			u.editor.saver.flush()
		}
	}
	u.bg.idle()
}
