//go:build cgo && !nocgo

package packet

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// writeJPXPDF writes a one-page PDF showing the JPEG 2000 image jpx (w x h pixels) over the whole
// page, whose longer side is 792 points.
func writeJPXPDF(t *testing.T, path string, jpx []byte, w, h int) {
	t.Helper()
	var buf bytes.Buffer
	pw := newPDFWriter(&buf)
	pagesNr := pw.alloc()
	scale := 792 / float64(max(w, h))
	pw2 := func(v float64) string { return fmtNum(v) }
	im := pw.alloc()
	pw.stream(im, types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"), "Width": types.Integer(w),
		"Height": types.Integer(h), "Filter": types.Name("JPXDecode"),
	}, jpx)
	pwPt, phPt := float64(w)*scale, float64(h)*scale
	cn := pw.alloc()
	pw.stream(cn, types.Dict{}, []byte(fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im1 Do Q", pw2(pwPt), pw2(phPt))))
	pn := pw.alloc()
	pw.object(pn, types.Dict{
		"Type": types.Name("Page"), "Parent": ref(pagesNr),
		"MediaBox":  types.Array{types.Integer(0), types.Integer(0), types.Float(pwPt), types.Float(phPt)},
		"Resources": types.Dict{"XObject": types.Dict{"Im1": ref(im)}},
		"Contents":  ref(cn),
	})
	finishTestPDF(t, path, &buf, pw, pagesNr, types.Array{ref(pn)}, 0)
}

// thumbOf draws the 200-pixel thumbnail of page 1 of the PDF at path, as a thumbnail (JPEG 2000
// images reduced) or with every image decoded whole, and says how many images were reduced and by
// how many levels in all.
func thumbOf(t *testing.T, path string, thumb bool) (img *image.RGBA, images, levels int64) {
	t.Helper()
	r, ok, err := openDirectRendererFile(path)
	if !ok || err != nil {
		t.Fatalf("open %s: ok %v err %v", filepath.Base(path), ok, err)
	}
	defer r.Close()
	if thumb {
		forThumbnails(r)
	}
	i0, l0 := jpxReduced()
	got, err := renderThumbnail(r, 1, 200)
	if err != nil {
		t.Fatalf("thumbnail %s: %v", filepath.Base(path), err)
	}
	i1, l1 := jpxReduced()
	return got.(*image.RGBA), i1 - i0, l1 - l0
}

// blockDiff compares two images of the same box in blocks of 8 x 8 pixels, where a shift of a pixel
// at a sharp edge (a scaler's rounding) averages out but a missing, moved or recoloured picture does
// not: the largest and the mean difference of the blocks' mean colour channels.
func blockDiff(a, b *image.RGBA) (worst, mean float64) {
	const n = 8
	var sum float64
	var blocks int
	for y0 := a.Rect.Min.Y; y0 < a.Rect.Max.Y; y0 += n {
		for x0 := a.Rect.Min.X; x0 < a.Rect.Max.X; x0 += n {
			for c := range 3 {
				var sa, sb, k int
				for y := y0; y < min(y0+n, a.Rect.Max.Y); y++ {
					for x := x0; x < min(x0+n, a.Rect.Max.X); x++ {
						sa += int(a.Pix[a.PixOffset(x, y)+c])
						sb += int(b.Pix[b.PixOffset(x, y)+c])
						k++
					}
				}
				d := math.Abs(float64(sa-sb)) / float64(k)
				worst = max(worst, d)
				sum += d
				blocks++
			}
		}
	}
	return worst, sum / float64(blocks)
}

// jpxCloseEnough fails t unless small (a thumbnail with reduced JPEG 2000 images) shows what whole
// (the same page with every image decoded whole) shows. The bounds are about twice what the samples
// give (at most 10 levels a block, 3 on average); a picture drawn at another size or place, or
// missing, gives 100 and more.
func jpxCloseEnough(t *testing.T, name string, whole, small *image.RGBA) {
	t.Helper()
	if whole.Rect != small.Rect {
		t.Fatalf("%s: thumbnail %v, whole %v", name, small.Rect, whole.Rect)
	}
	if worst, mean := blockDiff(whole, small); worst > 24 || mean > 6 {
		t.Errorf("%s: reduced thumbnail differs from the whole one: worst block %.1f, mean %.1f", name, worst, mean)
	}
}

// A thumbnail decodes a JPEG 2000 image at the coarsest resolution level that still has the pixels
// the thumbnail needs (as MuPDF chooses for its other images), and shows what the whole image shows;
// images the reduction does not cover are decoded whole, and nothing but a thumbnail is reduced.
func TestJPXReducedThumbnail(t *testing.T) {
	if runtime.GOOS == "darwin" {
		t.Skip("macOS's linker has no --wrap: JPEG 2000 images are decoded whole there")
	}
	dir := t.TempDir()
	// Generated with OpenJPEG 2.5.0's opj_compress (testdata/jpx/README.md). levels: how many
	// resolution levels the 200-pixel thumbnail drops (202 pixels at least on the longer side).
	for _, c := range []struct {
		file   string
		w, h   int
		levels int64
	}{
		{"scan.jp2", 1000, 1300, 2},  // 1300 -> 325
		{"scan2.jp2", 1000, 1300, 1}, // only 2 levels in the codestream: 1300 -> 650
		{"tiled.j2k", 720, 480, 1},   // a bare codestream, 256-pixel tiles: 720 -> 360
		{"alpha.jp2", 600, 400, 1},   // RGB and alpha: 600 -> 300
		{"offset.jp2", 720, 480, 0},  // image origin 5,7: whole
		{"sub.jp2", 720, 480, 0},     // components subsampled 2x2: whole
		{"onelevel.jp2", 1000, 1300, 0},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "jpx", c.file))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, c.file+".pdf")
		writeJPXPDF(t, p, data, c.w, c.h)
		whole, n, _ := thumbOf(t, p, false)
		if n != 0 {
			t.Errorf("%s: %d images reduced in a full-size drawing", c.file, n)
		}
		small, n, levels := thumbOf(t, p, true)
		if want := min(c.levels, 1); n != want || levels != c.levels {
			t.Errorf("%s: %d images reduced by %d levels, want %d by %d", c.file, n, levels, want, c.levels)
		}
		jpxCloseEnough(t, c.file, whole, small)
	}
}

