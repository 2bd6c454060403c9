package packet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// A TrueType font (glyf outlines) read just enough to stamp text with it: the Unicode cmap, the
// advance widths and the metrics of the font descriptor, and to write a subset that keeps the glyph
// ids (so the PDF can use CIDToGIDMap /Identity) but only the outlines of the glyphs used.

var errFont = errors.New("not a usable TrueType font")

type ttFont struct {
	data       []byte
	tables     map[string][]byte
	unitsPerEm int
	numGlyphs  int
	longLoca   bool
	advances   []uint16 // per glyph
	cmap       map[rune]uint16
	ascent     int16
	descent    int16
	capHeight  int16
	bbox       [4]int16
	italic     float64
	name       string // PostScript name, for /BaseFont
}

// parseTrueType reads the font at index idx of a TrueType collection, or the font of a plain file.
func parseTrueType(data []byte, idx int) (*ttFont, error) {
	if len(data) < 12 {
		return nil, errFont
	}
	off := 0
	if string(data[:4]) == "ttcf" {
		n := int(binary.BigEndian.Uint32(data[8:]))
		if idx >= n || 12+4*idx+4 > len(data) {
			return nil, fmt.Errorf("font collection has %d fonts: %w", n, errFont)
		}
		off = int(binary.BigEndian.Uint32(data[12+4*idx:]))
	}
	if off+12 > len(data) {
		return nil, errFont
	}
	if v := binary.BigEndian.Uint32(data[off:]); v != 0x00010000 && v != 0x74727565 { // 1.0 or 'true'
		return nil, fmt.Errorf("outlines are not TrueType (CFF?): %w", errFont)
	}
	n := int(binary.BigEndian.Uint16(data[off+4:]))
	f := &ttFont{data: data, tables: map[string][]byte{}}
	for i := 0; i < n; i++ {
		rec := off + 12 + 16*i
		if rec+16 > len(data) {
			return nil, errFont
		}
		tag := string(data[rec : rec+4])
		to, tl := int(binary.BigEndian.Uint32(data[rec+8:])), int(binary.BigEndian.Uint32(data[rec+12:]))
		if to < 0 || tl < 0 || to+tl > len(data) {
			return nil, fmt.Errorf("table %s out of bounds: %w", tag, errFont)
		}
		f.tables[tag] = data[to : to+tl]
	}
	for _, need := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[need] == nil {
			return nil, fmt.Errorf("no %s table: %w", need, errFont)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errFont
	}
	f.unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	for i := range f.bbox {
		f.bbox[i] = int16(binary.BigEndian.Uint16(head[36+2*i:]))
	}
	f.longLoca = binary.BigEndian.Uint16(head[50:]) == 1
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	f.ascent = int16(binary.BigEndian.Uint16(hhea[4:]))
	f.descent = int16(binary.BigEndian.Uint16(hhea[6:]))
	f.capHeight = f.ascent
	if os2 := f.tables["OS/2"]; len(os2) >= 90 && binary.BigEndian.Uint16(os2) >= 2 {
		f.capHeight = int16(binary.BigEndian.Uint16(os2[88:]))
	}
	if post := f.tables["post"]; len(post) >= 8 {
		f.italic = float64(int32(binary.BigEndian.Uint32(post[4:]))) / 65536
	}
	if f.unitsPerEm == 0 || f.numGlyphs == 0 {
		return nil, errFont
	}
	nh := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx := f.tables["hmtx"]
	if nh == 0 || nh > f.numGlyphs || len(hmtx) < 4*nh {
		return nil, errFont
	}
	f.advances = make([]uint16, f.numGlyphs)
	for g := 0; g < f.numGlyphs; g++ {
		if g < nh {
			f.advances[g] = binary.BigEndian.Uint16(hmtx[4*g:])
		} else {
			f.advances[g] = f.advances[nh-1]
		}
	}
	if err := f.readCmap(); err != nil {
		return nil, err
	}
	f.name = f.postScriptName()
	return f, nil
}

