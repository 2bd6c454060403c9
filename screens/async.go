package screens

import (
	"context"
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

// background runs slow work (database, files, network) off the UI thread and hands each result
// back to the UI thread. In the app that is fyne.Do. Fyne's headless test driver has no UI thread
// (its fyne.Do runs the callback right on the worker goroutine, racing the test), so tests and the
// screenshot renderer use manual delivery: results queue up and idle() runs them on its caller.
type background struct {
	wg     sync.WaitGroup
	manual bool
	actor  string // the signed-in user, named in the audit trail; set and read on the UI thread

	mu    sync.Mutex
	queue []func()
}

// opTimeout bounds one local operation so a stuck disk never leaves a spinner forever.
const opTimeout = 30 * time.Second

// deliver runs f on the UI thread.
func (bg *background) deliver(f func()) {
	if !bg.manual {
		fyne.Do(f)
		return
	}
	bg.mu.Lock()
	bg.queue = append(bg.queue, f)
	bg.mu.Unlock()
}

// run calls work on a goroutine and then, on the UI thread, done (if not nil) with the result.
func run[T any](bg *background, work func(ctx context.Context) (T, error), done func(T, error)) {
	runWithin(bg, opTimeout, work, done)
}

// runWithin is run with another time limit (a sign-in page in the browser waits for a person).
func runWithin[T any](bg *background, limit time.Duration, work func(ctx context.Context) (T, error), done func(T, error)) {
	bg.wg.Add(1)
	actor := bg.actor
	go func() {
		defer bg.wg.Done()
		ctx, cancel := context.WithTimeout(app.WithActor(context.Background(), actor), limit)
		defer cancel()
		v, err := work(ctx)
		if done != nil {
			bg.deliver(func() { done(v, err) })
		}
	}()
}

// idle blocks until every background operation has finished and (with manual delivery) its result
// has been handed to the UI, including work that those results started in turn.
func (bg *background) idle() {
	for {
		bg.wg.Wait()
		bg.mu.Lock()
		q := bg.queue
		bg.queue = nil
		bg.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

// showError tells the user what went wrong in one sentence, without technical noise.
func showError(w fyne.Window, what string, err error) {
	if err == nil {
		return
	}
	msg := what + ": " + catalog.Err(err)
	if errors.Is(err, context.DeadlineExceeded) {
		msg = catalog.T(catalog.UIAsyncWhatTookTooLong, what)
	}
	dialog.ShowError(errors.New(msg), w)
}

// showInfo shows content in a dialog with a Close button, sized for reading.
func showInfo(w fyne.Window, title string, content fyne.CanvasObject) {
	d := dialog.NewCustom(title, catalog.T(catalog.UIAsyncClose), container.NewVScroll(content), w)
	d.Resize(fyne.NewSize(620, 420))
	d.Show()
}

// showConfirm is dialog.ShowConfirm where Enter confirms and Escape cancels, as users expect.
func showConfirm(w fyne.Window, title, message string, onResult func(bool)) {
	d := dialog.NewConfirm(title, message, onResult, w)
	withKeys(w, d, d.Confirm)
	d.Show()
}

// withKeys makes Enter run onEnter (which closes d) and Escape dismiss d while d is shown and no
// widget has the keyboard focus.
func withKeys(w fyne.Window, d dialog.Dialog, onEnter func()) {
	c := w.Canvas()
	prev := c.OnTypedKey()
	restore := func() { c.SetOnTypedKey(prev) }
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			restore()
			onEnter()
		case fyne.KeyEscape:
			restore()
			d.Hide()
		default:
			if prev != nil {
				prev(ev)
			}
		}
	})
	d.SetOnClosed(restore)
}

// showFileDialog shows a file or folder dialog at a size for reading long file names. Show must come
// first: Fyne 2.8.0/2.8.1 build the dialog in Show, and Resize before it dereferences nil and panics
// (fyne-io/fyne#6495, fixed upstream after 2.8.1).
func showFileDialog(d *dialog.FileDialog) {
	d.Show()
	d.Resize(fyne.NewSize(900, 600))
}
