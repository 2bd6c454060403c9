package packet

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TurboJPEG (Linux, where the system has it) and image/jpeg give the same picture of a rebuilt page:
// the same size, gray stays gray, colour stays colour, and both stay as close to the drawn pixels.
// On Linux CI, where make test-deps installs the library, the fast path must be there.
func TestFastJPEGEncodesLikeImageJPEG(t *testing.T) {
	if _, ok := fastJPEG(image.NewGray(image.Rect(0, 0, 8, 8)), jpegQuality, true); !ok {
		if runtime.GOOS == "linux" && os.Getenv("CI") != "" {
			t.Fatal("TurboJPEG (libturbojpeg.so.0) is not loaded; make test-deps installs libturbojpeg0")
		}
		t.Skip("TurboJPEG is not on this system: image/jpeg encodes the rebuilt pages")
	}
	samples(t)
	pages := []struct {
		file string
		page int
	}{
		{"qpdf--bad3.pdf", 1},              // text page, gray
		{"pysamples--cmyk-image.pdf", 1},   // colour photograph
		{"qpdf--name-pound-images.pdf", 1}, // images
	}
	for _, pg := range pages {
		data, err := os.ReadFile(filepath.Join(samplesRel, pg.file))
		if err != nil {
			t.Fatal(err)
		}
		rend, err := openBuildRenderer(data, "")
		if err != nil {
			t.Fatalf("%s: %v", pg.file, err)
		}
		img, _, err := renderForBuild(rend, pg.page, Options{}.dpi(), nil)
		rend.Close()
		if err != nil {
			t.Fatalf("%s: %v", pg.file, err)
		}
		gray, plain := grayOpaque(img)
		var src image.Image = img
		if gray {
			src = redChannel(img)
		}
		fast, ok := fastJPEG(img, jpegQuality, gray)
		if !ok {
			t.Fatalf("%s: TurboJPEG refused the page", pg.file)
		}
		if gray {
			// Its luminance of a gray page's pixels is their gray: the JPEG of the gray copy.
			fromGray, ok := fastJPEG(src, jpegQuality, true)
			if !ok || !bytes.Equal(fromGray, fast) {
				t.Errorf("%s: TurboJPEG's gray JPEG of the page differs from that of its gray copy", pg.file)
			}
		}
		var slow bytes.Buffer
		if err := jpeg.Encode(&slow, src, &jpeg.Options{Quality: jpegQuality}); err != nil {
			t.Fatal(err)
		}
		// encodeJPEG takes the fast path for the pages the packet rebuilds.
		enc, err := encodeJPEG(img, img, gray, plain, false)
		if err != nil || !bytes.Equal(enc, fast) {
			t.Fatalf("%s: encodeJPEG did not use TurboJPEG (err %v)", pg.file, err)
		}
		errFast := meanError(t, src, fast, gray)
		errSlow := meanError(t, src, slow.Bytes(), gray)
		t.Logf("%s: gray %v, TurboJPEG %d bytes (mean error %.2f), image/jpeg %d bytes (mean error %.2f)",
			pg.file, gray, len(fast), errFast, slow.Len(), errSlow)
		if errFast > errSlow+0.5 || errFast > 3 {
			t.Errorf("%s: TurboJPEG's mean error %.2f, image/jpeg's %.2f", pg.file, errFast, errSlow)
		}
	}
}

// meanError decodes enc and gives its mean absolute difference from src, per sample; the JPEG must
// have src's size and be gray exactly when gray.
func meanError(t *testing.T, src image.Image, enc []byte, gray bool) float64 {
	t.Helper()
	dec, err := jpeg.Decode(bytes.NewReader(enc))
	if err != nil {
		t.Fatal(err)
	}
	if dec.Bounds().Size() != src.Bounds().Size() {
		t.Fatalf("decoded %v, drawn %v", dec.Bounds().Size(), src.Bounds().Size())
	}
	if _, isGray := dec.(*image.Gray); isGray != gray {
		t.Fatalf("decoded as %T, page gray %v", dec, gray)
	}
	var sum, n float64
	b, d := src.Bounds(), dec.Bounds()
	for y := 0; y < b.Dy(); y += 3 {
		for x := 0; x < b.Dx(); x += 3 {
			r1, g1, b1, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			r2, g2, b2, _ := dec.At(d.Min.X+x, d.Min.Y+y).RGBA()
			sum += absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2)
			n += 3
		}
	}
	return sum / n / 257
}

func absDiff(a, b uint32) float64 {
	if a > b {
		return float64(a - b)
	}
	return float64(b - a)
}

// A gray Letter page at 150 dpi, as a damaged file's page is rebuilt: TurboJPEG where the system
// has it (the packet's path), and image/jpeg.
func BenchmarkEncodeGrayPage(b *testing.B) {
	m := image.NewGray(image.Rect(0, 0, 1275, 1650))
	for i := range m.Pix {
		m.Pix[i] = byte(255 - (i%1275)%7*30)
	}
	b.Run("packet", func(b *testing.B) {
		for b.Loop() {
			if _, ok := fastJPEG(m, jpegQuality, true); !ok {
				b.Skip("TurboJPEG is not on this system")
			}
		}
	})
	b.Run("image-jpeg", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: jpegQuality}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