// The scanned sample: a LuraDocument page of two JPEG 2000 layers.
func TestJPXReducedThumbnailOfScan(t *testing.T) {
	if runtime.GOOS == "darwin" {
		t.Skip("macOS's linker has no --wrap: JPEG 2000 images are decoded whole there")
	}
	p := filepath.Join(samplesRel, "pypdf--Seige_of_Vicksburg_Sample_OCR.pdf")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not found (the shared data folder is missing); skipping", p)
	}
	whole, _, _ := thumbOf(t, p, false)
	small, n, levels := thumbOf(t, p, true)
	if n != 2 || levels < 2 {
		t.Errorf("%d images reduced by %d levels, want both layers", n, levels)
	}
	jpxCloseEnough(t, filepath.Base(p), whole, small)
}

// When a reduced decode fails (a codestream can refuse a level late, in a tile's header), MuPDF
// leaves the image out and draws the rest; the thumbnail is then drawn again with the image whole.
func TestJPXReducedDecodeFailsOverToWhole(t *testing.T) {
	if runtime.GOOS == "darwin" {
		t.Skip("macOS's linker has no --wrap: JPEG 2000 images are decoded whole there")
	}
	data, err := os.ReadFile(filepath.Join("testdata", "jpx", "scan.jp2"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "scan.pdf")
	writeJPXPDF(t, p, data, 1000, 1300)
	whole, _, _ := thumbOf(t, p, false)
	failReducedJPX(true)
	defer failReducedJPX(false)
	got, n, _ := thumbOf(t, p, true)
	if n != 0 {
		t.Errorf("%d images reduced while reductions fail", n)
	}
	if !bytes.Equal(got.Pix, whole.Pix) {
		t.Error("after a failed reduced decode the thumbnail is not the whole image's")
	}
}
