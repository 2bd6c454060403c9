package dicom

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/suyashkumar/dicom/pkg/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Tag is a DICOM data element tag, group in the high 16 bits.
type Tag uint32

// Group is the tag's group number.
func (t Tag) Group() uint16 { return uint16(t >> 16) }

// String writes the tag as (GGGG,EEEE).
func (t Tag) String() string { return fmt.Sprintf("(%04X,%04X)", uint16(t>>16), uint16(t)) }

const (
	tagTransferSyntax      Tag = 0x00020010
	tagMediaStorageClass   Tag = 0x00020002
	tagSpecificCharset     Tag = 0x00080005
	tagSOPClassUID         Tag = 0x00080016
	tagSOPInstanceUID      Tag = 0x00080018
	tagStudyDate           Tag = 0x00080020
	tagStudyTime           Tag = 0x00080030
	tagAccessionNumber     Tag = 0x00080050
	tagModality            Tag = 0x00080060
	tagStudyDescription    Tag = 0x00081030
	tagSeriesDescription   Tag = 0x0008103E
	tagPatientName         Tag = 0x00100010
	tagPatientID           Tag = 0x00100020
	tagPatientBirthDate    Tag = 0x00100030
	tagPatientSex          Tag = 0x00100040
	tagStudyInstanceUID    Tag = 0x0020000D
	tagSeriesInstanceUID   Tag = 0x0020000E
	tagSeriesNumber        Tag = 0x00200011
	tagInstanceNumber      Tag = 0x00200013
	tagNumberOfFrames      Tag = 0x00280008
	tagDirectoryRecordSeq  Tag = 0x00041220
	tagDirectoryRecordType Tag = 0x00041430
	tagReferencedFileID    Tag = 0x00041500
	tagFloatPixelData      Tag = 0x7FE00008
	tagDoublePixelData     Tag = 0x7FE00009
	tagPixelData           Tag = 0x7FE00010
	tagItem                Tag = 0xFFFEE000
	tagItemDelim           Tag = 0xFFFEE00D
	tagSeqDelim            Tag = 0xFFFEE0DD

	undefinedLength = 0xFFFFFFFF
	maxDepth        = 32 // sequences nested deeper than this are treated as damage
)

// Transfer syntaxes that change how the dataset itself is encoded; every other one is
// explicit VR little endian with compressed pixel data.
const (
	tsImplicitLE = "1.2.840.10008.1.2"
	tsExplicitLE = "1.2.840.10008.1.2.1"
	tsDeflatedLE = "1.2.840.10008.1.2.1.99"
	tsExplicitBE = "1.2.840.10008.1.2.2"

	sopClassMediaStorageDirectory = "1.2.840.10008.1.3.10" // a DICOMDIR
)

// header is what readHeader learns from one file.
type header struct {
	inst       Instance
	mediaClass string // (0002,0002), to recognise a DICOMDIR
	pixelData  bool
	dirRecords []dirRecord // only when reading a DICOMDIR
}

type dirRecord struct {
	kind   string
	fileID string
}

type decoder struct {
	s        *src
	bo       binary.ByteOrder
	implicit bool
	text     *encoding.Decoder // from (0008,0005); nil: ASCII/UTF-8, Latin-1 as a fallback
	pnText   *encoding.Decoder
	h        *header
	dicomdir bool // collect directory records
	lastTag  Tag
}

func (d *decoder) damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrDamaged, fmt.Sprintf(format, args...))
}

// endsInside turns a short read into "ends inside element X"; other errors pass through.
func (d *decoder) endsInside(t Tag, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return d.damaged("ends inside element %s", t)
	}
	return err
}

