package ehrimport

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// Packet date sources of the written files (app.PacketInput.DateSource).
const dateSourceMetadata = "metadata"

var reUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// WriteFiles writes the rendered document (when it has a readable part) and the PDFs it carries into
// dir (the data folder's private work folder: files 0600) and returns them as records-packet inputs,
// dated with their own dates. File names hold no patient data.
func WriteFiles(doc *Document, dir string) ([]app.PacketInput, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ehrimport: work folder: %w", err)
	}
	tag := make([]byte, 4)
	_, _ = rand.Read(tag)
	prefix := "import-" + time.Now().Format("20060102-150405") + "-" + hex.EncodeToString(tag)
	var out []app.PacketInput
	if len(doc.Sections) > 0 {
		var buf bytes.Buffer
		if err := RenderPDF(doc, &buf); err != nil {
			return nil, err
		}
		in, err := writeInput(dir, prefix+"-document.pdf", buf.Bytes(), firstNonEmpty(doc.Title, doc.DocType, "Imported record"), doc.Date)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	for i, a := range doc.Attachments {
		name := fmt.Sprintf("%s-attachment-%d-%s.pdf", prefix, i+1, strings.Trim(reUnsafe.ReplaceAllString(a.ContentType, "-"), "-"))
		in, err := writeInput(dir, name, a.Data, firstNonEmpty(a.Title, "Attachment"), a.Date)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func writeInput(dir, name string, data []byte, title string, d Date) (app.PacketInput, error) {
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return app.PacketInput{}, fmt.Errorf("ehrimport: write %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		_ = os.Remove(p)
		return app.PacketInput{}, fmt.Errorf("ehrimport: write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(p)
		return app.PacketInput{}, fmt.Errorf("ehrimport: write %s: %w", name, err)
	}
	in := app.PacketInput{Path: p, Title: title}
	if !d.IsZero() {
		t := d.Time
		in.Date, in.DateSource = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), dateSourceMetadata
	}
	return in, nil
}
