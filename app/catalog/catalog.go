// Package catalog turns messages (package msg) into words for the user: one catalog of texts
// per language, keyed by message code, with plural forms, shared by the screens and the CLI (it
// does not import Fyne). Languages are JSON files in locales/ named by BCP 47 tag; a text
// missing from a language falls back to English, which is complete (the tests check it).
//
// A text names its arguments in braces: "{provider} has no NPI." A text that depends on a
// count is an object naming the argument that picks the CLDR plural form, and the forms:
//
//	{"count": "n", "one": "{n} image", "other": "{n} images"}
package catalog

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/msg"
)

//go:embed locales/*.json
var localeFS embed.FS

// Codes of the catalog's own texts: sizes, lists and errors without a message of their own.
var (
	SizeBytes   = msg.Define("size.bytes", "n")
	SizeKB      = msg.Define("size.kb", "n")
	SizeMB      = msg.Define("size.mb", "n")
	SizeGB      = msg.Define("size.gb", "n")
	SizeTB      = msg.Define("size.tb", "n")
	ListSep     = msg.Define("list.separator")
	LineSep     = msg.Define("line.separator")
	SentenceSep = msg.Define("sentence.separator")
	ListOr      = msg.Define("list.or", "head", "last")
	ItemSep     = msg.Define("list.items_separator")
	ListAnd     = msg.Define("list.and", "head", "last")
	Cancelled   = msg.Define("error.cancelled")
	TimedOut    = msg.Define("error.timed_out")
	Unexpected  = msg.Define("error.unexpected", "detail")
)

// Text is one message's text in one language.
type Text struct {
	Count string // the argument that picks the plural form; "" when the text has one form
	Forms map[plural.Form]string
}

func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text{Forms: map[plural.Form]string{plural.Other: s}}
		return nil
	}
	var o map[string]string
	if err := json.Unmarshal(b, &o); err != nil {
		return fmt.Errorf("a text is a string or an object of plural forms: %w", err)
	}
	t.Count, t.Forms = o["count"], map[plural.Form]string{}
	delete(o, "count")
	for k, v := range o {
		f, ok := formNames[k]
		if !ok {
			return fmt.Errorf("unknown plural form %q (zero, one, two, few, many, other)", k)
		}
		t.Forms[f] = v
	}
	if t.Count == "" || t.Forms[plural.Other] == "" {
		return errors.New(`a plural text needs "count" and an "other" form`)
	}
	return nil
}

var formNames = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two, "few": plural.Few, "many": plural.Many, "other": plural.Other,
}

// Printer writes messages in one language.
type Printer struct {
	tag   language.Tag
	texts map[msg.Code]Text
	en    map[msg.Code]Text
	num   *message.Printer
}

var (
	loadOnce sync.Once
	locales  map[language.Tag]*localeFile
	tags     []language.Tag // English first: the matcher's fallback
	loadErr  error          // of the file names
)

// localeFile is one language's texts, read from its file the first time a printer needs them: a
// command prints in one language, and reading every file cost it milliseconds at each start.
type localeFile struct {
	name  string
	once  sync.Once
	texts map[msg.Code]Text
	err   error
}

func (l *localeFile) read() (map[msg.Code]Text, error) {
	l.once.Do(func() {
		b, err := localeFS.ReadFile(l.name)
		if err == nil {
			err = json.Unmarshal(b, &l.texts)
		}
		if err != nil {
			l.err = fmt.Errorf("catalog: %s: %w", l.name, err)
		}
	})
	return l.texts, l.err
}

// load finds the languages (by their files' names; see localeFile for their texts).
func load() {
	locales = map[language.Tag]*localeFile{}
	files, _ := fs.Glob(localeFS, "locales/*.json")
	tags = []language.Tag{language.English}
	for _, f := range files {
		tag, err := language.Parse(strings.TrimSuffix(path.Base(f), ".json"))
		if err != nil {
			loadErr = fmt.Errorf("catalog: %s: %w", f, err)
			continue
		}
		locales[tag] = &localeFile{name: f}
		if tag != language.English {
			tags = append(tags, tag)
		}
	}
}