// readHeaderFile reads the header of one file, stopping at the pixel data.
func readHeaderFile(ctx context.Context, path string, dicomdir bool) (*header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnreadable, plainOSError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnreadable, plainOSError(err))
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("%w (empty file)", ErrNotDICOM)
	}
	s := newSrc(ctx, f, f, st.Size())
	h := &header{}
	h.inst.Size = st.Size()
	err = decode(s, h, dicomdir)
	h.inst.BytesRead = s.read
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return h, fmt.Errorf("%w: gave up after the time allowed per file (slow drive or unreadable disc)", ErrUnreadable)
		}
		if errors.Is(err, context.Canceled) {
			return h, err
		}
		if !errors.Is(err, ErrNotDICOM) && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrIncomplete) {
			return h, fmt.Errorf("%w: %s", ErrUnreadable, plainOSError(err))
		}
		return h, err
	}
	return h, nil
}

// plainOSError drops the path from an *os.PathError (the caller names the file).
func plainOSError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func decode(s *src, h *header, dicomdir bool) error {
	d := &decoder{s: s, bo: binary.LittleEndian, h: h, dicomdir: dicomdir}
	head, err := s.peek(132)
	if err != nil {
		return err
	}
	ts := ""
	switch {
	case len(head) >= 132 && string(head[128:132]) == "DICM":
		if err := s.skip(132); err != nil {
			return err
		}
		if ts, err = d.readMeta(); err != nil {
			return err
		}
	case len(head) >= 8 && binary.LittleEndian.Uint16(head) == 0x0002 && isVR(head[4:6]):
		// File meta information without the preamble.
		if ts, err = d.readMeta(); err != nil {
			return err
		}
	case len(head) >= 8 && plausibleDataset(head, s.size, false):
		ts = tsExplicitLE
	case len(head) >= 8 && plausibleDataset(head, s.size, true):
		ts = tsImplicitLE
	default:
		return notDICOM(head)
	}
	if ts == "" {
		ts = tsImplicitLE // the default transfer syntax when the meta information has none
	}
	h.inst.TransferSyntax = ts
	switch ts {
	case tsImplicitLE:
		d.implicit = true
	case tsExplicitBE:
		d.bo = binary.BigEndian
	case tsDeflatedLE:
		fr := flate.NewReader(s.rest())
		defer fr.Close()
		read := s.read
		d.s = newSrc(s.ctx, fr, nil, -1)
		defer func() { s.read = read + d.s.read }()
	}
	return d.readDataset()
}

// notDICOM names what the file looks like, when that is obvious.
func notDICOM(head []byte) error {
	kind := ""
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		kind = "a JPEG image; "
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		kind = "a PNG image; "
	case bytes.HasPrefix(head, []byte("GIF8")):
		kind = "a GIF image; "
	case bytes.HasPrefix(head, []byte("%PDF")):
		kind = "a PDF document; "
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		kind = "a TIFF image; "
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		kind = "a ZIP archive; "
	case bytes.HasPrefix(head, []byte("MZ")):
		kind = "a Windows program; "
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		kind = "an MP4/MOV video; "
	case bytes.HasPrefix(head, []byte{0x30, 0x26, 0xB2, 0x75}):
		kind = "a WMV/ASF video; "
	case bytes.HasPrefix(head, []byte{0, 0, 1, 0xBA}), bytes.HasPrefix(head, []byte{0, 0, 1, 0xB3}):
		kind = "an MPEG video; "
	}
	return fmt.Errorf("%w (%sno DICM marker, not a DICOM dataset)", ErrNotDICOM, kind)
}

var knownVRs = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Fields("AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV") {
		m[v] = true
	}
	return m
}()

func isVR(b []byte) bool { return len(b) == 2 && knownVRs[string(b)] }

// longVR: explicit VRs with a 2-byte reserved field and a 4-byte length.
func longVR(vr string) bool {
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV":
		return true
	}
	return false
}

