package screens

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// Packets is what the records-packet step needs: reading files, thumbnails, building the PDF, and
// keeping the user's choices with the order.
type Packets interface {
	// Inspect reads one file; password opens an encrypted PDF ("" when none is known).
	Inspect(ctx context.Context, path string, pt packet.Patient, password string) *packet.Input
	Thumbnail(ctx context.Context, path string, page, maxPx int) (image.Image, error)
	Build(ctx context.Context, plan packet.Plan, pt packet.Patient, cover packet.CoverInfo, outDir string, progress func(done, total int)) (packet.Result, error)
	SavePacketInputs(ctx context.Context, orderID int64, inputs []app.PacketInput) error
	PacketInputs(ctx context.Context, orderID int64) ([]app.PacketInput, error)
}

const thumbPx = 96

// packetStep turns a pile of records into the one PDF the institution asks for.
type packetStep struct {
	e        *orderEditor
	content  fyne.CanvasObject
	inputs   []*packet.Input
	reviewed map[*packet.Input]bool
	thumbs   map[string]image.Image // "path#page" → thumbnail
	selected int

	list      *widget.List
	budget    *widget.ProgressBar
	budgetTxt *widget.Label
	leftOut   *widget.Label
	pages     *fyne.Container
	detail    *fyne.Container
	date      *widget.Entry
	preview   *canvas.Image
	result    *widget.Label
	build     *widget.Button
	mu        sync.Mutex // guards thumbs against the thumbnail workers
}

func (e *orderEditor) patientIDs() packet.Patient { return workflow.PacketPatient(e.patient) }

// showPacket replaces the attachments area with the packet builder.
func (e *orderEditor) showPacket() *packetStep {
	ps := newPacketStep(e)
	e.area.Objects = []fyne.CanvasObject{ps.content}
	e.area.Refresh()
	e.title.SetText(catalog.T(catalog.UIPacketRecordsPacketDisplayName, e.patient.DisplayName(), app.FormatDate(e.patient.BirthDate)))
	e.packet = ps
	return ps
}

func newPacketStep(e *orderEditor) *packetStep {
	ps := &packetStep{e: e, reviewed: map[*packet.Input]bool{}, thumbs: map[string]image.Image{}, selected: -1}
	if p, ok := e.u.deps.Packets.(interface{ Prestart() }); ok {
		p.Prestart() // the file reader starts while the clerk picks files
	}
	ps.budget = widget.NewProgressBar()
	ps.budget.TextFormatter = func() string { return "" }
	ps.budgetTxt = widget.NewLabel("")
	ps.leftOut = widget.NewLabel("")
	ps.leftOut.Wrapping = fyne.TextWrapWord
	ps.list = widget.NewList(func() int { return len(ps.inputs) }, ps.newRow, ps.updateRow)
	ps.list.OnSelected = func(i widget.ListItemID) { ps.selectInput(i) }
	ps.pages = container.NewGridWrap(fyne.NewSize(110, 150))
	ps.date = widget.NewEntry()
	ps.date.SetPlaceHolder(catalog.T(catalog.UIPacketYyyyMmDd))
	ps.date.OnSubmitted = func(string) { ps.setDate() }
	ps.preview = canvas.NewImageFromImage(nil)
	ps.preview.FillMode = canvas.ImageFillContain
	ps.preview.SetMinSize(fyne.NewSize(300, 380))
	ps.result = widget.NewLabel("")
	ps.result.Wrapping = fyne.TextWrapWord

	add := widget.NewButtonWithIcon(catalog.T(catalog.UIPacketAddFiles), theme.ContentAddIcon(), ps.browseFile)
	folder := widget.NewButtonWithIcon(catalog.T(catalog.UIPacketAddFolder), theme.FolderOpenIcon(), ps.browseFolder)
	suggest := widget.NewButtonWithIcon(catalog.T(catalog.UIPacketDropBlankDuplicatePages), theme.ContentRemoveIcon(), ps.dropSuggested)
	ps.build = widget.NewButtonWithIcon(catalog.T(catalog.UIPacketBuildPacket), theme.DocumentCreateIcon(), ps.confirmBuild)
	ps.build.Importance = widget.HighImportance
	back := widget.NewButtonWithIcon(catalog.T(catalog.UIPacketBackAttachments), theme.NavigateBackIcon(), func() { e.goTo(stepAttachments) })

	ids := widget.NewLabel(catalog.T(catalog.UIPacketEveryPageWillCarry, strings.ToUpper(e.patient.Family)+", "+e.patient.Given, app.FormatDate(e.patient.BirthDate), mrnPart(e.patient.MRN)))
	ids.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(ids, container.NewHBox(add, folder, suggest),
		container.NewBorder(nil, nil, nil, ps.budgetTxt, ps.budget))
	ps.detail = container.NewVBox()
	right := container.NewBorder(ps.detail, nil, nil, nil, container.NewVScroll(ps.pages))
	split := container.NewHSplit(container.NewBorder(nil, ps.leftOut, nil, nil, ps.list), right)
	split.Offset = 0.45
	bottom := container.NewBorder(nil, nil, container.NewHBox(back), container.NewHBox(ps.build), ps.result)
	ps.content = container.NewBorder(top, bottom, nil, nil, split)
	ps.refreshBudget()
	ps.restore()
	return ps
}

