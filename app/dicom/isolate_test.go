package dicom

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/sandbox"
)

// The test binary is its own sandbox worker (see app/sandbox).
func TestMain(m *testing.M) {
	sandbox.RunWorkerIfAsked()
	os.Exit(m.Run())
}

func TestReadHeaderIsolatedMatchesReadHeader(t *testing.T) {
	dir := t.TempDir()
	ti := testImage{patient: PatientInfo{Name: "DOE^JANE", ID: "X1"}, study: "1.2", series: "1.2.1", sop: "1.2.1.1", date: "20200101"}
	good := filepath.Join(dir, "good.dcm")
	if err := os.WriteFile(good, ti.spec().bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.dcm")
	if err := os.WriteFile(junk, []byte("hello, not dicom"), 0o600); err != nil {
		t.Fatal(err)
	}
	pool := &sandbox.Pool{MaxWorkers: 1}
	defer pool.Close()
	ctx := context.Background()
	want, err := ReadHeader(ctx, good, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadHeaderIsolated(ctx, pool, good, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("isolated %+v\nin process %+v", got, want)
	}
	if pool.Started() != 1 {
		t.Fatal("no worker was started")
	}
	if _, err := ReadHeaderIsolated(ctx, pool, junk, 10*time.Second); !errors.Is(err, ErrNotDICOM) {
		t.Fatalf("junk: got %v, want ErrNotDICOM", err)
	}
}