// plausibleDataset reports whether head starts with a little-endian dataset without
// preamble: a group 0008 element first, then elements with increasing tags and lengths
// that fit in the file.
func plausibleDataset(head []byte, size int64, implicit bool) bool {
	if binary.LittleEndian.Uint16(head) != 0x0008 {
		return false
	}
	var prev Tag
	pos, n := 0, 0
	for pos+8 <= len(head) && n < 4 {
		t := Tag(uint32(binary.LittleEndian.Uint16(head[pos:]))<<16 | uint32(binary.LittleEndian.Uint16(head[pos+2:])))
		if n > 0 && t <= prev {
			return false
		}
		var vl uint32
		hl := 8
		if implicit {
			if isVR(head[pos+4 : pos+6]) {
				return false
			}
			vl = binary.LittleEndian.Uint32(head[pos+4:])
		} else {
			if !isVR(head[pos+4 : pos+6]) {
				return false
			}
			if longVR(string(head[pos+4 : pos+6])) {
				if pos+12 > len(head) {
					break
				}
				vl, hl = binary.LittleEndian.Uint32(head[pos+8:]), 12
			} else {
				vl = uint32(binary.LittleEndian.Uint16(head[pos+6:]))
			}
		}
		if vl == undefinedLength {
			// A sequence: stop checking here.
			return n > 0 || !implicit
		}
		if int64(pos)+int64(hl)+int64(vl) > size {
			return false
		}
		prev = t
		n++
		pos += hl + int(vl)
	}
	return n > 0
}

// readMeta reads the group 0002 elements (always explicit VR little endian) and returns the
// transfer syntax UID.
func (d *decoder) readMeta() (string, error) {
	ts := ""
	for {
		b, err := d.s.peek(2)
		if err != nil {
			return "", err
		}
		if len(b) < 2 || binary.LittleEndian.Uint16(b) != 0x0002 {
			return ts, nil
		}
		eh, err := d.readElementHeader(false)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return "", d.damaged("ends inside the file meta information")
			}
			return "", err
		}
		if eh.vl == undefinedLength || eh.vl > maxValueBytes {
			return "", d.damaged("bad file meta element %s", eh.tag)
		}
		v, err := d.s.next(int(eh.vl))
		if err != nil {
			return "", d.endsInside(eh.tag, err)
		}
		switch eh.tag {
		case tagTransferSyntax:
			ts = trimValue(string(v))
		case tagMediaStorageClass:
			d.h.mediaClass = trimValue(string(v))
		}
	}
}

type elemHeader struct {
	tag Tag
	vr  string
	vl  uint32
}

// readElementHeader reads a tag, VR (explicit only) and length. Item and delimiter tags
// (group FFFE) never carry a VR.
func (d *decoder) readElementHeader(implicit bool) (elemHeader, error) {
	b, err := d.s.next(4)
	if err != nil {
		return elemHeader{}, err
	}
	t := Tag(uint32(d.bo.Uint16(b))<<16 | uint32(d.bo.Uint16(b[2:])))
	if implicit || t.Group() == 0xFFFE {
		b, err = d.s.next(4)
		if err != nil {
			return elemHeader{tag: t}, err
		}
		return elemHeader{tag: t, vl: d.bo.Uint32(b)}, nil
	}
	b, err = d.s.next(4)
	if err != nil {
		return elemHeader{tag: t}, err
	}
	vr := string(b[:2])
	if !isVR(b[:2]) {
		return elemHeader{tag: t}, d.damaged("invalid value representation at element %s", t)
	}
	if longVR(vr) {
		b, err = d.s.next(4)
		if err != nil {
			return elemHeader{tag: t, vr: vr}, err
		}
		return elemHeader{tag: t, vr: vr, vl: d.bo.Uint32(b)}, nil
	}
	return elemHeader{tag: t, vr: vr, vl: uint32(d.bo.Uint16(b[2:]))}, nil
}

