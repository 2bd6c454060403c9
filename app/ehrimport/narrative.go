package ehrimport

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// narrative turns a C-CDA section <text> (or a FHIR XHTML div, whose tags are mapped to the CDA
// ones) into blocks: paragraphs, list items, tables, captions. Styling is dropped.
func narrative(text *node, refs map[string]*node) []Block {
	if text == nil {
		return nil
	}
	nb := &narrBuilder{}
	nb.walk(text, 0)
	nb.flush()
	return nb.blocks
}

type narrBuilder struct {
	blocks []Block
	inline strings.Builder
}

// Tag names of XHTML mapped to CDA narrative names.
var xhtmlNames = map[string]string{
	"p": "paragraph", "div": "paragraph", "ul": "list", "ol": "list", "li": "item", "span": "content",
	"b": "content", "i": "content", "em": "content", "strong": "content", "a": "linkHtml",
	"h1": "caption", "h2": "caption", "h3": "caption", "h4": "caption", "h5": "caption", "h6": "caption",
}

func tag(n *node) string {
	if t, ok := xhtmlNames[n.name]; ok {
		return t
	}
	return n.name
}

func (nb *narrBuilder) flush() {
	if s := collapse(nb.inline.String()); s != "" {
		nb.blocks = append(nb.blocks, Block{Kind: BlockPara, Text: s})
	}
	nb.inline.Reset()
}

func (nb *narrBuilder) walk(n *node, level int) {
	for _, k := range n.kids {
		if k.name == "" {
			nb.inline.WriteString(k.text)
			continue
		}
		switch tag(k) {
		case "br":
			nb.flush()
		case "paragraph":
			nb.flush()
			nb.walk(k, level)
			nb.flush()
		case "caption":
			nb.flush()
			if s := inlineText(k); s != "" {
				nb.blocks = append(nb.blocks, Block{Kind: BlockCaption, Text: s})
			}
		case "list":
			nb.flush()
			nb.list(k, level)
		case "table":
			nb.flush()
			nb.table(k)
		case "renderMultiMedia":
			nb.inline.WriteString(" [image not shown] ")
		case "footnote":
			nb.inline.WriteString(" (" + inlineText(k) + ")")
		case "sub", "sup":
			nb.inline.WriteString(inlineText(k))
		default: // content, linkHtml, footnoteRef, unknown inline tags
			nb.walk(k, level)
		}
	}
}

func (nb *narrBuilder) list(l *node, level int) {
	ordered := strings.EqualFold(l.attr("listType"), "ordered") || l.name == "ol"
	i := 0
	for _, k := range l.kids {
		if k.name == "" {
			continue
		}
		switch tag(k) {
		case "caption":
			if s := inlineText(k); s != "" {
				nb.blocks = append(nb.blocks, Block{Kind: BlockCaption, Text: s})
			}
		case "item":
			i++
			marker := "•"
			if ordered {
				marker = strconv.Itoa(i) + "."
			}
			// The item's own text, then its nested blocks one level deeper.
			sub := &narrBuilder{}
			sub.walk(k, level+1)
			sub.flush()
			first := true
			for _, b := range sub.blocks {
				if first && b.Kind == BlockPara {
					nb.blocks = append(nb.blocks, Block{Kind: BlockItem, Text: b.Text, Level: level, Marker: marker})
					first = false
					continue
				}
				if first {
					nb.blocks = append(nb.blocks, Block{Kind: BlockItem, Level: level, Marker: marker})
					first = false
				}
				if b.Kind == BlockPara {
					b = Block{Kind: BlockItem, Text: b.Text, Level: level + 1}
				}
				nb.blocks = append(nb.blocks, b)
			}
			if first {
				nb.blocks = append(nb.blocks, Block{Kind: BlockItem, Level: level, Marker: marker})
			}
		}
	}
}

func (nb *narrBuilder) table(t *node) {
	b := Block{Kind: BlockTable}
	var caption string
	addRows := func(g *node, header bool) {
		for _, tr := range g.children("tr") {
			var row []string
			allTH := true
			for _, cell := range tr.kids {
				if cell.name == "td" || cell.name == "th" {
					row = append(row, cellText(cell))
					if cell.name == "td" {
						allTH = false
					}
				}
			}
			if len(row) == 0 {
				continue
			}
			if (header || allTH) && len(b.Rows) == b.Header {
				b.Header++
			}
			b.Rows = append(b.Rows, row)
		}
	}
	for _, k := range t.kids {
		switch k.name {
		case "caption":
			caption = inlineText(k)
		case "thead":
			addRows(k, true)
		case "tbody", "tfoot":
			addRows(k, false)
		case "tr":
			addRows(&node{kids: []*node{k}}, false)
		}
	}
	if caption != "" {
		nb.blocks = append(nb.blocks, Block{Kind: BlockCaption, Text: caption})
	}
	if len(b.Rows) > 0 {
		nb.blocks = append(nb.blocks, b)
	}
}

// cellText flattens a table cell: paragraphs, line breaks and list items become "; "-separated parts.
func cellText(n *node) string {
	sub := &narrBuilder{}
	sub.walk(n, 0)
	sub.flush()
	var parts []string
	for _, b := range sub.blocks {
		switch b.Kind {
		case BlockTable:
			for _, r := range b.Rows {
				parts = append(parts, strings.Join(r, " "))
			}
		default:
			if b.Text != "" {
				parts = append(parts, b.Text)
			}
		}
	}
	return strings.Join(parts, "; ")
}

func inlineText(n *node) string { return n.innerText() }

func decodeB64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}
