//go:build cgo && !nocgo

package packet

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// jpxPage is a page showing a JPEG 2000 image of w x h pixels over the whole page.
type jpxPage struct {
	jpx  []byte
	w, h int
}

// writeJPXPDF writes a PDF of one page per entry, each showing its image over the whole page, whose
// longer side is 792 points; every page has its own image object.
func writeJPXPDF(t *testing.T, path string, pages ...jpxPage) {
	t.Helper()
	var buf bytes.Buffer
	pw := newPDFWriter(&buf)
	pagesNr := pw.alloc()
	var kids types.Array
	for _, pg := range pages {
		scale := 792 / float64(max(pg.w, pg.h))
		im := pw.alloc()
		pw.stream(im, types.Dict{
			"Type": types.Name("XObject"), "Subtype": types.Name("Image"), "Width": types.Integer(pg.w),
			"Height": types.Integer(pg.h), "Filter": types.Name("JPXDecode"),
		}, pg.jpx)
		w, h := float64(pg.w)*scale, float64(pg.h)*scale
		cn := pw.alloc()
		pw.stream(cn, types.Dict{}, []byte(fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im1 Do Q", fmtNum(w), fmtNum(h))))
		pn := pw.alloc()
		pw.object(pn, types.Dict{
			"Type": types.Name("Page"), "Parent": ref(pagesNr),
			"MediaBox":  types.Array{types.Integer(0), types.Integer(0), types.Float(w), types.Float(h)},
			"Resources": types.Dict{"XObject": types.Dict{"Im1": ref(im)}},
			"Contents":  ref(cn),
		})
		kids = append(kids, ref(pn))
	}
	finishTestPDF(t, path, &buf, pw, pagesNr, kids, 0)
}

// readJPX reads a test image of testdata/jpx.
func readJPX(t *testing.T, name string, w, h int) jpxPage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "jpx", name))
	if err != nil {
		t.Fatal(err)
	}
	return jpxPage{data, w, h}
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
		fitImagesToPage(r)
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
		p := filepath.Join(dir, c.file+".pdf")
		writeJPXPDF(t, p, readJPX(t, c.file, c.w, c.h))
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
	p := filepath.Join(t.TempDir(), "scan.pdf")
	writeJPXPDF(t, p, readJPX(t, "scan.jp2", 1000, 1300))
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

// The blank and duplicate checks look at a page at the analysis resolution, and decode a JPEG 2000
// scan with the pixels that needs; they still find the blank sheet and the same scan again, in one
// file and across files (each file read in its own worker, the twins confirmed in this process).
func TestJPXScanChecksAtAnalysisResolution(t *testing.T) {
	if runtime.GOOS == "darwin" {
		t.Skip("macOS's linker has no --wrap: JPEG 2000 images are decoded whole there")
	}
	dir := t.TempDir()
	scan, white := readJPX(t, "scan.jp2", 1000, 1300), readJPX(t, "white.jp2", 1000, 1300)
	other := readJPX(t, "scan2.jp2", 1000, 1300) // the same page at another quality: not a duplicate
	a, b := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf")
	writeJPXPDF(t, a, scan, white, other, scan)
	writeJPXPDF(t, b, scan)
	opt := Options{NoOCR: true}

	i0, _ := jpxReduced()
	here := inspectHere(context.Background(), a, testPatient, opt)
	if i1, _ := jpxReduced(); here.Err != nil || i1-i0 < 4 {
		t.Fatalf("inspected here: err %v, %d JPEG 2000 images reduced, want every page's", here.Err, i1-i0)
	}
	ia, ib := Inspect(context.Background(), a, testPatient, opt), Inspect(context.Background(), b, testPatient, opt)
	for _, in := range []*Input{here, ia, ib} {
		if in.Err != nil {
			t.Fatalf("%s: %v", filepath.Base(in.Path), in.Err)
		}
	}
	for _, in := range []*Input{here, ia} {
		if got := fmt.Sprint(in.Blank); got != "[2]" {
			t.Errorf("blank pages: %v, want [2]", got)
		}
		if d, ok := in.DupOf[4]; !ok || d.Page != 1 || len(in.DupOf) != 1 {
			t.Errorf("duplicates: %+v, want page 4 as page 1", in.DupOf)
		}
	}
	MarkDuplicates([]*Input{ia, ib})
	if d, ok := ib.DupOf[1]; !ok || d.Doc != ia || d.Page != 1 {
		t.Errorf("b's page 1 is a's page 1: duplicates %+v", ib.DupOf)
	}
}
