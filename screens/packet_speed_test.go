package screens

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"
)

// packetBenchSet is the mixed set of scripts/bench-packet.sh (19 files, 45 pages): text, an OCR
// scan, a fax, raster strips, rotated pages, PDF 2.0, CMYK, inline images, forms and damaged files.
var packetBenchSet = []string{
	"pypdf--Seige_of_Vicksburg_Sample_OCR.pdf", "qpdf--fax-decode-parms.pdf", "pysamples--habibi-rotated.pdf",
	"qpdf--inherited-rotate.pdf", "pysamples--pdflatex-4-pages.pdf", "pdf20--PDF_2.0_with_page_level_output_intent.pdf",
	"pysamples--cmyk-image.pdf", "qpdf--inline-images.pdf", "qpdf--form-filled-by-acrobat.pdf", "qpdf--field-types.pdf",
	"qpdf--bad3.pdf", "qpdf--xref-errors.pdf", "qpdf--damaged-stream.pdf", "pypdf--issue-297.pdf", "qpdf--pclm-in.pdf",
	"pysamples--multicolumn.pdf", "pypdf--commented.pdf", "qpdf--issue-117.pdf", "qpdf--name-pound-images.pdf",
}

// TestPacketBuildSpeed times the packet step as a clerk meets it, on the benchmark's mixed set: adding
// the files (each read in a sandbox worker) and Build (write, stamps, every check, the preview). It
// prints the figures ("PACKET_GUI ...", for comparison with `make bench`'s command-line figure) and
// asserts the packet, not the time: the machine may be busy.
func TestPacketBuildSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the speed test builds a 46-page packet")
	}
	var files []string
	for _, f := range packetBenchSet {
		p := filepath.Join(sharedPDFs, f)
		if _, err := os.Stat(p); err != nil {
			t.Skip("shared sample PDFs not present (" + sharedPDFs + "): skipping")
		}
		files = append(files, p)
	}
	u, w, _, _ := startOrder(t)
	e := u.editor
	e.goTo(stepAttachments)
	tapButton(t, u, w, "Build records packet…")
	ps := e.packet
	if ps == nil {
		t.Fatal("the packet step did not open")
	}

	t0 := time.Now()
	ps.addPaths(files)
	u.Idle()
	added := time.Since(t0)
	pages := 0
	for _, in := range ps.inputs {
		if in.Err != nil {
			t.Fatalf("%s: %v", filepath.Base(in.Path), in.Err)
		}
		pages += in.Pages
	}
	if len(ps.inputs) != len(files) {
		t.Fatalf("%d inputs, want %d", len(ps.inputs), len(files))
	}
	want := ps.plan().Total()
	if want != pages+ps.plan().CoverPages {
		t.Fatalf("the plan has %d pages, want all %d pages and the cover", want, pages)
	}

	t1 := time.Now()
	ps.confirmBuild()
	if b := findButton(w, "I checked them: keep them"); b != nil {
		tapButton(t, u, w, "I checked them: keep them")
	}
	u.Idle()
	built := time.Since(t1)
	if len(e.order.Attachments) != 1 {
		t.Fatalf("attachments = %d, want the packet (%s)", len(e.order.Attachments), ps.result.Text)
	}
	doc, err := fitz.New(e.order.Attachments[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if doc.NumPage() != want {
		t.Fatalf("packet has %d pages, want %d", doc.NumPage(), want)
	}
	last, _ := doc.Text(want - 1)
	if !strings.Contains(strings.Join(strings.Fields(last), " "), fmt.Sprintf("page %d of %d", want, want)) {
		t.Fatalf("the last page lacks its stamp")
	}
	fmt.Printf("PACKET_GUI files=%d pages=%d add_ms=%d build_ms=%d total_ms=%d\n",
		len(files), want, added.Milliseconds(), built.Milliseconds(), (added + built).Milliseconds())
}
