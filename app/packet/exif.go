package packet

import (
	"encoding/binary"
	"strings"
	"time"
)

// exifInfo is what the packet uses from a JPEG's EXIF block.
type exifInfo struct {
	orientation int       // 1..8 (1: as stored)
	taken       time.Time // DateTimeOriginal, else DateTime
}

// readExif parses the APP1 Exif segment of a JPEG. Unknown or broken data gives zero values.
func readExif(b []byte) (ex exifInfo) {
	ex.orientation = 1
	defer func() { _ = recover() }() // malformed offsets: ignore EXIF
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return ex
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return ex
		}
		marker := b[i+1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan: no more metadata
			return ex
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		seg := b[i+4 : min(len(b), i+2+n)]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			parseTIFFExif(seg[6:], &ex)
			return ex
		}
		i += 2 + n
	}
	return ex
}

func parseTIFFExif(t []byte, ex *exifInfo) {
	if len(t) < 8 {
		return
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return
	}
	var dateTime, original string
	var walk func(off uint32, depth int)
	walk = func(off uint32, depth int) {
		if depth > 2 || int(off)+2 > len(t) {
			return
		}
		n := int(bo.Uint16(t[off:]))
		for k := 0; k < n; k++ {
			e := int(off) + 2 + 12*k
			if e+12 > len(t) {
				return
			}
			tag, typ, count := bo.Uint16(t[e:]), bo.Uint16(t[e+2:]), bo.Uint32(t[e+4:])
			val := t[e+8 : e+12]
			switch {
			case tag == 0x0112 && typ == 3:
				if o := int(bo.Uint16(val)); o >= 1 && o <= 8 {
					ex.orientation = o
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
			ex.taken = tm
			return
		}
	}
}
