//go:build cgo && !nocgo

package packet

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The check after writing runs each page's stamp stream alone (stampReader). On a packet of every
// sample PDF (rotated, scanned, damaged and rebuilt pages, forms, inline images), each page must pass
// it, its verdict must be the one a run of the whole page gives, and a page whose stamp or drawing is
// not the one written must fail it.
func TestStampCheckAgreesWithWholePage(t *testing.T) {
	if !directReaderUsable() {
		t.Skip("no direct MuPDF reader in this build: the check runs whole pages with go-fitz")
	}
	files := samples(t)
	ctx := context.Background()
	opt := sampleOptions()
	opt.NoOCR = true // the text of scans plays no part here
	var inputs []*Input
	for _, f := range files {
		if in := Inspect(ctx, f, testPatient, opt); in.Err == nil {
			inputs = append(inputs, in)
		}
	}
	if len(inputs) < 20 {
		t.Fatalf("only %d of %d samples inspected", len(inputs), len(files))
	}
	// Packets of up to 50 pages, as Build writes them (before its check), until every input is in one.
	for len(inputs) > 0 {
		plan := NewPlan(inputs, DefaultMaxPages, true)
		used := map[*Input]bool{}
		for _, d := range plan.Docs {
			used[d.Input] = true
		}
		var rest []*Input
		for _, in := range inputs {
			if !used[in] {
				rest = append(rest, in)
			}
		}
		if len(rest) == len(inputs) {
			t.Fatalf("%d inputs do not fit in a packet", len(rest))
		}
		inputs = rest
		checkAgainstWholePage(t, ctx, plan, opt)
	}
}

func checkAgainstWholePage(t *testing.T, ctx context.Context, plan Plan, opt Options) {
	t.Helper()
	res, refs, checks, f, err := writeTemp(ctx, plan, testPatient, benchCover, t.TempDir(), opt, map[PageRef]bool{}, func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := openStampReader(data, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := r.(*directStampReader)
	if d.NumPage() != len(checks) {
		t.Fatalf("%d pages, %d checks", d.NumPage(), len(checks))
	}
	var stampOnly, whole time.Duration
	for i, c := range checks {
		name := "cover"
		if refs[i].Doc != nil {
			name = filepath.Base(refs[i].Doc.Path)
		}
		t0 := time.Now()
		got := d.Shows(i, c)
		t1 := time.Now()
		text, ok := d.pageText(i)
		whole += time.Since(t1)
		stampOnly += t1.Sub(t0)
		if wholeShows := ok && showsInRun(text, c.stamp); got != wholeShows || !got {
			t.Errorf("page %d (%s): stamp alone %v, whole page %v; want both true", i+1, name, got, wholeShows)
		}
		other := strings.Replace(c.stamp, " of ", " of 1", 1)
		if d.Shows(i, pageCheck{stamp: other, body: c.body}) {
			t.Errorf("page %d (%s): shows another page's stamp %q", i+1, name, other)
		}
		if d.Shows(i, pageCheck{stamp: c.stamp, body: append(bytes.Clone(c.body), '\n')}) {
			t.Errorf("page %d (%s): passes with a drawing that is not the one written", i+1, name)
		}
	}
	t.Logf("%d pages: stamp alone %v, whole pages %v", len(checks), stampOnly.Round(time.Microsecond), whole.Round(time.Microsecond))
}
