package screens

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
)

// Clinics keeps the referring clinic: the organisation named on the fax form and in every submission.
type Clinics interface {
	Clinic(ctx context.Context) (app.Clinic, bool, error)
	SaveClinic(ctx context.Context, c app.Clinic) error
}

// clinicForm edits the referring clinic. Problems are shown beside their fields, all at once.
type clinicForm struct {
	u                                        *UI
	form                                     *widget.Form
	name, address, city, state, zip, country *widget.Entry
	phone, fax, npi, email                   *widget.Entry
	msg                                      *widget.Label
	items                                    map[string]*widget.FormItem
	hints                                    map[string]string
	onSaved                                  func(app.Clinic)
}

func newClinicForm(u *UI, saveText string, onSaved func(app.Clinic)) *clinicForm {
	f := &clinicForm{u: u, onSaved: onSaved, items: map[string]*widget.FormItem{}, hints: map[string]string{}}
	f.name, f.city, f.state, f.zip = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.country, f.phone, f.fax, f.npi, f.email = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.address = widget.NewMultiLineEntry()
	f.address.SetMinRowsVisible(2)
	f.address.SetPlaceHolder(catalog.T(catalog.UISettingsStreetAddressOneLine))
	f.country.SetPlaceHolder(app.DefaultCountry)
	f.npi.SetPlaceHolder(catalog.T(catalog.UISettingsOrganisationNpiType2))
	f.state.SetPlaceHolder(catalog.T(catalog.UISettingsEGMn))
	f.msg = widget.NewLabel("")
	f.msg.Wrapping = fyne.TextWrapWord
	item := func(field, label string, w fyne.CanvasObject, hint string) *widget.FormItem {
		it := widget.NewFormItem(label, w)
		it.HintText = hint
		f.items[field], f.hints[field] = it, hint
		return it
	}
	f.form = widget.NewForm(
		item(app.ClinicFieldName, catalog.T(catalog.UISettingsClinicName), f.name, catalog.T(catalog.UISettingsAsShouldAppearReferrals)),
		item(app.ClinicFieldAddress, catalog.T(catalog.UISettingsAddress), f.address, ""),
		widget.NewFormItem(catalog.T(catalog.UISettingsCity), f.city),
		item(app.ClinicFieldState, catalog.T(catalog.UISettingsState), f.state, ""),
		item(app.ClinicFieldPostalCode, catalog.T(catalog.UISettingsPostalCode), f.zip, ""),
		item(app.ClinicFieldCountry, catalog.T(catalog.UISettingsCountry), f.country, catalog.T(catalog.UISettingsTwoLetterCodeUs)),
		item(app.ClinicFieldPhone, catalog.T(catalog.UISettingsPhone), f.phone, catalog.T(catalog.UISettingsPhoneFaxRequiredInstitution)),
		item(app.ClinicFieldFax, catalog.T(catalog.UISettingsFax), f.fax, ""),
		item(app.ClinicFieldNPI, catalog.T(catalog.UISettingsOrganisationNpi), f.npi, ""),
		item(app.ClinicFieldEmail, catalog.T(catalog.UISettingsEMail), f.email, catalog.T(catalog.UISettingsOptional)),
	)
	f.form.SubmitText = saveText
	f.form.OnSubmit = f.save
	return f
}

func (f *clinicForm) set(c app.Clinic) {
	f.name.SetText(c.Name)
	f.address.SetText(strings.Join(c.AddressLines, "\n"))
	f.city.SetText(c.City)
	f.state.SetText(c.State)
	f.zip.SetText(c.PostalCode)
	f.country.SetText(c.Country)
	f.phone.SetText(c.Phone)
	f.fax.SetText(c.Fax)
	f.npi.SetText(c.NPI)
	f.email.SetText(c.Email)
}

func (f *clinicForm) value() app.Clinic {
	return app.Clinic{
		Name: f.name.Text, AddressLines: strings.Split(f.address.Text, "\n"), City: f.city.Text, State: f.state.Text,
		PostalCode: f.zip.Text, Country: f.country.Text, Phone: f.phone.Text, Fax: f.fax.Text, NPI: f.npi.Text,
		Email: f.email.Text,
	}.Normalized()
}

