package sandbox

import (
	"context"
	"runtime/debug"
	"testing"
	"time"
)

// Workers StartEarly starts go to the first pools with the default settings, which start no others
// for them; a pool with other settings starts its own.
func TestStartEarly(t *testing.T) {
	StartEarly(2)
	StartEarly(5) // only the first call starts workers
	<-early.started
	early.Lock()
	var pids []int
	for _, w := range early.workers {
		pids = append(pids, w.cmd.Process.Pid)
	}
	early.Unlock()
	if len(pids) != 2 {
		t.Fatalf("%d early workers, want 2", len(pids))
	}
	ctx := context.Background()

	other := &Pool{MemoryLimit: DefaultMemoryLimit / 2}
	defer other.Close()
	if _, err := other.Do(ctx, "test.echo", []byte("x"), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := len(early.workers); n != 2 {
		t.Fatalf("a pool with another memory limit took an early worker (%d left)", n)
	}

	p := &Pool{}
	defer p.Close()
	used := map[int]bool{}
	for range 2 {
		w, err := p.get()
		if err != nil {
			t.Fatal(err)
		}
		defer p.put(w)
		used[w.cmd.Process.Pid] = true
	}
	for _, pid := range pids {
		if !used[pid] {
			t.Errorf("early worker %d not taken (pool used %v)", pid, used)
		}
	}
	if got, err := p.Do(ctx, "test.echo", []byte("y"), 10*time.Second); err != nil || string(got) != "echo:y" {
		t.Fatalf("an early worker answers %q, %v", got, err)
	}
	if takeEarly() != nil {
		t.Error("an early worker is left after the pool took both")
	}
}

// SparerGC sets GOGC=200 for a worker or a one-run command, unless the user set GOGC.
func TestSparerGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	t.Setenv("GOGC", "")
	SparerGC()
	if got := debug.SetGCPercent(100); got != 200 {
		t.Errorf("GC percent %d after SparerGC, want 200", got)
	}
	t.Setenv("GOGC", "50")
	SparerGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent %d after SparerGC with GOGC set, want it left at 100", got)
	}
}
