//go:build cgo && !nocgo

package packet

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// A thumbnail drawn in bands at once (renderSplit) must look as the page drawn whole: every sample's
// first page, in 2 bands (thumbnailParts' most). MuPDF scales an image cut by a band a little
// differently, so pixels may differ by a few levels, but no more than that on average and hardly
// anywhere by much (a band out of place or left white would differ by far more).
func TestSplitThumbnailMatchesWhole(t *testing.T) {
	compared := 0
	for _, f := range samples(t) {
		name := filepath.Base(f)
		if _, locked := samplePasswords[name]; locked {
			continue
		}
		r, ok, err := openDirectRendererFile(f)
		if !ok {
			t.Skip("the direct MuPDF reader is not usable in this build")
		}
		if err != nil {
			continue // damaged: drawn by other means
		}
		dr := r.(*directRenderer)
		b, err := dr.PageSize(0)
		if err != nil {
			dr.Close()
			continue
		}
		dpi := thumbnailDPI(b, 200)
		whole, err := dr.Render(0, dpi, nil)
		if err != nil {
			dr.Close()
			continue
		}
		for _, n := range []int{2} {
			var others []*directRenderer
			for range n - 1 {
				o, _, err := openDirectRendererFile(f)
				if err != nil {
					t.Fatalf("%s: second reader: %v", name, err)
				}
				others = append(others, o.(*directRenderer))
			}
			split, err := dr.renderSplit(0, dpi, others)
			for _, o := range others {
				o.Close()
			}
			if err != nil {
				t.Errorf("%s in %d bands: %v", name, n, err)
				continue
			}
			if split.Rect != whole.Rect {
				t.Errorf("%s in %d bands: %v, whole %v", name, n, split.Rect, whole.Rect)
				continue
			}
			sum, far := 0, 0
			for i := range whole.Pix {
				d := int(whole.Pix[i]) - int(split.Pix[i])
				if d < 0 {
					d = -d
				}
				sum += d
				if d > 64 {
					far++
				}
			}
			mean := float64(sum) / float64(len(whole.Pix))
			t.Logf("%s in %d bands: mean difference %.2f, %d of %d bytes differ by more than 64", name, n, mean, far, len(whole.Pix))
			if mean > 1 || far*500 > len(whole.Pix) {
				t.Errorf("%s in %d bands: mean difference %.2f (want at most 1), %d of %d bytes differ by more than 64 (want at most 0.2 %%)", name, n, mean, far, len(whole.Pix))
			}
			compared++
		}
		dr.Close()
	}
	if compared == 0 {
		t.Fatal("no page compared")
	}
}

// MuPDF decodes JPEG 2000 with one global allocator context, guarded by a lock that every context
// must share (mupdf_locks.c): pages of the OCR sample (JPEG 2000 scans) drawn on 4 threads at once,
// each with its own document, must all draw, and draw as on one thread.
func TestJPEG2000DrawnOnManyThreads(t *testing.T) {
	f := filepath.Join(samplesRel, "pypdf--Seige_of_Vicksburg_Sample_OCR.pdf")
	first, ok, err := openDirectRendererFile(f)
	if !ok {
		t.Skip("the direct MuPDF reader is not usable in this build")
	}
	if err != nil {
		t.Skipf("%s: %v (the shared data folder is missing?); skipping", f, err)
	}
	want, err := first.Render(0, 36, nil)
	first.Close()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*5)
	for range 4 {
		wg.Go(func() {
			r, _, err := openDirectRendererFile(f)
			if err != nil {
				errs <- err
				return
			}
			defer r.Close()
			for range 5 {
				img, err := r.Render(0, 36, nil)
				if err == nil && !bytes.Equal(img.Pix, want.Pix) {
					err = fmt.Errorf("drawn on a thread, page 1 differs from the page drawn alone")
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
