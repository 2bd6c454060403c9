package screens

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/msg"
)

// questionStep is the portal's question panel: location, images?, records?, insurance.
type questionStep struct {
	e                    *orderEditor
	content              fyne.CanvasObject
	location             *widget.Select
	locInfo              *widget.Label
	images, records      *widget.RadioGroup
	payer, member, group *widget.Entry
}

func newQuestionStep(e *orderEditor) *questionStep {
	q := &questionStep{e: e}
	prof := e.u.deps.Profile
	names := make([]string, len(prof.Locations))
	for i, l := range prof.Locations {
		names[i] = l.Label(uiLang())
	}
	q.locInfo = widget.NewLabel("")
	q.locInfo.Wrapping = fyne.TextWrapWord
	q.location = widget.NewSelect(names, func(name string) {
		for _, l := range prof.Locations {
			if l.Label(uiLang()) == name {
				e.order.Location = l.Code
				q.locInfo.SetText(locationInfo(prof, l, prof.IsInternational(e.patient.Address.Country)))
				e.changed()
			}
		}
	})
	q.location.PlaceHolder = catalog.T(catalog.UIQuestionsChooseCampusRegion)
	if l, ok := prof.Location(e.order.Location); ok {
		q.location.Selected = l.Label(uiLang())
		q.locInfo.SetText(locationInfo(prof, l, prof.IsInternational(e.patient.Address.Country)))
	}
	answer := func(a app.Answer, set func(app.Answer)) *widget.RadioGroup {
		return choiceRadio([]msg.Code{catalog.AnswerYes, catalog.AnswerNo}, []app.Answer{app.AnswerYes, app.AnswerNo}, a,
			func(v app.Answer) { set(v); e.changed() }) // none chosen: AnswerUnset, the zero value
	}
	q.images = answer(e.order.UploadImages, func(a app.Answer) { e.order.UploadImages = a })
	q.records = answer(e.order.UploadRecords, func(a app.Answer) { e.order.UploadRecords = a })
	ins := func(ph, v string, set func(string)) *widget.Entry {
		w := widget.NewEntry()
		w.SetPlaceHolder(ph)
		w.SetText(v)
		w.OnChanged = func(s string) {
			set(strings.TrimSpace(s))
			e.changed()
		}
		return w
	}
	q.payer = ins(catalog.T(catalog.UIQuestionsEGBlueCross), e.order.Insurance.Payer, func(s string) { e.order.Insurance.Payer = s })
	q.member = ins(catalog.T(catalog.UIQuestionsMemberId), e.order.Insurance.MemberID, func(s string) { e.order.Insurance.MemberID = s })
	q.group = ins(catalog.T(catalog.UIQuestionsGroupNumber), e.order.Insurance.GroupID, func(s string) { e.order.Insurance.GroupID = s })

	locItem := widget.NewFormItem(catalog.T(catalog.UIQuestionsLocation), q.location)
	locItem.Required = true
	imgItem := widget.NewFormItem(catalog.T(catalog.UIQuestionsWillYouUploadingImages), q.images)
	imgItem.HintText = catalog.T(catalog.UIQuestionsRadiologyDicomImagesImage)
	recItem := widget.NewFormItem(catalog.T(catalog.UIQuestionsWillYouUploadingRecords), q.records)
	recItem.HintText = catalog.T(catalog.UIQuestionsRecordsGoUnderAttachments, prof.Rules.MaxPacketPages)
	form := widget.NewForm(locItem, widget.NewFormItem("", q.locInfo), imgItem, recItem,
		widget.NewFormItem(catalog.T(catalog.UIQuestionsInsuranceOptional), q.payer), widget.NewFormItem("", q.member), widget.NewFormItem("", q.group))
	q.content = container.NewVScroll(form)
	return q
}

// locationInfo describes the location; for an international order (here: a patient abroad; the
// review page also counts the provider's practice and the clinic) its international lines first.
func locationInfo(prof *institution.Profile, l institution.Location, international bool) string {
	var b strings.Builder
	if a := formatAddress(l.Address); a != "" {
		b.WriteString(a + "\n")
	}
	if international && (l.InternationalPhone != "" || l.InternationalFax != "") {
		b.WriteString(routingLine(l, true) + "\n")
	}
	if l.ReferralPhone != "" {
		b.WriteString(catalog.T(catalog.UIQuestionsReferralsReferralPhone, l.ReferralPhone))
	}
	if l.Fax != "" {
		b.WriteString(catalog.T(catalog.UIQuestionsFaxFax, l.Fax))
	}
	if l.Email != "" {
		b.WriteString(catalog.T(catalog.UIQuestionsEMailEmail, l.Email))
	}
	if !prof.AllowsPediatrics(l.Code) {
		b.WriteString(catalog.T(catalog.UIQuestionsAdultsOnlyPatientsUnder, fmt.Sprint(prof.Rules.PediatricAgeLimit)))
	}
	return b.String()
}

func formatAddress(a *institution.Address) string {
	if a == nil || a.Empty() {
		return ""
	}
	return fmt.Sprintf("%s, %s, %s %s", a.Line, a.City, a.State, a.PostalCode)
}

// hoursText says "Monday to Friday, 08:00–17:00 local time".
func hoursText(h *institution.Hours) string {
	if h == nil || len(h.Weekdays) == 0 {
		return ""
	}
	days := strings.Join(h.Weekdays, ", ")
	if len(h.Weekdays) == 5 && h.Weekdays[0] == "monday" && h.Weekdays[4] == "friday" {
		days = catalog.T(catalog.UIQuestionsMondayFriday)
	}
	return catalog.T(catalog.UIQuestionsDaysStartEndLocal, days, h.Start, h.End)
}