// wanted lists the top-level elements whose values we keep.
func wanted(t Tag) bool {
	switch t {
	case tagSpecificCharset, tagSOPClassUID, tagSOPInstanceUID, tagStudyDate, tagStudyTime,
		tagAccessionNumber, tagModality, tagStudyDescription, tagSeriesDescription, tagPatientName,
		tagPatientID, tagPatientBirthDate, tagPatientSex, tagStudyInstanceUID, tagSeriesInstanceUID,
		tagSeriesNumber, tagInstanceNumber, tagNumberOfFrames:
		return true
	}
	return false
}

func (d *decoder) readDataset() error {
	for {
		eof, err := d.s.atEOF()
		if err != nil {
			return err
		}
		if eof {
			return nil
		}
		eh, err := d.readElementHeader(d.implicit)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return d.damaged("ends inside the element after %s", d.lastTag)
			}
			return err
		}
		if eh.tag.Group() == 0x0002 && d.lastTag == 0 {
			// Some writers repeat meta elements in the dataset; step over them.
			if err := d.skipValue(eh, 0); err != nil {
				return err
			}
			continue
		}
		if eh.tag.Group() == 0xFFFE {
			return d.damaged("unexpected item or delimiter after element %s", d.lastTag)
		}
		d.lastTag = eh.tag
		switch {
		case eh.tag == tagPixelData || eh.tag == tagFloatPixelData || eh.tag == tagDoublePixelData:
			d.h.pixelData = true
			return d.checkPixelData(eh)
		case eh.tag == tagDirectoryRecordSeq && d.dicomdir:
			if err := d.readDirectoryRecords(eh); err != nil {
				return err
			}
		case wanted(eh.tag) && eh.vl != undefinedLength && eh.vl <= maxValueBytes:
			v, err := d.s.next(int(eh.vl))
			if err != nil {
				return d.endsInside(eh.tag, err)
			}
			if err := d.store(eh.tag, v); err != nil {
				return err
			}
		default:
			if err := d.skipValue(eh, 0); err != nil {
				return err
			}
		}
	}
}

// skipValue steps over an element's value: by seeking for a defined length, by walking
// items for an undefined length (a sequence, or a UN/OB value encoded as one).
func (d *decoder) skipValue(eh elemHeader, depth int) error {
	if eh.vl != undefinedLength {
		return d.endsInside(eh.tag, d.s.skip(int64(eh.vl)))
	}
	if depth >= maxDepth {
		return d.damaged("sequences nested too deep at element %s", eh.tag)
	}
	// A UN value of undefined length is a sequence in implicit VR little endian.
	implicit := d.implicit || eh.vr == "UN"
	for {
		ih, err := d.readElementHeader(true)
		if err != nil {
			return d.endsInside(eh.tag, err)
		}
		switch ih.tag {
		case tagSeqDelim:
			return nil
		case tagItem:
			if ih.vl != undefinedLength {
				if err := d.s.skip(int64(ih.vl)); err != nil {
					return d.endsInside(eh.tag, err)
				}
				continue
			}
			if err := d.skipItem(eh.tag, implicit, depth+1); err != nil {
				return err
			}
		default:
			return d.damaged("bad item %s inside element %s", ih.tag, eh.tag)
		}
	}
}

// skipItem steps over the elements of an undefined-length item up to its delimiter.
func (d *decoder) skipItem(parent Tag, implicit bool, depth int) error {
	for {
		eh, err := d.readElementHeader(implicit)
		if err != nil {
			return d.endsInside(parent, err)
		}
		if eh.tag == tagItemDelim {
			return nil
		}
		if eh.tag.Group() == 0xFFFE {
			return d.damaged("bad item %s inside element %s", eh.tag, parent)
		}
		saved := d.implicit
		d.implicit = implicit
		err = d.skipValue(eh, depth)
		d.implicit = saved
		if err != nil {
			if errors.Is(err, ErrDamaged) {
				return err
			}
			return d.endsInside(parent, err)
		}
	}
}

