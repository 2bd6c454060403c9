package app

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/referraldesk/referraldesk/app/msg"
)

// DefaultCountry is the clinic's country when none is entered (ISO 3166 alpha-2).
const DefaultCountry = "US"

// Clinic is the referring clinic: the organisation that sends the referrals. It is set up once
// (Settings, first start) and goes on the fax form and, as an Organization, in every submission.
type Clinic struct {
	Name         string
	AddressLines []string // street lines, first to last
	City         string
	State        string // for the US, the two-letter code
	PostalCode   string
	Country      string // ISO 3166 alpha-2; empty means DefaultCountry
	Phone        string
	Fax          string
	NPI          string // the organisation's (type 2) NPI; optional
	Email        string // optional
}

// FieldProblem is one thing wrong with one field of a form: the field and what to tell the user
// (a code and its arguments, which may quote what was typed).
type FieldProblem struct {
	Field string // one of the ClinicField constants for a clinic
	msg.Msg
}

// Message is what to tell the user.
func (p FieldProblem) Message() msg.Msg { return p.Msg }

// String names the field and the code, never the arguments.
func (p FieldProblem) String() string { return p.Field + ": " + string(p.Code) }

// Message codes of the clinic's validation.
var (
	ClinicNoName       = msg.Define("clinic.no_name")
	ClinicNoPhone      = msg.Define("clinic.no_phone")
	ClinicPhoneShort   = msg.Define("clinic.phone_short", "phone")
	ClinicFaxShort     = msg.Define("clinic.fax_short", "fax")
	ClinicNPIInvalid   = msg.Define("clinic.npi_invalid", "npi")
	ClinicEmailInvalid = msg.Define("clinic.email_invalid", "email")
	ClinicCountryCode  = msg.Define("clinic.country_code", "country")
	ClinicStateCode    = msg.Define("clinic.state_code", "state")
	ClinicZIPInvalid   = msg.Define("clinic.zip_invalid", "zip")
)

// Clinic fields, the values of FieldProblem.Field.
const (
	ClinicFieldName       = "name"
	ClinicFieldAddress    = "address"
	ClinicFieldState      = "state"
	ClinicFieldPostalCode = "postal_code"
	ClinicFieldCountry    = "country"
	ClinicFieldPhone      = "phone"
	ClinicFieldFax        = "fax"
	ClinicFieldNPI        = "npi"
	ClinicFieldEmail      = "email"
)

// ErrInvalid is matched by *InvalidError: data the user entered is incomplete or wrong.
var ErrInvalid = errors.New("invalid")

// InvalidError carries the problems of a refused form; errors.Is(err, ErrInvalid) is true.
type InvalidError struct {
	What     string // e.g. "clinic"
	Problems []FieldProblem
}

func (e *InvalidError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.String()
	}
	return fmt.Sprintf("%s %s: %s", e.What, ErrInvalid, strings.Join(msgs, "; "))
}

// Messages are the problems, for the user.
func (e *InvalidError) Messages() []msg.Msg {
	out := make([]msg.Msg, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Msg
	}
	return out
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

var (
	usStateRE = regexp.MustCompile(`^[A-Z]{2}$`)
	usZIPRE   = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
)

// minPhoneDigits is the fewest digits a phone or fax number can have (a local number without area code).
const minPhoneDigits = 7

// Normalized trims every field, drops empty address lines, upper-cases state and country and
// fills the default country. Store and compare the normalized form.
func (c Clinic) Normalized() Clinic {
	n := Clinic{
		Name: strings.TrimSpace(c.Name), City: strings.TrimSpace(c.City),
		State: strings.ToUpper(strings.TrimSpace(c.State)), PostalCode: strings.TrimSpace(c.PostalCode),
		Country: strings.ToUpper(strings.TrimSpace(c.Country)), Phone: strings.TrimSpace(c.Phone),
		Fax: strings.TrimSpace(c.Fax), NPI: strings.TrimSpace(c.NPI), Email: strings.TrimSpace(c.Email),
	}
	for _, l := range c.AddressLines {
		for _, part := range strings.Split(l, "\n") { // a multi-line entry field gives one string
			if part = strings.TrimSpace(part); part != "" {
				n.AddressLines = append(n.AddressLines, part)
			}
		}
	}
	if n.Country == "" {
		n.Country = DefaultCountry
	}
	return n
}

// Validate lists what is missing or wrong (nil when nothing): a name; a phone or a fax number
// (the institution must be able to call or fax back); the NPI, when given, must pass the NPI
// check; the e-mail, when given, must be an address. For the US, state and ZIP code are checked
// when given. It validates the normalized form.
func (c Clinic) Validate() []FieldProblem {
	c = c.Normalized()
	var ps []FieldProblem
	add := func(field string, code msg.Code, args ...any) {
		ps = append(ps, FieldProblem{Field: field, Msg: msg.New(code, args...)})
	}
	if c.Name == "" {
		add(ClinicFieldName, ClinicNoName)
	}
	if c.Phone == "" && c.Fax == "" {
		add(ClinicFieldPhone, ClinicNoPhone)
	}
	if c.Phone != "" && digits(c.Phone) < minPhoneDigits {
		add(ClinicFieldPhone, ClinicPhoneShort, c.Phone)
	}
	if c.Fax != "" && digits(c.Fax) < minPhoneDigits {
		add(ClinicFieldFax, ClinicFaxShort, c.Fax)
	}
	if c.NPI != "" && !ValidNPI(c.NPI) {
		add(ClinicFieldNPI, ClinicNPIInvalid, c.NPI)
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			add(ClinicFieldEmail, ClinicEmailInvalid, c.Email)
		}
	}
	if !countryRE.MatchString(c.Country) {
		add(ClinicFieldCountry, ClinicCountryCode, c.Country)
	}
	if c.Country == "US" {
		if c.State != "" && !usStateRE.MatchString(c.State) {
			add(ClinicFieldState, ClinicStateCode, c.State)
		}
		if c.PostalCode != "" && !usZIPRE.MatchString(c.PostalCode) {
			add(ClinicFieldPostalCode, ClinicZIPInvalid, c.PostalCode)
		}
	}
	return ps
}

// Err is nil when the clinic is valid, else an *InvalidError holding Validate's problems.
func (c Clinic) Err() error {
	if ps := c.Validate(); len(ps) > 0 {
		return &InvalidError{What: "clinic", Problems: ps}
	}
	return nil
}

// AddressText is the postal address on lines: the street lines, then "City, ST 55901", then the
// country when it is not the default.
func (c Clinic) AddressText() []string {
	c = c.Normalized()
	lines := append([]string(nil), c.AddressLines...)
	last := c.City
	if c.State != "" && last != "" {
		last += ", "
	}
	last += c.State
	if c.PostalCode != "" {
		last = strings.TrimSpace(last + " " + c.PostalCode)
	}
	if last != "" {
		lines = append(lines, last)
	}
	if c.Country != DefaultCountry {
		lines = append(lines, c.Country)
	}
	return lines
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}
