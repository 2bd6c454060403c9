package screens

import (
	"context"
	"errors"
	"fmt"
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
	f.address.SetPlaceHolder("Street address (one line each)")
	f.country.SetPlaceHolder(app.DefaultCountry)
	f.npi.SetPlaceHolder("Organisation NPI (type 2), optional")
	f.state.SetPlaceHolder("e.g. MN")
	f.msg = widget.NewLabel("")
	f.msg.Wrapping = fyne.TextWrapWord
	item := func(field, label string, w fyne.CanvasObject, hint string) *widget.FormItem {
		it := widget.NewFormItem(label, w)
		it.HintText = hint
		f.items[field], f.hints[field] = it, hint
		return it
	}
	f.form = widget.NewForm(
		item(app.ClinicFieldName, "Clinic name", f.name, "As it should appear on referrals and the fax cover"),
		item(app.ClinicFieldAddress, "Address", f.address, ""),
		widget.NewFormItem("City", f.city),
		item(app.ClinicFieldState, "State", f.state, ""),
		item(app.ClinicFieldPostalCode, "Postal code", f.zip, ""),
		item(app.ClinicFieldCountry, "Country", f.country, "Two-letter code (US, CA, MX…)"),
		item(app.ClinicFieldPhone, "Phone", f.phone, "Phone or fax is required: the institution calls back"),
		item(app.ClinicFieldFax, "Fax", f.fax, ""),
		item(app.ClinicFieldNPI, "Organisation NPI", f.npi, ""),
		item(app.ClinicFieldEmail, "E-mail", f.email, "Optional"),
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
			showError(f.u.win, "Could not read the clinic", err)
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
		f.msg.SetText("Please correct the fields marked ⚠.")
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
			showError(f.u.win, "The clinic was not saved", err)
			return
		}
		f.msg.SetText("Saved.")
		if f.onSaved != nil {
			f.onSaved(c)
		}
	})
}

// ShowSettings shows the clinic and the app's settings.
func (u *UI) ShowSettings() {
	u.flush()
	u.editor = nil
	f := newClinicForm(u, "Save clinic", nil)
	f.load()
	folder := widget.NewLabel(u.deps.DataDir)
	folder.Wrapping = fyne.TextWrapBreak
	open := widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() {
		if err := fyne.CurrentApp().OpenURL(fileURL(u.deps.DataDir)); err != nil {
			showError(u.win, "Could not open the folder", err)
		}
	})
	back := widget.NewButtonWithIcon("Home", theme.HomeIcon(), u.ShowHome)
	clinic := widget.NewCard("Referring clinic", "Named on the fax form and sent with every order as the requesting organisation.",
		container.NewVBox(f.form, f.msg))
	data := widget.NewCard("Data folder", "Patients, orders and packets are kept here, readable only by your login.",
		container.NewBorder(nil, nil, nil, open, folder))
	head := container.NewBorder(nil, nil, back, nil,
		widget.NewLabelWithStyle("Settings", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	people := widget.NewCard("Users", "Who works at this computer: names, roles and PINs for the idle lock and signing.",
		container.NewHBox(widget.NewButtonWithIcon("Users…", theme.AccountIcon(), u.ShowUsers)))
	prefs := newPrefsCard(u)
	prefs.load()
	u.prefs = prefs
	u.setBody(container.NewBorder(head, nil, nil, nil, container.NewVScroll(container.NewVBox(clinic, prefs.content, people,
		institutionCard(u), data))))
}

// institutionCard names the institution profile in use (the readiness check sends users here when
// none is loaded).
func institutionCard(u *UI) fyne.CanvasObject {
	text := "No institution profile is loaded: orders cannot be checked or sent. Start ReferralDesk with " +
		"--profile FILE, or ask your IT support for the institution's profile file."
	if p := u.deps.Profile; p != nil && p.Name != "" {
		text = fmt.Sprintf("%s — %d locations. Another institution's profile is chosen at start: referraldesk --profile FILE.",
			p.Name, len(p.Locations))
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return widget.NewCard("Institution", "Where orders are sent: departments, locations and their rules.", l)
}
