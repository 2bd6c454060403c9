package screens

import (
	"context"
	"crypto/sha1" //nolint:gosec // FHIR Attachment.hash is SHA-1 by definition; not used for security
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/attach"
	"github.com/referraldesk/referraldesk/app/catalog"
)

// attachmentStep lists the files sent with the order, each with a description.
type attachmentStep struct {
	e       *orderEditor
	content fyne.CanvasObject
	list    *widget.List
	total   *widget.Label
}

var attachableExt = []string{".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png", ".wmv", ".mpg", ".mpeg", ".mp4"}

func newAttachmentStep(e *orderEditor) *attachmentStep {
	a := &attachmentStep{e: e}
	a.total = widget.NewLabel("")
	a.list = widget.NewList(func() int { return len(e.order.Attachments) },
		func() fyne.CanvasObject {
			desc := widget.NewEntry()
			desc.SetPlaceHolder("Description, e.g. 13-page PDF of medical records")
			return container.NewBorder(nil, nil,
				widget.NewLabel("records · 12.3 MB · a-long-file-name.pdf"),
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
	add := widget.NewButtonWithIcon("Add files…", theme.ContentAddIcon(), a.browse)
	build := widget.NewButtonWithIcon("Build records packet…", theme.DocumentCreateIcon(), func() { e.showPacket() })
	build.Importance = widget.HighImportance
	prof := e.u.deps.Profile
	help := widget.NewLabel(fmt.Sprintf("Records: one PDF, current to oldest, at most %d pages, with two patient identifiers on every page. "+
		"JPEG photos and non-DICOM videos (.wmv, .mpg) go here too; DICOM images go through the image upload after signing. "+
		"Each file at most %s, all files together at most %s. You can also drop files on the window.",
		prof.Rules.MaxPacketPages, humanBytes(prof.Rules.MaxUploadBytes), humanBytes(prof.Rules.MaxTotalAttachmentBytes)))
	help.Wrapping = fyne.TextWrapWord
	a.content = container.NewBorder(container.NewVBox(help, container.NewHBox(build, add), a.total), nil, nil, nil, a.list)
	a.refreshTotal()
	return a
}

func (a *attachmentStep) browse() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(a.e.u.win, "Could not open the file", err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		a.e.addFiles([]string{path})
	}, a.e.u.win)
	d.SetFilter(extFilter(attachableExt))
	showFileDialog(d)
}

// addFiles checks and hashes files off the UI thread, then attaches the good ones and explains the rest.
func (e *orderEditor) addFiles(paths []string) {
	if e.readOnly || e.order.ID == 0 {
		return
	}
	rules := e.u.deps.Profile.Rules
	photoDir := filepath.Join(e.u.deps.DataDir, "attachments", e.order.UUID)
	run(&e.u.bg, func(ctx context.Context) ([]attachResult, error) {
		out := make([]attachResult, 0, len(paths))
		for _, p := range paths {
			src := p
			if ext := strings.ToLower(filepath.Ext(p)); ext == ".jpg" || ext == ".jpeg" {
				var err error
				if p, err = attach.PhotoWithoutLocation(src, photoDir); err != nil {
					out = append(out, attachResult{err: err})
					continue
				}
			}
			at, err := describeFile(ctx, p, rules.MaxUploadBytes)
			out = append(out, attachResult{at, err})
		}
		return out, nil
	}, func(res []attachResult, _ error) {
		var problems []string
		for _, r := range res {
			if r.err != nil {
				problems = append(problems, r.err.Error())
				continue
			}
			if hasAttachment(e.order.Attachments, r.at) {
				if filepath.Dir(r.at.Path) == photoDir {
					_ = os.Remove(r.at.Path) // the new copy of a photo already attached
				}
				problems = append(problems, r.at.FileName+" is already attached.")
				continue
			}
			r.at.OrderID = e.order.ID
			r.at.AddedAt = e.u.deps.now()
			e.order.Attachments = append(e.order.Attachments, r.at)
		}
		e.changed()
		if e.step != stepAttachments {
			e.goTo(stepAttachments)
		} else if e.attach != nil {
			e.attach.list.Refresh()
			e.attach.refreshTotal()
		}
		if len(problems) > 0 {
			dialog.ShowInformation("Some files were not attached", strings.Join(problems, "\n"), e.u.win)
		}
	})
}

type attachResult struct {
	at  app.Attachment
	err error
}

// hasAttachment: the same file, or the same content (a photo is copied under a new name each time).
func hasAttachment(list []app.Attachment, at app.Attachment) bool {
	for _, a := range list {
		if a.Path == at.Path || (at.SHA1 != "" && a.SHA1 == at.SHA1 && a.Size == at.Size) {
			return true
		}
	}
	return false
}

// describeFile stats and hashes one file, refusing what the institution would refuse.
func describeFile(ctx context.Context, path string, maxBytes int64) (app.Attachment, error) {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return app.Attachment{}, fmt.Errorf("%s: cannot be read (%v)", name, errorsCause(err))
	}
	if st.IsDir() {
		return app.Attachment{}, fmt.Errorf("%s is a folder; add the files inside it", name)
	}
	if maxBytes > 0 && st.Size() > maxBytes {
		return app.Attachment{}, fmt.Errorf("%s is %s; the institution accepts at most %s per file. Split it, or for records build the packet of at most the page limit",
			name, humanBytes(st.Size()), humanBytes(maxBytes))
	}
	ext := strings.ToLower(filepath.Ext(name))
	if !slices.Contains(attachableExt, ext) {
		return app.Attachment{}, fmt.Errorf("%s: only PDF, TIFF, JPEG, PNG and video files (.wmv, .mpg, .mp4) can be attached; DICOM images use the image upload", name)
	}
	f, err := os.Open(path)
	if err != nil {
		return app.Attachment{}, fmt.Errorf("%s: cannot be read (%v)", name, errorsCause(err))
	}
	defer f.Close()
	h := sha1.New() //nolint:gosec // see import
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		return app.Attachment{}, fmt.Errorf("%s: reading stopped (%v)", name, errorsCause(err))
	}
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = "application/octet-stream"
	}
	return app.Attachment{
		Path: path, FileName: name, Kind: kindOf(ext), ContentType: ct, Size: st.Size(),
		SHA1: hex.EncodeToString(h.Sum(nil)),
	}, nil
}

// extFilter accepts these extensions in either case (scanners often write .PDF).
func extFilter(exts []string) storage.FileFilter {
	all := make([]string, 0, 2*len(exts))
	for _, x := range exts {
		all = append(all, x, strings.ToUpper(x))
	}
	return storage.NewExtensionFileFilter(all)
}

func kindOf(ext string) app.AttachmentKind {
	switch ext {
	case ".pdf", ".tif", ".tiff":
		return app.KindRecords
	case ".jpg", ".jpeg", ".png":
		return app.KindPhoto
	case ".wmv", ".mpg", ".mpeg", ".mp4":
		return app.KindVideo
	}
	return app.KindOther
}

// errorsCause drops the path from an *os.PathError: the user already sees the file name.
func errorsCause(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ctxReader stops a long read when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
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
		a.total.SetText("No files attached.")
		return
	}
	a.total.SetText(fmt.Sprintf("%d file(s), %s of %s allowed in total", n, humanBytes(total), humanBytes(a.e.u.deps.Profile.Rules.MaxTotalAttachmentBytes)))
}

// humanBytes uses decimal units, as the institution's limits ("100 MB", "1 GB") do.
func humanBytes(n int64) string { return catalog.Bytes(n) }
