package dicom

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/referraldesk/referraldesk/app/exif"
)

// StripJPEGLocation copies a JPEG photo without its metadata, so that no location (GPS)
// leaves the machine. It keeps what decoding needs and a whitelist of segments: JFIF
// (APP0), the ICC colour profile (APP2 "ICC_PROFILE") and Adobe's colour transform
// (APP14). It drops Exif (APP1, GPS included), XMP, IPTC/Photoshop (APP13), every other
// APPn (vendor blocks such as GoPro's may hold GPS), comments, and anything after the end
// of the image (such as the extra pictures of the Multi-Picture Format, which carry their own
// Exif). The Exif orientation is kept, in a new minimal Exif block, so the photo is not
// shown sideways. The image data itself is copied unchanged.
func StripJPEGLocation(in io.Reader, out io.Writer) error {
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriterSize(out, 64<<10)
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return fmt.Errorf("photo: %w", ErrNotJPEG)
	}
	if _, err := w.Write(soi[:]); err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	wroteOrientation := false
	var pending byte // a marker already read by copyScan
	for {
		marker := pending
		pending = 0
		if marker == 0 {
			m, err := nextMarker(r)
			if err != nil {
				return err
			}
			marker = m
		}
		switch {
		case marker == 0xD9: // EOI: stop, dropping whatever follows
			if _, err := w.Write([]byte{0xFF, 0xD9}); err != nil {
				return fmt.Errorf("photo: %w", err)
			}
			if err := w.Flush(); err != nil {
				return fmt.Errorf("photo: %w", err)
			}
			return nil
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01: // no length
			if _, err := w.Write([]byte{0xFF, marker}); err != nil {
				return fmt.Errorf("photo: %w", err)
			}
			continue
		}
		seg, err := readSegment(r)
		if err != nil {
			return err
		}
		keep := true
		switch {
		case marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			keep = false
			if o := exif.ReadTIFF(seg[6:]).Orientation; !wroteOrientation && o != 1 {
				if err := writeSegment(w, 0xE1, exif.OrientationBlock(o)); err != nil {
					return err
				}
				wroteOrientation = true
			}
		case marker == 0xE0:
			keep = bytes.HasPrefix(seg, []byte("JFIF\x00")) || bytes.HasPrefix(seg, []byte("JFXX\x00"))
		case marker == 0xE2:
			keep = bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00"))
		case marker == 0xEE:
			keep = bytes.HasPrefix(seg, []byte("Adobe"))
		case marker >= 0xE0 && marker <= 0xEF, marker == 0xFE: // other APPn, COM
			keep = false
		}
		if keep {
			if err := writeSegment(w, marker, seg); err != nil {
				return err
			}
		}
		if marker == 0xDA { // SOS: copy the entropy-coded data up to the next marker
			if pending, err = copyScan(r, w); err != nil {
				return err
			}
		}
	}
}

var errTruncatedJPEG = errors.New("photo: the JPEG is cut short")

// nextMarker reads the next marker code, skipping fill bytes.
func nextMarker(r *bufio.Reader) (byte, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, errTruncatedJPEG
	}
	if b != 0xFF {
		return 0, fmt.Errorf("photo: %w: expected a marker", ErrNotJPEG)
	}
	for {
		b, err = r.ReadByte()
		if err != nil {
			return 0, errTruncatedJPEG
		}
		if b != 0xFF {
			return b, nil
		}
	}
}

func readSegment(r *bufio.Reader) ([]byte, error) {
	var l [2]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return nil, errTruncatedJPEG
	}
	n := int(binary.BigEndian.Uint16(l[:]))
	if n < 2 {
		return nil, fmt.Errorf("photo: %w: bad segment length", ErrNotJPEG)
	}
	seg := make([]byte, n-2)
	if _, err := io.ReadFull(r, seg); err != nil {
		return nil, errTruncatedJPEG
	}
	return seg, nil
}

func writeSegment(w io.Writer, marker byte, seg []byte) error {
	if len(seg)+2 > 0xFFFF {
		return fmt.Errorf("photo: segment too long")
	}
	hdr := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(hdr[2:], uint16(len(seg)+2))
	if _, err := w.Write(hdr); err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	if _, err := w.Write(seg); err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	return nil
}

// copyScan copies entropy-coded data up to the next marker other than byte stuffing (FF00)
// and restart markers (FFD0–FFD7), and returns that marker's code.
func copyScan(r *bufio.Reader, w io.Writer) (byte, error) {
	for {
		chunk, err := r.ReadSlice(0xFF)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return 0, errTruncatedJPEG
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if _, err := w.Write(chunk); err != nil {
				return 0, fmt.Errorf("photo: %w", err)
			}
			continue
		}
		// chunk ends with 0xFF: look at what follows, skipping fill bytes.
		if _, err := w.Write(chunk[:len(chunk)-1]); err != nil {
			return 0, fmt.Errorf("photo: %w", err)
		}
		var next byte
		for {
			next, err = r.ReadByte()
			if err != nil {
				return 0, errTruncatedJPEG
			}
			if next != 0xFF {
				break
			}
		}
		if next == 0x00 || (next >= 0xD0 && next <= 0xD7) {
			if _, err := w.Write([]byte{0xFF, next}); err != nil {
				return 0, fmt.Errorf("photo: %w", err)
			}
			continue
		}
		return next, nil
	}
}
