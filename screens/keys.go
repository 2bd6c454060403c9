package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/catalog"
)

// pickList is a list a keyboard user can pick from: it takes the focus (Tab), the arrow keys move the
// highlight, Enter or Space picks the highlighted row, and Up on the first row hands the focus back
// (to the search box above it).
type pickList struct {
	widget.List
	highlight int
	onPick    func(i int)
	onLeave   func() // Up on the first row; nil: stay
}

func newPickList(length func() int, create func() fyne.CanvasObject,
	update func(widget.ListItemID, fyne.CanvasObject), onPick func(i int),
) *pickList {
	l := &pickList{onPick: onPick}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.OnHighlighted = func(i widget.ListItemID) { l.highlight = i }
	l.OnSelected = func(i widget.ListItemID) {
		l.highlight = i
		if i < l.Length() {
			l.onPick(i)
		}
		l.UnselectAll()
	}
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey adds Enter (pick) and Up-past-the-top (leave) to the list's own arrow keys and Space.
func (l *pickList) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if l.highlight >= 0 && l.highlight < l.Length() {
			l.onPick(l.highlight)
		}
		return
	case fyne.KeyUp:
		if l.highlight <= 0 && l.onLeave != nil {
			l.onLeave()
			return
		}
	}
	l.List.TypedKey(ev)
}

// top moves the highlight and the scroll back to the first row, for a new set of results: the best
// match must never be hidden by the scroll position of an older search.
func (l *pickList) top() {
	for l.highlight > 0 {
		before := l.highlight
		l.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
		if l.highlight == before { // the list did not move (e.g. it shrank): start over
			l.highlight = 0
		}
	}
	l.ScrollToTop()
}

// keyEntry is a one-line entry that hands Down to the list below it, as search boxes do.
type keyEntry struct {
	widget.Entry
	onDown func()
}

func newKeyEntry(onDown func()) *keyEntry {
	e := &keyEntry{onDown: onDown}
	e.ExtendBaseWidget(e)
	return e
}

func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyDown && e.onDown != nil {
		e.onDown()
		return
	}
	e.Entry.TypedKey(ev)
}

// choiceList is a single-choice list (a radio group a keyboard can move through with the arrows):
// the highlighted option is chosen with Enter or Space, or by clicking it.
type choiceList struct {
	*pickList
	options   []string
	Selected  string
	OnChanged func(string)
}

func newChoiceList(options []string, onChanged func(string)) *choiceList {
	c := &choiceList{options: options, OnChanged: onChanged}
	c.pickList = newPickList(func() int { return len(c.options) },
		func() fyne.CanvasObject { return widget.NewLabel(catalog.T(catalog.UIKeysDepartmentSomethingLong)) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			mark := "○ "
			if c.options[i] == c.Selected {
				mark = "◉ "
			}
			o.(*widget.Label).SetText(mark + c.options[i])
		},
		func(i int) { c.SetSelected(c.options[i]) })
	return c
}

// SetSelected chooses an option by its text, as RadioGroup.SetSelected does.
func (c *choiceList) SetSelected(s string) {
	if s == c.Selected {
		return
	}
	c.Selected = s
	c.Refresh()
	if c.OnChanged != nil {
		c.OnChanged(s)
	}
}
