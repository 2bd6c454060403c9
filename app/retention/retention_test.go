package retention_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/retention"
	"github.com/referraldesk/referraldesk/local"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// fixture: a data folder with a real database and three orders with files.
type fixture struct {
	dir   string
	st    *local.Store
	clock *clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if err := datadir.Ensure(dir); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	st, err := local.Open(datadir.Database(dir), local.Options{Actor: "tester", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &fixture{dir: dir, st: st, clock: c}
}

// order makes an order in status at the fixture's clock, with a file in each of its folders and a
// downloaded result; it returns the order and the files.
func (f *fixture) order(t *testing.T, status app.Status, outside string) (app.Order, []string) {
	t.Helper()
	ctx := context.Background()
	p := app.Patient{Family: "Testperson", Given: "Ann", Sex: app.SexUnknown}
	if err := f.st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, Department: "CARD", Priority: app.PriorityRoutine}
	if outside != "" {
		o.Attachments = []app.Attachment{{Path: outside, FileName: filepath.Base(outside), Kind: app.KindRecords}}
	}
	if err := f.st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetOrderStatus(ctx, o.ID, status, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.st.UpsertResult(ctx, app.Result{OrderID: o.ID, ServerID: "DocumentReference/" + o.UUID, ContentType: "application/pdf"}); err != nil {
		t.Fatal(err)
	}
	o, _ = f.st.Order(ctx, o.ID)
	var resultID int64
	rs, _ := f.st.Results(ctx)
	for _, r := range rs {
		if r.OrderID == o.ID {
			resultID = r.ID
		}
	}
	var files []string
	for _, rel := range []string{
		filepath.Join("packets", o.UUID, "Testperson, Ann.pdf"),
		filepath.Join("attachments", o.UUID, "IMG_0001.JPG"),
		filepath.Join("attachments", o.UUID, "IMG_0001 (2).JPG"),
		filepath.Join("fax", o.UUID, "fax.pdf"),
		filepath.Join("results", "result-"+itoa(resultID)+".pdf"),
	} {
		p := filepath.Join(f.dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("phi"), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return o, files
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Seen (issue 12 §6): nothing was ever deleted. Files of orders finished more than 30 days ago
// go; the order rows, their audit and everything else stay; the count is in the audit trail.
func TestSweepRemovesOldFinishedOrderFiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	outside := filepath.Join(t.TempDir(), "user's own records.pdf")
	if err := os.WriteFile(outside, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	var oldFiles []string
	var oldOrders []app.Order
	for _, st := range []app.Status{app.StatusCompleted, app.StatusDeclined, app.StatusCancelled} {
		o, files := f.order(t, st, outside)
		oldOrders = append(oldOrders, o)
		oldFiles = append(oldFiles, files...)
	}
	_, sentFiles := f.order(t, app.StatusSent, "") // still in progress, however old
	f.clock.t = f.clock.t.AddDate(0, 0, 25)
	_, recentFiles := f.order(t, app.StatusCompleted, "") // finished 6 days before the sweep
	f.clock.t = f.clock.t.AddDate(0, 0, 6)

	rep, err := retention.Sweep(ctx, f.st, f.dir, f.clock.t)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Orders != 3 || rep.Files != 15 {
		t.Fatalf("report %+v, want 3 orders, 15 files", rep)
	}
	for _, p := range oldFiles {
		if exists(p) {
			t.Errorf("%s kept", p)
		}
	}
	for _, p := range append(append(sentFiles, recentFiles...), outside, datadir.Database(f.dir)) {
		if !exists(p) {
			t.Errorf("%s removed", p)
		}
	}
	events, _ := f.st.AuditEvents(ctx, app.AuditQuery{})
	var got []int64
	for _, e := range events {
		if e.Action == app.EventRetention {
			if e.Detail != "files=5 days=30" {
				t.Errorf("detail %q", e.Detail)
			}
			got = append(got, e.EntityID)
		}
	}
	for _, o := range oldOrders {
		if !slices.Contains(got, o.ID) {
			t.Errorf("no retention event for order %d (%v)", o.ID, got)
		}
		if back, err := f.st.Order(ctx, o.ID); err != nil || back.Status != o.Status || len(back.Attachments) != 1 {
			t.Errorf("order %d row: %+v %v", o.ID, back.Status, err)
		}
	}
	if _, err := f.st.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}

	// A second sweep finds nothing more and writes nothing.
	rep, err = retention.Sweep(ctx, f.st, f.dir, f.clock.t)
	if err != nil || rep != (retention.Report{}) {
		t.Fatalf("second sweep %+v %v", rep, err)
	}
	if again, _ := f.st.AuditEvents(ctx, app.AuditQuery{}); len(again) != len(events) {
		t.Fatalf("second sweep wrote %d rows", len(again)-len(events))
	}

	// Retention 0 keeps everything.
	if err := retention.SetDays(ctx, f.st, 0); err != nil {
		t.Fatal(err)
	}
	f.clock.t = f.clock.t.AddDate(1, 0, 0)
	if rep, err := retention.Sweep(ctx, f.st, f.dir, f.clock.t); err != nil || rep.Files != 0 {
		t.Fatalf("retention 0: %+v %v", rep, err)
	}
	if days, _ := retention.Days(ctx, f.st); days != 0 {
		t.Fatalf("days %d", days)
	}
}

// Seen (issue 12 §6): a build killed mid-write left .packet-*.tmp (patient data) for ever.
func TestSweepRemovesStaleTemp(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	old := now.Add(-2 * time.Hour)
	mk := func(rel string, mtime time.Time) string {
		p := filepath.Join(f.dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("phi"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := []string{
		mk("packets/u1/.packet-123456.tmp", old),
		mk("fax/u1/.fax-99.tmp", old),
		mk("results/.part-abc", old),
		mk("work/page-3.png", old),
	}
	keep := []string{
		mk("packets/u1/.packet-777.tmp", now), // a build in progress
		mk("packets/u1/Testperson, Ann.pdf", old),
		mk("results/result-1.pdf", old),
		datadir.Database(f.dir),
	}
	rep, err := retention.Sweep(context.Background(), f.st, f.dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.TempFiles != len(stale) {
		t.Fatalf("removed %d temporary files, want %d", rep.TempFiles, len(stale))
	}
	for _, p := range stale {
		if exists(p) {
			t.Errorf("%s kept", p)
		}
	}
	for _, p := range keep {
		if !exists(p) {
			t.Errorf("%s removed", p)
		}
	}
	events, _ := f.st.AuditEvents(context.Background(), app.AuditQuery{})
	if last := events[len(events)-1]; last.Action != app.EventTempCleanup || last.Detail != "files=4" {
		t.Fatalf("audit %+v", last)
	}
}
