package packet

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// errMissingResource: a page's content draws a resource that pdfcpu does not have in the page's
// resources, as it read them. A copy would lose that drawing (pdfcpu drops a resource named
// "/Im#231", which a content's "/Im#1" calls), so the page is drawn instead.
var errMissingResource = errors.New("the content calls a resource a copy would not have")

// resourceOf names the resource category each operator takes a name from: its last name operand.
var resourceOf = map[string]string{
	"Do": "XObject", "gs": "ExtGState", "sh": "Shading", "Tf": "Font", "cs": "ColorSpace", "CS": "ColorSpace",
	"scn": "Pattern", "SCN": "Pattern", "BDC": "Properties", "DP": "Properties",
}

// checkContentNames makes sure every resource page p's content draws by name is in res.
func checkContentNames(pc *model.Context, page types.Dict, p int, res types.Dict) error {
	content, err := pc.PageContent(page, p)
	if err != nil {
		if errors.Is(err, model.ErrNoContent) {
			return nil
		}
		return err
	}
	have := map[string]types.Dict{}
	lookup := func(cat string) types.Dict {
		d, ok := have[cat]
		if !ok {
			if res != nil {
				d, _ = pc.DereferenceDict(res[cat])
			}
			have[cat] = d
		}
		return d
	}
	var missing error
	scanContent(content, func(op string, name string) bool {
		cat := resourceOf[op]
		if cat == "" || name == "" {
			return true
		}
		switch name {
		case "DeviceGray", "DeviceRGB", "DeviceCMYK", "Pattern":
			if cat == "ColorSpace" {
				return true
			}
		}
		if _, ok := lookup(cat)[name]; !ok {
			missing = fmt.Errorf("%w (%s %q)", errMissingResource, cat, name)
			return false
		}
		return true
	})
	return missing
}

// scanContent reads a content stream's tokens and calls f with each operator and the name operand
// it takes a resource by (see resourceOf; "" when there is none), until f returns false. Strings,
// dictionaries, arrays and inline images are skipped; names are decoded as readers do (#xx is a
// byte; a '#' without two hex digits is itself).
func scanContent(b []byte, f func(op, name string) bool) {
	// The last name operand, and whether it is the last operand: the properties of "/Tag /P1 BDC"
	// are a resource, those of "/Tag <<...>> BDC" are not; Tf's font is followed by its size.
	last, lastIsName := "", false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case isSpace(c):
			i++
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '(':
			i, lastIsName = skipString(b, i), false
		case c == '<' && i+1 < len(b) && b[i+1] == '<':
			i, lastIsName = skipNested(b, i, "<<", ">>"), false
		case c == '<':
			for i < len(b) && b[i] != '>' {
				i++
			}
			i, lastIsName = i+1, false
		case c == '[':
			i, lastIsName = skipNested(b, i, "[", "]"), false
		case c == '/':
			j := i + 1
			for j < len(b) && !isSpace(b[j]) && !isDelim(b[j]) {
				j++
			}
			last, lastIsName = decodeName(b[i+1:j]), true
			i = j
		default:
			j := i
			for j < len(b) && !isSpace(b[j]) && !isDelim(b[j]) {
				j++
			}
			if j == i { // a stray delimiter: ) > ] {
				i++
				continue
			}
			tok := string(b[i:j])
			i = j
			if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || tok == "true" || tok == "false" || tok == "null" {
				lastIsName = false
				continue
			}
			if tok == "BI" {
				i = skipInlineImage(b, i)
			}
			name := ""
			if resourceOf[tok] != "" && (lastIsName || tok == "Tf") {
				name = last
			}
			if !f(tok, name) {
				return
			}
			last, lastIsName = "", false
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

// skipString returns the index after the literal string starting at b[i] == '('.
func skipString(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return i
}

// skipNested returns the index after the dictionary or array starting at b[i] (strings inside it
// skipped too).
func skipNested(b []byte, i int, open, close string) int {
	depth := 0
	for i < len(b) {
		switch {
		case b[i] == '(':
			i = skipString(b, i)
		case bytes.HasPrefix(b[i:], []byte(open)):
			depth++
			i += len(open)
		case bytes.HasPrefix(b[i:], []byte(close)):
			i += len(close)
			if depth--; depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return i
}

// skipInlineImage returns the index after an inline image's EI, from just after its BI.
func skipInlineImage(b []byte, i int) int {
	id := bytes.Index(b[i:], []byte("ID"))
	if id < 0 {
		return len(b)
	}
	i += id + 3 // "ID" and one white-space byte
	for ; i+2 <= len(b); i++ {
		if b[i] == 'E' && b[i+1] == 'I' && i > 0 && isSpace(b[i-1]) && (i+2 == len(b) || isSpace(b[i+2]) || isDelim(b[i+2])) {
			return i + 2
		}
	}
	return len(b)
}

func decodeName(raw []byte) string {
	if bytes.IndexByte(raw, '#') < 0 {
		return string(raw)
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			out = append(out, unhex(raw[i+1])<<4|unhex(raw[i+2]))
			i += 2
			continue
		}
		out = append(out, raw[i])
	}
	return string(out)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
