package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/referraldesk/referraldesk/app/msg"
	// Every package that defines message codes, so that msg.Codes lists them all.
	_ "github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	_ "github.com/referraldesk/referraldesk/app/dicom"
	_ "github.com/referraldesk/referraldesk/app/referral"
	"github.com/referraldesk/referraldesk/app/syncer"
)

var placeholderRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// TestEnglishComplete: every defined code has an English text, every English text is for a
// defined code, and each text uses exactly its code's arguments (every argument appears in
// some form, and no form names an argument the code does not have).
func TestEnglishComplete(t *testing.T) {
	loadOnce.Do(load)
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	en, err := textsOf(language.English)
	if err != nil {
		t.Fatal(err)
	}
	codes := msg.Codes()
	if len(codes) < 50 {
		t.Fatalf("only %d codes defined: are the packages linked in?", len(codes))
	}
	for _, c := range codes {
		if strings.HasPrefix(string(c), "test.") { // this test's own
			continue
		}
		text, ok := en[c]
		if !ok {
			t.Errorf("%s: no English text", c)
			continue
		}
		names, _ := msg.ArgNames(c)
		checkPlaceholders(t, "en", c, text, names)
	}
	for c := range en {
		if _, ok := msg.ArgNames(c); !ok {
			t.Errorf("%s: English text for a code no package defines", c)
		}
	}
}

// TestOtherLanguages: a translation names only defined codes and their arguments, and has the
// plural forms its language needs. (Missing texts fall back to English.)
func TestOtherLanguages(t *testing.T) {
	for _, tag := range Languages()[1:] {
		texts, err := textsOf(tag)
		if err != nil {
			t.Error(err)
			continue
		}
		for c, text := range texts {
			names, ok := msg.ArgNames(c)
			if !ok {
				t.Errorf("%s: %s: no such code", tag, c)
				continue
			}
			checkPlaceholders(t, tag.String(), c, text, names)
		}
	}
}

func checkPlaceholders(t *testing.T, lang string, c msg.Code, text Text, names []string) {
	t.Helper()
	used := map[string]bool{}
	for form, s := range text.Forms {
		for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(names, m[1]) {
				t.Errorf("%s: %s (%v form): {%s} is not an argument of the code (%v)", lang, c, form, m[1], names)
			}
			used[m[1]] = true
		}
	}
	used[text.Count] = true // picking the plural form is a use
	for _, n := range names {
		if !used[n] {
			t.Errorf("%s: %s: argument {%s} is not used", lang, c, n)
		}
	}
	if text.Count != "" && !slices.Contains(names, text.Count) {
		t.Errorf("%s: %s: the count %q is not an argument", lang, c, text.Count)
	}
}

var (
	testOne   = msg.Define("test.one", "n")
	testTwo   = msg.Define("test.two", "file", "size", "limit")
	testList  = msg.Define("test.list", "items")
	testDate  = msg.Define("test.date", "date")
	testInner = msg.Define("test.inner", "why")
)

func testPrinter() *Printer {
	p := For("en")
	texts := map[msg.Code]Text{}
	for c, t := range p.en {
		texts[c] = t
	}
	add := func(c msg.Code, js string) {
		var t Text
		if err := json.Unmarshal([]byte(js), &t); err != nil {
			panic(err)
		}
		texts[c] = t
	}
	add(testOne, `{"count": "n", "one": "{n} image was sent.", "other": "{n} images were sent."}`)
	add(testTwo, `"{file} is {size}; at most {limit}."`)
	add(testList, `"Choose {items}."`)
	add(testDate, `"Born {date}."`)
	add(testInner, `"Not sent: {why}"`)
	p.texts, p.en = texts, texts
	return p
}

func TestRender(t *testing.T) {
	p := testPrinter()
	sentinel := msg.NewSentinel("test.sentinel", "test: sentinel")
	p.texts["test.sentinel"] = Text{Forms: map[plural.Form]string{plural.Other: "the server said no"}}
	wrapped := fmt.Errorf("upload: %w", sentinel)
	for _, tc := range []struct {
		m    msg.Msg
		want string
	}{
		{msg.New(testOne, 1), "1 image was sent."},
		{msg.New(testOne, 0), "0 images were sent."},
		{msg.New(testOne, 2500), "2500 images were sent."},
		{msg.New(testTwo, "a.pdf", msg.Bytes(150_000_000), msg.Bytes(100_000_000)), "a.pdf is 150 MB; at most 100 MB."},
		{msg.New(testTwo, "a.pdf", msg.Bytes(100_000_001), msg.Bytes(100_000_000)), "a.pdf is 100,000,001 bytes; at most 100,000,000 bytes."},
		{msg.New(testTwo, "a.pdf", msg.Bytes(1), msg.Bytes(999)), "a.pdf is 1 byte; at most 999 bytes."},
		{msg.New(testList, msg.Or{"A"}), "Choose A."},
		{msg.New(testList, msg.Or{"A", "B"}), "Choose A or B."},
		{msg.New(testList, msg.And{"A", "B", msg.New(testOne, 1)}), "Choose A, B and 1 image was sent.."},
		{msg.New(testDate, msg.Date(time.Date(1970, 3, 4, 0, 0, 0, 0, time.UTC))), "Born 1970-03-04."},
		{msg.New(testInner, wrapped), "Not sent: the server said no"},
		{msg.New("test.undefined"), "test.undefined"},
	} {
		if got := p.Text(tc.m); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.m.Code, got, tc.want)
		}
	}
	if got := p.Err(errors.New("plain")); got != "plain" {
		t.Errorf("Err(plain) = %q", got)
	}
	if !errors.Is(wrapped, sentinel) {
		t.Error("sentinel lost its identity")
	}
}