// checkPixelData verifies, without reading it, that the pixel data is all there: a
// defined length must fit in the file, and encapsulated fragments must end with their
// delimiter.
func (d *decoder) checkPixelData(eh elemHeader) error {
	if eh.vl != undefinedLength {
		rem := d.s.remaining()
		if rem < 0 {
			// A deflated stream has no known length: read through the value to check it.
			return d.endsInside(eh.tag, d.s.skip(int64(eh.vl)))
		}
		if int64(eh.vl) > rem {
			return d.damaged("ends inside element %s (pixel data: %d bytes declared, %d present)", eh.tag, eh.vl, rem)
		}
		return nil
	}
	for {
		ih, err := d.readElementHeader(true)
		if err != nil {
			return d.damaged("ends inside element %s (encapsulated pixel data cut short)", eh.tag)
		}
		switch ih.tag {
		case tagSeqDelim:
			return nil
		case tagItem:
			if ih.vl == undefinedLength {
				return d.damaged("bad fragment length in element %s", eh.tag)
			}
			if err := d.s.skip(int64(ih.vl)); err != nil {
				if errors.Is(err, io.ErrUnexpectedEOF) {
					return d.damaged("ends inside element %s (a pixel data fragment is cut short)", eh.tag)
				}
				return err
			}
		default:
			return d.damaged("bad fragment %s in element %s", ih.tag, eh.tag)
		}
	}
}

// readDirectoryRecords collects (0004,1430) and (0004,1500) from each item of a
// DICOMDIR's Directory Record Sequence.
func (d *decoder) readDirectoryRecords(eh elemHeader) error {
	var end int64 = -1
	if eh.vl != undefinedLength {
		end = d.s.off + int64(eh.vl)
	}
	for end < 0 || d.s.off < end {
		ih, err := d.readElementHeader(true)
		if err != nil {
			return d.endsInside(eh.tag, err)
		}
		if ih.tag == tagSeqDelim {
			return nil
		}
		if ih.tag != tagItem {
			return d.damaged("bad item %s inside element %s", ih.tag, eh.tag)
		}
		var itemEnd int64 = -1
		if ih.vl != undefinedLength {
			itemEnd = d.s.off + int64(ih.vl)
		}
		var rec dirRecord
		for itemEnd < 0 || d.s.off < itemEnd {
			el, err := d.readElementHeader(d.implicit)
			if err != nil {
				return d.endsInside(eh.tag, err)
			}
			if el.tag == tagItemDelim {
				break
			}
			if (el.tag == tagDirectoryRecordType || el.tag == tagReferencedFileID) && el.vl <= maxValueBytes {
				v, err := d.s.next(int(el.vl))
				if err != nil {
					return d.endsInside(el.tag, err)
				}
				if el.tag == tagDirectoryRecordType {
					rec.kind = trimValue(string(v))
				} else {
					rec.fileID = strings.TrimRight(string(v), " \x00")
				}
				continue
			}
			if err := d.skipValue(el, 1); err != nil {
				return err
			}
		}
		if rec.fileID != "" {
			d.h.dirRecords = append(d.h.dirRecords, rec)
		}
	}
	return nil
}

