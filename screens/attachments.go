package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/attach"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// attachmentStep lists the files sent with the order, each with a description.
type attachmentStep struct {
	e       *orderEditor
	content fyne.CanvasObject
	list    *widget.List
	total   *widget.Label
}

func newAttachmentStep(e *orderEditor) *attachmentStep {
	a := &attachmentStep{e: e}
	a.total = widget.NewLabel("")
	a.list = widget.NewList(func() int { return len(e.order.Attachments) },
		func() fyne.CanvasObject {
			desc := widget.NewEntry()
			desc.SetPlaceHolder(catalog.T(catalog.UIAttachmentsDescriptionEG13))
			return container.NewBorder(nil, nil,
				widget.NewLabel(catalog.T(catalog.UIAttachmentsRecords123Mb)),
				widget.NewButtonWithIcon("", theme.DeleteIcon(), nil), desc)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			at := e.order.Attachments[i]
			desc := c.Objects[0].(*widget.Entry)
			c.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s", at.Kind, humanBytes(at.Size), at.FileName))
			desc.OnChanged = nil
			desc.SetText(at.Description)
			path := at.Path
			desc.OnChanged = func(s string) { a.describe(path, s) }
			c.Objects[2].(*widget.Button).OnTapped = func() { a.remove(path) }
		})
	add := widget.NewButtonWithIcon(catalog.T(catalog.UIAttachmentsAddFiles), theme.ContentAddIcon(), a.browse)
	build := widget.NewButtonWithIcon(catalog.T(catalog.UIAttachmentsBuildRecordsPacket), theme.DocumentCreateIcon(), func() { e.showPacket() })
	build.Importance = widget.HighImportance
	prof := e.u.deps.Profile
	help := widget.NewLabel(catalog.T(catalog.UIAttachmentsRecordsOnePdfCurrent, prof.Rules.MaxPacketPages, humanBytes(prof.Rules.MaxUploadBytes), humanBytes(prof.Rules.MaxTotalAttachmentBytes)))
	help.Wrapping = fyne.TextWrapWord
	a.content = container.NewBorder(container.NewVBox(help, container.NewHBox(build, add), a.total), nil, nil, nil, a.list)
	a.refreshTotal()
	return a
}

func (a *attachmentStep) browse() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(a.e.u.win, catalog.T(catalog.UIAttachmentsCouldNotOpenFile), err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		a.e.addFiles([]string{path})
	}, a.e.u.win)
	d.SetFilter(extFilter(attach.Extensions))
	showFileDialog(d)
}

// addFiles checks and hashes files off the UI thread (the workflow's ReadFiles), then attaches the
// good ones to the order being edited and explains the rest.
func (e *orderEditor) addFiles(paths []string) {
	if e.readOnly || e.order.ID == 0 {
		return
	}
	work, o := e.u.deps.work(), e.order
	run(&e.u.bg, func(ctx context.Context) ([]workflow.Taken, error) {
		return work.ReadFiles(ctx, o, paths), nil
	}, func(taken []workflow.Taken, _ error) {
		refused := work.AddFiles(&e.order, taken)
		e.changed()
		if e.step != stepAttachments {
			e.goTo(stepAttachments)
		} else if e.attach != nil {
			e.attach.list.Refresh()
			e.attach.refreshTotal()
		}
		if len(refused) > 0 {
			problems := make([]string, len(refused))
			for i, err := range refused {
				problems[i] = refusalText(err)
			}
			dialog.ShowInformation(catalog.T(catalog.UIAttachmentsSomeFilesWereNot), strings.Join(problems, "\n"), e.u.win)
		}
	})
}

// refusalText says why a file was not attached, in the words of this screen.
func refusalText(err error) string {
	var r *attach.RefusedError
	if !errors.As(err, &r) {
		return err.Error()
	}
	switch r.Reason {
	case attach.TooLarge:
		return catalog.T(catalog.UIAttachmentsNameSizeInstitutionAccepts, r.Name, humanBytes(r.Size), humanBytes(r.Max))
	default:
		return r.Error()
	}
}

// extFilter accepts these extensions in either case (scanners often write .PDF).
func extFilter(exts []string) storage.FileFilter {
	all := make([]string, 0, 2*len(exts))
	for _, x := range exts {
		all = append(all, x, strings.ToUpper(x))
	}
	return storage.NewExtensionFileFilter(all)
}

func (a *attachmentStep) describe(path, desc string) {
	for i := range a.e.order.Attachments {
		if a.e.order.Attachments[i].Path == path {
			a.e.order.Attachments[i].Description = desc
		}
	}
	a.e.changed()
}

func (a *attachmentStep) remove(path string) {
	list := a.e.order.Attachments[:0:0]
	for _, at := range a.e.order.Attachments {
		if at.Path != path {
			list = append(list, at)
		}
	}
	a.e.order.Attachments = list
	a.e.changed()
	a.list.Refresh()
	a.refreshTotal()
}

func (a *attachmentStep) refreshTotal() {
	var total int64
	for _, at := range a.e.order.Attachments {
		total += at.Size
	}
	n := len(a.e.order.Attachments)
	if n == 0 {
		a.total.SetText(catalog.T(catalog.UIAttachmentsNoFilesAttached))
		return
	}
	a.total.SetText(catalog.T(catalog.UIAttachmentsNFileSTotal, n, humanBytes(total), humanBytes(a.e.u.deps.Profile.Rules.MaxTotalAttachmentBytes)))
}

// humanBytes uses decimal units, as the institution's limits ("100 MB", "1 GB") do.
func humanBytes(n int64) string { return catalog.Bytes(n) }
