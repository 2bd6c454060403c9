package dicom

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/catalog"
	lib "github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

const sampleDir = "../../../shared/data/dicom"

type manifestRow struct {
	file, modality, ts, patientName, patientID, studyDate, notes string
}

func readManifest(t *testing.T) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(sampleDir, "manifest.tsv"))
	if err != nil {
		t.Skipf("sample DICOM set not found (%v): it lives in shared/data/dicom beside the repository", err)
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	head := true
	for sc.Scan() {
		if head {
			head = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 13 {
			t.Fatalf("manifest line has %d columns", len(c))
		}
		rows = append(rows, manifestRow{file: c[0], modality: c[3], ts: c[4], patientName: c[6], patientID: c[7], studyDate: c[8], notes: c[11]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// manifestTS maps the manifest's dcmdump transfer syntax names to UIDs.
var manifestTS = map[string]string{
	"LittleEndianExplicit":    tsExplicitLE,
	"LittleEndianImplicit":    tsImplicitLE,
	"BigEndianExplicit":       tsExplicitBE,
	"RLELossless":             "1.2.840.10008.1.2.5",
	"JPEG2000":                "1.2.840.10008.1.2.4.91",
	"JPEGBaseline":            "1.2.840.10008.1.2.4.50",
	"JPEGExtended:Process2+4": "1.2.840.10008.1.2.4.51",
}

// libValue reads one string element with github.com/suyashkumar/dicom, as a cross-check.
func libValue(ds lib.Dataset, t tag.Tag) string {
	e, err := ds.FindElementByTag(t)
	if err != nil {
		return ""
	}
	if e.Value.ValueType() != lib.Strings {
		return ""
	}
	s := lib.MustGetStrings(e.Value)
	if len(s) == 0 {
		return ""
	}
	return strings.TrimRight(s[0], " \x00")
}

func TestScanSampleData(t *testing.T) {
	rows := readManifest(t)
	var calls, lastDone, lastTotal int
	res, err := Scan(context.Background(), sampleDir, ScanOptions{}, func(done, total int) {
		calls++
		lastDone, lastTotal = done, total
	})
	if err != nil {
		t.Fatal(err)
	}
	if lastDone != lastTotal || calls != lastTotal+1 {
		t.Errorf("progress: %d calls, last %d/%d", calls, lastDone, lastTotal)
	}
	parsed := map[string]Instance{}
	dupOf := map[string]string{}
	for _, in := range res.Instances {
		parsed[rel(t, in.Path)] = in
	}
	for _, d := range res.Duplicates {
		parsed[rel(t, d.Instance.Path)] = d.Instance
		dupOf[rel(t, d.Instance.Path)] = rel(t, d.Of)
	}
	rejected := map[string]Rejected{}
	for _, r := range res.Rejected {
		rejected[rel(t, r.Path)] = r
	}

	for _, row := range rows {
		in, ok := parsed[row.file]
		rj, bad := rejected[row.file]
		switch {
		case strings.HasPrefix(row.notes, "BAD INPUT"):
			if !bad {
				t.Errorf("%s: want rejected (%s), got parsed", row.file, row.notes)
				continue
			}
			t.Logf("%s: %s", row.file, rj.Reason)
			switch {
			case strings.Contains(row.notes, "truncated"):
				if !errors.Is(rj.Err, ErrDamaged) || !strings.Contains(rj.Reason, "ends inside element (7FE0,0010)") {
					t.Errorf("%s: reason %q, want damaged, ending inside the pixel data", row.file, rj.Reason)
				}
			case strings.Contains(row.notes, "not DICOM"):
				if !errors.Is(rj.Err, ErrNotDICOM) || !strings.Contains(rj.Reason, "a JPEG image") {
					t.Errorf("%s: reason %q, want not DICOM, a JPEG", row.file, rj.Reason)
				}
			default:
				t.Errorf("%s: manifest note not understood: %s", row.file, row.notes)
			}
			continue
		case !ok:
			t.Errorf("%s: not parsed (rejected: %q)", row.file, rj.Reason)
			continue
		}
		if in.Modality != row.modality {
			t.Errorf("%s: modality %q, want %q", row.file, in.Modality, row.modality)
		}
		if want := manifestTS[row.ts]; in.TransferSyntax != want {
			t.Errorf("%s: transfer syntax %s, want %s (%s)", row.file, in.TransferSyntax, want, row.ts)
		}
		if in.Patient.Name != row.patientName || in.Patient.ID != row.patientID {
			t.Errorf("%s: patient name/ID differ from the manifest", row.file)
		}
		if in.StudyDate != row.studyDate {
			t.Errorf("%s: study date %q, want %q", row.file, in.StudyDate, row.studyDate)
		}
		if in.SOPInstanceUID == "" || in.StudyInstanceUID == "" || in.SeriesInstanceUID == "" || in.SOPClassUID == "" {
			t.Errorf("%s: missing UIDs", row.file)
		}
		fi, err := os.Stat(filepath.Join(sampleDir, row.file))
		if err != nil || fi.Size() != in.Size {
			t.Errorf("%s: size %d, want %d", row.file, in.Size, fi.Size())
		}
		// Headers only: for files over 32 KB at most a quarter of the file is read.
		if in.Size > 32<<10 && in.BytesRead > in.Size/4 {
			t.Errorf("%s: read %d of %d bytes; pixel data must not be read", row.file, in.BytesRead, in.Size)
		}
		t.Logf("%-45s %7d bytes, %6d read, %s", row.file, in.Size, in.BytesRead, in.TransferSyntaxName())

		// Cross-check with github.com/suyashkumar/dicom (full parse, pixel data skipped).
		ds, err := lib.ParseFile(filepath.Join(sampleDir, row.file), nil, lib.SkipPixelData())
		if err != nil {
			t.Logf("%s: suyashkumar/dicom cannot parse it (%v); not cross-checked", row.file, err)
			continue
		}
		for _, c := range []struct {
			t    tag.Tag
			have string
		}{
			{tag.SOPInstanceUID, in.SOPInstanceUID},
			{tag.StudyInstanceUID, in.StudyInstanceUID},
			{tag.SeriesInstanceUID, in.SeriesInstanceUID},
			{tag.Modality, in.Modality},
			{tag.StudyDescription, in.StudyDescription},
		} {
			if want := libValue(ds, c.t); want != c.have {
				t.Errorf("%s: %v is %q, suyashkumar/dicom says %q", row.file, c.t, c.have, want)
			}
		}
	}

	// The four encodings of MR_small are one SOP instance: the first is kept.
	for _, f := range []string{"pydicom--MR_small_RLE.dcm", "pydicom--MR_small_bigendian.dcm", "pydicom--MR_small_implicit.dcm"} {
		if dupOf[f] != "pydicom--MR_small.dcm" {
			t.Errorf("%s: duplicate of %q, want pydicom--MR_small.dcm", f, dupOf[f])
		}
	}

	// Grouping: 10 patients; Doe^Archibald has a 2001 CR study (3 series, 3 images) and a
	// 1995 CT study (1 series, 4 images), newest first.
	if len(res.Patients) != 10 {
		t.Errorf("%d patients, want 10", len(res.Patients))
	}
	var doe *Patient
	for i := range res.Patients {
		if res.Patients[i].ID == "77654033" {
			doe = &res.Patients[i]
		}
	}
	if doe == nil || len(doe.Studies) != 2 {
		t.Fatalf("Doe^Archibald: %+v", doe)
	}
	cr, ct := doe.Studies[0], doe.Studies[1]
	if cr.Date != "20010101" || len(cr.Series) != 3 || cr.Instances != 3 || cr.Size != 2300+2298+2298 || cr.Modalities[0] != "CR" {
		t.Errorf("CR study: date %s, %d series, %d images, %d bytes", cr.Date, len(cr.Series), cr.Instances, cr.Size)
	}
	if ct.Date != "19950903" || len(ct.Series) != 1 || ct.Instances != 4 || ct.Size != 3810+3*3812 || ct.Description != "CT, HEAD/BRAIN WO CONTRAST" {
		t.Errorf("CT study: date %s, %d series, %d images, %d bytes", ct.Date, len(ct.Series), ct.Instances, ct.Size)
	}
	for i := 1; i < len(cr.Series); i++ {
		if cr.Series[i-1].Number >= cr.Series[i].Number {
			t.Errorf("series not in number order")
		}
	}
	// Patients ordered by their latest study, newest first; undated last.
	for i := 1; i < len(res.Patients); i++ {
		a, b := res.Patients[i-1].Studies[0].Date, res.Patients[i].Studies[0].Date
		if b != "" && a < b {
			t.Errorf("patients out of order: %s before %s", a, b)
		}
	}
	if last := res.Patients[len(res.Patients)-1]; last.Studies[0].Date != "" {
		t.Errorf("the undated SR study should come last")
	}
	// Same result twice (deterministic ordering).
	again, err := Scan(context.Background(), sampleDir, ScanOptions{Workers: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Patients {
		if res.Patients[i].Studies[0].UID != again.Patients[i].Studies[0].UID {
			t.Fatalf("ordering differs between scans")
		}
	}
}

func rel(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.Rel(filepath.Clean(sampleDir), p)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(r)
}

func TestScanRecognisesByContent(t *testing.T) {
	dir := t.TempDir()
	pat := PatientInfo{Name: "Núñez^María", ID: "P1", BirthDate: "19800102", Sex: "F"}
	img := func(n int) testImage {
		return testImage{patient: pat, study: "1.2.3.1", series: "1.2.3.1.1", sop: "1.2.3.1.1." + string(rune('0'+n)), date: "20240102", number: n}
	}
	// Proper file, no extension.
	writeFile(t, filepath.Join(dir, "A", "IM1"), img(1).spec().bytes())
	// No preamble, meta group first.
	s := img(2).spec()
	s.noPreamble = true
	writeFile(t, filepath.Join(dir, "A", "IM2"), s.bytes())
	// No preamble, no meta, explicit VR: starts with group 0008.
	s = img(3).spec()
	s.noPreamble, s.noMeta = true, true
	writeFile(t, filepath.Join(dir, "A", "IM3"), s.bytes())
	// No preamble, no meta, implicit VR.
	s = img(4).spec()
	s.noPreamble, s.noMeta, s.implicit = true, true, true
	writeFile(t, filepath.Join(dir, "A", "IM4"), s.bytes())
	// Latin-1 name under ISO_IR 100 (the builder writes UTF-8; rewrite the name).
	s = img(5).spec()
	for i, e := range s.elems {
		if e.tag == tagPatientName {
			s.elems[i] = elem{tagPatientName, "PN", []byte("N\xfa\xf1ez^Mar\xeda ")}
		}
	}
	writeFile(t, filepath.Join(dir, "B", "latin1"), s.bytes())
	// Cut inside the patient ID.
	full := img(6).spec().bytes()
	cut := strings.Index(string(full), "P1") + 1
	writeFile(t, filepath.Join(dir, "B", "cut"), full[:cut])
	// No SOP Instance UID.
	s = img(7).spec()
	s.elems = s.elems[:2:2]
	s.elems = append(s.elems, img(7).spec().elems[3:]...)
	writeFile(t, filepath.Join(dir, "B", "nouid"), s.bytes())
	// Not DICOM, empty, hidden and system files.
	writeFile(t, filepath.Join(dir, "README.TXT"), []byte("Viewer for Windows. Insert the disc and run SETUP.EXE\n"))
	writeFile(t, filepath.Join(dir, "empty"), nil)
	writeFile(t, filepath.Join(dir, ".DS_Store"), []byte("junk"))
	writeFile(t, filepath.Join(dir, "A", "Thumbs.db"), []byte("junk"))
	writeFile(t, filepath.Join(dir, ".hidden", "IM9"), img(9).spec().bytes())
	// A symbolic link loop and a link to a file.
	if err := os.Symlink("..", filepath.Join(dir, "A", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "A", "IM1"), filepath.Join(dir, "B", "link-to-IM1")); err != nil {
		t.Fatal(err)
	}

	res, err := Scan(context.Background(), dir, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, in := range res.Instances {
		got[filepath.Base(in.Path)] = "ok " + in.TransferSyntax
		if in.Patient.Name != "Núñez^María" {
			t.Errorf("%s: name %q", filepath.Base(in.Path), in.Patient.Name)
		}
	}
	for _, d := range res.Duplicates {
		got[filepath.Base(d.Instance.Path)] = "dup " + filepath.Base(d.Of)
	}
	for _, r := range res.Rejected {
		got[filepath.Base(r.Path)] = r.Reason
	}
	want := map[string]string{
		"IM1":         "ok " + tsExplicitLE,
		"IM2":         "ok " + tsExplicitLE,
		"IM3":         "ok " + tsExplicitLE,
		"IM4":         "ok " + tsImplicitLE,
		"latin1":      "ok " + tsExplicitLE,
		"link-to-IM1": "dup IM1",
		"cut":         "damaged: ends inside element (0010,0020)",
		"nouid":       "incomplete: no SOP Instance UID",
		"README.TXT":  "not a DICOM file (no DICM marker, not a DICOM dataset)",
		"empty":       "not a DICOM file (empty file)",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d files, want %d: %v", len(got), len(want), got)
	}
	if res.Skipped != 3 {
		t.Errorf("skipped %d hidden/system files, want 3", res.Skipped)
	}
	if len(res.Patients) != 1 || len(res.Patients[0].Studies) != 1 || res.Patients[0].Studies[0].Instances != 5 {
		t.Errorf("grouping: %+v", res.Patients)
	}
	// A single file can be scanned too, and read on its own.
	one, err := Scan(context.Background(), filepath.Join(dir, "A", "IM4"), ScanOptions{}, nil)
	if err != nil || len(one.Instances) != 1 {
		t.Fatalf("single file: %v %+v", err, one)
	}
	if _, err := ReadHeader(context.Background(), filepath.Join(dir, "B", "cut"), time.Second); !errors.Is(err, ErrDamaged) {
		t.Errorf("ReadHeader on a cut file: %v", err)
	}
}

func TestScanDICOMDIR(t *testing.T) {
	dir := t.TempDir()
	pat := PatientInfo{Name: "DOE^JANE", ID: "X1", BirthDate: "19700101"}
	for i, name := range []string{"dicom/st0/im0", "dicom/st0/im1"} {
		ti := testImage{patient: pat, study: "2.1", series: "2.1.1", sop: "2.1.1." + string(rune('1'+i)), date: "20200101", number: i + 1}
		writeFile(t, filepath.Join(dir, name), ti.spec().bytes())
	}
	// Not listed: viewer software and an image that the DICOMDIR does not mention.
	writeFile(t, filepath.Join(dir, "viewer", "viewer.exe"), []byte("MZ\x90\x00 not an image"))
	writeFile(t, filepath.Join(dir, "dicom", "st0", "im9"), testImage{patient: pat, study: "2.1", series: "2.1.1", sop: "2.1.1.9", date: "20200101"}.spec().bytes())

	// A DICOMDIR with upper-case file IDs (ISO 9660), items of defined and undefined length.
	record := func(kind, fileID string) []byte {
		var it []byte
		it = appendElem(it, str(tagDirectoryRecordType, "CS", kind), false)
		if fileID != "" {
			it = appendElem(it, str(tagReferencedFileID, "CS", fileID), false)
		}
		return it
	}
	var seq []byte
	item := func(body []byte, undefined bool) {
		seq = append(seq, 0xFE, 0xFF, 0x00, 0xE0)
		if undefined {
			seq = append(seq, 0xFF, 0xFF, 0xFF, 0xFF)
			seq = append(seq, body...)
			seq = append(seq, 0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0)
			return
		}
		seq = append(seq, byte(len(body)), byte(len(body)>>8), 0, 0)
		seq = append(seq, body...)
	}
	item(record("PATIENT", ""), false)
	item(record("IMAGE", `DICOM\ST0\IM0`), true)
	item(record("IMAGE", `DICOM\ST0\IM1`), false)
	item(record("IMAGE", `DICOM\ST0\IM5`), false) // missing
	seq = append(seq, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0)
	dd := fileSpec{class: sopClassMediaStorageDirectory, sop: "9.9", elems: []elem{
		str(0x00041130, "CS", "TESTDISC"),
	}}.bytes()
	dd = appendElem(dd, elem{tagDirectoryRecordSeq, "SQ", nil}, false)
	dd = dd[:len(dd)-4]
	dd = append(dd, 0xFF, 0xFF, 0xFF, 0xFF)
	dd = append(dd, seq...)
	writeFile(t, filepath.Join(dir, "DICOMDIR"), dd)

	res, err := Scan(context.Background(), dir, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.DICOMDIRs) != 1 || len(res.Instances) != 2 {
		t.Fatalf("DICOMDIR: %d used, %d instances, rejected %+v", len(res.DICOMDIRs), len(res.Instances), res.Rejected)
	}
	if len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0].Reason, "listed in the DICOMDIR but not found") {
		t.Errorf("rejected: %+v", res.Rejected)
	}
	// Choosing the DICOMDIR file itself gives the same.
	viaFile, err := Scan(context.Background(), filepath.Join(dir, "DICOMDIR"), ScanOptions{}, nil)
	if err != nil || len(viaFile.Instances) != 2 || len(viaFile.DICOMDIRs) != 1 {
		t.Errorf("scanning the DICOMDIR file: %v, %d instances", err, len(viaFile.Instances))
	}
	// Without the DICOMDIR every file is looked at.
	all, err := Scan(context.Background(), dir, ScanOptions{IgnoreDICOMDIR: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Instances) != 3 || len(all.Rejected) != 1 || !strings.Contains(all.Rejected[0].Reason, "a Windows program") {
		t.Errorf("ignoring the DICOMDIR: %d instances, rejected %+v", len(all.Instances), all.Rejected)
	}
	// A damaged DICOMDIR: the folder is walked instead.
	writeFile(t, filepath.Join(dir, "DICOMDIR"), dd[:len(dd)-30])
	fb, err := Scan(context.Background(), dir, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fb.Instances) != 3 || len(fb.DICOMDIRs) != 0 {
		t.Errorf("damaged DICOMDIR: %d instances, rejected %+v", len(fb.Instances), fb.Rejected)
	}
}

func TestScanCancelAndTimeout(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		ti := testImage{patient: PatientInfo{Name: "A^B"}, study: "3.1", series: "3.1.1", sop: "3.1.1." + strconv.Itoa(i), date: "20200101"}
		writeFile(t, filepath.Join(dir, strconv.Itoa(i)), ti.spec().bytes())
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Scan(ctx, dir, ScanOptions{}, func(done, total int) {
		if done == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan: %v", err)
	}
	// A file that takes longer than allowed is reported, not fatal.
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	_, err = readHeaderFile(expired, filepath.Join(dir, "1"), false)
	if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "gave up") {
		t.Errorf("timeout: %v", err)
	}
}

func TestReadHeaderDeflated(t *testing.T) {
	ti := testImage{patient: PatientInfo{Name: "DEFLATE^D", ID: "D1"}, study: "4.1", series: "4.1.1", sop: "4.1.1.1", date: "20200101"}
	spec := ti.spec()
	spec.noMeta, spec.noPreamble = true, true
	dataset := spec.bytes()
	// Preamble and meta saying Deflated Explicit VR Little Endian, then the deflated dataset.
	head := fileSpec{class: spec.class, sop: ti.sop, ts: tsDeflatedLE}.bytes()
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestCompression)
	fw.Write(dataset)
	fw.Close()
	p := filepath.Join(t.TempDir(), "deflated")
	writeFile(t, p, append(head, z.Bytes()...))
	in, err := ReadHeader(context.Background(), p, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if in.SOPInstanceUID != "4.1.1.1" || in.Patient.ID != "D1" || in.TransferSyntax != tsDeflatedLE {
		t.Errorf("deflated: %+v", in)
	}
	// Cut short: damaged, not a crash.
	writeFile(t, p, append(head, z.Bytes()[:z.Len()/2]...))
	if _, err := ReadHeader(context.Background(), p, time.Second); !errors.Is(err, ErrDamaged) {
		t.Errorf("cut deflated file: %v", err)
	}
}

// A rejected file says its kind as a message, with the technical detail as its argument.
func TestRejectedMessage(t *testing.T) {
	dir := t.TempDir()
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 300)...)
	if err := os.WriteFile(filepath.Join(dir, "photo.dcm"), jpeg, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), dir, ScanOptions{}, nil)
	if err != nil || len(res.Rejected) != 1 {
		t.Fatalf("scan: %v %+v", err, res)
	}
	m := res.Rejected[0].Message()
	if m.Code != RejectedNotDICOM || m.Valid() != nil {
		t.Fatalf("message %v %v", m.Code, m.Args)
	}
	if got := catalog.For("en").Text(m); !strings.HasPrefix(got, "not a DICOM file (a JPEG image") || strings.Contains(got, "((") {
		t.Errorf("English %q (reason %q)", got, res.Rejected[0].Reason)
	}
}
