package dicom

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// maxSeeds and seedBytes keep the seed run of `go test` short: the first seedBytes of up to
// maxSeeds sample files (a cut file is a good seed too).
const (
	maxSeeds  = 24
	seedBytes = 64 << 10
)

// FuzzDecode checks that no input makes the header reader panic or loop. Seeds: the shared sample
// DICOM files (skipped when absent) and generated ones.
func FuzzDecode(f *testing.F) {
	n := 0
	_ = filepath.WalkDir(sampleDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || n >= maxSeeds {
			return nil
		}
		fh, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer fh.Close()
		b, _ := io.ReadAll(io.LimitReader(fh, seedBytes))
		if len(b) > 132 {
			f.Add(b, filepath.Base(p) == "DICOMDIR")
			n++
		}
		return nil
	})
	if n == 0 {
		f.Logf("sample DICOM set not found (%s): fuzzing from the generated seeds only", sampleDir)
	}
	ti := testImage{patient: PatientInfo{Name: "F^F"}, study: "1", series: "1.1", sop: "1.1.1", date: "20200101"}
	s := ti.spec()
	f.Add(s.bytes(), false)
	s.noPreamble, s.noMeta, s.implicit = true, true, true
	f.Add(s.bytes(), true)
	f.Fuzz(func(t *testing.T, data []byte, dicomdir bool) {
		r := bytes.NewReader(data)
		h := &header{}
		_ = decode(newSrc(context.Background(), r, r, int64(len(data))), h, dicomdir)
	})
}
