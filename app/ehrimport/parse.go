package ehrimport

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"golang.org/x/text/encoding/unicode"

	"github.com/referraldesk/referraldesk/app/msg"
)

// Limits of what Parse reads.
const (
	// MaxSize is the largest file (and the largest total uncompressed zip content) read. Real vendor
	// exports reach tens of megabytes; parsing takes about 10 bytes of memory per byte of file.
	MaxSize = 60 << 20
	// MaxZipFiles is the most members a zip may have.
	MaxZipFiles = 500
	// MaxZipRatio is the highest compression ratio accepted for a member over 1 MB (zip bombs reach
	// ratios in the thousands; XML compresses about 10-30 times).
	MaxZipRatio = 200
)

// Parse reads one file's content: C-CDA XML, FHIR R4 JSON (Bundle or Patient) or a zip holding them.
// The kind is recognised by content. It never reads a file over MaxSize, never follows references
// outside the data, and returns a clear error (see the Err* values) for anything it cannot read.
func Parse(data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("ehrimport: %w: %s, the limit is %s", ErrTooLarge, megabytes(len(data)), megabytes(MaxSize))
	}
	switch sniff(data) {
	case "zip":
		return parseZip(data)
	case "xml":
		return parseXMLDoc(data)
	case "json":
		return parseJSONDoc(data)
	case "pdf":
		return nil, fmt.Errorf("ehrimport: %w: this is a PDF; add it to the records packet instead", ErrUnknownFormat)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("ehrimport: %w: the file is empty", ErrUnknownFormat)
	}
	return nil, fmt.Errorf("ehrimport: %w", ErrUnknownFormat)
}

func megabytes(n int) string { return msg.Bytes(n).String() }

// sniff names the container by its first bytes: zip, xml, json, pdf or "".
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return "zip"
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "xml" // UTF-16 text: only XML is sent that way
	}
	t := bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	t = bytes.TrimLeft(t, " \t\r\n")
	switch {
	case len(t) == 0:
		return ""
	case t[0] == '<':
		return "xml"
	case t[0] == '{':
		return "json"
	}
	return ""
}

func decodeUTF16(data []byte) ([]byte, error) {
	return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(data)
}

func parseXMLDoc(data []byte) (*Document, error) {
	data, note, err := prepareXML(data)
	if err != nil {
		return nil, fmt.Errorf("ehrimport: %w", err)
	}
	local, space, err := rootName(data)
	if err != nil {
		return nil, fmt.Errorf("ehrimport: reading the XML: %w", err)
	}
	switch {
	case local == "ClinicalDocument":
	case space == "http://hl7.org/fhir":
		return nil, fmt.Errorf("ehrimport: %w: FHIR in XML (%s) is not read; export FHIR as JSON", ErrUnknownFormat, local)
	default:
		return nil, fmt.Errorf("ehrimport: %w: an XML file whose root is <%s>", ErrUnknownFormat, local)
	}
	root, err := parseXMLSkipping(data, skipEntry)
	if err != nil {
		return nil, fmt.Errorf("ehrimport: reading the C-CDA: %w", err)
	}
	doc, err := readCCDA(root)
	if err != nil {
		return nil, err
	}
	if note != "" {
		doc.warn(note)
	}
	return doc, nil
}

func parseJSONDoc(data []byte) (*Document, error) {
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("ehrimport: reading the JSON: %w", jsonErr(err))
	}
	switch head.ResourceType {
	case "Bundle", "Patient":
		return readFHIR(data, head.ResourceType)
	case "":
		return nil, fmt.Errorf("ehrimport: %w: JSON without a FHIR resourceType", ErrUnknownFormat)
	}
	return nil, fmt.Errorf("ehrimport: %w: a FHIR %s (only a Bundle or a Patient is imported)", ErrUnknownFormat, head.ResourceType)
}

// jsonErr turns encoding/json's errors into ours: a cut-short file is ErrTruncated.
func jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && strings.Contains(se.Error(), "unexpected end")) {
		return ErrTruncated
	}
	return fmt.Errorf("%w: %v", ErrDamaged, err)
}

// parseZip reads the first C-CDA or FHIR file of a zip (as an XDM package or a vendor export holds
// it); PDFs in the zip become attachments; other members are listed as skipped. Limits: MaxZipFiles
// members, MaxSize in total as actually decompressed, MaxZipRatio per large member; no nested zips.
func parseZip(data []byte) (*Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zip.ErrFormat) {
			return nil, fmt.Errorf("ehrimport: reading the zip: %w", ErrTruncated)
		}
		return nil, fmt.Errorf("ehrimport: reading the zip: %w: %v", ErrDamaged, err)
	}
	if len(zr.File) > MaxZipFiles {
		return nil, fmt.Errorf("ehrimport: %w: %d files, the limit is %d", ErrZipLimits, len(zr.File), MaxZipFiles)
	}
	var doc *Document
	var pdfs []Attachment
	var skipped []string
	budget := int64(MaxSize)
	for _, f := range zr.File {
		name := f.Name
		base := path.Base(name)
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, "._") {
			continue
		}
		if f.UncompressedSize64 > uint64(budget) {
			return nil, fmt.Errorf("ehrimport: %w: its content is over %s", ErrZipLimits, megabytes(MaxSize))
		}
		if f.UncompressedSize64 > 1<<20 && f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxZipRatio {
			return nil, fmt.Errorf("ehrimport: %w: a member is compressed %d times (a zip bomb?)", ErrZipLimits,
				f.UncompressedSize64/f.CompressedSize64)
		}
		body, err := readMember(f, budget)
		if err != nil {
			return nil, err
		}
		budget -= int64(len(body))
		switch sniff(body) {
		case "pdf":
			pdfs = append(pdfs, Attachment{Title: strings.TrimSuffix(base, path.Ext(base)), ContentType: "application/pdf", Data: body})
			continue
		case "zip":
			skipped = append(skipped, fmt.Sprintf("%s: a zip inside the zip (not opened)", base))
			continue
		case "xml", "json":
			if doc != nil {
				skipped = append(skipped, fmt.Sprintf("%s: another record in the zip (import it on its own)", base))
				continue
			}
			d, err := Parse(body)
			if err != nil {
				if errors.Is(err, ErrUnknownFormat) {
					skipped = append(skipped, fmt.Sprintf("%s: not a C-CDA or FHIR record", base))
					continue
				}
				return nil, fmt.Errorf("ehrimport: %s in the zip: %w", base, err)
			}
			doc = d
		default:
			skipped = append(skipped, fmt.Sprintf("%s: not a C-CDA or FHIR record", base))
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("ehrimport: %w: the zip holds no C-CDA or FHIR record", ErrUnknownFormat)
	}
	doc.Attachments = append(doc.Attachments, pdfs...)
	doc.Skipped = append(doc.Skipped, skipped...)
	return doc, nil
}

// readMember decompresses one member, reading at most budget bytes whatever its header claims.
func readMember(f *zip.File, budget int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("ehrimport: zip member: %w: %v", ErrDamaged, err)
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, budget+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("ehrimport: zip member: %w", ErrTruncated)
		}
		return nil, fmt.Errorf("ehrimport: zip member: %w: %v", ErrDamaged, err)
	}
	if int64(len(body)) > budget {
		return nil, fmt.Errorf("ehrimport: %w: its content is over %s", ErrZipLimits, megabytes(MaxSize))
	}
	return body, nil
}
