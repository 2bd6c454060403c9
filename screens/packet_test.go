package screens

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gen2brain/go-fitz"
)

const sharedPDFs = "../../shared/data/pdfs"

// The packet step in the real interface: add files, reorder, drop a page, build, and find the packet
// attached to the order with the stamp on every page.
func TestPacketStepAddReorderDropBuild(t *testing.T) {
	files := []string{"pysamples--pdflatex-4-pages.pdf", "pysamples--habibi-rotated.pdf", "pypdf--commented.pdf"}
	for i, f := range files {
		files[i] = filepath.Join(sharedPDFs, f)
		if _, err := os.Stat(files[i]); err != nil {
			t.Skip("shared sample PDFs not present (" + sharedPDFs + "): skipping")
		}
	}
	u, w, st, _ := startOrder(t)
	e := u.editor
	e.goTo(stepAttachments)
	tapButton(t, u, w, "Build records packet…")
	ps := e.packet
	if ps == nil {
		t.Fatal("the packet step did not open")
	}
	ps.addPaths(files)
	u.Idle()
	if len(ps.inputs) != 3 {
		t.Fatalf("%d inputs, want 3", len(ps.inputs))
	}
	for i := 1; i < len(ps.inputs); i++ {
		if ps.inputs[i].Date.After(ps.inputs[i-1].Date) {
			t.Fatalf("inputs not newest first: %v then %v", ps.inputs[i-1].Date, ps.inputs[i].Date)
		}
	}
	first := ps.inputs[0]
	ps.move(0, +1)
	if ps.inputs[1] != first {
		t.Fatal("moving the first document down did not reorder")
	}
	var multi int
	for i, in := range ps.inputs {
		if in.Pages > 1 {
			multi = i
		}
	}
	before := ps.plan().Total()
	ps.list.Select(multi)
	u.Idle()
	if len(ps.pages.Objects) != ps.inputs[multi].Pages {
		t.Fatalf("page grid shows %d pages, want %d", len(ps.pages.Objects), ps.inputs[multi].Pages)
	}
	ps.setKeep(ps.inputs[multi], 1, false)
	want := before - 1
	if got := ps.plan().Total(); got != want {
		t.Fatalf("after dropping a page the plan has %d pages, want %d", got, want)
	}
	if !strings.HasPrefix(ps.budgetTxt.Text, fmt.Sprint(want)+" / 50") {
		t.Fatalf("budget meter says %q", ps.budgetTxt.Text)
	}
	ps.confirmBuild()
	if b := findButton(w, "I checked them: keep them"); b != nil {
		tapButton(t, u, w, "I checked them: keep them")
	}
	u.Idle()
	if len(e.order.Attachments) != 1 {
		t.Fatalf("attachments = %d, want the packet", len(e.order.Attachments))
	}
	at := e.order.Attachments[0]
	if at.FileName != "Núñez, María 1961-03-14.pdf" || at.SHA1 == "" {
		t.Fatalf("attached %+v", at)
	}
	doc, err := fitz.New(at.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if doc.NumPage() != want {
		t.Fatalf("packet has %d pages, want %d", doc.NumPage(), want)
	}
	for i := 0; i < doc.NumPage(); i++ {
		text, _ := doc.Text(i)
		flat := strings.Join(strings.Fields(text), " ")
		if !strings.Contains(flat, fmt.Sprintf("page %d of %d", i+1, want)) || !strings.Contains(flat, "1961-03-14") {
			t.Errorf("page %d lacks its stamp", i+1)
		}
	}
	saved, err := st.PacketInputs(context.Background(), e.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 3 || saved[1].Path != first.Path {
		t.Fatalf("saved packet inputs %+v", saved)
	}
	var excluded bool
	for _, s := range saved {
		excluded = excluded || len(s.Exclude) == 1
	}
	if !excluded {
		t.Fatal("the dropped page was not saved with the order")
	}
}

func TestMiddleEllipsisKeepsBothEnds(t *testing.T) {
	name := "Outside records from Regional Medical Center scan 2024-03-01.pdf"
	got := middleEllipsis(name, 44)
	if n := len([]rune(got)); n != 44 {
		t.Fatalf("%q has %d letters, want 44", got, n)
	}
	if !strings.HasPrefix(got, "Outside records from") || !strings.HasSuffix(got, "2024-03-01.pdf") || !strings.Contains(got, "…") {
		t.Errorf("got %q", got)
	}
	if middleEllipsis("short.pdf", 44) != "short.pdf" {
		t.Error("a short name changed")
	}
}
