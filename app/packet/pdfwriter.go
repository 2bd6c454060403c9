package packet

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfWriter writes a PDF file object by object, straight to its destination, so that a long packet
// never sits in memory as a whole. Objects are numbered by alloc and may be written in any order.
type pdfWriter struct {
	w       *bufio.Writer
	n       int64   // bytes written so far
	offsets []int64 // offsets[nr]; -1 = allocated, not written yet
	err     error
	scratch bytes.Buffer
	zbuf    bytes.Buffer
	zw      *zlib.Writer
}

func newPDFWriter(w io.Writer) *pdfWriter {
	pw := &pdfWriter{w: bufio.NewWriterSize(w, 256<<10), offsets: []int64{0}}
	pw.raw("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return pw
}

func (pw *pdfWriter) raw(s string) {
	if pw.err != nil {
		return
	}
	k, err := pw.w.WriteString(s)
	pw.n += int64(k)
	pw.err = err
}

func (pw *pdfWriter) rawBytes(b []byte) {
	if pw.err != nil {
		return
	}
	k, err := pw.w.Write(b)
	pw.n += int64(k)
	pw.err = err
}

// alloc reserves an object number.
func (pw *pdfWriter) alloc() int {
	pw.offsets = append(pw.offsets, -1)
	return len(pw.offsets) - 1
}

func (pw *pdfWriter) begin(nr int) {
	if nr <= 0 || nr >= len(pw.offsets) {
		if pw.err == nil {
			pw.err = fmt.Errorf("pdf writer: object %d was not allocated", nr)
		}
		return
	}
	pw.offsets[nr] = pw.n
	pw.raw(strconv.Itoa(nr))
	pw.raw(" 0 obj\n")
}

// object writes a non-stream object.
func (pw *pdfWriter) object(nr int, o types.Object) {
	pw.begin(nr)
	pw.scratch.Reset()
	writeValue(&pw.scratch, o)
	pw.rawBytes(pw.scratch.Bytes())
	pw.raw("\nendobj\n")
}

// stream writes a stream object; data is written as is (already encoded as d's /Filter says).
func (pw *pdfWriter) stream(nr int, d types.Dict, data []byte) {
	d2 := types.Dict{}
	for k, v := range d {
		d2[k] = v
	}
	d2["Length"] = types.Integer(len(data))
	pw.begin(nr)
	pw.scratch.Reset()
	writeValue(&pw.scratch, d2)
	pw.rawBytes(pw.scratch.Bytes())
	pw.raw("\nstream\n")
	pw.rawBytes(data)
	pw.raw("\nendstream\nendobj\n")
}

// flateStream compresses data and writes it as a stream with /Filter /FlateDecode.
func (pw *pdfWriter) flateStream(nr int, d types.Dict, data []byte) {
	pw.deflate(data)
	d2 := types.Dict{}
	for k, v := range d {
		d2[k] = v
	}
	d2["Filter"] = types.Name("FlateDecode")
	pw.stream(nr, d2, pw.zbuf.Bytes())
}

// deflate compresses data into pw.zbuf (valid until the next call).
func (pw *pdfWriter) deflate(data []byte) []byte {
	pw.zbuf.Reset()
	if pw.zw == nil {
		pw.zw, _ = zlib.NewWriterLevel(&pw.zbuf, zlib.BestSpeed)
	} else {
		pw.zw.Reset(&pw.zbuf)
	}
	_, _ = pw.zw.Write(data)
	_ = pw.zw.Close()
	return pw.zbuf.Bytes()
}

// finish writes any allocated but unwritten objects as null, the cross-reference table and the trailer.
func (pw *pdfWriter) finish(root, info int) error {
	for nr := 1; nr < len(pw.offsets); nr++ {
		if pw.offsets[nr] < 0 {
			pw.object(nr, nil)
		}
	}
	xref := pw.n
	pw.raw("xref\n0 " + strconv.Itoa(len(pw.offsets)) + "\n")
	pw.raw("0000000000 65535 f \n")
	for nr := 1; nr < len(pw.offsets); nr++ {
		pw.raw(fmt.Sprintf("%010d 00000 n \n", pw.offsets[nr]))
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	trailer := types.Dict{
		"Size": types.Integer(len(pw.offsets)),
		"Root": *types.NewIndirectRef(root, 0),
		"ID":   types.Array{types.NewHexLiteral(id), types.NewHexLiteral(id)},
	}
	if info > 0 {
		trailer["Info"] = *types.NewIndirectRef(info, 0)
	}
	pw.raw("trailer\n")
	pw.scratch.Reset()
	writeValue(&pw.scratch, trailer)
	pw.rawBytes(pw.scratch.Bytes())
	pw.raw("\nstartxref\n" + strconv.FormatInt(xref, 10) + "\n%%EOF\n")
	if pw.err != nil {
		return pw.err
	}
	return pw.w.Flush()
}

func ref(nr int) types.IndirectRef { return *types.NewIndirectRef(nr, 0) }

// writeValue serializes a PDF object in its file syntax.
func writeValue(b *bytes.Buffer, o types.Object) {
	switch v := o.(type) {
	case nil:
		b.WriteString("null")
	case types.Boolean:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case types.Integer:
		b.WriteString(strconv.Itoa(int(v)))
	case types.Float:
		b.WriteString(fmtNum(float64(v)))
	case types.Name:
		b.WriteByte('/')
		b.WriteString(types.EncodeName(string(v)))
	case types.StringLiteral:
		b.WriteByte('(')
		b.WriteString(string(v))
		b.WriteByte(')')
	case types.HexLiteral:
		b.WriteByte('<')
		b.WriteString(string(v))
		b.WriteByte('>')
	case types.IndirectRef:
		b.WriteString(strconv.Itoa(int(v.ObjectNumber)))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(int(v.GenerationNumber)))
		b.WriteString(" R")
	case *types.IndirectRef:
		writeValue(b, *v)
	case types.Dict:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("<<")
		for _, k := range keys {
			b.WriteByte('/')
			b.WriteString(types.EncodeName(k))
			b.WriteByte(' ')
			writeValue(b, v[k])
		}
		b.WriteString(">>")
	case types.Array:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeValue(b, e)
		}
		b.WriteByte(']')
	case types.StreamDict:
		writeValue(b, v.Dict)
	default:
		b.WriteString("null")
	}
}

// fmtNum formats a number for a content stream or object: short, never in exponent form.
func fmtNum(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	s := strconv.FormatFloat(f, 'f', 4, 64)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// pdfTextString encodes s as a PDF text string (hex UTF-16BE with a byte order mark when not ASCII).
func pdfTextString(s string) types.Object {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 32 || s[i] > 126 {
			ascii = false
			break
		}
	}
	if ascii {
		esc, err := types.Escape(s)
		if err == nil {
			return types.StringLiteral(*esc)
		}
	}
	u := []byte{0xFE, 0xFF}
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			u = append(u, byte(hi>>8), byte(hi), byte(lo>>8), byte(lo))
			continue
		}
		u = append(u, byte(r>>8), byte(r))
	}
	return types.NewHexLiteral(u)
}
