package packet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gen2brain/go-fitz"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/validate"
	"github.com/referraldesk/referraldesk/app/msg"
)

// maxInputBytes bounds what is read into memory for one input.
const maxInputBytes = 512 << 20

// errCrashed wraps a panic inside a PDF library.
var errCrashed = errors.New("PDF reader crashed on this file")

// guard runs f with a time limit and turns a panic into an error. When the limit passes, guard returns
// ErrTimeout at once; f keeps running in the background until it notices ctx or finishes (MuPDF calls
// cannot be interrupted), and must release what it opened itself.
func guard[T any](ctx context.Context, limit time.Duration, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("%w: %w", ErrDamaged, errCrashed)
			}
			ch <- r
		}()
		r.v, r.err = f(ctx)
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		select {
		case r := <-ch: // finished just in time
			return r.v, r.err
		default:
		}
		var zero T
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return zero, ErrTimeout
		}
		return zero, ctx.Err()
	}
}

// safely calls f, turning a panic into an error (pdfcpu panics on some damaged files).
func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errCrashed
		}
	}()
	return f()
}

// sniff tells the kind of a file from its first bytes.
func sniff(b []byte) (Kind, string) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return KindImage, "jpeg"
	case len(b) >= 8 && bytes.Equal(b[:8], []byte("\x89PNG\r\n\x1a\n")):
		return KindImage, "png"
	case len(b) >= 4 && (bytes.Equal(b[:4], []byte("II*\x00")) || bytes.Equal(b[:4], []byte("MM\x00*"))):
		return KindImage, "tiff"
	}
	head := b
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.Contains(head, []byte("%PDF-")) {
		return KindPDF, "pdf"
	}
	return "", ""
}

func readInput(path string) ([]byte, error) {
	if err := checkInputFile(path); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// checkInputFile refuses what readInput would: a folder, a file over the size limit.
func checkInputFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("is a folder: %w", ErrUnsupported)
	}
	if st.Size() > maxInputBytes {
		return fmt.Errorf("larger than %s: %w", msg.Bytes(maxInputBytes), ErrUnsupported)
	}
	return nil
}

// readHead reads the first bytes of an input (enough for sniff), after readInput's checks.
func readHead(path string) ([]byte, error) {
	if err := checkInputFile(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// readPDF reads a PDF with pdfcpu (relaxed), opening it with the password when one is needed.
func readPDF(ctx context.Context, data []byte, password string) (*model.Context, error) {
	initPDFCPU()
	var pc *model.Context
	err := safely(func() error {
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationRelaxed
		conf.UserPW = password
		conf.OwnerPW = password
		var err error
		pc, err = pdfcpu.ReadWithContext(ctx, memPDF{bytes.NewReader(data), data}, conf)
		if err != nil {
			return err
		}
		return pc.EnsurePageCount()
	})
	if err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			if password == "" {
				return nil, ErrEncrypted
			}
			return nil, ErrWrongPassword
		}
		return nil, err
	}
	return pc, nil
}

// validatePDF runs pdfcpu's relaxed validation (which also repairs small things in pc).
func validatePDF(pc *model.Context) error {
	return safely(func() error { return validate.XRefTable(pc) })
}

// packetVersion is the PDF version the packet is written in (pdfwriter.go).
const packetVersion = model.V17

// validateInput validates an input PDF as its pages will be in the packet: in a PDF 1.7 document.
// A feature newer than the input's own header (an ExtGState's OPM in a file that says 1.0, say) is
// valid there, and is no reason to rebuild the page from its image.
func validateInput(pc *model.Context) error {
	if pc.XRefTable.Version() < packetVersion {
		v := packetVersion
		pc.XRefTable.HeaderVersion, pc.XRefTable.RootVersion = &v, nil
	}
	return validatePDF(pc)
}

