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

// A scan with Isolate finds the same instances and rejects the same files, for the same reasons, as
// one in this process, and it really reads in workers.
func TestScanIsolatedMatchesInProcess(t *testing.T) {
	dir := t.TempDir()
	for i, sop := range []string{"1.2.1.1", "1.2.1.2", "1.2.1.3"} {
		ti := testImage{patient: PatientInfo{Name: "DOE^JANE", ID: "X1"}, study: "1.2", series: "1.2.1", sop: sop, date: "20200101"}
		if err := os.WriteFile(filepath.Join(dir, "img"+string(rune('a'+i))+".dcm"), ti.spec().bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	noUID := testImage{patient: PatientInfo{Name: "DOE^JANE", ID: "X1"}, study: "1.2", series: "1.2.1", date: "20200101"}
	if err := os.WriteFile(filepath.Join(dir, "nouid.dcm"), noUID.spec().bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "junk.dcm"), []byte("hello, not dicom"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plain, err := Scan(ctx, dir, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pool := &sandbox.Pool{MaxWorkers: 2}
	defer pool.Close()
	iso, err := Scan(ctx, dir, ScanOptions{Isolate: true, Pool: pool}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pool.Started() == 0 {
		t.Fatal("no worker was started")
	}
	if len(iso.Instances) != 3 || len(iso.Instances) != len(plain.Instances) {
		t.Fatalf("instances: isolated %d, in process %d, want 3", len(iso.Instances), len(plain.Instances))
	}
	for i := range iso.Instances {
		if iso.Instances[i] != plain.Instances[i] {
			t.Errorf("instance %d: isolated %+v, in process %+v", i, iso.Instances[i], plain.Instances[i])
		}
	}
	if len(iso.Rejected) != 2 || len(plain.Rejected) != 2 {
		t.Fatalf("rejected: isolated %+v, in process %+v", iso.Rejected, plain.Rejected)
	}
	for i, r := range iso.Rejected {
		p := plain.Rejected[i]
		if r.Path != p.Path || r.Reason != p.Reason || r.Size != p.Size {
			t.Errorf("rejected %d: isolated %+v, in process %+v", i, r, p)
		}
	}
	if !errors.Is(iso.Rejected[0].Err, ErrNotDICOM) || !errors.Is(iso.Rejected[1].Err, ErrIncomplete) {
		t.Errorf("rejection kinds: %v, %v", iso.Rejected[0].Err, iso.Rejected[1].Err)
	}
}