// readCmap reads the best Unicode subtable: format 12 (full Unicode) or else format 4 (BMP).
func (f *ttFont) readCmap() error {
	cm := f.tables["cmap"]
	if len(cm) < 4 {
		return errFont
	}
	n := int(binary.BigEndian.Uint16(cm[2:]))
	best, bestFormat := -1, 0
	for i := 0; i < n; i++ {
		rec := 4 + 8*i
		if rec+8 > len(cm) {
			break
		}
		pid, eid := binary.BigEndian.Uint16(cm[rec:]), binary.BigEndian.Uint16(cm[rec+2:])
		o := int(binary.BigEndian.Uint32(cm[rec+4:]))
		if o+2 > len(cm) || !(pid == 0 || (pid == 3 && (eid == 1 || eid == 10))) {
			continue
		}
		format := int(binary.BigEndian.Uint16(cm[o:]))
		if (format == 12 && bestFormat != 12) || (format == 4 && bestFormat == 0) {
			best, bestFormat = o, format
		}
	}
	f.cmap = map[rune]uint16{}
	switch bestFormat {
	case 12:
		t := cm[best:]
		if len(t) < 16 {
			return errFont
		}
		groups := int(binary.BigEndian.Uint32(t[12:]))
		for i := 0; i < groups && 16+12*i+12 <= len(t); i++ {
			g := t[16+12*i:]
			start, end, gid := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:]), binary.BigEndian.Uint32(g[8:])
			if end < start || end-start > 0x10FFFF {
				continue
			}
			for c := start; c <= end; c++ {
				if id := gid + (c - start); id < uint32(f.numGlyphs) {
					f.cmap[rune(c)] = uint16(id)
				}
			}
		}
	case 4:
		t := cm[best:]
		if len(t) < 14 {
			return errFont
		}
		segs := int(binary.BigEndian.Uint16(t[6:])) / 2
		if 16+8*segs > len(t) {
			return errFont
		}
		ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
		for s := 0; s < segs; s++ {
			end := int(binary.BigEndian.Uint16(t[ends+2*s:]))
			start := int(binary.BigEndian.Uint16(t[starts+2*s:]))
			delta := int(binary.BigEndian.Uint16(t[deltas+2*s:]))
			ro := int(binary.BigEndian.Uint16(t[ranges+2*s:]))
			for c := start; c <= end && c != 0xFFFF; c++ {
				var gid int
				if ro == 0 {
					gid = (c + delta) & 0xFFFF
				} else {
					at := ranges + 2*s + ro + 2*(c-start)
					if at+2 > len(t) {
						continue
					}
					gid = int(binary.BigEndian.Uint16(t[at:]))
					if gid != 0 {
						gid = (gid + delta) & 0xFFFF
					}
				}
				if gid != 0 && gid < f.numGlyphs {
					f.cmap[rune(c)] = uint16(gid)
				}
			}
		}
	default:
		return fmt.Errorf("no Unicode cmap: %w", errFont)
	}
	return nil
}

// postScriptName is name id 6, else "Font"; only letters and digits are kept (it becomes a PDF name).
func (f *ttFont) postScriptName() string {
	nm := f.tables["name"]
	if len(nm) >= 6 {
		count, strOff := int(binary.BigEndian.Uint16(nm[2:])), int(binary.BigEndian.Uint16(nm[4:]))
		for i := 0; i < count && 6+12*i+12 <= len(nm); i++ {
			r := nm[6+12*i:]
			pid, id := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[6:])
			l, o := int(binary.BigEndian.Uint16(r[8:])), int(binary.BigEndian.Uint16(r[10:]))
			if id != 6 || strOff+o+l > len(nm) {
				continue
			}
			raw := nm[strOff+o : strOff+o+l]
			var b []byte
			for j := 0; j < len(raw); j++ {
				c := raw[j]
				if pid == 3 || pid == 0 { // UTF-16BE: take the low bytes
					if j%2 == 0 {
						continue
					}
				}
				if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' {
					b = append(b, c)
				}
			}
			if len(b) > 0 {
				return string(b)
			}
		}
	}
	return "Font"
}

