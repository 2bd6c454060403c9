package screens

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/intl"
)

// countrySelect lists every ISO 3166-1 country by English name, set to code.
func countrySelect(code string, changed func(string)) *widget.Select {
	s := widget.NewSelect(intl.CountryLabels(), nil)
	s.PlaceHolder = catalog.T(catalog.UIIntlfieldsChooseCountry)
	if code != "" {
		s.Selected = intl.CountryLabel(code)
	}
	s.OnChanged = func(label string) {
		if changed != nil {
			c, _ := intl.ParseCountryLabel(label)
			changed(c)
		}
	}
	return s
}

// selectedCountry is the code of the chosen country ("" for none).
func selectedCountry(s *widget.Select) string {
	c, _ := intl.ParseCountryLabel(s.Selected)
	return c
}

// languageSelect lists the offered languages by their own names ("español — Spanish (es)").
func languageSelect(tag string) *widget.Select {
	labels := append([]string{languageNotRecorded()}, intl.LanguageLabels()...)
	s := widget.NewSelect(labels, nil)
	s.PlaceHolder = languageNotRecorded()
	if tag != "" {
		l := intl.LanguageLabel(tag)
		if !strings.Contains(strings.Join(labels, "\n"), l) {
			s.Options = append(s.Options, l) // a tag from an import that is not in the list
		}
		s.Selected = l
	}
	return s
}

func languageNotRecorded() string { return catalog.T(catalog.UIIntlfieldsNotRecorded) }

// selectedLanguage is the BCP 47 tag chosen ("" for none).
func selectedLanguage(s *widget.Select) string {
	if s.Selected == languageNotRecorded() {
		return ""
	}
	t, _ := intl.ParseLanguageLabel(s.Selected)
	return t
}