// textsOf is the texts of a language with a file (nil, with the error, when it cannot be read).
func textsOf(t language.Tag) (map[msg.Code]Text, error) {
	loadOnce.Do(load)
	l := locales[t]
	if l == nil {
		return nil, fmt.Errorf("catalog: no texts for %s", t)
	}
	return l.read()
}

// Languages lists the languages with a catalog, English first.
func Languages() []language.Tag {
	loadOnce.Do(load)
	return append([]language.Tag(nil), tags...)
}

// For returns the printer for the best catalog for a BCP 47 tag ("es-MX" finds "es"); an
// unknown or empty tag gives English.
func For(tag string) *Printer {
	loadOnce.Do(load)
	t := language.English
	if want, err := language.Parse(tag); err == nil {
		_, i, conf := language.NewMatcher(tags).Match(want)
		if conf != language.No {
			t = tags[i]
		}
	}
	texts, _ := textsOf(t)
	en, _ := textsOf(language.English)
	return &Printer{tag: t, texts: texts, en: en, num: message.NewPrinter(t)}
}

var current atomic.Pointer[Printer]

// Default is the printer for the user's language (English until SetLanguage).
func Default() *Printer {
	if p := current.Load(); p != nil {
		return p
	}
	p := For("en")
	current.CompareAndSwap(nil, p)
	return current.Load()
}

// SetLanguage makes the catalog for tag the default.
func SetLanguage(tag string) { current.Store(For(tag)) }

// T is Default().Text(msg.New(c, args...)).
func T(c msg.Code, args ...any) string { return Default().Text(msg.New(c, args...)) }

// Lang is the printer's language.
func (p *Printer) Lang() language.Tag { return p.tag }

// Text writes a message. A code without a text (a bug the tests catch) is written as the code.
func (p *Printer) Text(m msg.Msg) string {
	t, ok := p.texts[m.Code]
	if !ok {
		t, ok = p.en[m.Code]
	}
	if !ok {
		return string(m.Code)
	}
	names, _ := msg.ArgNames(m.Code)
	arg := func(name string) (any, bool) {
		for i, n := range names {
			if n == name && i < len(m.Args) {
				return m.Args[i], true
			}
		}
		return nil, false
	}
	form := plural.Other
	if t.Count != "" {
		if v, ok := arg(t.Count); ok {
			if n, ok := asInt(v); ok {
				form = plural.Cardinal.MatchPlural(p.tag, n, 0, 0, 0, 0)
			}
		}
	}
	s, ok := t.Forms[form]
	if !ok {
		s = t.Forms[plural.Other]
	}
	return p.fill(s, m, arg)
}

