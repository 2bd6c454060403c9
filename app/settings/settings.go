// Package settings is the app's typed, validated settings: interface language, idle-lock minutes,
// how long finished orders' files are kept, the theme and the default location of new orders.
// They are kept as text in the store's key/value settings table (Store); this package turns them
// into values with defaults, checks every value before it is saved and records each change in the
// audit trail. The GUI's Settings screen and `referraldesk settings` both go through Manager, so
// they accept and refuse the same values. No SQL and no UI here.
package settings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/retention"
)

// Store keeps non-secret values as text ("" when unset; setting "" removes the value). The local
// store implements it over its settings table; app/syncer keeps the account there the same way.
type Store interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Setting names, as typed after `referraldesk settings get|set`.
const (
	Language        = "language"
	LockMinutes     = "idle-lock-minutes"
	RetentionDays   = "retention-days"
	ThemeName       = "theme"
	DefaultLocation = "default-location"
)

// Names lists the settings in display order.
var Names = []string{Language, LockMinutes, RetentionDays, ThemeName, DefaultLocation}

// storeKeys maps a setting's name to its key in the settings table. Retention keeps the key the
// retention job has always read.
var storeKeys = map[string]string{
	Language:        "ui.language",
	LockMinutes:     "lock.minutes",
	RetentionDays:   retention.KeyDays,
	ThemeName:       "ui.theme",
	DefaultLocation: "orders.default_location",
}

// Theme is the interface's colours.
type Theme string

// Themes. ThemeSystem follows the operating system's light or dark mode.
const (
	ThemeSystem Theme = "system"
	ThemeLight  Theme = "light"
	ThemeDark   Theme = "dark"
)

// Themes lists the themes in display order.
var Themes = []Theme{ThemeSystem, ThemeLight, ThemeDark}

// LanguageOption is an interface language (a BCP 47 tag). Only Available ones can be chosen.
type LanguageOption struct {
	Tag       string // BCP 47, canonical form ("en", "es", "zh-Hans")
	Name      string // the language's own name for itself
	Available bool
}

// Languages lists the interface languages.
var Languages = []LanguageOption{
	{Tag: "en", Name: "English", Available: true},
	{Tag: "es", Name: "Español", Available: true},
	{Tag: "zh-Hans", Name: "中文（简体）", Available: true},
}

// Limits of the numeric settings. The idle lock cannot be switched off: an unattended unlocked
// workstation showing patient data is what the automatic log-off is for.
const (
	DefaultLockMinutes = 10
	MinLockMinutes     = 1
	MaxLockMinutes     = 120
	MaxRetentionDays   = 3650
)

// Settings are the app's settings as values.
type Settings struct {
	Language        string // BCP 47 tag of an available language
	LockMinutes     int
	RetentionDays   int // files of orders finished longer ago are removed; 0 keeps them
	Theme           Theme
	DefaultLocation string // a location code of the institution profile; "" asks each time
}

// LockAfter is the idle time before the lock.
func (s Settings) LockAfter() time.Duration { return time.Duration(s.LockMinutes) * time.Minute }

// Defaults are the settings of a new installation.
func Defaults() Settings {
	return Settings{
		Language: "en", LockMinutes: DefaultLockMinutes, RetentionDays: retention.DefaultDays,
		Theme: ThemeSystem,
	}
}

// Errors; compare with errors.Is. A refused value is an *InvalidError wrapping ErrInvalid.
var (
	ErrUnknown = errors.New("unknown setting")
	ErrInvalid = errors.New("invalid setting value")
)

// InvalidError says which value was refused and what is allowed instead.
type InvalidError struct {
	Name    string
	Value   string
	Allowed string // e.g. "system, light, dark" or "a whole number from 1 to 120"
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("%s cannot be %q: allowed %s", e.Name, e.Value, e.Allowed)
}

func (e *InvalidError) Unwrap() error { return ErrInvalid }

// EventChanged is the audit event of a changed setting (detail "name=value"; no value is patient data).
const EventChanged = "setting.change"

// Manager reads, checks and writes the settings. Locations are the profile's campuses and
// regions a new order may start at (nil: only "" is accepted as the default location).
type Manager struct {
	Store     Store
	Locations []institution.Location
	// SystemLanguage is the computer's language (BCP 47); until a language is chosen, the
	// closest available one is in effect, else English.
	SystemLanguage string
}

// New is a Manager for the profile's locations (prof may be nil).
func New(st Store, prof *institution.Profile) Manager {
	m := Manager{Store: st}
	if prof != nil {
		m.Locations = prof.Locations
	}
	return m
}

// Entry is one setting as `settings list` shows it.
type Entry struct {
	Name    string
	Value   string // in effect (the default when unset or when the stored value is no longer valid)
	Default string
	Allowed string   // what Set accepts, in words
	Choices []string // the accepted values, when there is a fixed list
	Problem error    // the stored value was refused (the default is in effect)
}

// Load reads every setting. A stored value that is no longer valid (a location removed from the
// profile, a hand-edited database) falls back to its default; List reports it.
func (m Manager) Load(ctx context.Context) (Settings, error) {
	s := Defaults()
	if m.SystemLanguage != "" {
		if v, err := m.check(Language, m.SystemLanguage); err == nil {
			s.Language = v
		}
	}
	for _, name := range Names {
		raw, err := m.Store.Setting(ctx, storeKeys[name])
		if err != nil {
			return s, fmt.Errorf("settings: reading %s: %w", name, err)
		}
		if raw == "" {
			continue
		}
		if v, err := m.check(name, raw); err == nil {
			set(&s, name, v)
		}
	}
	return s, nil
}

