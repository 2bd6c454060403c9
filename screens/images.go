package screens

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/dicom"
	"github.com/referraldesk/referraldesk/app/msg"
)

// Images is what the image upload needs: scanning folders and uploading the chosen studies.
type Images interface {
	Scan(ctx context.Context, paths []string, progress func(done, total int)) (*dicom.ScanResult, error)
	// Upload sends the studies for the order (confirmations: study UID → the user's reason for a
	// patient mismatch) and returns the plain-words summary.
	Upload(ctx context.Context, order app.Order, patient app.Patient, studies []dicom.Study, confirmations map[string]string,
		description string, progress func(UploadProgress)) (dicom.UploadSummary, error)
}

// UploadProgress is what the progress bar shows.
type UploadProgress struct {
	Files, FilesTotal int
	Bytes, BytesTotal int64
	Left              string // estimated time left, in words ("about 2 minutes")
}

// imagesScreen is the image uploader that follows signing an order with "uploading images: yes".
type imagesScreen struct {
	u        *UI
	order    app.Order
	patient  app.Patient
	content  fyne.CanvasObject
	desc     *widget.Entry
	studies  []dicom.Study
	selected map[string]bool   // study UID → checked
	dropped  map[string]bool   // series UID → unchecked by the user
	confirm  map[string]string // study UID → reason the user gave for a mismatch
	problems map[string]dicom.Problem
	list     *widget.List
	info     *widget.Label
	upload   *widget.Button
	result   *widget.Label
	scanRes  *dicom.ScanResult
}

// ShowImages opens the image uploader for a signed order.
func (u *UI) ShowImages(o app.Order, p app.Patient) *imagesScreen {
	u.flush()
	u.editor = nil
	s := newImagesScreen(u, o, p)
	u.images = s
	u.setBody(s.content)
	return s
}

