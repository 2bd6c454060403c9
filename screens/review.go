package screens

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/referral"
	"github.com/referraldesk/referraldesk/app/users"
)

// reviewStep is the readiness check: it lists everything missing or wrong; Sign waits until nothing is.
type reviewStep struct {
	e        *orderEditor
	content  fyne.CanvasObject
	summary  *widget.Form
	problems *fyne.Container
	sign     *widget.Button
	issues   []referral.Problem
}

// fieldStep maps a readiness problem to the step where it is fixed.
var fieldStep = map[string]step{
	"patient": stepPatient, "provider": stepProvider, "department": stepDepartment, "priority": stepDepartment,
	"reason": stepReason, "diagnosis": stepDiagnosis, "location": stepQuestions, "images": stepQuestions,
	"records": stepQuestions, "insurance": stepQuestions, "attachments": stepAttachments, "comment": stepComment,
}

func newReviewStep(e *orderEditor) *reviewStep {
	r := &reviewStep{e: e}
	r.summary = widget.NewForm()
	r.problems = container.NewVBox()
	r.sign = widget.NewButtonWithIcon(catalog.T(catalog.UIReviewSignOrder), theme.ConfirmIcon(), r.confirmSign)
	r.sign.Importance = widget.HighImportance
	r.sign.Disable()
	fax := widget.NewButtonWithIcon(catalog.T(catalog.UIReviewFaxForm), theme.MailSendIcon(), r.faxForm)
	var bottom fyne.CanvasObject = container.NewBorder(nil, nil, nil, fax, container.NewHBox(r.sign))
	if e.readOnly {
		var right fyne.CanvasObject = fax
		if e.order.UploadImages == app.AnswerYes && e.u.deps.Images != nil {
			right = container.NewHBox(widget.NewButtonWithIcon(catalog.T(catalog.UIReviewUploadImages), theme.UploadIcon(), func() { e.u.ShowImages(e.order, e.patient) }), fax)
		}
		bottom = container.NewBorder(nil, nil, nil, right, widget.NewLabel(statusLine(e.order)))
	}
	r.content = container.NewBorder(nil, bottom, nil, nil, container.NewVScroll(container.NewVBox(r.problems, widget.NewSeparator(), r.summary)))
	r.check()
	return r
}

func statusLine(o app.Order) string {
	s := catalog.T(catalog.UIReviewStatusStatus, statusText(o.Status))
	if !o.SignedAt.IsZero() {
		s += catalog.T(catalog.UIReviewSignatureFormat, app.SignatureText(o.Signature), o.SignedAt.Local().Format("2006-01-02 15:04"))
	}
	switch {
	case o.StatusReason != "" && o.Status == app.StatusNeedsAttention:
		s += " — " + catalog.T(catalog.ServerRefused, o.StatusReason)
	case o.StatusReason != "":
		s += " — " + o.StatusReason
	}
	return s
}

// check loads the provider and runs the readiness check off the UI thread.
func (r *reviewStep) check() {
	e := r.e
	o, p := e.order, e.patient
	deps := e.u.deps
	run(&e.u.bg, func(ctx context.Context) (reviewData, error) {
		var d reviewData
		if o.ProviderID != 0 {
			prov, err := deps.Providers.Provider(ctx, o.ProviderID)
			if err != nil {
				return d, err
			}
			d.provider = &prov
		}
		d.international = orderInternational(ctx, deps, p, d.provider)
		d.problems = referral.Check(referral.Input{Order: o, Patient: p, Provider: d.provider, Profile: deps.Profile, Now: deps.now()})
		return d, nil
	}, func(d reviewData, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIReviewCouldNotCheckOrder), err)
			return
		}
		r.show(d)
	})
}

type reviewData struct {
	provider      *app.Provider
	problems      []referral.Problem
	international bool // the patient, the provider's practice or the clinic is abroad
}

