package dicom

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/referraldesk/referraldesk/app/catalog"
)

// elem is one data element for the test file builder.
type elem struct {
	tag Tag
	vr  string
	val []byte
}

func str(t Tag, vr, s string) elem {
	b := []byte(s)
	if len(b)%2 == 1 {
		if vr == "UI" {
			b = append(b, 0)
		} else {
			b = append(b, ' ')
		}
	}
	return elem{tag: t, vr: vr, val: b}
}

// fileSpec describes a DICOM file to write in tests.
type fileSpec struct {
	noPreamble bool
	noMeta     bool
	implicit   bool
	ts         string // transfer syntax written in the meta; by default from implicit
	class      string
	sop        string
	elems      []elem
	pixels     int // bytes of native pixel data (OW)
}

func appendElem(b []byte, e elem, implicit bool) []byte {
	b = binary.LittleEndian.AppendUint16(b, uint16(e.tag>>16))
	b = binary.LittleEndian.AppendUint16(b, uint16(e.tag))
	if implicit {
		return append(binary.LittleEndian.AppendUint32(b, uint32(len(e.val))), e.val...)
	}
	b = append(b, e.vr...)
	if longVR(e.vr) {
		b = append(b, 0, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(e.val)))
	} else {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(e.val)))
	}
	return append(b, e.val...)
}

func (f fileSpec) bytes() []byte {
	var b []byte
	if !f.noPreamble {
		b = append(make([]byte, 128), "DICM"...)
	}
	ts := tsExplicitLE
	if f.implicit {
		ts = tsImplicitLE
	}
	if f.ts != "" {
		ts = f.ts
	}
	if !f.noMeta {
		var meta []byte
		meta = appendElem(meta, elem{0x00020001, "OB", []byte{0, 1}}, false)
		meta = appendElem(meta, str(0x00020002, "UI", f.class), false)
		meta = appendElem(meta, str(0x00020003, "UI", f.sop), false)
		meta = appendElem(meta, str(0x00020010, "UI", ts), false)
		gl := make([]byte, 4)
		binary.LittleEndian.PutUint32(gl, uint32(len(meta)))
		b = appendElem(b, elem{0x00020000, "UL", gl}, false)
		b = append(b, meta...)
	}
	els := slices.Clone(f.elems)
	slices.SortStableFunc(els, func(a, b elem) int { return int(int64(a.tag) - int64(b.tag)) })
	for _, e := range els {
		b = appendElem(b, e, f.implicit)
	}
	if f.pixels > 0 {
		px := make([]byte, f.pixels)
		for i := range px {
			px[i] = byte(i)
		}
		b = appendElem(b, elem{tagPixelData, "OW", px}, f.implicit)
	}
	return b
}

type testImage struct {
	patient                            PatientInfo
	study, series, sop, date, modality string
	number                             int
}

// spec makes a complete CT-like image file spec.
func (ti testImage) spec() fileSpec {
	mod := ti.modality
	if mod == "" {
		mod = "CT"
	}
	class := "1.2.840.10008.5.1.4.1.1.2"
	return fileSpec{
		class: class, sop: ti.sop, pixels: 32 * 32 * 2,
		elems: []elem{
			str(tagSpecificCharset, "CS", "ISO_IR 100"),
			str(tagSOPClassUID, "UI", class),
			str(tagSOPInstanceUID, "UI", ti.sop),
			str(tagStudyDate, "DA", ti.date),
			str(tagModality, "CS", mod),
			str(tagStudyDescription, "LO", "TEST STUDY"),
			str(tagPatientName, "PN", ti.patient.Name),
			str(tagPatientID, "LO", ti.patient.ID),
			str(tagPatientBirthDate, "DA", ti.patient.BirthDate),
			str(tagPatientSex, "CS", ti.patient.Sex),
			str(tagStudyInstanceUID, "UI", ti.study),
			str(tagSeriesInstanceUID, "UI", ti.series),
			str(tagSeriesNumber, "IS", "1"),
			str(tagInstanceNumber, "IS", fmt.Sprint(ti.number)),
			{0x00280010, "US", []byte{32, 0}},
			{0x00280011, "US", []byte{32, 0}},
			{0x00280100, "US", []byte{16, 0}},
		},
	}
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// enText is an upload summary in the English catalog's words.
func enText(s UploadSummary) string { return catalog.For("en").Sentences(s.Parts()) }
