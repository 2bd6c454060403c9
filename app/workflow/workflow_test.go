package workflow_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/attach"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/workflow"
	"github.com/referraldesk/referraldesk/local"
)

func newService(t *testing.T) (*workflow.Service, *local.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if err := datadir.Ensure(dir); err != nil {
		t.Fatal(err)
	}
	st, err := local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	prof, err := institution.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	w, err := workflow.New(st, prof, dir)
	if err != nil {
		t.Fatal(err)
	}
	return w, st, dir
}

func chart() app.Patient {
	return workflow.CleanChart(app.Patient{
		Family: " Núñez ", Given: "María", BirthDate: time.Date(1961, 3, 14, 0, 0, 0, 0, time.UTC), Sex: "female",
		Address: app.Address{Line: "200 First St SW", City: "Rochester", State: "mn", PostalCode: "55905"},
		Phone:   "(507) 555-0100", InsuranceType: "HMO",
	})
}

func TestNewChartChecksMatchesAndCreates(t *testing.T) {
	w, _, _ := newService(t)
	ctx := context.Background()
	if _, err := w.NewChart(ctx, app.Patient{Family: "Núñez"}, false); !errors.Is(err, app.ErrNotReady) {
		t.Fatalf("an incomplete chart: %v, want app.ErrNotReady", err)
	}
	p, err := w.NewChart(ctx, chart(), false)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.Family != "Núñez" || p.Address.State != "MN" {
		t.Fatalf("created %+v", p)
	}
	_, err = w.NewChart(ctx, chart(), false)
	var dup *workflow.DuplicateError
	if !errors.As(err, &dup) || !errors.Is(err, workflow.ErrPossibleDuplicate) || dup.Existing[0].ID != p.ID {
		t.Fatalf("the same person again: %v, want a duplicate naming chart %d", err, p.ID)
	}
	second, err := w.NewChart(ctx, chart(), true)
	if err != nil || second.ID == p.ID {
		t.Fatalf("a second chart on purpose: %+v, %v", second, err)
	}
}