func mrnPart(mrn string) string {
	if mrn == "" {
		return ""
	}
	return catalog.T(catalog.UIPacketMrnMrn, mrn)
}

// restore re-reads the files chosen earlier and re-applies the user's decisions.
func (ps *packetStep) restore() {
	work, id, pt := ps.e.u.deps.work(), ps.e.order.ID, ps.e.patientIDs()
	run(&ps.e.u.bg, func(ctx context.Context) ([]*packet.Input, error) {
		ins, reviewed, err := work.Reopen(ctx, id, pt)
		if err != nil {
			return nil, err
		}
		for in, ok := range reviewed {
			if ok {
				ps.reviewed[in] = true
			}
		}
		return ins, nil
	}, func(ins []*packet.Input, err error) {
		if err != nil {
			showError(ps.e.u.win, catalog.T(catalog.UIPacketCouldNotReopenPacket), err)
			return
		}
		ps.inputs = ins
		ps.changed(false)
		var locked []*packet.Input
		for _, in := range ins {
			if errors.Is(in.Err, packet.ErrEncrypted) {
				locked = append(locked, in)
			}
		}
		ps.askPasswords(locked) // passwords are never stored
	})
}

// addPaths reads new files off the UI thread (each with its own time limit, several at once),
// showing how far it got, with Cancel; then puts them in date order. Scanned pages are read by OCR,
// which takes seconds a page, so the progress matters.
func (ps *packetStep) addPaths(paths []string) {
	work, pt := ps.e.u.deps.work(), ps.e.patientIDs()
	known := map[string]bool{}
	for _, in := range ps.inputs {
		known[in.Path] = true
	}
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	text := widget.NewLabel("")
	text.Wrapping = fyne.TextWrapWord
	prog := dialog.NewCustomWithoutButtons(catalog.T(catalog.ReadingFilesTitle),
		container.NewVBox(text, bar, widget.NewButton(catalog.T(catalog.UIPacketCancel), cancel)), ps.e.u.win)
	prog.Resize(fyne.NewSize(420, 160))
	prog.Show()
	progress := func(done, total int) {
		ps.e.u.bg.deliver(func() {
			text.SetText(catalog.T(catalog.ReadingFiles, min(done+1, total), total))
			if total > 0 {
				bar.SetValue(float64(done) / float64(total))
			}
		})
	}
	// Not bounded by run's time limit for local operations: OCR of many scanned pages takes
	// minutes. Each file has its own limit, and Cancel stops the rest.
	run(&ps.e.u.bg, func(context.Context) ([]*packet.Input, error) {
		defer cancel()
		return work.ReadPacketFilesProgress(ctx, pt, paths, known, progress), nil
	}, func(all []*packet.Input, _ error) {
		prog.Hide()
		// After Cancel, the files not read yet are simply not added; the ones read are kept.
		var ins []*packet.Input
		for _, in := range all {
			if !errors.Is(in.Err, context.Canceled) {
				ins = append(ins, in)
			}
		}
		ps.inputs = append(ps.inputs, ins...)
		packet.SortNewestFirst(ps.inputs)
		var bad []string
		var locked []*packet.Input
		for _, in := range ins {
			switch {
			case errors.Is(in.Err, packet.ErrEncrypted):
				locked = append(locked, in)
			case in.Err != nil:
				bad = append(bad, filepath.Base(in.Path)+": "+in.Err.Error())
			}
		}
		ps.changed(true)
		if len(bad) > 0 {
			dialog.ShowInformation(catalog.T(catalog.UIPacketSomeFilesCannotUsed), catalog.T(catalog.UIPacketJoinOtherFilesCarry, strings.Join(bad, "\n")), ps.e.u.win)
		}
		ps.askPasswords(locked)
	})
}

