package packet

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/font"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// rect is a rectangle in PDF user space.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) w() float64 { return r.x1 - r.x0 }
func (r rect) h() float64 { return r.y1 - r.y0 }

func (r rect) norm() rect {
	if r.x0 > r.x1 {
		r.x0, r.x1 = r.x1, r.x0
	}
	if r.y0 > r.y1 {
		r.y0, r.y1 = r.y1, r.y0
	}
	return r
}

func (r rect) intersect(o rect) rect {
	return rect{math.Max(r.x0, o.x0), math.Max(r.y0, o.y0), math.Min(r.x1, o.x1), math.Min(r.y1, o.y1)}
}

// matrix is a PDF transformation [a b c d e f]; a point p maps to p×M.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// then returns the transformation "m, then n".
func (m matrix) then(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

func (m matrix) applyRect(r rect) rect {
	xs := [4]float64{}
	ys := [4]float64{}
	xs[0], ys[0] = m.apply(r.x0, r.y0)
	xs[1], ys[1] = m.apply(r.x1, r.y0)
	xs[2], ys[2] = m.apply(r.x0, r.y1)
	xs[3], ys[3] = m.apply(r.x1, r.y1)
	out := rect{xs[0], ys[0], xs[0], ys[0]}
	for i := 1; i < 4; i++ {
		out.x0, out.x1 = math.Min(out.x0, xs[i]), math.Max(out.x1, xs[i])
		out.y0, out.y1 = math.Min(out.y0, ys[i]), math.Max(out.y1, ys[i])
	}
	return out
}

func (m matrix) op() string {
	return fmt.Sprintf("%s %s %s %s %s %s cm", fmtNum(m[0]), fmtNum(m[1]), fmtNum(m[2]), fmtNum(m[3]), fmtNum(m[4]), fmtNum(m[5]))
}

// displayToUser maps the displayed page (origin at its bottom-left, width and height as shown after
// /Rotate) into the user space of box.
func displayToUser(box rect, rotate int) (m matrix, wd, hd float64) {
	switch rotate {
	case 90:
		return matrix{0, 1, -1, 0, box.x1, box.y0}, box.h(), box.w()
	case 180:
		return matrix{-1, 0, 0, -1, box.x1, box.y1}, box.w(), box.h()
	case 270:
		return matrix{0, -1, 1, 0, box.x0, box.y1}, box.h(), box.w()
	default:
		return matrix{1, 0, 0, 1, box.x0, box.y0}, box.w(), box.h()
	}
}

func (m matrix) inverse() matrix {
	det := m[0]*m[3] - m[1]*m[2]
	if det == 0 {
		return identity
	}
	a, b, c, d := m[3]/det, -m[1]/det, -m[2]/det, m[0]/det
	return matrix{a, b, c, d, -(m[4]*a + m[5]*c), -(m[4]*b + m[5]*d)}
}

// stampFont is the resource name of the standard Helvetica font (WinAnsi) on every page we write.
const (
	stampFont = "RDF"
	boldFont  = "RDB"
)

// layout is where the stamp goes on one page and how the page content is scaled to make room.
type layout struct {
	content matrix // user space → user space: shrinks the original drawing above the band
	stamp   []byte // content stream operators drawing the stamp
}

// stampLayout scales the page content down just enough to free a band at the bottom of the displayed
// page (whatever /Rotate says) and writes the stamp text in that band, upright as displayed.
func stampLayout(box rect, rotate int, line stampLine) layout {
	d2u, wd, hd := displayToUser(box, rotate)
	u2d := d2u.inverse()

	w1 := line.width1
	fs := 8 * math.Min(wd, hd) / 612
	fs = math.Max(6, math.Min(fs, 24))
	margin := math.Max(4, fs)
	if w1 > 0 && fs*w1 > wd-2*margin {
		fs = (wd - 2*margin) / w1
	}
	if fs < 1 {
		fs = 1
	}
	band := fs * 2
	if band > hd/3 {
		band = hd / 3
	}
	s := (hd - band) / hd
	shrink := matrix{s, 0, 0, s, wd * (1 - s) / 2, band}

	tx := (wd - fs*w1) / 2
	if tx < 0 {
		tx = 0
	}
	ty := band * 0.32
	var b bytes.Buffer
	b.WriteString("q\n")
	b.WriteString(d2u.op())
	fmt.Fprintf(&b, "\nBT 0 Tr 0 Tc 0 Tw 100 Tz 0 Ts 0 g %s %s Td", fmtNum(tx), fmtNum(ty))
	for _, r := range line.runs {
		fmt.Fprintf(&b, " /%s %s Tf ", r.res, fmtNum(fs))
		if r.hex {
			fmt.Fprintf(&b, "<%X>", r.data)
		} else {
			writePDFString(&b, r.data)
		}
		b.WriteString(" Tj")
	}
	b.WriteString(" ET\nQ\n")
	return layout{content: u2d.then(shrink).then(d2u), stamp: b.Bytes()}
}

// stampText is the identifier line, e.g. "DOE, Jane · DOB 1970-01-02 · MRN 123 · page 7 of 43".
func stampText(pt Patient, page, total int) string {
	var b strings.Builder
	b.WriteString(patientName(pt))
	if !pt.DOB.IsZero() {
		b.WriteString(" · DOB ")
		b.WriteString(pt.DOB.Format(time.DateOnly))
	}
	if m := strings.TrimSpace(pt.MRN); m != "" {
		b.WriteString(" · MRN ")
		b.WriteString(m)
	}
	fmt.Fprintf(&b, " · page %d of %d", page, total)
	return b.String()
}

// patientName is "DOE, Jane".
func patientName(pt Patient) string {
	fam := strings.ToUpper(strings.Join(strings.Fields(pt.Family), " "))
	giv := strings.Join(strings.Fields(pt.Given), " ")
	switch {
	case fam == "":
		return giv
	case giv == "":
		return fam
	}
	return fam + ", " + giv
}

var foldMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// winAnsi encodes s for a standard font with /WinAnsiEncoding. Characters outside it are folded to
// their base letter when possible (Ł → L), else replaced by '?'.
func winAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		if b, ok := charmap.Windows1252.EncodeRune(r); ok && (b >= 32) {
			out = append(out, b)
			continue
		}
		f, _, err := transform.String(foldMarks, string(r))
		if err == nil {
			f = strings.NewReplacer("ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "ı", "i").Replace(f)
		}
		done := false
		if err == nil && f != string(r) {
			ok := true
			var tmp []byte
			for _, fr := range f {
				b, ok2 := charmap.Windows1252.EncodeRune(fr)
				if !ok2 || b < 32 {
					ok = false
					break
				}
				tmp = append(tmp, b)
			}
			if ok && len(tmp) > 0 {
				out = append(out, tmp...)
				done = true
			}
		}
		if !done {
			out = append(out, '?')
		}
	}
	return out
}

// fromWinAnsi decodes WinAnsi bytes back to text (what text extraction should give back).
func fromWinAnsi(b []byte) string {
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}

// textWidth is the width of WinAnsi-encoded text in a standard font at size fs.
func textWidth(text []byte, fontName string, fs float64) float64 {
	w, err := font.TextWidthFloat(string(text), fontName, fs)
	if err != nil {
		return float64(len(text)) * fs * 0.6
	}
	return w
}

// writePDFString writes b as a PDF literal string.
func writePDFString(w *bytes.Buffer, b []byte) {
	w.WriteByte('(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case '\r':
			w.WriteString(`\r`)
		case '\n':
			w.WriteString(`\n`)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte(')')
}