// load fills the form with the saved clinic, if any.
func (f *clinicForm) load() {
	if f.u.deps.Clinics == nil {
		return
	}
	run(&f.u.bg, func(ctx context.Context) (app.Clinic, error) {
		c, _, err := f.u.deps.Clinics.Clinic(ctx)
		return c, err
	}, func(c app.Clinic, err error) {
		if err != nil {
			showError(f.u.win, catalog.T(catalog.UISettingsCouldNotReadClinic), err)
			return
		}
		f.set(c)
	})
}

// save checks every field, shows each problem beside its field, and stores the clinic when all is well.
func (f *clinicForm) save() {
	c := f.value()
	for field, it := range f.items {
		it.HintText = f.hints[field]
	}
	if problems := c.Validate(); len(problems) > 0 {
		for _, p := range problems {
			if it := f.items[p.Field]; it != nil {
				it.HintText = "⚠ " + catalog.Default().Text(p.Msg)
			}
		}
		f.form.Refresh()
		f.msg.SetText(catalog.T(catalog.UISettingsPleaseCorrectFieldsMarked))
		return
	}
	f.form.Refresh()
	run(&f.u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, f.u.deps.Clinics.SaveClinic(ctx, c)
	}, func(_ struct{}, err error) {
		var inv *app.InvalidError
		if errors.As(err, &inv) {
			f.msg.SetText(inv.Error())
			return
		}
		if err != nil {
			showError(f.u.win, catalog.T(catalog.UISettingsClinicWasNotSaved), err)
			return
		}
		f.msg.SetText(catalog.T(catalog.UISettingsSaved))
		if f.onSaved != nil {
			f.onSaved(c)
		}
	})
}

// ShowSettings shows the clinic and the app's settings.
func (u *UI) ShowSettings() {
	u.flush()
	u.editor = nil
	f := newClinicForm(u, catalog.T(catalog.UISettingsSaveClinic), nil)
	f.load()
	folder := widget.NewLabel(u.deps.DataDir)
	folder.Wrapping = fyne.TextWrapBreak
	open := widget.NewButtonWithIcon(catalog.T(catalog.UISettingsOpenFolder), theme.FolderOpenIcon(), func() {
		if err := fyne.CurrentApp().OpenURL(fileURL(u.deps.DataDir)); err != nil {
			showError(u.win, catalog.T(catalog.UISettingsCouldNotOpenFolder), err)
		}
	})
	back := widget.NewButtonWithIcon(catalog.T(catalog.UISettingsHome), theme.HomeIcon(), u.ShowHome)
	clinic := widget.NewCard(catalog.T(catalog.UISettingsReferringClinic), catalog.T(catalog.UISettingsNamedFaxFormSent),
		container.NewVBox(f.form, f.msg))
	data := widget.NewCard(catalog.T(catalog.UISettingsDataFolder), catalog.T(catalog.UISettingsPatientsOrdersPacketsAre),
		container.NewBorder(nil, nil, nil, open, folder))
	head := container.NewBorder(nil, nil, back, nil,
		widget.NewLabelWithStyle(catalog.T(catalog.UISettingsSettings), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	people := widget.NewCard(catalog.T(catalog.UISettingsUsers), catalog.T(catalog.UISettingsWhoWorksAtComputer),
		container.NewHBox(widget.NewButtonWithIcon(catalog.T(catalog.UISettingsUsers2), theme.AccountIcon(), u.ShowUsers)))
	prefs := newPrefsCard(u)
	prefs.load()
	u.prefs = prefs
	u.setBody(container.NewBorder(head, nil, nil, nil, container.NewVScroll(container.NewVBox(clinic, prefs.content, people,
		institutionCard(u), data))))
}

// institutionCard names the institution profile in use (the readiness check sends users here when
// none is loaded).
func institutionCard(u *UI) fyne.CanvasObject {
	text := catalog.T(catalog.UISettingsNoInstitutionProfileLoaded)
	if p := u.deps.Profile; p != nil && p.Name != "" {
		text = catalog.T(catalog.UISettingsNameNLocationsAnother, p.Name, len(p.Locations))
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return widget.NewCard(catalog.T(catalog.UISettingsInstitution), catalog.T(catalog.UISettingsWhereOrdersAreSent), l)
}