func (r *reviewStep) show(d reviewData) {
	e := r.e
	r.issues = d.problems
	r.problems.Objects = nil
	switch {
	case e.readOnly:
		r.problems.Add(widget.NewLabelWithStyle(catalog.T(catalog.UIReviewOrderHasBeenSigned), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	case len(d.problems) == 0:
		ok := widget.NewLabelWithStyle(catalog.T(catalog.UIReviewEverythingInstitutionNeedsHere), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		ok.Importance = widget.SuccessImportance
		r.problems.Add(ok)
		r.sign.Enable()
	default:
		head := widget.NewLabelWithStyle(catalog.T(referral.NotReady, len(d.problems)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Importance = widget.DangerImportance
		r.problems.Add(head)
		for _, p := range d.problems {
			target, known := fieldStep[p.Field]
			msg := widget.NewLabel("• " + catalog.Default().Text(p.Msg))
			msg.Wrapping = fyne.TextWrapWord
			if !known {
				r.problems.Add(msg)
				continue
			}
			r.problems.Add(container.NewBorder(nil, nil, nil, widget.NewButton(catalog.T(catalog.UIReviewFix), func() { e.goTo(target) }), msg))
		}
		r.sign.Disable()
	}
	r.problems.Refresh()
	r.fillSummary(d.provider, d.international)
}

func (r *reviewStep) fillSummary(prov *app.Provider, international bool) {
	e := r.e
	o, prof := e.order, e.u.deps.Profile
	r.summary.Items = nil
	add := func(label, value string) {
		if value == "" {
			value = "—"
		}
		l := widget.NewLabel(value)
		l.Wrapping = fyne.TextWrapWord
		r.summary.Append(label, l)
	}
	add(catalog.T(catalog.UIReviewPatient), patientLine(e.patient))
	add(catalog.T(catalog.UIReviewAddressPhone), contactLine(e.patient, prof.HomeCountry()))
	add(catalog.T(catalog.UIReviewLanguage), languageLine(e.patient))
	if prov != nil {
		add(catalog.T(catalog.UIReviewAuthorizingProvider), prov.DisplayName()+" · "+providerIDText(*prov))
	} else {
		add(catalog.T(catalog.UIReviewAuthorizingProvider), "")
	}
	dept := o.Department
	if d, ok := prof.Department(o.Department); ok {
		dept = d.Label(uiLang())
	}
	add(catalog.T(catalog.UIReviewDepartment), dept)
	add(catalog.T(catalog.UIReviewPriority), priorityText(o.Priority))
	add(catalog.T(catalog.UIReviewReason), o.Reason)
	dx := make([]string, len(o.Diagnoses))
	for i, d := range o.Diagnoses {
		dx[i] = d.Code + " " + d.Description
	}
	add(catalog.T(catalog.UIReviewDiagnoses), strings.Join(dx, "\n"))
	loc := o.Location
	if l, ok := prof.Location(o.Location); ok {
		loc = l.Label(uiLang()) + "\n" + routingLine(l, international)
	}
	add(catalog.T(catalog.UIReviewLocation), loc)
	add(catalog.T(catalog.UIReviewUploadingImages), answerText(o.UploadImages))
	add(catalog.T(catalog.UIReviewUploadingRecords), answerText(o.UploadRecords))
	ins := strings.TrimSpace(strings.Join([]string{o.Insurance.Payer, o.Insurance.MemberID, o.Insurance.GroupID}, " "))
	add(catalog.T(catalog.UIReviewInsurance), ins)
	files := make([]string, len(o.Attachments))
	for i, a := range o.Attachments {
		files[i] = fmt.Sprintf("%s (%s) — %s", a.FileName, humanBytes(a.Size), a.Description)
	}
	add(catalog.T(catalog.UIReviewAttachments), strings.Join(files, "\n"))
	add(catalog.T(catalog.UIReviewSchedulingComment), o.SchedulingComment)
	if im := e.imported; im != nil {
		// For the physician only (read-only): what the clinic's EHR export lists.
		meds := make([]string, 0, len(im.Doc.Medications))
		for _, m := range im.Doc.Medications {
			meds = append(meds, strings.TrimSpace(m.Name+" "+m.Status))
		}
		allergies := make([]string, 0, len(im.Doc.Allergies))
		for _, a := range im.Doc.Allergies {
			allergies = append(allergies, a.Substance)
		}
		add(catalog.T(catalog.UIReviewMedicationsFromEhrExport), cmpOr(strings.Join(meds, "\n"), catalog.T(catalog.UIReviewNoneListed)))
		add(catalog.T(catalog.UIReviewAllergiesFromEhrExport), cmpOr(strings.Join(allergies, "\n"), catalog.T(catalog.UIReviewNoneListed)))
	}
	r.summary.Refresh()
}

func answerText(a app.Answer) string {
	if a == app.AnswerUnset {
		return catalog.T(catalog.UIReviewNotAnswered)
	}
	return string(a)
}

// faxForm writes the fax cover and referral form, for when the portal cannot be used, and opens it.
func (r *reviewStep) faxForm() {
	e := r.e
	deps, o, prof := e.u.deps, e.order, e.u.deps.Profile
	loc, ok := prof.Location(o.Location)
	if !ok || loc.Fax == "" {
		dialog.ShowInformation(catalog.T(catalog.UIReviewChooseLocationFaxNumber),
			catalog.T(catalog.UIReviewFaxFormGoesReferral), e.u.win)
		return
	}
	dir := filepath.Join(deps.DataDir, "fax", o.UUID)
	path := filepath.Join(dir, strings.TrimSuffix(packet.FileName(e.patient.Family, e.patient.Given, e.patient.BirthDate), ".pdf")+" fax.pdf")
	pt, now := e.patient, deps.now()
	faxTo := loc.Fax // the international fax for an international order, set by the work below
	run(&e.u.bg, func(ctx context.Context) (string, error) {
		prov, err := deps.Providers.Provider(ctx, o.ProviderID)
		if err != nil && !errors.Is(err, app.ErrNotFound) {
			return "", err
		}
		var clinic app.Clinic
		if deps.Clinics != nil {
			if clinic, _, err = deps.Clinics.Clinic(ctx); err != nil {
				return "", err
			}
		}
		info := packet.FaxInfoFor(o, pt, prov, clinic, prof, now)
		faxTo = info.FaxNumber
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
		return path, packet.FaxForm(ctx, info, path)
	}, func(path string, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIReviewFaxFormCouldNot), err)
			return
		}
		days := prof.Rules.FaxResponseBusinessDays
		dialog.ShowInformation(catalog.T(catalog.UIReviewFaxFormReady), catalog.T(catalog.UIReviewSavedAsPathPrint, path, faxTo, loc.Name, days), e.u.win)
		_ = fyne.CurrentApp().OpenURL(fileURL(path))
	})
}

// fileURL makes a file:// URL that works for "C:\Users\…" as well as "/home/…".
func fileURL(path string) *url.URL {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return &url.URL{Scheme: "file", Path: p}
}

// confirmSign asks who signs: the authorizing provider themself, or a staff member submitting on
// the provider's behalf ("entered by … for Dr …"), as the institution's portal allows. The computer
// login is recorded too, but never named as the signer. Enter signs as the provider.
func (r *reviewStep) confirmSign() {
	e := r.e
	pid := e.order.ProviderID
	run(&e.u.bg, func(ctx context.Context) (app.Provider, error) {
		return e.u.deps.Providers.Provider(ctx, pid)
	}, func(prov app.Provider, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIReviewCouldNotReadAuthorizing), err)
			return
		}
		r.askSigner(prov)
	})
}

