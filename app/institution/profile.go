package institution

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	// Profiles name IANA time zones; embed the database so they load on machines without one
	// (Windows has no system zoneinfo).
	_ "time/tzdata"

	"github.com/referraldesk/referraldesk/assets"
)

// FormatVersion is the profile format this package reads (the "format_version" field).
const FormatVersion = 1

// Location kinds.
const (
	KindCampus             = "campus"
	KindHealthSystemRegion = "health_system_region"
)

// maxProfileBytes bounds what Load reads: a profile is a few kilobytes.
const maxProfileBytes = 4 << 20

// ErrInvalidProfile is matched (errors.Is) by every problem Validate reports.
var ErrInvalidProfile = errors.New("invalid institution profile")

// Profile is everything ReferralDesk knows about the receiving institution.
type Profile struct {
	FormatVersion  int             `json:"format_version"`
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	ShortName      string          `json:"short_name"`
	PortalName     string          `json:"portal_name,omitempty"`
	PortalURL      string          `json:"portal_url,omitempty"`
	SupportPhone   string          `json:"support_phone,omitempty"` // the portal's support line
	Source         string          `json:"source,omitempty"`
	Country        string          `json:"country,omitempty"` // ISO 3166-1 alpha-2; "" is the US
	Departments    []Department    `json:"departments"`
	Locations      []Location      `json:"locations"`
	InsuranceTypes []InsuranceType `json:"insurance_types"`
	Contacts       []Contact       `json:"contacts,omitempty"` // quick links and phone lines
	International  *International  `json:"international,omitempty"`
	Rules          Rules           `json:"rules"`
}

// Department is a requested department (a referral order type in the preference list).
type Department struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Names         Names  `json:"names,omitempty"`          // translations of Name (see Names)
	PediatricOnly bool   `json:"pediatric_only,omitempty"` // sees only patients under Rules.PediatricAgeLimit
	Addition      bool   `json:"addition,omitempty"`       // not from the institution's own material
	Source        string `json:"source,omitempty"`
}

// Address is a postal address.
type Address struct {
	Line       string `json:"line"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

// Empty reports whether no part of the address is filled in.
func (a Address) Empty() bool {
	return a.Line == "" && a.City == "" && a.State == "" && a.PostalCode == ""
}

// Location is a campus or a health-system region an order can be sent to.
type Location struct {
	Code               string   `json:"code"`
	Name               string   `json:"name"`
	Names              Names    `json:"names,omitempty"` // translations of Name (see Names)
	ShortName          string   `json:"short_name,omitempty"`
	PortalLabel        string   `json:"portal_label,omitempty"` // how the portal's location question names it
	Kind               string   `json:"kind"`                   // KindCampus or KindHealthSystemRegion
	Address            *Address `json:"address,omitempty"`
	ReferralPhone      string   `json:"referral_phone"`
	AppointmentPhone   string   `json:"appointment_phone,omitempty"`
	Fax                string   `json:"fax,omitempty"`
	InternationalPhone string   `json:"international_phone,omitempty"`
	InternationalFax   string   `json:"international_fax,omitempty"`
	Email              string   `json:"email,omitempty"`
	TimeZone           string   `json:"time_zone"` // IANA name, e.g. America/Chicago
	AcceptsPediatrics  bool     `json:"accepts_pediatrics"`
	// AppointmentHours overrides Rules.AppointmentHours for this location.
	AppointmentHours *Hours    `json:"appointment_hours,omitempty"`
	Contacts         []Contact `json:"contacts,omitempty"` // alternates and other lines
	Source           string    `json:"source,omitempty"`

	tz    *time.Location // resolved by Validate
	hours *Hours         // effective hours, resolved by Validate
}

// DisplayName is the short name when there is one, else the name.
func (l Location) DisplayName() string {
	if l.ShortName != "" {
		return l.ShortName
	}
	return l.Name
}

// InsuranceType is one choice of the chart's insurance type.
type InsuranceType struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Names    Names  `json:"names,omitempty"` // translations of Name (see Names)
	Addition bool   `json:"addition,omitempty"`
	Source   string `json:"source,omitempty"`
}

// Contact is a phone line, fax, mailbox or link. At least one of Phone, Fax, Email, URL is set.
type Contact struct {
	Code   string `json:"code,omitempty"`
	Label  string `json:"label"`
	Phone  string `json:"phone,omitempty"`
	Fax    string `json:"fax,omitempty"`
	Email  string `json:"email,omitempty"`
	URL    string `json:"url,omitempty"`
	Hours  string `json:"hours,omitempty"`
	Note   string `json:"note,omitempty"`
	Source string `json:"source,omitempty"`
}

// Rules are the limits and policies an order must follow.
type Rules struct {
	PediatricAgeLimit       int      `json:"pediatric_age_limit"` // patients younger than this are pediatric
	PediatricLocations      []string `json:"pediatric_locations"` // codes of the locations that see them
	MaxPacketPages          int      `json:"max_packet_pages"`
	MaxUploadBytes          int64    `json:"max_upload_bytes"`           // per file
	MaxTotalAttachmentBytes int64    `json:"max_total_attachment_bytes"` // all files of an order
	AppointmentHours        Hours    `json:"appointment_hours"`          // local time of each location
	FaxResponseBusinessDays int      `json:"fax_response_business_days"`
	MyPatientsDays          int      `json:"my_patients_days"`
	// Sources notes where each rule comes from, keyed by the rule's JSON name.
	Sources map[string]string `json:"sources,omitempty"`
}

// Hours are opening hours on some weekdays, in a location's local time.
type Hours struct {
	Weekdays []string `json:"weekdays"` // lower-case English day names: "monday" ...
	Start    string   `json:"start"`    // "08:00"
	End      string   `json:"end"`      // "17:00", exclusive
}

// Load reads a profile as JSON, strictly (unknown fields are errors), and validates it.
// A validation failure is every problem joined; each matches ErrInvalidProfile.
func Load(r io.Reader) (*Profile, error) { return load(r, "") }

// load is Load with a name (a file path) for the messages.
func load(r io.Reader, name string) (*Profile, error) {
	if name != "" {
		name = " " + name
	}
	data, err := io.ReadAll(io.LimitReader(r, maxProfileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("institution: read profile%s: %w", name, err)
	}
	if len(data) > maxProfileBytes {
		return nil, fmt.Errorf("institution: profile%s is larger than %d bytes", name, maxProfileBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("institution: parse profile%s%s: %w", name, where(data, err), err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("institution: parse profile%s: unexpected data after the profile object", name)
	}
	if err := p.Validate(); err != nil {
		if name != "" {
			return nil, fmt.Errorf("institution: profile%s is not valid:\n%w", name, err)
		}
		return nil, err
	}
	return &p, nil
}

// where gives " (line L, column C)" for JSON errors that carry an offset.
func where(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return ""
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf(" (line %d, column %d)", line, col)
}

// LoadFile reads and validates a user-supplied profile.
func LoadFile(path string) (*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("institution: open profile: %w", err)
	}
	defer f.Close()
	return load(f, path)
}

// LoadDefault parses the embedded default profile. Each call returns a fresh copy.
func LoadDefault() (*Profile, error) {
	return load(bytes.NewReader(assets.DefaultInstitution), "(embedded default)")
}

// Default is LoadDefault without the error. It never panics; it returns nil only if the embedded
// profile is broken, which the package's tests rule out. Every *Profile method accepts nil.
func Default() *Profile {
	p, err := LoadDefault()
	if err != nil {
		return nil
	}
	return p
}