// glyph is the outline data of glyph g.
func (f *ttFont) glyph(g int) []byte {
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	var a, b int
	if f.longLoca {
		if 4*g+8 > len(loca) {
			return nil
		}
		a, b = int(binary.BigEndian.Uint32(loca[4*g:])), int(binary.BigEndian.Uint32(loca[4*g+4:]))
	} else {
		if 2*g+4 > len(loca) {
			return nil
		}
		a, b = 2*int(binary.BigEndian.Uint16(loca[2*g:])), 2*int(binary.BigEndian.Uint16(loca[2*g+2:]))
	}
	if a > b || b > len(glyf) {
		return nil
	}
	return glyf[a:b]
}

// components lists the glyphs a composite glyph is built from.
func components(g []byte) []int {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []int
	p := 10
	for p+4 <= len(g) {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, int(binary.BigEndian.Uint16(g[p+2:])))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return out
}

// subset writes a TrueType font with the same glyph ids whose outlines are only those of used
// (and of the glyphs they are composed of, and .notdef). The other glyphs are empty.
func (f *ttFont) subset(used map[uint16]bool) []byte {
	keep := map[int]bool{}
	stack := []int{0}
	for g := range used {
		stack = append(stack, int(g))
	}
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if keep[g] || g >= f.numGlyphs {
			continue
		}
		keep[g] = true
		stack = append(stack, components(f.glyph(g))...)
	}
	var glyf bytes.Buffer
	loca := make([]byte, 4*(f.numGlyphs+1))
	for g := 0; g < f.numGlyphs; g++ {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(glyf.Len()))
		if keep[g] {
			glyf.Write(f.glyph(g))
			for glyf.Len()%4 != 0 {
				glyf.WriteByte(0)
			}
		}
	}
	binary.BigEndian.PutUint32(loca[4*f.numGlyphs:], uint32(glyf.Len()))
	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, not checked by PDF readers
	binary.BigEndian.PutUint16(head[50:], 1)
	tables := map[string][]byte{
		"head": head, "hhea": f.tables["hhea"], "maxp": f.tables["maxp"], "hmtx": f.tables["hmtx"],
		"loca": loca, "glyf": glyf.Bytes(),
	}
	// Hinting programs the kept glyphs may call.
	for _, t := range []string{"cvt ", "fpgm", "prep"} {
		if d := f.tables[t]; d != nil {
			tables[t] = d
		}
	}
	return writeSFNT(tables)
}

// writeSFNT lays out a font file from its tables (sorted by tag, each 4-byte aligned).
func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	var out bytes.Buffer
	hdr := make([]byte, 12)
	binary.BigEndian.PutUint32(hdr, 0x00010000)
	binary.BigEndian.PutUint16(hdr[4:], uint16(n))
	binary.BigEndian.PutUint16(hdr[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(hdr[8:], uint16(es))
	binary.BigEndian.PutUint16(hdr[10:], uint16(16*n-16<<es))
	out.Write(hdr)
	off := 12 + 16*n
	dir := make([]byte, 16*n)
	for i, t := range tags {
		d := tables[t]
		copy(dir[16*i:], t)
		binary.BigEndian.PutUint32(dir[16*i+4:], checksum(d))
		binary.BigEndian.PutUint32(dir[16*i+8:], uint32(off))
		binary.BigEndian.PutUint32(dir[16*i+12:], uint32(len(d)))
		off += (len(d) + 3) &^ 3
	}
	out.Write(dir)
	for _, t := range tags {
		d := tables[t]
		out.Write(d)
		for i := len(d); i%4 != 0; i++ {
			out.WriteByte(0)
		}
	}
	return out.Bytes()
}

func checksum(d []byte) uint32 {
	var sum uint32
	for i := 0; i < len(d); i += 4 {
		var w [4]byte
		copy(w[:], d[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