func (r *reviewStep) askSigner(prov app.Provider) {
	e := r.e
	provName := prov.SigningName()
	self := catalog.T(catalog.UIReviewProvNameAuthorizingProvider, provName)
	staff := catalog.T(catalog.UIReviewStaffMemberSubmittingProv, provName)
	who := widget.NewRadioGroup([]string{self, staff}, nil)
	who.Required = true
	who.SetSelected(self)
	name := widget.NewEntry()
	name.SetPlaceHolder(catalog.T(catalog.UIReviewYourFullNameStaff))
	name.Disable()
	who.OnChanged = func(s string) {
		if s == staff {
			name.Enable()
			e.u.win.Canvas().Focus(name)
		} else {
			name.Disable()
		}
	}
	// With a user signed in there is nothing to choose: a physician who is the order's provider signs
	// as themself, anyone else enters it for the provider under their own name.
	if cur := e.u.current; cur != nil {
		if cur.Role == users.RolePhysician && cur.ProviderID == prov.ID {
			who.SetSelected(self)
		} else {
			staff = catalog.T(catalog.UIReviewNameSubmittingProvName, cur.Name, provName)
			who.Options = []string{self, staff}
			who.SetSelected(staff)
			name.SetText(cur.Name)
		}
		who.Disable()
		name.Disable()
	}
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	where := catalog.T(catalog.UIReviewThenQueuedSentName, e.u.deps.Profile.Name)
	text := widget.NewLabel(catalog.T(catalog.UIReviewSignOrderDisplayName, e.patient.DisplayName(), where))
	text.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	sign := func() {
		sig := app.Signature{
			SignerRole: app.SignerProvider, SignerName: provName, ForProviderID: prov.ID,
			ForProvider: provName, OSUser: e.u.deps.User,
		}
		if who.Selected == staff {
			sig.SignerRole, sig.SignerName = app.SignerStaff, strings.TrimSpace(name.Text)
			if sig.SignerName == "" {
				problem.SetText(catalog.T(catalog.UIReviewTypeYourNameInstitution, provName))
				return
			}
		}
		d.Hide()
		r.signNow(sig)
	}
	name.OnSubmitted = func(string) { sign() }
	content := container.NewVBox(text, widget.NewLabelWithStyle(catalog.T(catalog.UIReviewWhoSigning), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		who, name, problem)
	d = dialog.NewCustomConfirm(catalog.T(catalog.UIReviewSignOrder2), catalog.T(catalog.UIReviewSign), catalog.T(catalog.UIReviewCancel), content, func(ok bool) {
		if ok {
			sign()
		}
	}, e.u.win)
	withKeys(e.u.win, d, sign)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

// signNow makes the order signed and queued (one outbox entry, in one transaction in the store).
func (r *reviewStep) signNow(sig app.Signature) {
	e := r.e
	r.sign.Disable()
	e.saver.flush()
	id, now := e.order.ID, e.u.deps.now()
	run(&e.u.bg, func(ctx context.Context) (bool, error) {
		if err := e.u.deps.work().Sign(ctx, id, sig, now); err != nil {
			return false, err
		}
		return hasAccount(ctx, e.u.deps.Sync), nil
	}, func(account bool, err error) {
		if err != nil {
			r.sign.Enable()
			showError(e.u.win, catalog.T(catalog.UIReviewOrderWasNotSigned), err)
			return
		}
		e.u.editor = nil
		if e.u.deps.Sync != nil {
			e.u.deps.Sync.SyncNow()
		}
		if e.order.UploadImages == app.AnswerYes && e.u.deps.Images != nil {
			// As in the portal, the image uploader follows signing.
			e.order.Status = app.StatusQueued
			e.u.ShowImages(e.order, e.patient)
			return
		}
		e.u.ShowHome()
		e.u.home.tabs.SelectIndex(tabRequests)
		msg := catalog.T(catalog.UIReviewOrderSignedWaitingOutbox)
		if !account {
			msg = catalog.T(catalog.UIReviewOrderSignedKeptComputer)
		}
		dialog.ShowInformation(catalog.T(catalog.UIReviewOrderSigned), msg, e.u.win)
	})
}

// hasAccount tells whether an institution account is set up (so the outbox can ever be sent).
func hasAccount(ctx context.Context, s Sync) bool {
	if s == nil {
		return false
	}
	_, ok, err := s.Account(ctx)
	return err == nil && ok
}