// askPasswords asks, one file at a time, for the password of encrypted PDFs and reopens them with it.
// A wrong password says so and asks again; Cancel leaves the file listed as unusable.
func (ps *packetStep) askPasswords(locked []*packet.Input) {
	if len(locked) == 0 {
		return
	}
	in := locked[0]
	pw := widget.NewPasswordEntry()
	msg := catalog.T(catalog.UIPacketPathProtectedByPassword, filepath.Base(in.Path))
	if errors.Is(in.Err, packet.ErrWrongPassword) {
		msg = catalog.T(catalog.UIPacketThatPasswordDidNot, filepath.Base(in.Path))
	}
	dialog.ShowForm(catalog.T(catalog.UIPacketPasswordNeeded), catalog.T(catalog.UIPacketOpen), catalog.T(catalog.UIPacketSkipFile), []*widget.FormItem{
		widget.NewFormItem("", widget.NewLabel(msg)), widget.NewFormItem(catalog.T(catalog.UIPacketPassword), pw),
	}, func(ok bool) {
		if !ok {
			ps.askPasswords(locked[1:])
			return
		}
		deps, pt, path, secret := ps.e.u.deps, ps.e.patientIDs(), in.Path, pw.Text
		run(&ps.e.u.bg, func(ctx context.Context) (*packet.Input, error) {
			return deps.Packets.Inspect(ctx, path, pt, secret), nil
		}, func(opened *packet.Input, _ error) {
			for i, x := range ps.inputs {
				if x == in {
					ps.inputs[i] = opened
				}
			}
			ps.changed(true)
			if errors.Is(opened.Err, packet.ErrEncrypted) || errors.Is(opened.Err, packet.ErrWrongPassword) {
				ps.askPasswords(append([]*packet.Input{opened}, locked[1:]...))
				return
			}
			ps.askPasswords(locked[1:])
		})
	}, ps.e.u.win)
}

func (ps *packetStep) browseFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		ps.addPaths([]string{path})
	}, ps.e.u.win)
	d.SetFilter(extFilter(packet.Extensions))
	showFileDialog(d)
}

func (ps *packetStep) browseFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		ps.addPaths([]string{u.Path()})
	}, ps.e.u.win)
	showFileDialog(d)
}

// plan is what would be built now: the user's order, the budget, the cover.
func (ps *packetStep) plan() packet.Plan {
	return ps.e.u.deps.work().Plan(ps.inputs)
}

// changed refreshes everything that depends on the inputs and, if save, keeps the choices.
func (ps *packetStep) changed(save bool) {
	ps.list.Refresh()
	ps.refreshBudget()
	if ps.selected >= len(ps.inputs) {
		ps.selected = -1
	}
	ps.showDetail()
	ps.loadThumbs()
	if save {
		ps.save()
	}
}

func (ps *packetStep) save() {
	saved := workflow.Choices(ps.inputs, ps.reviewed) // a snapshot: the UI thread goes on changing them
	work, id := ps.e.u.deps.work(), ps.e.order.ID
	run(&ps.e.u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, work.SaveChoices(ctx, id, saved)
	}, func(_ struct{}, err error) {
		if err != nil {
			showError(ps.e.u.win, catalog.T(catalog.UIPacketPacketSFilesCould), err)
		}
	})
}