// store decodes one wanted value into the instance.
func (d *decoder) store(t Tag, v []byte) error {
	in := &d.h.inst
	switch t {
	case tagSpecificCharset:
		names := splitValues(string(v))
		cs, err := charset.ParseSpecificCharacterSet(names)
		if err != nil {
			return nil // unknown: keep UTF-8, with Latin-1 as the fallback
		}
		d.text, d.pnText = cs.Ideographic, cs.Alphabetic
	case tagSOPClassUID:
		in.SOPClassUID = trimValue(string(v))
	case tagSOPInstanceUID:
		in.SOPInstanceUID = trimValue(string(v))
	case tagStudyDate:
		in.StudyDate = firstValue(string(v))
	case tagStudyTime:
		in.StudyTime = firstValue(string(v))
	case tagAccessionNumber:
		in.AccessionNumber = firstValue(d.decodeText(v, d.text))
	case tagModality:
		in.Modality = firstValue(string(v))
	case tagStudyDescription:
		in.StudyDescription = firstValue(d.decodeText(v, d.text))
	case tagSeriesDescription:
		in.SeriesDescription = firstValue(d.decodeText(v, d.text))
	case tagPatientName:
		// Only the alphabetic component group (before the first '=').
		if i := bytes.IndexByte(v, '='); i >= 0 {
			v = v[:i]
		}
		in.Patient.Name = firstValue(d.decodeText(v, d.pnText))
	case tagPatientID:
		in.Patient.ID = firstValue(d.decodeText(v, d.text))
	case tagPatientBirthDate:
		in.Patient.BirthDate = firstValue(string(v))
	case tagPatientSex:
		in.Patient.Sex = firstValue(string(v))
	case tagStudyInstanceUID:
		in.StudyInstanceUID = trimValue(string(v))
	case tagSeriesInstanceUID:
		in.SeriesInstanceUID = trimValue(string(v))
	case tagSeriesNumber:
		in.SeriesNumber = atoi(firstValue(string(v)))
	case tagInstanceNumber:
		in.InstanceNumber = atoi(firstValue(string(v)))
	case tagNumberOfFrames:
		in.Frames = atoi(firstValue(string(v)))
	}
	return nil
}

// decodeText decodes a string value with the dataset's character set. Badly-made files
// often hold UTF-8 under a declared Latin-1, or undeclared Latin-1: text that is valid
// UTF-8 with non-ASCII letters (and no ISO 2022 escapes) is taken as UTF-8, and text
// that is not valid in the declared set, or in UTF-8 when none is declared, as Latin-1.
func (d *decoder) decodeText(v []byte, dec *encoding.Decoder) string {
	if dec != nil && utf8.Valid(v) && !isASCII(v) && bytes.IndexByte(v, 0x1B) < 0 {
		return string(v)
	}
	if dec != nil {
		if out, err := dec.Bytes(v); err == nil {
			return string(out)
		}
	}
	if utf8.Valid(v) {
		return string(v)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(v)
	if err != nil {
		return strings.ToValidUTF8(string(v), "?")
	}
	return string(out)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func trimValue(s string) string { return strings.Trim(s, " \x00") }

func splitValues(s string) []string {
	parts := strings.Split(strings.TrimRight(s, " \x00"), `\`)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func firstValue(s string) string {
	if i := strings.IndexByte(s, '\\'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(strings.Trim(s, "\x00"))
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// ReadHeader reads the header of one DICOM file (a dropped file, say). It returns the same
// errors as the reasons Scan gives for rejected files. timeout caps the time spent on
// the file (0: no cap beyond ctx).
func ReadHeader(ctx context.Context, path string, timeout time.Duration) (Instance, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	h, err := readHeaderFile(ctx, path, false)
	if err != nil {
		return Instance{}, err
	}
	if err := h.validate(); err != nil {
		return Instance{}, err
	}
	h.inst.Path = path
	return h.inst, nil
}

// validate checks that the identifiers needed to group and send the file are there.
func (h *header) validate() error {
	switch {
	case h.mediaClass == sopClassMediaStorageDirectory:
		return fmt.Errorf("%w: a DICOMDIR (the index of a disc), not an image", ErrIncomplete)
	case h.inst.SOPInstanceUID == "":
		return fmt.Errorf("%w: no SOP Instance UID", ErrIncomplete)
	case h.inst.StudyInstanceUID == "":
		return fmt.Errorf("%w: no Study Instance UID", ErrIncomplete)
	case h.inst.SeriesInstanceUID == "":
		return fmt.Errorf("%w: no Series Instance UID", ErrIncomplete)
	case h.inst.SOPClassUID == "":
		return fmt.Errorf("%w: no SOP Class UID", ErrIncomplete)
	}
	return nil
}
