package screens

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"
	"github.com/gen2brain/go-fitz"

	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/packet/packettest"
)

// Seen: a PDF claiming 2,000,000,000 pages killed the process, so the app would have closed with the
// user's work. In the packet step, it, a file that takes too long and one that ends MuPDF's process
// each cost one message, the app
// stays up and the packet of the other file is built and attached.
func TestPacketStepSurvivesHostileFiles(t *testing.T) {
	good := filepath.Join(sharedPDFs, "pysamples--pdflatex-4-pages.pdf")
	if _, err := os.Stat(good); err != nil {
		t.Skip("shared sample PDFs not present (" + sharedPDFs + "): skipping")
	}
	dir := t.TempDir()
	bomb := filepath.Join(dir, "count-bomb.pdf")
	slow := filepath.Join(dir, "slow.pdf")
	crash := filepath.Join(dir, "mupdf-crash.pdf")
	for p, data := range map[string][]byte{
		bomb: packettest.CountBomb(2_000_000_000), slow: packettest.SlowPDF(packettest.SlowOps), crash: packettest.MuPDFCrash(),
	} {
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	u, w, st, _ := startOrder(t)
	u.deps.Packets = testPackets{packet.Service{WorkDir: t.TempDir(), FileTimeout: 2 * time.Second}, st}
	e := u.editor
	e.goTo(stepAttachments)
	tapButton(t, u, w, "Build records packet…")
	ps := e.packet
	if ps == nil {
		t.Fatal("the packet step did not open")
	}
	ps.addPaths([]string{good, bomb, slow, crash})
	u.Idle()
	if len(ps.inputs) != 4 {
		t.Fatalf("%d inputs, want 4", len(ps.inputs))
	}
	msgs := map[string]string{}
	for _, in := range ps.inputs {
		if in.Err != nil {
			msgs[filepath.Base(in.Path)] = in.Err.Error()
		}
	}
	if m := msgs["count-bomb.pdf"]; !strings.Contains(m, "this file could not be read: it claims 2,000,000,000 pages") {
		t.Errorf("count bomb: %q", m)
	}
	if m := msgs["slow.pdf"]; !strings.Contains(m, "this file could not be read: it took too long to read") {
		t.Errorf("slow file: %q", m)
	}
	if m := msgs["mupdf-crash.pdf"]; !strings.Contains(m, "this file could not be read: the reader crashed on it") {
		t.Errorf("file that ends MuPDF's process: %q", m)
	}
	if len(msgs) != 3 {
		t.Fatalf("errors %v: the good file must read fine", msgs)
	}
	// Selecting an unusable file shows its whole name and whole reason (the row cuts both).
	for i, in := range ps.inputs {
		if filepath.Base(in.Path) != "mupdf-crash.pdf" {
			continue
		}
		ps.list.Select(i)
		u.Idle()
		var shown []string
		for _, o := range ps.detail.Objects {
			if l, ok := o.(*widget.Label); ok {
				shown = append(shown, l.Text)
			}
		}
		if !slices.Contains(shown, "mupdf-crash.pdf") || !slices.ContainsFunc(shown, func(s string) bool {
			return strings.HasPrefix(s, "This file cannot be used: ") && strings.Contains(s, "the reader crashed on it")
		}) {
			t.Errorf("detail of the crashing file shows %q", shown)
		}
		ps.list.UnselectAll()
	}
	ps.confirmBuild()
	if b := findButton(w, "I checked them: keep them"); b != nil {
		tapButton(t, u, w, "I checked them: keep them")
	}
	u.Idle()
	if len(e.order.Attachments) != 1 {
		t.Fatalf("attachments = %d, want the packet", len(e.order.Attachments))
	}
	doc, err := fitz.New(e.order.Attachments[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if doc.NumPage() != 1+4 {
		t.Fatalf("packet has %d pages, want the cover and the good file's 4", doc.NumPage())
	}
}