func (ps *packetStep) refreshBudget() {
	pl := ps.plan()
	max := pl.Max
	ps.budget.Max = float64(max)
	ps.budget.SetValue(float64(min(pl.Requested, max)))
	txt := catalog.T(catalog.UIPacketRequestedMaxPages, pl.Requested, max)
	ps.budget.Show()
	if len(ps.inputs) == 0 {
		// Fyne draws an empty bar's track in the primary tint, which reads as "full": no bar until
		// there is something to count.
		txt = catalog.T(catalog.UIPacket0MaxPagesAdd, max)
		ps.budget.Hide()
	}
	ps.budgetTxt.SetText(txt)
	ps.budgetTxt.Importance = widget.MediumImportance
	if pl.Requested > max {
		ps.budgetTxt.Importance = widget.DangerImportance
	}
	ps.budgetTxt.Refresh()
	var lines []string
	for _, d := range pl.Dropped {
		if d.Doc == nil {
			continue
		}
		where := catalog.T(catalog.UIPacketWholeFile)
		if d.Page > 0 {
			where = catalog.T(catalog.UIPacketPagePage, d.Page)
		}
		lines = append(lines, fmt.Sprintf("%s %s: %s", docTitle(d.Doc), where, d.Reason))
	}
	if len(lines) > 12 {
		lines = append(lines[:12], catalog.T(catalog.UIPacketXMore, len(lines)-12))
	}
	if len(lines) > 0 {
		ps.leftOut.SetText(catalog.T(catalog.UIPacketLeftOutPacketJoin, strings.Join(lines, "\n")))
	} else {
		ps.leftOut.SetText("")
	}
	ps.build.Disable()
	if pl.Total() > pl.CoverPages {
		ps.build.Enable()
	}
}

func docTitle(in *packet.Input) string {
	if in.Title != "" {
		return in.Title
	}
	return filepath.Base(in.Path)
}

// middleEllipsis shortens a long name in its middle, keeping its start and its end (the date or
// number that often tells two scans apart, and the extension).
func middleEllipsis(s string, max int) string {
	r := []rune(s)
	if len(r) <= max || max < 8 {
		return s
	}
	tail := max / 3
	return string(r[:max-tail-1]) + "…" + string(r[len(r)-tail:])
}

func (ps *packetStep) newRow() fyne.CanvasObject {
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(48, 60))
	title := widget.NewLabelWithStyle(catalog.T(catalog.UIPacketLongDocumentTitlePdf), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	info := widget.NewLabel(catalog.T(catalog.UIPacket12Pages202603))
	info.Truncation = fyne.TextTruncateEllipsis
	buttons := container.NewHBox(widget.NewButtonWithIcon("", theme.MoveUpIcon(), nil),
		widget.NewButtonWithIcon("", theme.MoveDownIcon(), nil), widget.NewButtonWithIcon("", theme.DeleteIcon(), nil))
	return container.NewBorder(nil, nil, img, buttons, container.NewVBox(title, info))
}

func (ps *packetStep) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	in := ps.inputs[i]
	c := o.(*fyne.Container)
	texts := c.Objects[0].(*fyne.Container)
	texts.Objects[0].(*widget.Label).SetText(middleEllipsis(docTitle(in), 44))
	texts.Objects[1].(*widget.Label).SetText(inputSummary(in))
	img := c.Objects[1].(*canvas.Image)
	ps.mu.Lock()
	img.Image = ps.thumbs[fmt.Sprintf("%s#%d", in.Path, 1)]
	ps.mu.Unlock()
	img.Refresh()
	b := c.Objects[2].(*fyne.Container).Objects
	b[0].(*widget.Button).OnTapped = func() { ps.move(i, -1) }
	b[1].(*widget.Button).OnTapped = func() { ps.move(i, +1) }
	b[2].(*widget.Button).OnTapped = func() { ps.remove(i) }
}