func TestStartOrderAndAttach(t *testing.T) {
	w, st, dir := newService(t)
	ctx := context.Background()
	if _, err := w.StartOrder(ctx, workflow.NewOrder(0, 0, ""), app.Patient{}); !errors.Is(err, workflow.ErrNoPatient) {
		t.Fatalf("no chart: %v", err)
	}
	p, err := w.NewChart(ctx, chart(), false)
	if err != nil {
		t.Fatal(err)
	}
	o, err := w.StartOrder(ctx, workflow.NewOrder(0, 0, ""), p)
	if err != nil {
		t.Fatal(err)
	}
	if o.ID == 0 || o.UUID == "" || o.Status != app.StatusDraft || o.Priority != app.PriorityRoutine || o.PatientID != p.ID {
		t.Fatalf("started %+v", o)
	}

	src := t.TempDir()
	photo := filepath.Join(src, "IMG_0001.JPG")
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(src, "letter.docx")
	if err := os.WriteFile(doc, []byte("not a pdf"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(src, "scan.pdf")
	if err := os.WriteFile(big, make([]byte, 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	w.Profile.Rules.MaxUploadBytes = 1024

	got, refused, err := w.Attach(ctx, o.ID, []string{photo, doc, big, src, filepath.Join(src, "gone.pdf")})
	if err != nil {
		t.Fatal(err)
	}
	wantReasons := []attach.Reason{attach.FileType, attach.TooLarge, attach.Folder, attach.Unreadable}
	if len(refused) != len(wantReasons) {
		t.Fatalf("refused %v", refused)
	}
	for i, r := range wantReasons {
		var re *attach.RefusedError
		if !errors.As(refused[i], &re) || re.Reason != r || !errors.Is(refused[i], attach.ErrRefused) {
			t.Fatalf("refusal %d: %v, want reason %d", i, refused[i], r)
		}
	}
	if len(got.Attachments) != 1 {
		t.Fatalf("attached %+v", got.Attachments)
	}
	at := got.Attachments[0]
	if at.Kind != app.KindPhoto || at.Path == photo || filepath.Dir(at.Path) != filepath.Join(dir, "attachments", o.UUID) || len(at.SHA1) != 40 {
		t.Fatalf("photo attached as %+v, want our own hashed copy", at)
	}
	saved, err := st.Order(ctx, o.ID)
	if err != nil || len(saved.Attachments) != 1 || saved.Attachments[0].SHA1 != at.SHA1 {
		t.Fatalf("saved %+v, %v", saved.Attachments, err)
	}

	// The same photo again: refused as a duplicate, and its new copy does not stay behind.
	_, refused, err = w.Attach(ctx, o.ID, []string{photo})
	var re *attach.RefusedError
	if err != nil || len(refused) != 1 || !errors.As(refused[0], &re) || re.Reason != attach.Duplicate {
		t.Fatalf("again: %v, %v", refused, err)
	}
	copies, _ := os.ReadDir(filepath.Dir(at.Path))
	if len(copies) != 1 {
		t.Fatalf("%d copies of the photo kept", len(copies))
	}
}

func TestPacketBuildsAttachesAndRecords(t *testing.T) {
	pdf := filepath.Join("..", "..", "..", "shared", "data", "pdfs", "pysamples--pdflatex-4-pages.pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Skip("../shared/data/pdfs is absent: a sample PDF is needed")
	}
	w, st, dir := newService(t)
	ctx := context.Background()
	p, err := w.NewChart(ctx, chart(), false)
	if err != nil {
		t.Fatal(err)
	}
	o, err := w.StartOrder(ctx, workflow.NewOrder(0, 0, ""), p)
	if err != nil {
		t.Fatal(err)
	}
	// The sample does not carry this patient's name: its pages are flagged as possibly another
	// patient's. Unchecked, they are left out, and nothing is left to build.
	other, err := w.StartOrder(ctx, workflow.NewOrder(0, 0, ""), p)
	if err != nil {
		t.Fatal(err)
	}
	flagged, err := w.Packet(ctx, other.ID, []string{pdf}, false, nil)
	if len(flagged.Inputs) != 1 || len(flagged.Inputs[0].Flags) == 0 {
		t.Fatalf("the sample was not flagged: %+v", flagged.Inputs)
	}
	if !errors.Is(err, workflow.ErrNothingToBuild) || len(flagged.Inputs[0].Exclude) == 0 {
		t.Fatalf("unchecked flagged pages: %v, exclude %v", err, flagged.Inputs[0].Exclude)
	}
	// Checked by the user (--keep-flagged, "I checked them: keep them"): they go in.
	out, err := w.Packet(ctx, o.ID, []string{pdf}, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Result.Pages < 2 || filepath.Dir(out.Result.Path) != filepath.Join(dir, "packets", o.UUID) {
		t.Fatalf("packet %+v", out.Result)
	}
	saved, err := st.Order(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Attachments) != 1 || saved.Attachments[0].Path != out.Result.Path || saved.UploadRecords != app.AnswerYes {
		t.Fatalf("order after the packet: %+v", saved)
	}
	choices, err := st.PacketInputs(ctx, o.ID)
	if err != nil || len(choices) != 1 || !choices[0].Reviewed {
		t.Fatalf("packet inputs %+v, %v", choices, err)
	}
	// Built again with nothing new: the packet replaces the first one, it is not attached twice.
	if _, err := w.Packet(ctx, o.ID, nil, true, nil); err != nil {
		t.Fatal(err)
	}
	if saved, _ = st.Order(ctx, o.ID); len(saved.Attachments) != 1 {
		t.Fatalf("after a rebuild: %d attachments", len(saved.Attachments))
	}
	trail, err := st.Audit(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	builds := 0
	for _, e := range trail {
		if e.Action == app.EventPacketBuilt && e.EntityID == o.ID {
			builds++
		}
	}
	if builds != 2 {
		t.Fatalf("%d packet builds in the audit trail, want 2", builds)
	}
}
