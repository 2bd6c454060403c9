package screens

import (
	"context"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/catalog"
)

// SelfTestFileDialogs opens and cancels every file and folder dialog of the app in the real window,
// the way a user clicks them: the attachments' "Add files…", the packet's "Add files…" and
// "Add folder…", and the image uploader's "Choose folder…". The real-window test under Xvfb runs it
// (REFERRALDESK_SELFTEST=file-dialogs): Fyne's headless driver does not exercise the GLFW driver's
// dialog sizing, which is where 2.8.1 panicked (fyne-io/fyne#6495). report gets one line per dialog;
// the returned error names the first dialog that did not open or close.
func (u *UI) SelfTestFileDialogs(ctx context.Context, report func(string)) error {
	onUI := func(f func()) { fyne.DoAndWait(f) }
	var pid int64
	// The window starts locked until the users are read (no users: it unlocks by itself).
	if err := u.waitFor(ctx, func() bool { return !u.locked }); err != nil {
		return fmt.Errorf("selftest: the window stays locked (run it on a folder without users): %w", err)
	}
	onUI(func() {
		u.NewOrder()
	})
	if err := u.waitFor(ctx, func() bool {
		return u.editor != nil && u.editor.patientStep != nil && len(u.editor.patientStep.results) > 0
	}); err != nil {
		return fmt.Errorf("selftest: no patient to start an order with (run it on a demo folder): %w", err)
	}
	onUI(func() {
		ps := u.editor.patientStep
		pid = ps.results[0].ID
		ps.choose(ps.results[0])
	})
	if err := u.waitFor(ctx, func() bool { return u.editor != nil && u.editor.order.ID != 0 && u.editor.order.PatientID == pid }); err != nil {
		return fmt.Errorf("selftest: the order did not start: %w", err)
	}
	steps := []struct {
		where, button string
		open          func()
	}{
		{"attachments", catalog.T(catalog.UIAttachmentsAddFiles), func() { u.editor.goTo(stepAttachments) }},
		{"packet", catalog.T(catalog.UIPacketAddFiles), func() { u.editor.goTo(stepAttachments); u.editor.showPacket() }},
		{"packet", catalog.T(catalog.UIPacketAddFolder), func() { u.editor.goTo(stepAttachments); u.editor.showPacket() }},
		{"images", catalog.T(catalog.UIImagesChooseFolderDrive), func() { u.ShowImages(u.editor.order, u.editor.patient) }},
	}
	cancel := lang.L("Cancel") // the file dialog's button, in Fyne's own words
	for _, s := range steps {
		var tapped bool
		onUI(func() {
			s.open()
			if b := FindButton(u.win, s.button); b != nil && !b.Disabled() {
				b.OnTapped()
				tapped = true
			}
		})
		if !tapped {
			return fmt.Errorf("selftest: %s: no %q button", s.where, s.button)
		}
		if err := u.waitFor(ctx, func() bool { return FindButton(u.win, cancel) != nil }); err != nil {
			return fmt.Errorf("selftest: %s: %q opened no dialog: %w", s.where, s.button, err)
		}
		time.Sleep(700 * time.Millisecond) // long enough for a screenshot of the open dialog
		onUI(func() { FindButton(u.win, cancel).OnTapped() })
		if err := u.waitFor(ctx, func() bool { return FindButton(u.win, cancel) == nil }); err != nil {
			return fmt.Errorf("selftest: %s: the %q dialog did not close: %w", s.where, s.button, err)
		}
		report(fmt.Sprintf("dialog ok: %s %s", s.where, s.button))
		if u.editor == nil { // the image uploader replaced the order editor: come back to the order
			onUI(func() { u.OpenOrder(u.images.order.ID) })
			if err := u.waitFor(ctx, func() bool { return u.editor != nil }); err != nil {
				return err
			}
		}
	}
	if err := u.selfTestPacketRead(ctx, report); err != nil {
		return err
	}
	if err := u.selfTestSettings(ctx, report); err != nil {
		return err
	}
	return u.selfTestLock(ctx, report)
}

