package dicom

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// DefaultBatchBytes is the largest STOW-RS request body we send.
const DefaultBatchBytes int64 = 100 << 20

const partContentType = "Content-Type: application/dicom"

// NewBoundary makes a random multipart boundary.
func NewBoundary() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "referraldesk-" + hex.EncodeToString(b[:])
}

// ContentType is the STOW-RS request's Content-Type for a boundary.
func ContentType(boundary string) string {
	return `multipart/related; type="application/dicom"; boundary=` + boundary
}

// partOverhead is the multipart framing around one file.
func partOverhead(boundary string) int64 {
	return int64(len("--") + len(boundary) + len("\r\n") + len(partContentType) + len("\r\n\r\n") + len("\r\n"))
}

// MultipartSize is the exact length of the body WriteMultipart writes, for Content-Length
// and progress.
func MultipartSize(boundary string, files []Instance) int64 {
	n := int64(len("--") + len(boundary) + len("--\r\n"))
	for _, f := range files {
		n += partOverhead(boundary) + f.Size
	}
	return n
}

// BuildBatches splits files, in order, into requests of at most maxBytes of body (framing
// included; DefaultBatchBytes when maxBytes <= 0). A file larger than maxBytes goes alone.
func BuildBatches(files []Instance, maxBytes int64) [][]Instance {
	if maxBytes <= 0 {
		maxBytes = DefaultBatchBytes
	}
	// Framing with the longest boundary allowed (70 characters), so any boundary fits.
	const framing = int64(2 + 70 + 2 + len(partContentType) + 4 + 2)
	const closing = int64(2 + 70 + 4)
	var out [][]Instance
	var cur []Instance
	size := closing
	for _, f := range files {
		n := framing + f.Size
		if len(cur) > 0 && size+n > maxBytes {
			out = append(out, cur)
			cur, size = nil, closing
		}
		cur = append(cur, f)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// WriteMultipart writes a multipart/related body with one application/dicom part per file,
// streaming each file from disk. It fails if a file's size changed since it was scanned.
func WriteMultipart(w io.Writer, boundary string, files []Instance) error {
	if boundary == "" || len(boundary) > 70 {
		return fmt.Errorf("dicom: multipart: boundary must be 1 to 70 characters")
	}
	head := []byte("--" + boundary + "\r\n" + partContentType + "\r\n\r\n")
	for _, in := range files {
		if _, err := w.Write(head); err != nil {
			return fmt.Errorf("dicom: multipart: %w", err)
		}
		if err := copyFile(w, in); err != nil {
			return err
		}
		if _, err := io.WriteString(w, "\r\n"); err != nil {
			return fmt.Errorf("dicom: multipart: %w", err)
		}
	}
	if _, err := io.WriteString(w, "--"+boundary+"--\r\n"); err != nil {
		return fmt.Errorf("dicom: multipart: %w", err)
	}
	return nil
}

func copyFile(w io.Writer, in Instance) error {
	name := filepath.Base(in.Path)
	f, err := os.Open(in.Path)
	if err != nil {
		return fmt.Errorf("dicom: multipart: %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("dicom: multipart: %s: %w", name, err)
	}
	if st.Size() != in.Size {
		return fmt.Errorf("dicom: multipart: %s: %w: it changed since it was scanned (%d bytes, now %d)", name, ErrUnreadable, in.Size, st.Size())
	}
	n, err := io.Copy(w, io.LimitReader(f, in.Size))
	if err != nil {
		return fmt.Errorf("dicom: multipart: %s: %w", name, err)
	}
	if n != in.Size {
		return fmt.Errorf("dicom: multipart: %s: %w: short read (%d of %d bytes)", name, ErrUnreadable, n, in.Size)
	}
	return nil
}

// jsonElement is one attribute of the DICOM JSON model (PS3.18 F.2).
type jsonElement struct {
	VR    string            `json:"vr"`
	Value []json.RawMessage `json:"Value"`
}

type jsonDataset map[string]jsonElement

func (ds jsonDataset) str(tag string) string {
	e, ok := ds[tag]
	if !ok || len(e.Value) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(e.Value[0], &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(e.Value[0], &n) == nil {
		return n.String()
	}
	return ""
}

func (ds jsonDataset) items(tag string) ([]jsonDataset, error) {
	e, ok := ds[tag]
	if !ok {
		return nil, nil
	}
	out := make([]jsonDataset, 0, len(e.Value))
	for _, raw := range e.Value {
		var item jsonDataset
		if err := json.Unmarshal(raw, &item); err != nil {
			return nil, fmt.Errorf("%w: item of %s: %w", ErrStowResponse, tag, err)
		}
		out = append(out, item)
	}
	return out, nil
}

// ParseStowResponse reads a STOW-RS response in DICOM JSON: stored maps each SOP Instance
// UID in the Referenced SOP Sequence (0008,1199) to its Retrieve URL (may be ""); failed
// maps each one in the Failed SOP Sequence (0008,1198) to its Failure Reason
// (0008,1197) in words. An empty body gives empty maps: a 200 that stores nothing is
// caught by Verify, never by the status code.
func ParseStowResponse(body []byte) (stored, failed map[string]string, err error) {
	stored, failed = map[string]string{}, map[string]string{}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return stored, failed, nil
	}
	var ds jsonDataset
	if body[0] == '[' {
		var arr []jsonDataset
		if err := json.Unmarshal(body, &arr); err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrStowResponse, err)
		}
		if len(arr) > 0 {
			ds = arr[0]
		}
	} else if err := json.Unmarshal(body, &ds); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrStowResponse, err)
	}
	refs, err := ds.items("00081199")
	if err != nil {
		return nil, nil, err
	}
	for _, it := range refs {
		if u := it.str("00081155"); u != "" {
			stored[u] = it.str("00081190")
		}
	}
	fails, err := ds.items("00081198")
	if err != nil {
		return nil, nil, err
	}
	for _, it := range fails {
		u := it.str("00081155")
		if u == "" {
			continue
		}
		failed[u] = failureReason(it.str("00081197"))
	}
	return stored, failed, nil
}

// failureReason puts a STOW-RS failure code (PS3.18 Table 10.5.3-1, PS3.4 B.2.3) in words.
func failureReason(code string) string {
	var n int
	if _, err := fmt.Sscan(code, &n); err != nil {
		if code == "" {
			return "failed (no reason given)"
		}
		return "failed (reason " + code + ")"
	}
	words := map[int]string{
		0x0110: "processing failure",
		0x0111: "duplicate SOP instance",
		0x0117: "invalid SOP instance",
		0x0122: "SOP class not supported",
		0x0124: "not authorized",
		0xA700: "out of resources",
		0xA770: "out of resources",
		0xA900: "data set does not match SOP class",
		0xC000: "cannot understand",
		0xC122: "transfer syntax not supported",
	}
	w, ok := words[n]
	if !ok {
		switch n & 0xF000 {
		case 0xA000:
			w = "refused"
		case 0xC000:
			w = "cannot understand"
		default:
			w = "failed"
		}
	}
	return fmt.Sprintf("%s (0x%04X)", w, n)
}

// Verify returns the instances sent whose SOP Instance UID is not in stored. Check every
// request: a server may answer 200 and store nothing.
func Verify(sent []Instance, stored map[string]string) (missing []Instance) {
	for _, in := range sent {
		if _, ok := stored[in.SOPInstanceUID]; !ok {
			missing = append(missing, in)
		}
	}
	return missing
}
