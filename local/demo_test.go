package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

func TestDemoMarkIsPermanent(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	if ok, err := s.IsDemo(ctx); err != nil || ok {
		t.Fatalf("a new database: IsDemo %v %v", ok, err)
	}
	if err := s.RecordDemoRows(ctx, DemoPatient, []int64{1}); err == nil {
		t.Error("demo rows recorded in a database not marked demo")
	}
	if err := s.MarkDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDemo(ctx); err != nil {
		t.Fatalf("marking again: %v", err)
	}
	if ok, err := s.IsDemo(ctx); err != nil || !ok {
		t.Fatalf("after MarkDemo: IsDemo %v %v", ok, err)
	}
	for _, q := range []string{`DELETE FROM database_kind`, `UPDATE database_kind SET marked_at = 0`} {
		if _, err := s.rw.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if ok, _ := s.IsDemo(ctx); !ok {
		t.Error("the demo mark was removed")
	}
}

func TestMarkDemoRefusesRealData(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	p := app.Patient{Family: "Real", Given: "Person", LastActionAt: c.Now()}
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	err := s.MarkDemo(ctx)
	if !errors.Is(err, app.ErrNotDemoData) {
		t.Fatalf("MarkDemo with a real patient: %v", err)
	}
	if ok, _ := s.IsDemo(ctx); ok {
		t.Fatal("marked demo despite the refusal")
	}
	dc, err := s.DemoContents(ctx)
	if err != nil || dc.OtherPatients != 1 || dc.Demo || !dc.Foreign() || dc.Describe() != "1 patient" {
		t.Fatalf("contents %+v %q %v", dc, dc.Describe(), err)
	}
}

// InspectDemo reads a closed database without creating, changing or leaving any file.
func TestInspectDemoChangesNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rd.db")
	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.MarkDemo(ctx); err != nil {
		t.Fatal(err)
	}
	ps := []app.Patient{{Family: "A", Given: "B"}, {Family: "C", Given: "D"}, {Family: "E", Given: "F"}}
	if err := s.BulkInsertPatients(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordDemoRows(ctx, DemoPatient, []int64{ps[0].ID, ps[1].ID}); err != nil {
		t.Fatal(err)
	}
	// Open: the write-ahead log is in use, and InspectDemo sees what it holds.
	c, err := InspectDemo(ctx, path)
	if err != nil || !c.Exists || !c.Demo || c.OtherPatients != 1 {
		t.Fatalf("with the store open: %+v %v", c, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := snapshotDir(t, dir)
	c, err = InspectDemo(ctx, path)
	if err != nil || !c.Exists || !c.Demo || c.OtherPatients != 1 || c.OtherOrders != 0 {
		t.Fatalf("closed: %+v %v", c, err)
	}
	if after := snapshotDir(t, dir); !slices.Equal(before, after) {
		t.Fatalf("files before %v\nafter %v", before, after)
	}
	if c, err := InspectDemo(ctx, filepath.Join(dir, "none.db")); err != nil || c.Exists {
		t.Fatalf("missing file: %+v %v", c, err)
	}
}

// snapshotDir lists name, size, modification time and content of every file in dir.
func snapshotDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Name()+" "+info.ModTime().Format(time.RFC3339Nano)+" "+string(b))
	}
	return out
}