// SelfTestFileEnv names a PDF the self-test adds to the packet in the real window (optional).
const SelfTestFileEnv = "REFERRALDESK_SELFTEST_FILE"

// selfTestPacketRead adds a file to the order's packet in the real window: the reading dialog (with
// its progress bar and Cancel) opens over the packet step and closes when the file is read.
func (u *UI) selfTestPacketRead(ctx context.Context, report func(string)) error {
	path := os.Getenv(SelfTestFileEnv)
	if path == "" {
		return nil
	}
	fyne.DoAndWait(func() {
		u.editor.goTo(stepAttachments)
		u.editor.showPacket()
	})
	if err := u.waitFor(ctx, func() bool { return u.editor != nil && u.editor.packet != nil }); err != nil {
		return fmt.Errorf("selftest: packet step did not open: %w", err)
	}
	fyne.DoAndWait(func() { u.editor.packet.addPaths([]string{path}) })
	if err := u.waitFor(ctx, func() bool {
		ps := u.editor.packet
		return ps != nil && len(ps.inputs) > 0 && FindButton(u.win, "Cancel") == nil
	}); err != nil {
		return fmt.Errorf("selftest: packet: the file was not read, or the reading dialog stayed: %w", err)
	}
	var pages int
	var readErr error
	fyne.DoAndWait(func() {
		in := u.editor.packet.inputs[len(u.editor.packet.inputs)-1]
		pages, readErr = in.Pages, in.Err
	})
	if readErr != nil {
		return fmt.Errorf("selftest: packet: the file could not be read: %w", readErr)
	}
	report(fmt.Sprintf("packet read ok: %d pages", pages))
	return nil
}

// selfTestSettings opens Settings in the real window and switches the theme to dark and back: the
// driver re-renders every widget with the new colours.
func (u *UI) selfTestSettings(ctx context.Context, report func(string)) error {
	order := u.editor.order.ID
	fyne.DoAndWait(u.ShowSettings)
	if err := u.waitFor(ctx, func() bool { return u.prefs != nil }); err != nil {
		return fmt.Errorf("selftest: settings did not open: %w", err)
	}
	var options []string
	fyne.DoAndWait(func() { options = u.prefs.theme.Options })
	for _, i := range []int{len(options) - 1, 0} { // dark, then as the computer
		fyne.DoAndWait(func() { u.prefs.theme.SetSelected(options[i]) })
		time.Sleep(300 * time.Millisecond)
	}
	report(fmt.Sprintf("settings ok: theme switched (%d choices)", len(options)))
	fyne.DoAndWait(func() { u.OpenOrder(order) })
	return u.waitFor(ctx, func() bool { return u.editor != nil })
}

// selfTestLock locks and unlocks the real window: the driver hides replaced content, so the order
// must come back visible.
func (u *UI) selfTestLock(ctx context.Context, report func(string)) error {
	fyne.DoAndWait(u.lockNow)
	if err := u.waitFor(ctx, func() bool { return u.locked && FindButton(u.win, "Unlock") != nil }); err != nil {
		return fmt.Errorf("selftest: lock: no lock screen: %w", err)
	}
	fyne.DoAndWait(func() { FindButton(u.win, "Unlock").OnTapped() })
	if err := u.waitFor(ctx, func() bool {
		return !u.locked && u.editor != nil && u.win.Content().Visible() && u.editor.content.Visible()
	}); err != nil {
		return fmt.Errorf("selftest: lock: the order did not come back after Unlock: %w", err)
	}
	report("lock ok")
	return nil
}

// waitFor polls cond on the UI goroutine until it holds, for up to ten seconds.
func (u *UI) waitFor(ctx context.Context, cond func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		var ok bool
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// FindButton walks the window content and its overlays (dialogs) for a visible button with this text.
func FindButton(w fyne.Window, text string) *widget.Button {
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil || !o.Visible() {
			return
		}
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
			return
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
	walk(w.Canvas().Content())
	return found
}

// children lists what a container or a widget draws, for walking the tree.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch x := o.(type) {
	case *fyne.Container:
		return x.Objects
	case fyne.Widget:
		return test.WidgetRenderer(x).Objects()
	}
	return nil
}