// List reads every setting with what it accepts.
func (m Manager) List(ctx context.Context) ([]Entry, error) {
	def := Defaults()
	out := make([]Entry, 0, len(Names))
	for _, name := range Names {
		choices, allowed := m.allowed(name)
		e := Entry{Name: name, Default: get(def, name), Allowed: allowed, Choices: choices}
		e.Value = e.Default
		raw, err := m.Store.Setting(ctx, storeKeys[name])
		if err != nil {
			return nil, fmt.Errorf("settings: reading %s: %w", name, err)
		}
		if raw != "" {
			if v, err := m.check(name, raw); err != nil {
				e.Problem = err
			} else {
				e.Value = v
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// Get is one setting's value in effect.
func (m Manager) Get(ctx context.Context, name string) (string, error) {
	if _, ok := storeKeys[name]; !ok {
		return "", m.unknown(name)
	}
	s, err := m.Load(ctx)
	if err != nil {
		return "", err
	}
	return get(s, name), nil
}

// Set checks value, stores it in its canonical form and records the change. It returns the
// stored value. An *InvalidError says what is allowed.
func (m Manager) Set(ctx context.Context, name, value string) (string, error) {
	if _, ok := storeKeys[name]; !ok {
		return "", m.unknown(name)
	}
	v, err := m.check(name, value)
	if err != nil {
		return "", err
	}
	if err := m.Store.SetSetting(ctx, storeKeys[name], v); err != nil {
		return "", fmt.Errorf("settings: saving %s: %w", name, err)
	}
	// Audited where the store can (the local store can; test fakes need not).
	if r, ok := m.Store.(app.EventRecorder); ok {
		if err := r.RecordEvent(ctx, EventChanged, 0, 0, name+"="+v); err != nil {
			return v, fmt.Errorf("settings: saving %s: %w", name, err)
		}
	}
	return v, nil
}

// Save stores every field of s that differs from what is stored now.
func (m Manager) Save(ctx context.Context, s Settings) error {
	cur, err := m.Load(ctx)
	if err != nil {
		return err
	}
	for _, name := range Names {
		if v := get(s, name); v != get(cur, name) {
			if _, err := m.Set(ctx, name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m Manager) unknown(name string) error {
	return fmt.Errorf("settings: %w %q: known settings are %s", ErrUnknown, name, strings.Join(Names, ", "))
}

// allowed is the fixed list of values (if any) and what the setting accepts, in words.
func (m Manager) allowed(name string) ([]string, string) {
	switch name {
	case Language:
		var tags []string
		for _, l := range Languages {
			if l.Available {
				tags = append(tags, l.Tag)
			}
		}
		return tags, strings.Join(tags, ", ")
	case LockMinutes:
		return nil, fmt.Sprintf("a whole number of minutes from %d to %d", MinLockMinutes, MaxLockMinutes)
	case RetentionDays:
		return nil, fmt.Sprintf("a whole number of days from 0 (keep the files) to %d", MaxRetentionDays)
	case ThemeName:
		out := make([]string, len(Themes))
		for i, t := range Themes {
			out[i] = string(t)
		}
		return out, strings.Join(out, ", ")
	default: // DefaultLocation
		codes := []string{""}
		for _, l := range m.Locations {
			codes = append(codes, l.Code)
		}
		if len(m.Locations) == 0 {
			return codes, `"" (no locations in the institution profile)`
		}
		return codes, `"" (ask for each order) or one of ` + strings.Join(codes[1:], ", ")
	}
}

// check validates a raw value and returns its canonical form.
func (m Manager) check(name, raw string) (string, error) {
	v := strings.TrimSpace(raw)
	choices, allowed := m.allowed(name)
	bad := &InvalidError{Name: name, Value: raw, Allowed: allowed}
	switch name {
	case Language:
		tag, err := language.Parse(v)
		if err != nil {
			return "", bad
		}
		if i := slices.IndexFunc(Languages, func(l LanguageOption) bool { return l.Tag == tag.String() }); i >= 0 && Languages[i].Available {
			return tag.String(), nil
		}
		// "zh" and "zh-CN" mean Simplified Chinese, "es-MX" Spanish: the closest available one.
		var avail []language.Tag
		for _, l := range choices {
			avail = append(avail, language.MustParse(l))
		}
		if _, i, conf := language.NewMatcher(avail).Match(tag); conf >= language.High {
			return choices[i], nil
		}
		return "", bad
	case LockMinutes, RetentionDays:
		lo, hi := MinLockMinutes, MaxLockMinutes
		if name == RetentionDays {
			lo, hi = 0, MaxRetentionDays
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return "", bad
		}
		return strconv.Itoa(n), nil
	case ThemeName:
		v = strings.ToLower(v)
	case DefaultLocation:
		// Location codes are matched as the profile matches them: case-insensitively.
		for _, l := range m.Locations {
			if strings.EqualFold(l.Code, v) {
				return l.Code, nil
			}
		}
	}
	if slices.Contains(choices, v) {
		return v, nil
	}
	return "", bad
}

func get(s Settings, name string) string {
	switch name {
	case Language:
		return s.Language
	case LockMinutes:
		return strconv.Itoa(s.LockMinutes)
	case RetentionDays:
		return strconv.Itoa(s.RetentionDays)
	case ThemeName:
		return string(s.Theme)
	default:
		return s.DefaultLocation
	}
}

// set stores an already checked value in s.
func set(s *Settings, name, v string) {
	switch name {
	case Language:
		s.Language = v
	case LockMinutes:
		s.LockMinutes, _ = strconv.Atoi(v)
	case RetentionDays:
		s.RetentionDays, _ = strconv.Atoi(v)
	case ThemeName:
		s.Theme = Theme(v)
	default:
		s.DefaultLocation = v
	}
}