// fill replaces each {name} with its formatted argument.
func (p *Printer) fill(s string, m msg.Msg, arg func(string) (any, bool)) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		name := s[i+1 : i+j]
		if v, ok := arg(name); ok {
			b.WriteString(p.format(v, m))
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

func (p *Printer) format(v any, m msg.Msg) string {
	switch v := v.(type) {
	case string:
		return v
	case msg.Bytes:
		return p.bytesIn(int64(v), m)
	case msg.Or:
		return p.list(v, ListOr, m)
	case msg.And:
		return p.list(v, ListAnd, m)
	case msg.Items:
		s := make([]string, len(v))
		for i, it := range v {
			s[i] = p.Text(it)
		}
		return strings.Join(s, p.Text(msg.New(ItemSep)))
	case msg.Date:
		return app.FormatDate(time.Time(v))
	case msg.Country:
		return p.country(string(v))
	case time.Time:
		return app.FormatDate(v)
	case msg.Msg:
		return p.Text(v)
	case error:
		return p.Err(v)
	case grouped:
		return p.num.Sprint(number.Decimal(int64(v)))
	}
	if n, ok := asInt(v); ok {
		return strconv.Itoa(n) // counts stay plain digits: scripts read the CLI's output
	}
	return p.num.Sprint(v)
}

// country names a country in the printer's language ("El Salvador", "萨尔瓦多"); an unknown code
// is written as it was given.
func (p *Printer) country(code string) string {
	r, err := language.ParseRegion(strings.TrimSpace(code))
	if err != nil {
		return code
	}
	if n := display.Regions(p.tag).Name(r); n != "" {
		return n
	}
	return code
}

// bytesIn writes a size; when another size of the same message would read the same
// ("100 MB is over 100 MB"), both are written to the byte.
func (p *Printer) bytesIn(n int64, m msg.Msg) string {
	s := p.Bytes(n)
	for _, a := range m.Args {
		if o, ok := a.(msg.Bytes); ok && int64(o) != n && p.Bytes(int64(o)) == s {
			return p.Text(msg.New(SizeBytes, grouped(n)))
		}
	}
	return s
}

// Line writes messages as one line, e.g. a status bar's parts: "Offline — 3 waiting".
func (p *Printer) Line(parts []msg.Msg) string {
	s := make([]string, len(parts))
	for i, m := range parts {
		s[i] = p.Text(m)
	}
	return strings.Join(s, p.Text(msg.New(LineSep)))
}

// Sentences writes messages that are each a sentence as one paragraph.
func (p *Printer) Sentences(parts []msg.Msg) string {
	s := make([]string, len(parts))
	for i, m := range parts {
		s[i] = p.Text(m)
	}
	return strings.Join(s, p.Text(msg.New(SentenceSep)))
}

// Bytes writes a size in decimal (SI) units, as the operating systems' file managers do:
// "512 bytes", "12.5 MB", "1 GB". This is the app's one byte-size formatter.
func (p *Printer) Bytes(n int64) string {
	v, u := msg.Bytes(n).Scale()
	if u == msg.UnitBytes {
		return p.Text(msg.New(SizeBytes, n))
	}
	return p.Text(msg.New(sizeCodes[u], number.Decimal(v, number.MaxFractionDigits(1))))
}

var sizeCodes = map[msg.SizeUnit]msg.Code{msg.UnitKB: SizeKB, msg.UnitMB: SizeMB, msg.UnitGB: SizeGB, msg.UnitTB: SizeTB}

// Bytes is Default().Bytes(n).
func Bytes(n int64) string { return Default().Bytes(n) }

func (p *Printer) list(items []any, last msg.Code, m msg.Msg) string {
	s := make([]string, len(items))
	for i, it := range items {
		s[i] = p.format(it, m)
	}
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	head := strings.Join(s[:len(s)-1], p.Text(msg.New(ListSep)))
	return p.Text(msg.New(last, head, s[len(s)-1]))
}

// Err writes an error for the user: the message of the first error in its chain that carries
// one, else a cancellation or time-out, else the error's own text (which, like every error
// the app makes, holds no patient data).
func (p *Printer) Err(err error) string {
	if err == nil {
		return ""
	}
	// Errors that list several problems (a refused form), and errors joined with errors.Join,
	// are written one after the other.
	var list interface{ Messages() []msg.Msg }
	if errors.As(err, &list) {
		return p.Sentences(list.Messages())
	}
	for e := err; e != nil; {
		if m, ok := e.(msg.Messager); ok {
			return p.Text(m.Message())
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			var parts []string
			for _, c := range j.Unwrap() {
				if _, ok := msg.Of(c); ok {
					parts = append(parts, p.Err(c))
				}
			}
			if len(parts) > 0 {
				return strings.Join(parts, p.Text(msg.New(SentenceSep)))
			}
			break
		}
		e = errors.Unwrap(e)
	}
	if m, ok := msg.Of(err); ok {
		return p.Text(m)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return p.Text(msg.New(Cancelled))
	case errors.Is(err, context.DeadlineExceeded):
		return p.Text(msg.New(TimedOut))
	}
	return p.Text(msg.New(Unexpected, err.Error()))
}

// Err is Default().Err(err).
func Err(err error) string { return Default().Err(err) }

func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	case uint:
		return int(n), true
	case uint64:
		return int(n), true
	case msg.Bytes:
		return int(n), true
	case grouped:
		return int(n), true
	}
	return 0, false
}

// grouped is a number written with the language's digit grouping ("100,000,001").
type grouped int64
