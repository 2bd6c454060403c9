package dicom

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that no input makes the header reader panic or loop.
func FuzzDecode(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(sampleDir, "*.dcm"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b, false)
		}
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
