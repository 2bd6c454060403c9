// Package exif reads the little the app uses from a JPEG's Exif block (orientation, when the
// photo was taken) and writes the minimal block that keeps only the orientation. One reader for
// the records packet (page rotation, dating) and the photo upload (stripping location).
package exif

import (
	"encoding/binary"
	"strings"
	"time"
)

// Info is what the app reads from Exif.
type Info struct {
	Orientation int       // 1..8 (1: as stored, also when absent)
	Taken       time.Time // DateTimeOriginal, else DateTime; zero when absent
}

// ReadJPEG parses the APP1 Exif segment of a JPEG file's bytes. Unknown or broken data gives
// the zero Info with Orientation 1.
func ReadJPEG(b []byte) Info {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return Info{Orientation: 1}
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			break
		}
		marker := b[i+1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan: no more metadata
			break
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 {
			break
		}
		seg := b[i+4 : min(len(b), i+2+n)]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return ReadTIFF(seg[6:])
		}
		i += 2 + n
	}
	return Info{Orientation: 1}
}

// ReadTIFF parses a TIFF-structured Exif block (the APP1 payload after "Exif\0\0").
func ReadTIFF(t []byte) (in Info) {
	in.Orientation = 1
	defer func() { _ = recover() }() // malformed offsets: keep what was read
	if len(t) < 8 {
		return in
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return in
	}
	var dateTime, original string
	var walk func(off uint32, depth int)
	walk = func(off uint32, depth int) {
		if depth > 2 || off < 8 || int(off)+2 > len(t) {
			return
		}
		n := int(bo.Uint16(t[off:]))
		for k := range n {
			e := int(off) + 2 + 12*k
			if e+12 > len(t) {
				return
			}
			tag, typ, count := bo.Uint16(t[e:]), bo.Uint16(t[e+2:]), bo.Uint32(t[e+4:])
			val := t[e+8 : e+12]
			switch {
			case tag == 0x0112 && typ == 3:
				if o := int(bo.Uint16(val)); o >= 1 && o <= 8 {
					in.Orientation = o
				}
			case tag == 0x8769: // Exif sub-IFD
				walk(bo.Uint32(val), depth+1)
			case (tag == 0x9003 || tag == 0x0132) && typ == 2 && count >= 19:
				p := int(bo.Uint32(val))
				if p+19 <= len(t) {
					s := string(t[p : p+19])
					if tag == 0x9003 {
						original = s
					} else {
						dateTime = s
					}
				}
			}
		}
	}
	walk(bo.Uint32(t[4:]), 0)
	for _, s := range []string{original, dateTime} {
		s = strings.TrimSpace(s)
		if tm, err := time.ParseInLocation("2006:01:02 15:04:05", s, time.Local); err == nil && tm.Year() > 1900 {
			in.Taken = tm
			break
		}
	}
	return in
}

// OrientationBlock is an APP1 Exif payload holding only IFD0 with the Orientation tag, for a
// photo whose other metadata (location) is dropped.
func OrientationBlock(o int) []byte {
	b := []byte("Exif\x00\x00II*\x00")
	b = binary.LittleEndian.AppendUint32(b, 8) // IFD0 right after the TIFF header
	b = binary.LittleEndian.AppendUint16(b, 1) // one entry
	b = binary.LittleEndian.AppendUint16(b, 0x0112)
	b = binary.LittleEndian.AppendUint16(b, 3) // SHORT
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint16(b, uint16(o))
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0) // no next IFD
	return b
}