func inputSummary(in *packet.Input) string {
	if in.Err != nil {
		return catalog.T(catalog.UIPacketCannotUsedError, in.Err)
	}
	parts := []string{catalog.T(catalog.CountPages, in.Pages)}
	switch {
	case in.Date.IsZero():
	case in.DateSource == packet.DateScan:
		parts = append(parts, catalog.T(catalog.DateFromScan, msg.Date(in.Date), in.DateConf))
	default:
		parts = append(parts, catalog.T(catalog.DateFrom, msg.Date(in.Date), string(in.DateSource)))
	}
	if in.CheckDate {
		parts = append(parts, catalog.T(catalog.UIPacketCheckDate))
	}
	if len(in.Flags) > 0 {
		parts = append(parts, catalog.T(catalog.PagesToCheck, len(in.Flags)))
	}
	if n := len(in.Scanned); n > 0 {
		parts = append(parts, catalog.T(catalog.ScannedPagesRead, n))
	}
	if n := len(in.Turned); n > 0 {
		parts = append(parts, catalog.T(catalog.PagesTurned, n))
	}
	if in.ScanNote != "" {
		parts = append(parts, in.ScanNote)
	}
	if in.Repaired != "" {
		parts = append(parts, in.Repaired)
	}
	return strings.Join(parts, " · ")
}

func (ps *packetStep) move(i, by int) {
	j := i + by
	if j < 0 || j >= len(ps.inputs) {
		return
	}
	ps.inputs[i], ps.inputs[j] = ps.inputs[j], ps.inputs[i]
	ps.changed(true)
}

func (ps *packetStep) remove(i int) {
	ps.inputs = append(ps.inputs[:i:i], ps.inputs[i+1:]...)
	ps.changed(true)
}

func (ps *packetStep) dropSuggested() {
	n := 0
	for _, in := range ps.inputs {
		before := len(in.Exclude)
		in.ExcludeSuggested()
		n += len(in.Exclude) - before
	}
	ps.changed(true)
	ps.result.SetText(catalog.T(catalog.PagesLeftOut, n))
}

func (ps *packetStep) selectInput(i int) {
	ps.selected = i
	ps.showDetail()
}

// showDetail shows the selected document's date and its page grid (tick a page to keep it).
func (ps *packetStep) showDetail() {
	ps.detail.Objects = nil
	ps.pages.Objects = nil
	ps.pages.Layout = layout.NewGridWrapLayout(fyne.NewSize(110, 150))
	if ps.selected < 0 || ps.selected >= len(ps.inputs) {
		ps.detail.Add(widget.NewLabel(catalog.T(catalog.UIPacketSelectDocumentCheckIts)))
		ps.detail.Refresh()
		ps.pages.Refresh()
		return
	}
	in := ps.inputs[ps.selected]
	// The whole name and, for a file that cannot be used, the whole reason: the list row has room
	// for neither.
	title := widget.NewLabelWithStyle(filepath.Base(in.Path), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapBreak
	ps.detail.Add(title)
	if in.Title != "" && in.Title != filepath.Base(in.Path) {
		doc := widget.NewLabel(in.Title)
		doc.Wrapping = fyne.TextWrapWord
		ps.detail.Add(doc)
	}
	if in.Err != nil {
		why := widget.NewLabel(catalog.T(catalog.UIPacketFileCannotUsedError, in.Err.Error()))
		why.Wrapping = fyne.TextWrapWord
		why.Importance = widget.DangerImportance
		ps.detail.Add(why)
		ps.detail.Refresh()
		ps.pages.Refresh()
		return
	}
	ps.date.SetText(app.FormatDate(in.Date))
	set := widget.NewButton(catalog.T(catalog.UIPacketSetDate), ps.setDate)
	src := widget.NewLabel(catalog.T(catalog.UIPacketFromDateSource, string(in.DateSource)))
	ps.detail.Add(container.NewBorder(nil, nil, widget.NewLabel(catalog.T(catalog.UIPacketDocumentDate)), container.NewHBox(set, src), ps.date))
	if len(in.Flags) > 0 {
		ps.detail.Add(flagNotes(in))
	}
	flagged := map[int]string{}
	for _, f := range in.Flags {
		flagged[f.Page] = f.Reason
	}
	for p := 1; p <= in.Pages && in.Err == nil; p++ {
		ps.pages.Add(ps.pageCard(in, p, flagged[p]))
	}
	ps.detail.Refresh()
	ps.pages.Refresh()
	ps.loadPageThumbs(in)
}

func (ps *packetStep) pageCard(in *packet.Input, page int, flag string) fyne.CanvasObject {
	img := canvas.NewImageFromImage(nil)
	ps.mu.Lock()
	img.Image = ps.thumbs[fmt.Sprintf("%s#%d", in.Path, page)]
	ps.mu.Unlock()
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(90, 110))
	label := catalog.T(catalog.UIPacketPagePage2, page)
	switch {
	case flag != "":
		label = "⚠ " + label
	case slices.Contains(in.Blank, page):
		label += catalog.T(catalog.UIPacketBlank)
	case in.DupOf[page].Doc != nil:
		label += catalog.T(catalog.UIPacketDuplicate)
	}
	keep := widget.NewCheck(label, func(on bool) { ps.setKeep(in, page, on) })
	keep.Checked = !slices.Contains(in.Exclude, page)
	if flag == "" {
		return container.NewBorder(nil, keep, nil, nil, img)
	}
	// A flagged page gets a red frame; its reason is listed above the grid, never drawn over the page.
	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeColor = theme.Color(theme.ColorNameError)
	frame.StrokeWidth = 2
	return container.NewBorder(nil, keep, nil, nil, container.NewStack(img, frame))
}

