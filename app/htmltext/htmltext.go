// Package htmltext turns an HTML document from a server into plain text, so that an HTML result
// is read as text inside the app and never opened as a local file:// page (where its scripts and
// links would run with access to the user's files and the network).
package htmltext

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipped elements: their content is not text a reader should see.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Head: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true,
}

// blocks start and end on their own line.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Pre: true, atom.Blockquote: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Hr: true, atom.Address: true, atom.Form: true,
	atom.Title: true,
}

var (
	spaces     = regexp.MustCompile(`[ \r\f\v\x{00a0}]+`)
	tabs       = regexp.MustCompile(`\s*\t\s*`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// ToText reads an HTML document and returns its visible text: block elements on their own lines,
// list items as "• ", table cells separated by tabs, the title first. Links keep their words only
// (no address), images their alt text; scripts, styles and embedded objects are dropped.
func ToText(r io.Reader) (string, error) {
	z := html.NewTokenizer(r)
	var b strings.Builder
	var title string
	inTitle := false
	skip := 0 // depth inside skipped elements
	pre := 0
	newline := func() { b.WriteByte('\n') }
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); !errors.Is(err, io.EOF) {
				return "", fmt.Errorf("htmltext: read: %w", err)
			}
			return tidy(title, b.String()), nil
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if inTitle {
				title += t
				continue
			}
			if pre == 0 {
				t = strings.ReplaceAll(t, "\n", " ")
			}
			b.WriteString(t)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Title {
				inTitle = tt == html.StartTagToken
				continue
			}
			if skipped[a] {
				if tt == html.StartTagToken && a != atom.Head {
					skip++
				}
				continue
			}
			if skip > 0 {
				continue
			}
			switch {
			case a == atom.Br:
				newline()
			case a == atom.Li:
				b.WriteString("\n• ")
			case a == atom.Tr:
				newline()
			case a == atom.Td || a == atom.Th:
				b.WriteByte('\t')
			case a == atom.Img && hasAttr:
				if alt := attr(z, "alt"); alt != "" {
					b.WriteString("[" + alt + "]")
				}
			case blocks[a]:
				newline()
				if a == atom.Pre {
					pre++
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Title {
				inTitle = false
				continue
			}
			if skipped[a] {
				if skip > 0 && a != atom.Head {
					skip--
				}
				continue
			}
			if skip == 0 && blocks[a] {
				newline()
				if a == atom.Pre && pre > 0 {
					pre--
				}
			}
		}
	}
}

func attr(z *html.Tokenizer, key string) string {
	for {
		k, v, more := z.TagAttr()
		if string(k) == key {
			return strings.TrimSpace(string(v))
		}
		if !more {
			return ""
		}
	}
}

// tidy collapses runs of spaces, trims every line and keeps at most one blank line in a row.
func tidy(title, body string) string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(tabs.ReplaceAllString(spaces.ReplaceAllString(l, " "), "\t"))
	}
	out := strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
	if t := strings.TrimSpace(spaces.ReplaceAllString(strings.ReplaceAll(title, "\n", " "), " ")); t != "" {
		out = t + "\n\n" + out
	}
	return out + "\n"
}
