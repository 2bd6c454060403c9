package ehrimport

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// hl7NS is the C-CDA namespace; elements in it are named by their local name whatever their prefix.
const hl7NS = "urn:hl7-org:v3"

// maxDepth bounds element nesting (C-CDA needs about 30) so that walking the tree stays cheap.
const maxDepth = 512

// node is an element (name set) or a text node (name empty) of a parsed XML document.
type node struct {
	name  string // local name; elements of a foreign namespace keep "prefix:local"
	attrs []xml.Attr
	kids  []*node
	text  string
}

// attr returns the value of the attribute with the given local name, or "".
func (n *node) attr(local string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// child returns the first child element with the given name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// children lists the child elements with the given name.
func (n *node) children(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// path follows child names: n.path("a", "b") is n/a/b (first match at each step).
func (n *node) path(names ...string) *node {
	for _, name := range names {
		n = n.child(name)
	}
	return n
}

// innerText is the element's text content with whitespace collapsed.
func (n *node) innerText() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		if n.name == "" {
			b.WriteString(n.text)
			return
		}
		if n.name == "br" {
			b.WriteByte(' ')
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(n)
	return collapse(b.String())
}

// nullFlavored reports whether the element is absent or carries only a nullFlavor.
func (n *node) nullFlavored() bool { return n == nil || n.attr("nullFlavor") != "" }

// hasTemplate reports whether n has a templateId with one of the roots.
func (n *node) hasTemplate(roots ...string) bool {
	for _, t := range n.children("templateId") {
		r := t.attr("root")
		for _, want := range roots {
			if r == want {
				return true
			}
		}
	}
	return false
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	reXMLDecl  = regexp.MustCompile(`^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
	reEntities = regexp.MustCompile(`(?i)<!ENTITY`)
	oneSpace   = " "
)

// prepareXML strips a byte-order mark, converts UTF-16 to UTF-8, and reads text declared (or not
// declared) as UTF-8 that is not valid UTF-8 as Windows-1252, the usual mistake of vendor exports.
func prepareXML(data []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		u, err := decodeUTF16(data)
		if err != nil {
			return nil, "", fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		return dropDeclEncoding(u), "", nil
	}
	head := data
	if len(head) > 256 {
		head = head[:256]
	}
	enc := ""
	if m := reXMLDecl.FindSubmatch(bytes.TrimLeft(head, " \t\r\n")); m != nil {
		enc = strings.ToLower(string(m[1]))
	}
	if (enc == "" || enc == "utf-8" || enc == "utf8") && !utf8.Valid(data) {
		u, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, "", fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		return dropDeclEncoding(u), "the text is not valid UTF-8 as declared; it was read as Windows-1252", nil
	}
	return data, "", nil
}

// dropDeclEncoding removes the encoding from the XML declaration of text already converted to UTF-8.
func dropDeclEncoding(data []byte) []byte {
	t := bytes.TrimLeft(data, " \t\r\n")
	if m := reXMLDecl.FindSubmatchIndex(t); m != nil {
		out := make([]byte, 0, len(t))
		out = append(out, t[:m[2]]...)
		out = append(out, "UTF-8"...)
		return append(out, t[m[3]:]...)
	}
	return data
}

func charsetReader(label string, r io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unknown text encoding %q", label)
	}
	return e.NewDecoder().Reader(r), nil
}

// parseXML reads a whole XML document into a tree. It refuses DOCTYPEs that declare entities, bounds
// nesting, and tells a truncated file from a damaged one. HTML entity names (&nbsp;) are accepted as
// their characters: a fixed table, never expanded recursively.
func parseXML(data []byte) (*node, error) { return parseXMLSkipping(data, nil) }

// parseXMLSkipping is parseXML where skip(parent, name) may decide that an element's content is not
// needed: the element is kept, empty, and its content is only checked for balance. Whitespace-only
// text is kept only inside narrative (<text>, XHTML) where it separates words.
func parseXMLSkipping(data []byte, skip func(parent *node, name string) bool) (*node, error) {
	newDecoder := func(b []byte) *xml.Decoder {
		d := xml.NewDecoder(bytes.NewReader(b))
		d.Strict = true
		d.Entity = xml.HTMLEntity
		d.CharsetReader = charsetReader
		return d
	}
	d := newDecoder(data)
	base := 0 // offset in data of the decoder's input
	ns := map[string]string{}
	var stack []*node
	var root *node
	var slab []node
	alloc := func() *node {
		if len(slab) == 0 {
			slab = make([]node, 512)
		}
		n := &slab[0]
		slab = slab[1:]
		return n
	}
	skipping := 0  // depth inside a skipped element
	narrative := 0 // depth inside <text> (whitespace matters there)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if len(stack) > 0 || root == nil || skipping > 0 {
				return nil, ErrTruncated
			}
			return root, nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
				return nil, ErrTruncated
			}
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if reEntities.Match(t) {
				return nil, ErrEntities
			}
		case xml.StartElement:
			if skipping > 0 {
				skipping++
				if len(stack)+skipping >= maxDepth {
					return nil, fmt.Errorf("%w: elements nested more than %d deep", ErrDamaged, maxDepth)
				}
				continue
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: elements nested more than %d deep", ErrDamaged, maxDepth)
			}
			if root != nil && len(stack) == 0 {
				return nil, fmt.Errorf("%w: content after the end of the document", ErrDamaged)
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					ns[a.Name.Local] = a.Value
				}
			}
			name := t.Name.Local
			if t.Name.Space != "" && ns[t.Name.Space] != hl7NS {
				name = t.Name.Space + ":" + name
			}
			n := alloc()
			n.name = name
			if len(t.Attr) > 0 {
				n.attrs = t.Attr // RawToken allocates a new slice for every element
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
				if skip != nil && skip(p, name) {
					off := base + int(d.InputOffset())
					if off >= 2 && data[off-2] == '/' { // <entry/>: the decoder reports its end next
						skipping = 1
						continue
					}
					raw := t.Name.Local
					if t.Name.Space != "" {
						raw = t.Name.Space + ":" + raw
					}
					end := skipElement(data, off, raw)
					if end < 0 {
						return nil, ErrTruncated
					}
					// Read on after the skipped element with a fresh decoder: the skipped bytes are
					// never tokenized. Namespace prefixes are tracked here, not by the decoder.
					base, d = end, newDecoder(data[end:])
					continue
				}
			} else {
				root = n
			}
			if name == "text" || name == "div" {
				narrative++
			}
			stack = append(stack, n)
		case xml.EndElement:
			if skipping > 0 {
				skipping--
				continue
			}
			if len(stack) == 0 {
				return nil, fmt.Errorf("%w: unexpected end tag", ErrDamaged)
			}
			top := stack[len(stack)-1]
			name := t.Name.Local
			if t.Name.Space != "" && ns[t.Name.Space] != hl7NS {
				name = t.Name.Space + ":" + name
			}
			if top.name != name {
				return nil, fmt.Errorf("%w: element <%s> closed by </%s>", ErrDamaged, top.name, name)
			}
			if top.name == "text" || top.name == "div" {
				narrative--
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 || skipping > 0 {
				continue
			}
			p := stack[len(stack)-1]
			s := oneSpace
			if len(bytes.TrimSpace(t)) > 0 {
				s = string(t)
			} else if narrative == 0 {
				continue
			}
			// Merge adjacent text (the decoder splits around entities).
			if k := len(p.kids); k > 0 && p.kids[k-1].name == "" {
				if s != oneSpace {
					prev := p.kids[k-1]
					if prev.text == oneSpace {
						prev.text = " " + s
					} else {
						prev.text += s
					}
				}
				continue
			}
			n := alloc()
			n.text = s
			p.kids = append(p.kids, n)
		}
	}
}

// skipElement finds the end of the element named raw whose start tag ends at off, and returns the
// offset just after its end tag, or -1 when the data ends first. Comments and CDATA are stepped over.
func skipElement(data []byte, off int, raw string) int {
	depth := 1
	i := off
	boundary := func(j int) bool {
		if j >= len(data) {
			return false
		}
		switch data[j] {
		case ' ', '\t', '\r', '\n', '/', '>':
			return true
		}
		return false
	}
	for {
		k := bytes.IndexByte(data[i:], '<')
		if k < 0 {
			return -1
		}
		i += k
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			e := bytes.Index(rest, []byte("-->"))
			if e < 0 {
				return -1
			}
			i += e + 3
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			e := bytes.Index(rest, []byte("]]>"))
			if e < 0 {
				return -1
			}
			i += e + 3
			continue
		case len(rest) > len(raw)+2 && rest[1] == '/' && string(rest[2:2+len(raw)]) == raw && boundary(i+2+len(raw)):
			e := bytes.IndexByte(rest, '>')
			if e < 0 {
				return -1
			}
			i += e + 1
			if depth--; depth == 0 {
				return i
			}
			continue
		case len(rest) > len(raw)+1 && string(rest[1:1+len(raw)]) == raw && boundary(i+1+len(raw)):
			e := bytes.IndexByte(rest, '>')
			if e < 0 {
				return -1
			}
			if rest[e-1] != '/' {
				depth++
			}
			i += e + 1
			continue
		}
		i++
	}
}

// rootName returns the name and namespace of the first element, reading no further.
func rootName(data []byte) (local, space string, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
				return "", "", ErrTruncated
			}
			return "", "", fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if reEntities.Match(t) {
				return "", "", ErrEntities
			}
		case xml.StartElement:
			return t.Name.Local, t.Name.Space, nil
		}
	}
}