// flagNotes lists the reasons of a document's flagged pages, one line each, for above the page grid.
func flagNotes(in *packet.Input) fyne.CanvasObject {
	box := container.NewVBox()
	for _, f := range in.Flags {
		l := widget.NewLabel(catalog.T(catalog.UIPacketPagePageReason, f.Page, f.Reason))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		box.Add(l)
	}
	return box
}

func (ps *packetStep) setKeep(in *packet.Input, page int, keep bool) {
	var ex []int
	for _, p := range in.Exclude {
		if p != page {
			ex = append(ex, p)
		}
	}
	if !keep {
		ex = append(ex, page)
		sort.Ints(ex)
	}
	in.Exclude = ex
	ps.list.Refresh()
	ps.refreshBudget()
	ps.save()
}

func (ps *packetStep) setDate() {
	if ps.selected < 0 || ps.selected >= len(ps.inputs) {
		return
	}
	d, err := app.ParseDate(ps.date.Text)
	if err != nil {
		dialog.ShowError(err, ps.e.u.win)
		return
	}
	ps.inputs[ps.selected].SetDate(d)
	ps.changed(true)
}

// loadThumbs renders the first page of each document in the background.
func (ps *packetStep) loadThumbs() {
	for _, in := range ps.inputs {
		if in.Err == nil && in.Pages > 0 {
			ps.loadThumb(in.Path, 1, func() { ps.list.Refresh() })
		}
	}
}

// loadPageThumbs renders the selected document's pages (the first 60) for the page grid.
func (ps *packetStep) loadPageThumbs(in *packet.Input) {
	for p := 1; p <= in.Pages && p <= 60; p++ {
		ps.loadThumb(in.Path, p, func() {
			if ps.selected >= 0 && ps.selected < len(ps.inputs) && ps.inputs[ps.selected] == in {
				for i, o := range ps.pages.Objects {
					if img := findImage(o); img != nil && img.Image == nil {
						ps.mu.Lock()
						img.Image = ps.thumbs[fmt.Sprintf("%s#%d", in.Path, i+1)]
						ps.mu.Unlock()
						img.Refresh()
					}
				}
			}
		})
	}
}

func findImage(o fyne.CanvasObject) *canvas.Image {
	switch x := o.(type) {
	case *canvas.Image:
		return x
	case *fyne.Container:
		for _, c := range x.Objects {
			if img := findImage(c); img != nil {
				return img
			}
		}
	}
	return nil
}

func (ps *packetStep) loadThumb(path string, page int, done func()) {
	key := fmt.Sprintf("%s#%d", path, page)
	ps.mu.Lock()
	_, have := ps.thumbs[key]
	ps.mu.Unlock()
	if have {
		return
	}
	deps := ps.e.u.deps
	run(&ps.e.u.bg, func(ctx context.Context) (image.Image, error) {
		return deps.Packets.Thumbnail(ctx, path, page, thumbPx*2)
	}, func(img image.Image, err error) {
		if err != nil {
			return // the row already says why the file cannot be used
		}
		ps.mu.Lock()
		ps.thumbs[key] = img
		ps.mu.Unlock()
		done()
	})
}

