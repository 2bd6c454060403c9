package packet

import (
	"math"
	"math/rand"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// datePatternsAsWritten pairs each date pattern as findDates runs it with the pattern as written.
var datePatternsAsWritten = []struct {
	name    string
	fast    datePattern
	written func() *regexp.Regexp
}{
	{"iso", isoDates, reISO}, {"us", usDates, reUS}, {"mdy", mdyDates, reMDY}, {"dmy", dmyDates, reDMY},
}

func checkDatePatterns(t *testing.T, text string) {
	t.Helper()
	for _, p := range datePatternsAsWritten {
		want := p.written().FindAllStringSubmatchIndex(text, -1)
		got := p.fast.findAll(text)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s on %q: found %v, the pattern as written %v", p.name, text, got, want)
		}
	}
}

// The date patterns, tried only where a match can start, find exactly what the patterns as written
// find (the same matches, groups and order) on text made of the pieces dates are made of and of
// what surrounds them: either case, the long s that (?i) reads as s, word characters next to a date,
// non-ASCII letters and broken UTF-8; and on the sample PDFs' text.
func TestDatePatternsFindAsWritten(t *testing.T) {
	pieces := []string{
		"0", "1", "2", "3", "9", "12", "31", "1970", "2024", "20240", "-", "/", ".", ",", " ", "  ", "\n", "\t", "\r",
		"Jan", "jan", "JANUARY", "february", "Mar", "march", "Apr", "may", "MAY", "June", "jul", "July", "Aug", "auguſt",
		"Sep", "Sept", "SEPTEMBER", "ſep", "ſept", "oct", "Oct.", "November", "dec", "Dec",
		"st", "nd", "rd", "th", "ſt", "TH", "a", "x", "_", "é", "\xc5", "\xbf", "\xff", "Date: ", "DOB ",
	}
	r := rand.New(rand.NewSource(4))
	pick := func(from ...string) string { return from[r.Intn(len(from))] }
	num := func() string { return pick("0", "1", "3", "12", "31", "99", "123", "1970", "2024", "20240") }
	sep := func() string { return pick("-", "/", ".", " ", "") }
	space := func() string { return pick(" ", "  ", "\n", "\t", "", "-", " - ") }
	month := func() string {
		return pick("Jan", "january", "FEB", "Mar", "march", "apr", "May", "jun", "JULY", "aug", "auguſt", "Sep",
			"sept", "ſeptember", "Oct", "nov", "December", "Mark", "octopus", "decision", "Ma", "ju")
	}
	suffix := func() string { return pick("", "", "st", "nd", "rd", "th", "ſt", "TH", "x") }
	edge := func() string { return pick("", "", " ", "x", "_", "1", "é", "\xff", "(", "Date: ") }
	for n := 0; n < 30000; n++ {
		var b strings.Builder
		if n%2 == 0 { // loose pieces
			for j := r.Intn(14); j > 0; j-- {
				b.WriteString(pieces[r.Intn(len(pieces))])
			}
		} else { // date-like: numbers and separators, or a month with a day and a year either side
			b.WriteString(edge())
			switch r.Intn(3) {
			case 0:
				b.WriteString(num() + sep() + num() + sep() + num())
			case 1:
				b.WriteString(month() + pick("", ".") + space() + num() + suffix() + pick("", ",") + space() + num())
			default:
				b.WriteString(num() + suffix() + space() + month() + pick("", ".") + pick("", ",") + space() + num())
			}
			b.WriteString(edge())
		}
		checkDatePatterns(t, b.String())
	}
	for _, s := range []string{
		"Seen on Mar 4, 2021 and 4 March 2021; DOS 2021-03-04; 03/04/2021 and 3-4-21", "x2024-01-02", "2024-01-02x",
		"_Mar 4 2021", "éMar 4 2021", "aſep 5 2024", "ſep 5 2024", "12/12/12 12/12/12", "Mar 4 2021Mar 5 2022",
	} {
		checkDatePatterns(t, s)
	}
	if _, err := os.Stat(samplesRel); err != nil {
		t.Logf("%s not found: the sample PDFs' text is not compared", samplesRel)
		return
	}
	for _, text := range samplePageTexts(t, datePages) {
		checkDatePatterns(t, text)
	}
}

// samplePageTexts gives the text of the first pages (at most pages of each) of the sample PDFs that
// MuPDF opens, as the worker reads it.
func samplePageTexts(tb testing.TB, pages int) []string {
	var texts []string
	for _, f := range samples(tb) {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		r, ok, err := openDirectRenderer(data, false)
		if !ok || err != nil {
			continue
		}
		if texter, ok := r.(pageTexter); ok {
			for p := 0; p < min(r.NumPage(), pages); p++ {
				if text, err := texter.Text(p); err == nil {
					texts = append(texts, text)
				}
			}
		}
		r.Close()
	}
	return texts
}

// FuzzDatePatterns: the same comparison on any text (make fuzz).
func FuzzDatePatterns(f *testing.F) {
	for _, s := range []string{"Mar 4, 2021", "4 March 2021", "2021-03-04", "03/04/21", "ſep 5 2024", "x1/2/3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { checkDatePatterns(t, text) })
}

// Over the sample PDFs' pages, the date patterns as findDates runs them and as written.
func BenchmarkDatePatterns(b *testing.B) {
	texts := samplePageTexts(b, math.MaxInt)
	b.Run("packet", func(b *testing.B) {
		for b.Loop() {
			for _, text := range texts {
				for _, p := range datePatternsAsWritten {
					p.fast.findAll(text)
				}
			}
		}
	})
	b.Run("as-written", func(b *testing.B) {
		for b.Loop() {
			for _, text := range texts {
				for _, p := range datePatternsAsWritten {
					p.written().FindAllStringSubmatchIndex(text, -1)
				}
			}
		}
	})
}