func newImagesScreen(u *UI, o app.Order, p app.Patient) *imagesScreen {
	s := &imagesScreen{u: u, order: o, patient: p, selected: map[string]bool{}, dropped: map[string]bool{}, confirm: map[string]string{}, problems: map[string]dicom.Problem{}}
	s.desc = widget.NewEntry()
	s.desc.SetPlaceHolder(catalog.T(catalog.UIImagesDescriptionEGCt))
	s.info = widget.NewLabel(catalog.T(catalog.UIImagesChooseFolderCdUsb))
	s.info.Wrapping = fyne.TextWrapWord
	s.result = widget.NewLabel("")
	s.result.Wrapping = fyne.TextWrapWord
	s.list = widget.NewList(func() int { return len(s.studies) }, s.newRow, s.updateRow)
	folder := widget.NewButtonWithIcon(catalog.T(catalog.UIImagesChooseFolderDrive), theme.FolderOpenIcon(), s.browse)
	s.upload = widget.NewButtonWithIcon(catalog.T(catalog.UIImagesUploadSelectedStudies), theme.UploadIcon(), s.startUpload)
	s.upload.Importance = widget.HighImportance
	s.upload.Disable()
	pacs := widget.NewButtonWithIcon(catalog.T(catalog.UIImagesPacsPacsInstead), theme.ContentCopyIcon(), s.pacsText)
	done := widget.NewButtonWithIcon(catalog.T(catalog.UIImagesDone), theme.NavigateBackIcon(), u.ShowHome)
	head := widget.NewLabelWithStyle(catalog.T(catalog.UIImagesImagesDisplayNameDob, p.DisplayName(), app.FormatDate(p.BirthDate), u.deps.Profile.Name),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(head, widget.NewForm(widget.NewFormItem(catalog.T(catalog.UIImagesDescription), s.desc)), container.NewHBox(folder, pacs), s.info)
	s.content = container.NewPadded(container.NewBorder(top, container.NewVBox(s.result, container.NewBorder(nil, nil, done, s.upload)), nil, nil, s.list))
	return s
}

func (s *imagesScreen) newRow() fyne.CanvasObject {
	check := widget.NewCheck(catalog.T(catalog.UIImages20260302Ct), nil)
	warn := widget.NewLabel("")
	warn.Wrapping = fyne.TextWrapWord
	warn.Importance = widget.DangerImportance
	return container.NewBorder(nil, nil, nil, widget.NewButton(catalog.T(catalog.UIImagesConfirm), nil), container.NewVBox(check, container.NewVBox(), warn))
}

func (s *imagesScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	st := s.studies[i]
	c := o.(*fyne.Container)
	box := c.Objects[0].(*fyne.Container)
	check := box.Objects[0].(*widget.Check)
	series := box.Objects[1].(*fyne.Container)
	warn := box.Objects[2].(*widget.Label)
	btn := c.Objects[1].(*widget.Button)
	check.OnChanged = nil
	check.SetText(studyLine(st))
	check.SetChecked(s.selected[st.UID])
	uid := st.UID
	check.OnChanged = func(on bool) { s.selected[uid] = on; s.recheck() }
	// One check per series, indented, so a series listed in error can be left out.
	series.Objects = nil
	if len(st.Series) > 1 {
		for _, se := range st.Series {
			seUID := se.UID
			c := widget.NewCheck(catalog.T(catalog.UIImagesSeriesNumberModalityDescription, se.Number, se.Modality, orNone(se.Description), len(se.Instances)),
				func(on bool) { s.dropped[seUID] = !on; s.recheck() })
			c.Checked = !s.dropped[seUID]
			if !s.selected[uid] {
				c.Disable()
			}
			series.Add(container.NewPadded(c))
		}
	}
	pr, flagged := s.problems[uid]
	switch {
	case flagged && s.confirm[uid] != "":
		warn.SetText(catalog.T(catalog.UIImagesConfirmedByYouConfirm, s.confirm[uid]))
		warn.Importance = widget.WarningImportance
		btn.Hide()
	case flagged:
		warn.SetText(catalog.T(catalog.StudyBlocked, msg.Items(pr.Reasons)))
		warn.Importance = widget.DangerImportance
		btn.Show()
		btn.OnTapped = func() { s.askConfirm(uid) }
	default:
		warn.SetText("")
		btn.Hide()
	}
	warn.Refresh()
	s.list.SetItemHeight(i, c.MinSize().Height)
}

func studyLine(st dicom.Study) string {
	date := st.Date
	if len(date) == 8 {
		date = date[:4] + "-" + date[4:6] + "-" + date[6:]
	}
	desc := st.Description
	if desc == "" {
		desc = catalog.T(catalog.UIImagesNoDescription)
	}
	return catalog.T(catalog.UIImagesDateJoinDescN, date, strings.Join(st.Modalities, "/"), desc, len(st.Series), st.Instances, humanBytes(st.Size), dicom.ShowName(st.Patient.Name))
}

func (s *imagesScreen) browse() {
	d := dialog.NewFolderOpen(func(uri fyne.ListableURI, err error) {
		if err != nil || uri == nil {
			return
		}
		s.scan([]string{uri.Path()})
	}, s.u.win)
	showFileDialog(d)
}

// scan reads the headers off the UI thread with progress and Cancel.
func (s *imagesScreen) scan(paths []string) {
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	prog := dialog.NewCustomWithoutButtons(catalog.T(catalog.UIImagesLookingImages), container.NewVBox(
		widget.NewLabel(catalog.T(catalog.UIImagesReadingFileHeadersImages)), bar, widget.NewButton(catalog.T(catalog.UIImagesCancel), cancel)), s.u.win)
	prog.Show()
	run(&s.u.bg, func(context.Context) (*dicom.ScanResult, error) {
		defer cancel()
		return s.u.deps.Images.Scan(ctx, paths, func(done, total int) {
			s.u.bg.deliver(func() { bar.SetValue(float64(done) / float64(max(total, 1))) })
		})
	}, func(res *dicom.ScanResult, err error) {
		prog.Hide()
		if errors.Is(err, context.Canceled) {
			s.info.SetText(catalog.T(catalog.UIImagesScanCancelled))
			return
		}
		if err != nil {
			showError(s.u.win, catalog.T(catalog.UIImagesFolderCouldNotRead), err)
			return
		}
		s.scanRes = res
		s.studies = nil
		for _, p := range res.Patients {
			s.studies = append(s.studies, p.Studies...)
		}
		for _, st := range s.studies {
			s.selected[st.UID] = true
		}
		txt := catalog.T(catalog.ScanFound, msg.New(msg.CountImages, len(res.Instances)), msg.New(msg.CountStudies, len(s.studies)))
		if n := len(res.Rejected); n > 0 {
			var reasons []string
			for i, r := range res.Rejected {
				if i == 5 {
					reasons = append(reasons, catalog.T(catalog.AndMore, n-5))
					break
				}
				reasons = append(reasons, fileBase(r.Path)+": "+catalog.Default().Text(r.Message()))
			}
			txt += " " + catalog.T(catalog.ScanUnusable, n) + "\n" + strings.Join(reasons, "\n")
		}
		txt += catalog.T(catalog.UIImagesUncheckAnyStudyListed)
		s.info.SetText(txt)
		s.recheck()
	})
}

func fileBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// chosen lists the selected studies, each with only the series the user kept.
func (s *imagesScreen) chosen() []dicom.Study {
	var out []dicom.Study
	for _, st := range s.studies {
		if !s.selected[st.UID] {
			continue
		}
		var keep []string
		for _, se := range st.Series {
			if !s.dropped[se.UID] {
				keep = append(keep, se.UID)
			}
		}
		if len(keep) > 0 {
			out = append(out, st.WithSeries(keep...))
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return catalog.T(catalog.UIImagesNoDescription)
	}
	return s
}

// recheck compares the selection with the order's patient; a mismatch blocks upload until confirmed.
func (s *imagesScreen) recheck() {
	s.problems = map[string]dicom.Problem{}
	for _, p := range dicom.CheckSelection(s.patient, s.chosen()) {
		s.problems[p.StudyUID] = p
	}
	blocked := 0
	for uid := range s.problems {
		if s.confirm[uid] == "" {
			blocked++
		}
	}
	n := len(s.chosen())
	s.upload.Disable()
	switch {
	case n == 0:
		s.result.SetText("")
	case blocked > 0:
		s.result.SetText(catalog.T(catalog.UIImagesBlockedSelectedStudyIes, blocked, s.patient.DisplayName()))
	default:
		s.result.SetText(catalog.T(catalog.UIImagesNStudyIesReady, n))
		s.upload.Enable()
	}
	s.list.Refresh()
}

func (s *imagesScreen) askConfirm(uid string) {
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder(catalog.T(catalog.UIImagesWhyTheseImagesBelong))
	dialog.ShowForm(catalog.T(catalog.UIImagesConfirmStudyBelongsDisplay, s.patient.DisplayName()), catalog.T(catalog.UIImagesConfirm2), catalog.T(catalog.UIImagesCancel),
		[]*widget.FormItem{widget.NewFormItem(catalog.T(catalog.UIImagesReason), reason)}, func(ok bool) {
			if ok && strings.TrimSpace(reason.Text) != "" {
				s.confirm[uid] = strings.TrimSpace(reason.Text)
				s.recheck()
			}
		}, s.u.win)
}

// startUpload sends the selected studies with progress (files, bytes, time left) and Cancel.
func (s *imagesScreen) startUpload() {
	studies := s.chosen()
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	detail := widget.NewLabel(catalog.T(catalog.UIImagesStarting))
	prog := dialog.NewCustomWithoutButtons(catalog.T(catalog.UIImagesUploadingImages), container.NewVBox(detail, bar, widget.NewButton(catalog.T(catalog.UIImagesCancel), cancel)), s.u.win)
	prog.Show()
	s.upload.Disable()
	confirm := map[string]string{}
	for k, v := range s.confirm {
		confirm[k] = v
	}
	desc := s.desc.Text
	run(&s.u.bg, func(context.Context) (dicom.UploadSummary, error) {
		defer cancel()
		return s.u.deps.Images.Upload(ctx, s.order, s.patient, studies, confirm, desc, func(p UploadProgress) {
			s.u.bg.deliver(func() {
				bar.SetValue(float64(p.Bytes) / float64(max(p.BytesTotal, 1)))
				detail.SetText(catalog.T(catalog.UIImagesFilesFilesTotalFiles, p.Files, p.FilesTotal, humanBytes(p.Bytes), humanBytes(p.BytesTotal), leftText(p.Left)))
			})
		})
	}, func(sum dicom.UploadSummary, err error) {
		prog.Hide()
		s.upload.Enable()
		text := catalog.Default()
		switch {
		case err != nil && sum.Err == nil: // stopped before the upload began
			s.result.Importance = widget.DangerImportance
			s.result.SetText(text.Err(err))
		case err != nil:
			s.result.Importance = widget.DangerImportance
			s.result.SetText(text.Sentences(append(sum.Parts(), msg.New(catalog.UploadRetryKeeps))))
		default:
			s.result.Importance = widget.SuccessImportance
			s.result.SetText(text.Sentences(sum.Parts()))
		}
	})
}

func leftText(left string) string {
	if left == "" {
		return ""
	}
	return catalog.T(catalog.UIImagesLeftLeft, left)
}

// pacsText gives the clinic's PACS team what they need to send the images themselves.
func (s *imagesScreen) pacsText() {
	text := dicom.PACSText(s.patient, s.chosen(), catalog.T(catalog.UIImagesNamePacs, s.u.deps.Profile.Name))
	if desc := strings.TrimSpace(s.desc.Text); desc != "" {
		text = catalog.T(catalog.UIImagesDescriptionDescText, desc, text)
	}
	body := widget.NewMultiLineEntry()
	body.SetText(text)
	body.Wrapping = fyne.TextWrapWord
	body.SetMinRowsVisible(14)
	copyBtn := widget.NewButtonWithIcon(catalog.T(catalog.UIImagesCopy), theme.ContentCopyIcon(), func() { fyne.CurrentApp().Clipboard().SetContent(text) })
	showInfo(s.u.win, catalog.T(catalog.UIImagesPacsPacsTextYour), container.NewBorder(
		widget.NewLabel(catalog.T(catalog.UIImagesNoUploadFromComputer)), copyBtn, nil, nil, body))
}
