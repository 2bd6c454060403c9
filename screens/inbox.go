package screens

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

// inbox is the home page's view of what the institution sent back.
type inbox struct {
	appts     []app.Appointment
	messages  []app.Message
	results   []app.Result
	apptList  *widget.List
	msgList   *widget.List
	resList   *widget.List
	apptEmpty *fyne.Container
	msgEmpty  *fyne.Container
	resEmpty  *fyne.Container
}

type inboxData struct {
	appts    []app.Appointment
	messages []app.Message
	results  []app.Result
}

func (h *homeScreen) loadInbox() {
	if h.u.deps.Inbox == nil {
		return
	}
	in, now := h.u.deps.Inbox, h.u.deps.now()
	run(&h.u.bg, func(ctx context.Context) (inboxData, error) {
		var d inboxData
		var err error
		if d.appts, err = in.Appointments(ctx, now.Add(-12*time.Hour)); err != nil {
			return d, err
		}
		if d.messages, err = in.Messages(ctx, true); err != nil {
			return d, err
		}
		d.results, err = in.Results(ctx)
		return d, err
	}, func(d inboxData, err error) {
		if err != nil {
			showError(h.u.win, catalog.T(catalog.UIInboxCouldNotReadAppointments), err)
			return
		}
		h.appts, h.messages, h.results = d.appts, d.messages, d.results
		showIf(h.apptEmpty, len(h.appts) == 0)
		showIf(h.msgEmpty, len(h.messages) == 0)
		showIf(h.resEmpty, len(h.results) == 0)
		h.apptList.Refresh()
		h.msgList.Refresh()
		h.resList.Refresh()
		h.tabs.Items[tabMessages].Text = catalog.T(catalog.UIInboxUnreadMessagesN, len(h.messages))
		h.tabs.Refresh()
	})
}

func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

func twoLineRow() fyne.CanvasObject {
	top := widget.NewLabelWithStyle(catalog.T(catalog.UIInboxMonJan215), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bottom := widget.NewLabel(catalog.T(catalog.UIInboxGondaBuildingFloor18))
	bottom.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(top, bottom)
}

func setTwoLines(o fyne.CanvasObject, top, bottom string) {
	c := o.(*fyne.Container)
	c.Objects[0].(*widget.Label).SetText(top)
	c.Objects[1].(*widget.Label).SetText(bottom)
}

func (h *homeScreen) buildAppointments() fyne.CanvasObject {
	h.apptEmpty = container.NewVBox(emptyState(catalog.T(catalog.UIInboxNoUpcomingAppointments),
		catalog.T(catalog.UIInboxAppointmentsAppearHereOnce, h.u.deps.Profile.ShortName)))
	h.apptList = widget.NewList(func() int { return len(h.appts) }, twoLineRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		a := h.appts[i]
		when := catalog.T(catalog.UIInboxDateConfirmed)
		if !a.Start.IsZero() {
			when = catalog.Default().WeekdayDateTime(a.Start.Local())
		}
		setTwoLines(o, when+" — "+upperFamily(a.PatientName), strings.Trim(a.Location+" · "+a.Status+" · "+a.Description, " ·"))
	})
	return container.NewStack(h.apptList, h.apptEmpty)
}

func (h *homeScreen) buildMessages() fyne.CanvasObject {
	h.msgEmpty = container.NewVBox(emptyState(catalog.T(catalog.UIInboxNoUnreadMessages), catalog.T(catalog.UIInboxMessagesFromInstitutionS)))
	h.msgList = widget.NewList(func() int { return len(h.messages) }, twoLineRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		m := h.messages[i]
		setTwoLines(o, catalog.Default().DayTime(m.Sent.Local())+" — "+upperFamily(m.PatientName), m.Body)
	})
	h.msgList.OnSelected = func(i widget.ListItemID) {
		h.msgList.UnselectAll()
		if i < len(h.messages) {
			h.openMessage(h.messages[i])
		}
	}
	return container.NewStack(h.msgList, h.msgEmpty)
}