// openFitz opens data with MuPDF. A PDF needing a user password is first decrypted with pdfcpu.
func openFitz(data []byte, password string) (*fitz.Document, error) {
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i > 0 {
		data = data[i:]
	}
	doc, err := fitz.NewFromMemory(data)
	if errors.Is(err, fitz.ErrNeedsPassword) {
		if doc != nil {
			_ = doc.Close()
		}
		if password == "" {
			return nil, ErrEncrypted
		}
		plain, derr := decryptPDF(data, password)
		if derr != nil {
			return nil, derr
		}
		doc, err = fitz.NewFromMemory(plain)
	}
	if err != nil {
		if doc != nil {
			_ = doc.Close()
		}
		return nil, err
	}
	if doc.NumPage() <= 0 {
		_ = doc.Close()
		return nil, fmt.Errorf("no pages: %w", ErrDamaged)
	}
	return doc, nil
}

// decryptPDF returns an unencrypted copy of a password-protected PDF (in memory only).
func decryptPDF(data []byte, password string) ([]byte, error) {
	initPDFCPU()
	var out bytes.Buffer
	err := safely(func() error {
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationRelaxed
		conf.UserPW = password
		conf.OwnerPW = password
		return api.Decrypt(bytes.NewReader(data), &out, conf)
	})
	if err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			return nil, ErrWrongPassword
		}
		return nil, err
	}
	return out.Bytes(), nil
}

// infoDate returns the PDF's CreationDate (else ModDate) from its Info dictionary.
func infoDate(pc *model.Context) (time.Time, bool) {
	if pc == nil || pc.Info == nil {
		return time.Time{}, false
	}
	var t time.Time
	var ok bool
	_ = safely(func() error {
		d, err := pc.DereferenceDict(*pc.Info)
		if err != nil || d == nil {
			return err
		}
		for _, k := range []string{"CreationDate", "ModDate"} {
			s, err := pc.DereferenceStringOrHexLiteral(d[k], model.V10, nil)
			if err != nil || s == "" {
				continue
			}
			if t, ok = parsePDFDate(s); ok {
				return nil
			}
		}
		return nil
	})
	return t, ok
}

func parsePDFDate(s string) (time.Time, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), "\x00")
	if t, ok := types.DateTime(s, true); ok && !t.IsZero() {
		return t, true
	}
	return time.Time{}, false
}

// checkPageTree makes sure pdfcpu finds every page's dictionary (a damaged page tree can still give a
// page count).
func checkPageTree(pc *model.Context) error {
	return safely(func() error {
		for p := 1; p <= pc.PageCount; p++ {
			if _, _, _, err := pc.PageDict(p, false); err != nil {
				return fmt.Errorf("page %d: %w", p, err)
			}
		}
		return nil
	})
}

// lostResourcePages lists the pages (1-based) whose content draws a resource that pdfcpu does not
// have (see checkContentNames): a copy would lose that part of the page, so it is drawn instead. The
// other pages of the file are copied as usual.
func lostResourcePages(pc *model.Context) map[int]bool {
	var lost map[int]bool
	_ = safely(func() error {
		for p := 1; p <= pc.PageCount; p++ {
			d, _, inh, err := pc.PageDict(p, false)
			if err == nil && d != nil && inh != nil {
				err = checkContentNames(pc, d, p, inh.Resources)
			}
			if err != nil {
				if lost == nil {
					lost = map[int]bool{}
				}
				lost[p] = true
			}
		}
		return nil
	})
	return lost
}

// memPDF hands pdfcpu the file's bytes (pdfcpu.MemoryReadSeeker, a patch of the vendored copy): it
// slices objects and streams out of them instead of copying each two or three times. The bytes
// must stay unchanged while the context is in use; every caller reads them from the file for
// pdfcpu and MuPDF alone.
type memPDF struct {
	*bytes.Reader
	b []byte
}

var _ pdfcpu.MemoryReadSeeker = memPDF{}

func (m memPDF) PDFBytes() []byte { return m.b }