// confirmBuild asks for a decision on pages that may belong to another patient, then builds.
func (ps *packetStep) confirmBuild() {
	pl := ps.plan()
	var lines []string
	var pending []*packet.Input
	for _, c := range workflow.ToCheck(pl, ps.reviewed) {
		pending = append(pending, c.Input)
		lines = append(lines, docTitle(c.Input)+":")
		for _, f := range c.Flags {
			lines = append(lines, catalog.T(catalog.UIPacketPagePageReason2, f.Page, f.Reason))
		}
	}
	if len(pending) == 0 {
		ps.runBuild(pl)
		return
	}
	if len(lines) > 16 {
		lines = append(lines[:16], "  …")
	}
	msg := widget.NewLabel(catalog.T(catalog.UIPacketThesePagesMayNot, ps.e.patient.DisplayName(), strings.Join(lines, "\n")))
	msg.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	leave := widget.NewButton(catalog.T(catalog.UIPacketLeaveThesePagesOut), func() {
		d.Hide()
		for _, in := range pending {
			workflow.LeaveOutFlagged(in)
		}
		ps.changed(true)
		ps.runBuild(ps.plan())
	})
	keep := widget.NewButton(catalog.T(catalog.UIPacketICheckedThemKeep), func() {
		d.Hide()
		for _, in := range pending {
			ps.reviewed[in] = true
		}
		ps.save()
		ps.runBuild(ps.plan())
	})
	keep.Importance = widget.WarningImportance
	d = dialog.NewCustomWithoutButtons(catalog.T(catalog.UIPacketPagesCheck), container.NewBorder(nil,
		container.NewHBox(leave, keep, widget.NewButton(catalog.T(catalog.UIPacketCancel), func() { d.Hide() })), nil, nil,
		container.NewVScroll(msg)), ps.e.u.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}

// runBuild writes the packet off the UI thread with progress and Cancel, then attaches it to the order.
func (ps *packetStep) runBuild(pl packet.Plan) {
	e := ps.e
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	prog := dialog.NewCustomWithoutButtons(catalog.T(catalog.UIPacketBuildingRecordsPacket), container.NewVBox(
		widget.NewLabel(catalog.T(catalog.UIPacketTotalPagesStampedChecked, pl.Total())), bar,
		widget.NewButton(catalog.T(catalog.UIPacketCancel), cancel)), e.u.win)
	prog.Show()
	ps.build.Disable()
	work, o := e.u.deps.work(), e.order
	run(&e.u.bg, func(context.Context) (app.Attachment, error) {
		defer cancel()
		at, _, err := work.BuildPacket(ctx, o, pl, func(done, total int) {
			e.u.bg.deliver(func() { bar.SetValue(float64(done) / float64(max(total, 1))) })
		})
		return at, err
	}, func(at app.Attachment, err error) {
		prog.Hide()
		ps.build.Enable()
		if errors.Is(err, context.Canceled) {
			ps.result.SetText(catalog.T(catalog.UIPacketBuildCancelledNothingWas))
			return
		}
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIPacketPacketCouldNotBuilt), err)
			return
		}
		work.AddPacket(&e.order, at) // the build was recorded in the audit trail by the workflow
		e.changed()
		ps.result.SetText(catalog.T(catalog.UIPacketAttachedFileNameSize, at.FileName, humanBytes(at.Size)))
		ps.showPreview(at.Path)
	})
}

func (ps *packetStep) showPreview(path string) {
	deps := ps.e.u.deps
	run(&ps.e.u.bg, func(ctx context.Context) (image.Image, error) {
		return deps.Packets.Thumbnail(ctx, path, 1, 400)
	}, func(img image.Image, err error) {
		if err != nil {
			return
		}
		ps.preview.Image = img
		ps.selected = -1
		ps.list.UnselectAll()
		ps.detail.Objects = []fyne.CanvasObject{widget.NewLabelWithStyle(catalog.T(catalog.UIPacketPacketSFirstPage), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
		ps.detail.Refresh()
		ps.pages.Objects = []fyne.CanvasObject{ps.preview}
		ps.pages.Layout = layout.NewCenterLayout()
		ps.pages.Refresh()
	})
}
