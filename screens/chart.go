package screens

import (
	"context"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/intl"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/referral"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// chartForm creates a new patient chart with the fields the institution requires.
type chartForm struct {
	u                                          *UI
	content                                    fyne.CanvasObject
	family, given, dob, line, city, state, zip *widget.Entry
	phone, mrn, clinicMRN                      *widget.Entry
	sex, insurance                             *widget.Select
	country, language                          *widget.Select
	interpreter                                *widget.Check
	stateItem, zipItem                         *widget.FormItem
	where                                      *widget.Form
	problems                                   *widget.Label
	save                                       *widget.Button
	onCreated                                  func(app.Patient)
	imported                                   app.Patient // the clinic MRN as the import gave it
}

// showChartForm replaces the order area with the new-chart form; cancel goes back.
func showChartForm(u *UI, prefill app.Patient, onCreated func(app.Patient), cancel func()) *chartForm {
	f := newChartForm(u, prefill, onCreated, cancel)
	if u.editor != nil {
		u.editor.area.Objects = []fyne.CanvasObject{f.content}
		u.editor.area.Refresh()
		u.editor.title.SetText(catalog.T(catalog.UIChartCreateNewChart))
		u.editor.patientStep.chart = f
	}
	u.win.Canvas().Focus(f.family)
	return f
}

func newChartForm(u *UI, prefill app.Patient, onCreated func(app.Patient), cancel func()) *chartForm {
	f := &chartForm{u: u, onCreated: onCreated, imported: prefill}
	entry := func(ph, text string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		e.SetText(text)
		return e
	}
	f.family = entry(catalog.T(catalog.UIChartLegalLastName), prefill.Family)
	f.given = entry(catalog.T(catalog.UIChartLegalFirstMiddleNames), prefill.Given)
	dob := ""
	if !prefill.BirthDate.IsZero() {
		dob = app.FormatDate(prefill.BirthDate)
	}
	f.dob = entry(catalog.T(catalog.UIChartYyyyMmDdMm), dob)
	f.dob.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("required")
		}
		_, err := app.ParseDate(s)
		return err
	}
	sexes := make([]string, len(app.Sexes))
	for i, s := range app.Sexes {
		sexes[i] = sexText(s)
	}
	f.sex = widget.NewSelect(sexes, nil)
	if prefill.Sex != "" {
		f.sex.Selected = sexText(prefill.Sex)
	}
	// A chart prefilled from an import is shown for checking; nothing is saved until Save chart.
	f.line = entry(catalog.T(catalog.UIChartStreetNumber), prefill.Address.Line)
	f.city = entry(catalog.T(catalog.UIChartCity), prefill.Address.City)
	f.state = entry(catalog.T(catalog.UIChartStateEGMn), prefill.Address.State)
	f.zip = entry(catalog.T(catalog.UIChartZipCode), prefill.Address.PostalCode)
	home := u.deps.Profile.HomeCountry()
	country := prefill.Address.Country
	if country == "" {
		country = home // the institution's country, as charts were before countries
	}
	f.phone = entry(catalog.T(catalog.UIChart5555550100Country), intl.DisplayPhone(prefill.Phone, country))
	f.language = languageSelect(prefill.Language)
	f.interpreter = widget.NewCheck(catalog.T(catalog.UIChartInterpreterNeeded), nil)
	f.interpreter.SetChecked(prefill.InterpreterNeeded)
	insNames := make([]string, len(u.deps.Profile.InsuranceTypes))
	for i, t := range u.deps.Profile.InsuranceTypes {
		insNames[i] = t.Label(uiLang())
	}
	f.insurance = widget.NewSelect(insNames, nil)
	f.mrn = entry(catalog.T(catalog.UIChartOnlyIfPatientWas), "")
	f.clinicMRN = entry(catalog.T(catalog.ClinicMRNPlaceholder), prefill.ClinicMRN)
	f.problems = widget.NewLabel("")
	f.problems.Wrapping = fyne.TextWrapWord
	f.problems.Importance = widget.DangerImportance

	req := func(label string, w fyne.CanvasObject) *widget.FormItem {
		it := widget.NewFormItem(label, w)
		it.Required = true
		return it
	}
	person := widget.NewForm(
		req(catalog.T(catalog.UIChartLastName), f.family), req(catalog.T(catalog.UIChartFirstName), f.given), req(catalog.T(catalog.UIChartDateBirth), f.dob), req(catalog.T(catalog.UIChartSex), f.sex),
		req(catalog.T(catalog.UIChartPhone), f.phone), req(catalog.T(catalog.UIChartInsuranceType), f.insurance),
	)
	mrnItem := widget.NewFormItem(catalog.T(catalog.UIChartRegistrationNo), f.mrn)
	mrnItem.HintText = catalog.T(catalog.UIChartOptionalShortNameNumber, u.deps.Profile.ShortName)
	f.stateItem, f.zipItem = req(catalog.T(catalog.UIChartState), f.state), req(catalog.T(catalog.UIChartZipCode), f.zip)
	f.country = countrySelect(country, f.countryChanged)
	langItem := widget.NewFormItem(catalog.T(catalog.UIChartPreferredLanguage), f.language)
	langItem.HintText = catalog.T(catalog.UIChartLanguagePatientPrefersCare)
	person.AppendItem(langItem)
	person.AppendItem(widget.NewFormItem("", f.interpreter))
	clinicItem := widget.NewFormItem(catalog.T(catalog.ClinicMRNLabel), f.clinicMRN)
	clinicItem.HintText = catalog.T(catalog.ClinicMRNHint)
	if prefill.ClinicMRN != "" && prefill.ClinicMRNSystem != "" {
		clinicItem.HintText = catalog.T(catalog.ClinicMRNImported, prefill.ClinicMRNSystem)
	}
	f.where = widget.NewForm(req(catalog.T(catalog.UIChartAddress), f.line), req(catalog.T(catalog.UIChartCity), f.city), f.stateItem, f.zipItem,
		req(catalog.T(catalog.UIChartCountry), f.country), mrnItem, clinicItem)
	f.countryChanged(country)
	where := f.where
	note := widget.NewLabel(catalog.T(catalog.UIChartUseFormLegalIdentification))
	note.Wrapping = fyne.TextWrapWord
	f.save = widget.NewButtonWithIcon(catalog.T(catalog.UIChartSaveChart), theme.DocumentSaveIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	back := widget.NewButton(catalog.T(catalog.UIChartCancel), cancel)
	f.content = container.NewBorder(note, container.NewHBox(f.save, back), nil, nil,
		container.NewVBox(container.NewGridWithColumns(2, person, where), f.problems))
	return f
}