// addressLabels are the labels of the state and postal-code fields for a country.
func addressLabels(country string) (state, postal string) {
	r := intl.Rule(country)
	return capitalize(r.StateName), capitalize(r.PostalName)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// providerIDText is "NPI 1234567893" or "Licence 12345 (SV)".
func providerIDText(p app.Provider) string {
	if p.NPI != "" || !p.HasLicence() {
		return catalog.T(catalog.UIIntlfieldsNpiNpi, p.NPI)
	}
	return catalog.T(catalog.UIIntlfieldsLicenceLicenceNumberLicence, p.LicenceNumber, strings.ToUpper(p.LicenceCountry))
}

// providerIntlFields are the provider form's licence and practice fields.
type providerIntlFields struct {
	home                                                 string
	licence, authority, line, city, state, postal, phone *widget.Entry
	licenceCountry, country                              *widget.Select
	stateItem, postalItem                                *widget.FormItem
	form                                                 *widget.Form // the form holding items(), refreshed when labels change
}

func newProviderIntlFields(home string) *providerIntlFields {
	f := &providerIntlFields{home: home}
	f.licence, f.authority = widget.NewEntry(), widget.NewEntry()
	f.licence.SetPlaceHolder(catalog.T(catalog.UIIntlfieldsOutsideUsMedicalLicence))
	f.authority.SetPlaceHolder(catalog.T(catalog.UIIntlfieldsEGJuntaDe))
	f.licenceCountry = countrySelect("", nil)
	f.line, f.city, f.state, f.postal, f.phone = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.line.SetPlaceHolder(catalog.T(catalog.UIIntlfieldsStreetNumber))
	f.phone.SetPlaceHolder(catalog.T(catalog.UIIntlfieldsPracticePhoneCountryCode))
	f.stateItem = widget.NewFormItem(catalog.T(catalog.UIIntlfieldsState), f.state)
	f.postalItem = widget.NewFormItem(catalog.T(catalog.UIIntlfieldsZipCode), f.postal)
	f.country = countrySelect(home, f.countryChanged)
	f.countryChanged(home)
	return f
}

func (f *providerIntlFields) countryChanged(code string) {
	st, pc := addressLabels(code)
	f.stateItem.Text, f.postalItem.Text = st, pc
	if f.form != nil {
		f.form.Refresh()
	}
}

func (f *providerIntlFields) items() []*widget.FormItem {
	lic := widget.NewFormItem(catalog.T(catalog.UIIntlfieldsLicenceNo), f.licence)
	lic.HintText = catalog.T(catalog.UIIntlfieldsProviderWithoutNpi)
	return []*widget.FormItem{
		lic, widget.NewFormItem(catalog.T(catalog.UIIntlfieldsIssuedByCountry), f.licenceCountry), widget.NewFormItem(catalog.T(catalog.UIIntlfieldsLicensingAuthority), f.authority),
		widget.NewFormItem(catalog.T(catalog.UIIntlfieldsPracticeAddress), f.line), widget.NewFormItem(catalog.T(catalog.UIIntlfieldsCity), f.city), f.stateItem, f.postalItem,
		widget.NewFormItem(catalog.T(catalog.UIIntlfieldsCountry), f.country), widget.NewFormItem(catalog.T(catalog.UIIntlfieldsPracticePhone), f.phone),
	}
}

func (f *providerIntlFields) set(p app.Provider) {
	f.licence.SetText(p.LicenceNumber)
	f.authority.SetText(p.LicenceAuthority)
	if p.LicenceCountry != "" {
		f.licenceCountry.SetSelected(intl.CountryLabel(p.LicenceCountry))
	} else {
		f.licenceCountry.ClearSelected()
	}
	a := p.PracticeAddress
	f.line.SetText(a.Line)
	f.city.SetText(a.City)
	f.state.SetText(a.State)
	f.postal.SetText(a.PostalCode)
	country := a.Country
	if country == "" {
		country = f.home
	}
	f.country.SetSelected(intl.CountryLabel(country))
	f.phone.SetText(intl.DisplayPhone(p.PracticePhone, f.home))
}

func (f *providerIntlFields) read(p *app.Provider) {
	p.LicenceNumber = strings.TrimSpace(f.licence.Text)
	p.LicenceAuthority = strings.TrimSpace(f.authority.Text)
	p.LicenceCountry = selectedCountry(f.licenceCountry)
	p.PracticeAddress = app.Address{
		Line: strings.TrimSpace(f.line.Text), City: strings.TrimSpace(f.city.Text),
		State: strings.TrimSpace(f.state.Text), PostalCode: strings.TrimSpace(f.postal.Text),
	}
	if !p.PracticeAddress.Empty() || strings.TrimSpace(f.phone.Text) != "" {
		p.PracticeAddress.Country = selectedCountry(f.country)
	}
	p.PracticePhone = strings.TrimSpace(f.phone.Text)
}

// languageLine is "español — Spanish (es); interpreter needed", or "" when nothing is recorded.
func languageLine(p app.Patient) string {
	var parts []string
	if p.Language != "" {
		parts = append(parts, intl.LanguageLabel(p.Language))
	}
	if p.InterpreterNeeded {
		parts = append(parts, catalog.T(catalog.UIIntlfieldsInterpreterNeeded))
	}
	return strings.Join(parts, "; ")
}

// routingLine names the lines an order to the location uses: the international ones for an
// international order.
func routingLine(l institution.Location, international bool) string {
	phone, fax := l.Lines(international)
	var parts []string
	if phone != "" {
		parts = append(parts, catalog.T(catalog.UIIntlfieldsPhonePhone, phone))
	}
	if fax != "" {
		parts = append(parts, catalog.T(catalog.UIIntlfieldsFaxFax, fax))
	}
	if international {
		return catalog.T(catalog.UIIntlfieldsInternationalOrderPatientReferring, strings.Join(parts, ", "))
	}
	return strings.Join(parts, ", ")
}

// orderInternational reports whether an order is international: the patient, the provider's
// practice or the clinic is outside the institution's country. Run it off the UI thread (it reads
// the clinic).
func orderInternational(ctx context.Context, deps Deps, p app.Patient, prov *app.Provider) bool {
	countries := []string{p.Address.Country}
	if prov != nil {
		countries = append(countries, prov.Country())
	}
	if deps.Clinics != nil {
		if c, ok, err := deps.Clinics.Clinic(ctx); err == nil && ok {
			countries = append(countries, c.Normalized().Country)
		}
	}
	return deps.Profile.IsInternational(countries...)
}

// internationalText is the quick-links card of the institution's international office: its
// lines, then its representative offices with what the institution publishes of them.
func internationalText(prof *institution.Profile) string {
	in := prof.International
	var lines []string
	if in.Note != "" {
		lines = append(lines, in.Note)
	}
	for _, c := range in.Contacts {
		v := strings.Trim(strings.Join([]string{c.Phone, c.Fax, c.Email, c.URL}, "  "), " ")
		lines = append(lines, c.Label+": "+v)
	}
	for _, o := range prof.RepresentativeOffices("") {
		l := catalog.T(catalog.UIIntlfieldsRepresentativeOfficeCountry, intl.CountryName(o.Country))
		if o.City != "" {
			l += " (" + o.City + ")"
		}
		var how []string
		for _, v := range []string{o.Phone, o.Email, o.URL} {
			if v != "" {
				how = append(how, v)
			}
		}
		if len(how) > 0 {
			l += ": " + strings.Join(how, ", ")
		} else if o.Note != "" {
			l += ": " + o.Note
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// contactLine is the chart's address with its country, and its phone in the number's national
// format ("+503 2222 3333" for a number of another country than home).
func contactLine(p app.Patient, home string) string {
	a := p.Address
	var parts []string
	for _, v := range []string{a.Line, a.City, strings.TrimSpace(a.State + " " + a.PostalCode)} {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	if a.Country != "" {
		parts = append(parts, intl.CountryName(a.Country))
	}
	line := strings.Join(parts, ", ")
	if ph := intl.DisplayPhone(p.Phone, home); ph != "" {
		line += "\n" + ph
	}
	return line
}
