package screens

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// background runs slow work (database, files, network) off the UI thread and hands the result to
// the UI thread through fyne.Do. Tests wait for it with idle().
type background struct {
	wg sync.WaitGroup
}

// opTimeout bounds one local operation so a stuck disk never leaves a spinner forever.
const opTimeout = 30 * time.Second

// run calls work on a goroutine and then, on the UI thread, done (if not nil) with the result.
func run[T any](bg *background, work func(ctx context.Context) (T, error), done func(T, error)) {
	bg.wg.Add(1)
	go func() {
		defer bg.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		v, err := work(ctx)
		if done != nil {
			fyne.Do(func() { done(v, err) })
		}
	}()
}

// idle blocks until every background operation started so far has finished.
func (bg *background) idle() { bg.wg.Wait() }

// showError tells the user what went wrong in one sentence, without technical noise.
func showError(w fyne.Window, what string, err error) {
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s: %v", what, err)
	if errors.Is(err, context.DeadlineExceeded) {
		msg = what + ": this took too long and was stopped. Nothing was lost; please try again."
	}
	dialog.ShowError(errors.New(msg), w)
}