// countryChanged names the state and postal-code fields as the country does and marks them
// required only where they are (US, Canada).
func (f *chartForm) countryChanged(code string) {
	r := intl.Rule(code)
	f.stateItem.Text, f.zipItem.Text = addressLabels(code)
	f.stateItem.Required, f.zipItem.Required = r.StateRequired, r.PostalRequired
	switch {
	case code == "US":
		f.state.SetPlaceHolder(catalog.T(catalog.UIChartStateEGMn))
	case code == "CA":
		f.state.SetPlaceHolder(catalog.T(catalog.UIChartProvinceEG))
	default:
		f.state.SetPlaceHolder(catalog.T(catalog.UIChartIfAddressHasOne))
	}
	f.zip.SetPlaceHolder(capitalize(r.PostalName))
	if f.where != nil {
		f.where.Refresh()
	}
}

// patient reads the form. A date that does not parse stays zero and is reported by the check.
func (f *chartForm) patient() app.Patient {
	p := workflow.CleanChart(app.Patient{
		Family: f.family.Text, Given: f.given.Text, Sex: sexOf(f.sex.Selected),
		Address: app.Address{
			Line: f.line.Text, City: f.city.Text, State: f.state.Text, PostalCode: f.zip.Text, Country: selectedCountry(f.country),
		},
		Phone:         f.phone.Text,
		InsuranceType: insuranceOf(f.u.deps.Profile, f.insurance.Selected),
		MRN:           f.mrn.Text,
		Language:      selectedLanguage(f.language),
		// Asked with the language; stored as answered.
		InterpreterNeeded: f.interpreter.Checked,
	})
	p.BirthDate, _ = app.ParseDate(f.dob.Text)
	p.ClinicMRN, p.ClinicMRNSystem = workflow.ClinicMRNAsTyped(f.imported, f.clinicMRN.Text)
	return p
}

func (f *chartForm) submit() {
	p := f.patient()
	problems := referral.CheckPatient(p, f.u.deps.now(), f.u.deps.Profile)
	if strings.TrimSpace(f.dob.Text) != "" && p.BirthDate.IsZero() {
		// Something was typed: say what is wrong with it instead of "enter the date of birth".
		_, err := app.ParseDate(f.dob.Text)
		for i := range problems {
			if slices.Contains(referral.BirthDateCodes, problems[i].Code) {
				problems[i].Msg = msg.New(referral.PatientBirthUnreadable, err)
			}
		}
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, pr := range problems {
			msgs[i] = "• " + catalog.Default().Text(pr.Msg)
		}
		f.problems.SetText(catalog.T(catalog.UIChartPleaseCorrectJoin, strings.Join(msgs, "\n")))
		return
	}
	f.problems.SetText("")
	f.save.Disable()
	run(&f.u.bg, func(ctx context.Context) ([]app.Patient, error) {
		return f.u.deps.work().MatchChart(ctx, p)
	}, func(dups []app.Patient, err error) {
		if err != nil {
			f.save.Enable()
			showError(f.u.win, catalog.T(catalog.UIChartCouldNotCheckExisting), err)
			return
		}
		if len(dups) == 0 {
			f.create(p)
			return
		}
		f.offerExisting(p, dups[0])
	})
}

// offerExisting warns about a likely duplicate chart and offers the existing one first.
func (f *chartForm) offerExisting(p, existing app.Patient) {
	msg := widget.NewLabel(catalog.T(catalog.UIChartChartThatLooksLike, patientLine(existing)))
	msg.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	useExisting := widget.NewButton(catalog.T(catalog.UIChartUseExistingChart), func() {
		d.Hide()
		f.onCreated(existing)
	})
	useExisting.Importance = widget.HighImportance
	createAnyway := widget.NewButton(catalog.T(catalog.UIChartCreateNewChartAnyway), func() {
		d.Hide()
		f.create(p)
	})
	d = dialog.NewCustomWithoutButtons(catalog.T(catalog.UIChartPossibleDuplicateChart),
		container.NewVBox(msg, container.NewHBox(useExisting, createAnyway, widget.NewButton(catalog.T(catalog.UIChartGoBack), func() {
			d.Hide()
			f.save.Enable()
		}))), f.u.win)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}

func (f *chartForm) create(p app.Patient) {
	run(&f.u.bg, func(ctx context.Context) (app.Patient, error) {
		return f.u.deps.work().CreateChart(ctx, p)
	}, func(p app.Patient, err error) {
		f.save.Enable()
		if err != nil {
			showError(f.u.win, catalog.T(catalog.UIChartChartCouldNotSaved), err)
			return
		}
		f.onCreated(p)
	})
}