// openMessage shows the whole message and marks it read.
func (h *homeScreen) openMessage(m app.Message) {
	body := widget.NewLabel(m.Body)
	body.Wrapping = fyne.TextWrapWord
	from := m.Sender
	if from == "" {
		from = h.u.deps.Profile.Name
	}
	d := widget.NewLabel(catalog.T(catalog.UIInboxFromFromFormatAbout, from, catalog.Default().DateTime(m.Sent.Local()), m.PatientName))
	showInfo(h.u.win, catalog.T(catalog.UIInboxMessage), container.NewVBox(d, widget.NewSeparator(), body))
	in := h.u.deps.Inbox
	run(&h.u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, in.MarkMessageRead(ctx, m.ID, true)
	}, func(struct{}, error) { h.loadInbox() })
}

func (h *homeScreen) buildResults() fyne.CanvasObject {
	h.resEmpty = container.NewVBox(emptyState(catalog.T(catalog.UIInboxNoResultsYet),
		catalog.T(catalog.UIInboxClinicalNotesRadiologyPathology)))
	h.resList = widget.NewList(func() int { return len(h.results) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon(catalog.T(catalog.UIInboxOpen), theme.FileIcon(), nil), twoLineRow())
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := h.results[i]
			c := o.(*fyne.Container)
			date := "undated"
			if !r.Issued.IsZero() {
				date = catalog.Default().Date(r.Issued.Local())
			}
			setTwoLines(c.Objects[0], r.Title+" — "+upperFamily(r.PatientName), strings.Trim(r.Kind+" · "+date, " ·"))
			c.Objects[1].(*widget.Button).OnTapped = func() { h.openResult(r) }
		})
	return container.NewStack(h.resList, h.resEmpty)
}

// openResult saves the result into the private data folder (downloading it if needed) and opens
// it. A text result (an HTML one arrives converted to text) is shown here in the app: a page from
// the server is never handed to the browser as a local file:// page, and nothing in it is a link.
func (h *homeScreen) openResult(r app.Result) {
	if h.u.deps.Sync == nil {
		return
	}
	dir := filepath.Join(h.u.deps.DataDir, "results")
	type saved struct{ path, text string }
	run(&h.u.bg, func(ctx context.Context) (saved, error) {
		path, err := h.u.deps.Sync.SaveResult(ctx, r, dir)
		if err != nil || !strings.EqualFold(filepath.Ext(path), ".txt") {
			return saved{path: path}, err
		}
		text, err := readTextResult(path)
		return saved{path: path, text: text}, err
	}, func(s saved, err error) {
		switch {
		case err != nil:
			showError(h.u.win, catalog.T(catalog.UIInboxResultCouldNotOpened), err)
			return
		}
		h.u.record(app.EventResultOpened, 0, r.OrderID, catalog.T(catalog.UIInboxResultId, r.ID))
		switch {
		case strings.EqualFold(filepath.Ext(s.path), ".txt"):
			body := widget.NewLabel(s.text)
			body.Wrapping = fyne.TextWrapWord
			body.Selectable = true
			showInfo(h.u.win, r.Title, body)
		case isWebPage(s.path):
			showError(h.u.win, catalog.T(catalog.UIInboxResultCouldNotOpened), errors.New("it is a web page; ReferralDesk does not open those in the browser"))
		default:
			_ = fyne.CurrentApp().OpenURL(fileURL(s.path))
		}
	})
}

// maxShownText bounds the text put in a label (a longer one would make the dialog crawl).
const maxShownText = 512 << 10

// readTextResult reads a saved text result for display, cut at maxShownText.
func readTextResult(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read the result: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxShownText+1))
	if err != nil {
		return "", fmt.Errorf("read the result: %w", err)
	}
	if len(b) > maxShownText {
		return catalog.T(catalog.UIInboxValidUtfRestResult, strings.ToValidUTF8(string(b[:maxShownText]), "")), nil
	}
	return string(b), nil
}

// isWebPage reports whether a browser would open path as a page (kept as a last guard: results
// are saved as text when they are HTML).
func isWebPage(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm", ".xhtml", ".shtml", ".svg", ".xml", ".mht", ".mhtml":
		return true
	}
	return false
}
