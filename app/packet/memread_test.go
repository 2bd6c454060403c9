package packet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfcpu reads a file held in memory without copying it (third_party/pdfcpu/REFERRALDESK.md). On
// every sample, damaged and encrypted ones included, it must read what the copying reader reads,
// object for object and stream byte for stream byte, and leave the file's bytes as they were (AES
// decrypts in place).
func TestMemoryReadMatchesCopyingRead(t *testing.T) {
	initPDFCPU()
	ctx := context.Background()
	streams := 0
	for _, f := range samples(t) {
		name := filepath.Base(f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		before := sha256.Sum256(data)
		pw := samplePasswords[name]
		mem, memErr := readPDF(ctx, data, pw)
		if sha256.Sum256(data) != before {
			t.Errorf("%s: reading it changed the file's bytes", name)
		}
		cp, cpErr := readCopying(ctx, bytes.Clone(data), pw)
		if (memErr == nil) != (cpErr == nil) {
			t.Errorf("%s: in memory err %v, copying err %v", name, memErr, cpErr)
			continue
		}
		if memErr != nil {
			continue
		}
		if mem.PageCount != cp.PageCount || len(mem.Table) != len(cp.Table) {
			t.Errorf("%s: in memory %d pages %d objects, copying %d pages %d objects", name, mem.PageCount, len(mem.Table), cp.PageCount, len(cp.Table))
			continue
		}
		for nr, e := range cp.Table {
			m := mem.Table[nr]
			if m == nil || (e.Object == nil) != (m.Object == nil) {
				t.Errorf("%s: object %d read differently", name, nr)
				continue
			}
			sd, ok := e.Object.(types.StreamDict)
			if !ok {
				if e.Object != nil && e.Object.PDFString() != m.Object.PDFString() {
					t.Errorf("%s: object %d differs", name, nr)
				}
				continue
			}
			msd, ok := m.Object.(types.StreamDict)
			if !ok || !bytes.Equal(sd.Raw, msd.Raw) || sd.Dict.PDFString() != msd.Dict.PDFString() {
				t.Errorf("%s: stream %d differs", name, nr)
			}
			streams++
		}
	}
	if streams == 0 {
		t.Fatal("no stream compared")
	}
}

// readCopying reads data as upstream pdfcpu does, through a reader that is not a MemoryReadSeeker.
func readCopying(ctx context.Context, data []byte, password string) (*model.Context, error) {
	var pc *model.Context
	err := safely(func() error {
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationRelaxed
		conf.UserPW, conf.OwnerPW = password, password
		var err error
		if pc, err = pdfcpu.ReadWithContext(ctx, struct{ *bytes.Reader }{bytes.NewReader(data)}, conf); err != nil {
			return err
		}
		return pc.EnsurePageCount()
	})
	return pc, err
}
