package syncer_test

import (
	"bufio"
	"context"
	"crypto/sha1" //nolint:gosec // FHIR Attachment.hash
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
	"github.com/referraldesk/referraldesk/local"
)

// TestBenchPush1GB is the sync benchmark of `make bench` (scripts/bench-sync.sh): it pushes one order
// with ten 100 MB attachments to the FHIR test server and, in the same run, uploads the same files with
// curl; it prints both times, the ratio and our peak memory. Goals: ratio <= 1.5, memory < 200 MB.
func TestBenchPush1GB(t *testing.T) {
	if os.Getenv("REFERRALDESK_BENCH") != "1" {
		t.Skip("benchmark: run scripts/bench-sync.sh (make bench)")
	}
	p := synctest.StartFHIR(t, "../..")
	dir := t.TempDir()
	const n, size = 10, 100_000_000
	files := make([]app.Attachment, n)
	for i := range files {
		files[i] = bigFile(t, dir, fmt.Sprintf("big-%d.bin", i), size)
	}
	ctx := context.Background()
	st, err := local.Open(filepath.Join(dir, "rd.db"), local.Options{Actor: "bench"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := signOffline(t, filepath.Join(dir, "rd.db"), 1)
	o := f.orders[0]
	// Replace the order's attachments: re-open as draft is not possible once signed, so sign a new one.
	o2 := app.Order{
		PatientID: o.PatientID, ProviderID: o.ProviderID, Department: o.Department, Priority: o.Priority,
		Reason: o.Reason, Diagnoses: o.Diagnoses, Location: o.Location, UploadImages: app.AnswerNo, UploadRecords: app.AnswerYes,
		Attachments: files,
	}
	if err := st.SaveDraft(ctx, &o2); err != nil {
		t.Fatal(err)
	}
	if err := st.SignOrder(ctx, o2.ID, testSig, time.Now()); err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, st, p, p.Password)
	start := time.Now()
	sum, err := w.Push(ctx)
	ours := time.Since(start)
	if err != nil || sum.Sent != 2 {
		t.Fatalf("push: %+v %v", sum, err)
	}
	peak := peakRSS(t)

	start = time.Now()
	for i, a := range files {
		cmd := exec.Command("curl", "-sS", "--fail", "-o", "/dev/null", "-X", "PUT", "-T", a.Path,
			"-u", p.User+":"+p.Password, "-H", "Content-Type: application/octet-stream",
			fmt.Sprintf("%s/Binary/curl-%d", p.Base, i))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("curl: %v %s", err, out)
		}
	}
	curl := time.Since(start)
	ratio := float64(ours) / float64(curl)
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	fmt.Printf("sync: push of 10 x 100 MB in %s, curl %s (ratio %.2f, goal <= 1.5: %s); peak memory %d MB (goal < 200 MB: %s)\n",
		ours.Round(time.Millisecond), curl.Round(time.Millisecond), ratio, verdict(ratio <= 1.5), peak>>20, verdict(peak < 200<<20))
	if ratio > 1.5 || peak >= 200<<20 {
		t.Fail()
	}
}

// bigFile writes a file of random-ish content without holding it in memory.
func bigFile(t *testing.T, dir, name string, size int) app.Attachment {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha1.New() //nolint:gosec // see import
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	r := rand.New(rand.NewPCG(uint64(size), uint64(len(name))))
	buf := make([]byte, 1<<20)
	for left := size; left > 0; left -= len(buf) {
		for i := 0; i < len(buf); i += 8 {
			v := r.Uint64()
			for j := 0; j < 8 && i+j < len(buf); j++ {
				buf[i+j] = byte(v >> (8 * j))
			}
		}
		if _, err := bw.Write(buf[:min(len(buf), left)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return app.Attachment{
		Path: path, FileName: name, Description: "bench", Kind: app.KindOther,
		ContentType: "application/octet-stream", Size: int64(size), SHA1: hex.EncodeToString(h.Sum(nil)),
	}
}

// peakRSS is this process's peak resident memory (Linux VmHWM).
func peakRSS(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc: cannot measure memory")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			var kb int64
			fmt.Sscan(f[1], &kb)
			return kb << 10
		}
	}
	return 0
}
