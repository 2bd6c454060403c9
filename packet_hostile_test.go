//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/packet/packettest"
)

// hostileRun runs `referraldesk packet` over two real sample PDFs and the given hostile files;
// during wait, it calls during(pid of the packet command) once after delay (nil: never).
func hostileRun(t *testing.T, hostile map[string][]byte, extra []string, delay time.Duration, during func(pid int)) (cliPacketReport, string) {
	t.Helper()
	good := []string{filepath.Join(sharedPDFs, "pysamples--pdflatex-4-pages.pdf"), filepath.Join(sharedPDFs, "pypdf--commented.pdf")}
	for _, g := range good {
		if _, err := os.Stat(g); err != nil {
			t.Skipf("shared sample PDFs not present (%v): skipping", err)
		}
	}
	dir := t.TempDir()
	args := append([]string{"packet", "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02", "--json", "--out", filepath.Join(dir, "out")}, extra...)
	args = append(args, good...)
	for name, data := range hostile {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := appCmd(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if during != nil {
		time.AfterFunc(delay, func() { during(cmd.Process.Pid) })
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("packet failed: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	var rep cliPacketReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, stdout.String())
	}
	if len(rep.Inputs) != len(good)+len(hostile) {
		t.Fatalf("%d inputs reported, want %d", len(rep.Inputs), len(good)+len(hostile))
	}
	for _, in := range rep.Inputs {
		if strings.HasPrefix(filepath.Base(in.File), "pys") || strings.HasPrefix(filepath.Base(in.File), "pyp") {
			if in.Status == "error" || in.PagesUsed == 0 {
				t.Errorf("good file %s: %s %v", in.File, in.Status, in.Problems)
			}
		}
	}
	if rep.Output == "" || rep.Pages < 1+4+1 {
		t.Fatalf("no packet of the good files: %+v", rep)
	}
	return rep, stderr.String()
}

// problem returns the one problem line of the named input, which must be an error.
func problem(t *testing.T, rep cliPacketReport, name string) string {
	t.Helper()
	for _, in := range rep.Inputs {
		if filepath.Base(in.File) == name {
			if in.Status != "error" || len(in.Problems) != 1 {
				t.Fatalf("%s: status %s, problems %q; want one error line", name, in.Status, in.Problems)
			}
			return in.Problems[0]
		}
	}
	t.Fatalf("%s not in the report", name)
	return ""
}

// Seen: a 1.2 KB PDF claiming 2,000,000,000 pages killed `referraldesk packet` (out of memory). Now
// it and a file that takes long to read each give one line, and the packet of the other files is built.
func TestPacketCLIHostileFilesCostOneLineEach(t *testing.T) {
	rep, _ := hostileRun(t, map[string][]byte{
		"count-bomb.pdf": packettest.CountBomb(2_000_000_000),
		"slow.pdf":       packettest.SlowPDF(packettest.SlowOps),
	}, []string{"--file-timeout", "3s"}, 0, nil)
	if p := problem(t, rep, "count-bomb.pdf"); !strings.Contains(p, "this file could not be read: it claims 2,000,000,000 pages") {
		t.Errorf("count bomb: %q", p)
	}
	if p := problem(t, rep, "slow.pdf"); !strings.Contains(p, "this file could not be read: it took too long to read (over 3s)") {
		t.Errorf("slow file: %q", p)
	}
}

// A reader that crashes (here: a segmentation fault signal sent to the worker that reads the slow
// file, the one that has used over 1.5 s of CPU; no PDF found yet crashes MuPDF 1.24 or pdfcpu 0.15)
// costs that file one line.
func TestPacketCLIReaderCrashCostsOneLine(t *testing.T) {
	rep, _ := hostileRun(t, map[string][]byte{"crash.pdf": packettest.SlowPDF(packettest.SlowOps)},
		[]string{"--file-timeout", "2m"}, 500*time.Millisecond, func(pid int) {
			for i := 0; i < 600; i++ {
				for _, w := range workersOf(pid) {
					if w.cpu > 150 {
						_ = syscall.Kill(w.pid, syscall.SIGSEGV)
						return
					}
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	if p := problem(t, rep, "crash.pdf"); !strings.Contains(p, "this file could not be read: the reader crashed on it") {
		t.Errorf("crash: %q", p)
	}
}

type workerProc struct {
	pid int
	cpu int // user and system time, in clock ticks (1/100 s)
}

// workersOf lists the sandbox workers (children running "__worker") of a process.
func workersOf(pid int) []workerProc {
	var out []workerProc
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		rest := string(b[bytes.LastIndexByte(b, ')')+1:])
		f := strings.Fields(rest)
		if len(f) < 2 || f[1] != strconv.Itoa(pid) {
			continue
		}
		dir := filepath.Dir(st)
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		if bytes.Contains(cmdline, []byte("__worker")) && len(f) > 13 {
			n, _ := strconv.Atoi(filepath.Base(dir))
			ut, _ := strconv.Atoi(f[11])
			st, _ := strconv.Atoi(f[12])
			out = append(out, workerProc{pid: n, cpu: ut + st})
		}
	}
	return out
}