func TestBytes(t *testing.T) {
	p := For("en")
	for n, want := range map[int64]string{
		0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1 KB", 1500: "1.5 KB", 12_345_678: "12.3 MB",
		999_949: "999.9 KB", 999_950: "1 MB", 1_000_000_000: "1 GB", 1_100_000_000: "1.1 GB", 3_000_000_000_000: "3 TB",
	} {
		if got := p.Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
		// English errors and logs write sizes the same way, without digit grouping.
		if got := msg.Bytes(n).String(); got != strings.ReplaceAll(want, ",", "") {
			t.Errorf("msg.Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLanguageFallback(t *testing.T) {
	for _, tag := range []string{"", "en", "en-US", "es-MX", "zh-Hans-CN", "not a tag"} {
		p := For(tag)
		if got := p.Text(msg.New(ListOr, "a", "b")); got == "" || got == string(ListOr) {
			t.Errorf("%q: no text", tag)
		}
	}
	if For("en-GB").Lang().String() != "en" {
		t.Errorf("en-GB → %v", For("en-GB").Lang())
	}
	var names []string
	for _, l := range Languages() {
		names = append(names, l.String())
	}
	if !sort.StringsAreSorted(names[1:]) || names[0] != "en" {
		t.Errorf("languages %v", names)
	}
}

func TestSyncStatusLine(t *testing.T) {
	p := For("en")
	for _, tc := range []struct {
		s    syncer.Status
		want string
	}{
		{syncer.Status{}, "Offline (no account set up)"},
		{syncer.Status{Configured: true, Waiting: 3}, "Offline — 3 waiting"},
		{syncer.Status{Configured: true, Waiting: 3, Trouble: msg.New(syncer.TroubleRetry)}, "Offline — 3 waiting — will retry"},
		{syncer.Status{Configured: true, Online: true, Sending: 2, Batch: 5, Bytes: 48_200_000, Waiting: 5}, "Sending 2 of 5 (48.2 MB)"},
		{syncer.Status{Configured: true, Online: true}, "All sent"},
		{syncer.Status{Configured: true, Online: true, Attention: 1}, "Online — 1 needs attention"},
		{syncer.Status{Configured: true, AuthNeeded: true, Waiting: 1}, "Sign in again: the server refused the saved credentials — 1 waiting"},
	} {
		if got := p.Line(tc.s.Parts()); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

// A form's problems joined with errors.Join are all written; an error without a message keeps
// its own text.
func TestJoinedErrors(t *testing.T) {
	err := fmt.Errorf("creds: %w", creds.Account{FHIRBase: "ftp://x", User: "a:b"}.Validate())
	got := For("en").Err(err)
	for _, want := range []string{"The FHIR server address must start with https://.", "The user name cannot contain a colon"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if !errors.Is(err, creds.ErrInvalidAccount) {
		t.Error("ErrInvalidAccount lost")
	}
}

// The second languages are found by their base tag or a close one, use their own plural rules
// (Chinese has one form), and a text one lacks falls back to English.
func TestSecondLanguage(t *testing.T) {
	for _, tc := range []struct {
		tag  string
		want language.Tag
		m    msg.Msg
		text string
	}{
		{"es-MX", language.Spanish, msg.New(msg.CountImages, 1), "1 imagen"},
		{"es-419", language.Spanish, msg.New(msg.CountImages, 3), "3 imágenes"},
		{"es", language.Spanish, msg.New(ListOr, "a", "b"), "a o b"},
		{"zh", language.MustParse("zh-Hans"), msg.New(msg.CountImages, 1), "1 张图像"},
		{"zh-CN", language.MustParse("zh-Hans"), msg.New(msg.CountImages, 3), "3 张图像"},
	} {
		p := For(tc.tag)
		if p.Lang() != tc.want {
			t.Fatalf("%s → %v, want %v", tc.tag, p.Lang(), tc.want)
		}
		if got := p.Text(tc.m); got != tc.text {
			t.Errorf("%s %s: %q, want %q", tc.tag, tc.m.Code, got, tc.text)
		}
	}
	p := &Printer{tag: language.Spanish, texts: map[msg.Code]Text{}, en: For("en").en}
	if got := p.Text(msg.New(msg.CountStudies, 2)); got != "2 studies" {
		t.Errorf("a missing text: %q, want the English", got)
	}
}
