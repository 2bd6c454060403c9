// Package ocrtest makes scanned test pages from real text pages: an image-only PDF of page images,
// and a fax-like copy of a page (grey paper, noise, a slight skew, low resolution).
package ocrtest

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand"

	"golang.org/x/image/draw"
)

// ScanPDF writes an image-only PDF (no text layer) with one page per image, each page sized as the
// image at dpi, the image stored as JPEG.
func ScanPDF(pages []image.Image, dpi float64) ([]byte, error) {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	n := len(pages)
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", 3+3*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", n, kids))
	for i, img := range pages {
		var jb bytes.Buffer
		if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 80}); err != nil {
			return nil, fmt.Errorf("ocrtest: encode page %d: %w", i+1, err)
		}
		bd := img.Bounds()
		w, h := float64(bd.Dx())*72/dpi, float64(bd.Dy())*72/dpi
		cs := "/DeviceRGB"
		if _, ok := img.(*image.Gray); ok {
			cs = "/DeviceGray"
		}
		content := fmt.Sprintf("q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q", w, h)
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.3f %.3f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>",
			w, h, 5+3*i, 4+3*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n",
			len(offs), bd.Dx(), bd.Dy(), cs, jb.Len())
		b.Write(jb.Bytes())
		b.WriteString("\nendstream\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes(), nil
}

// Fax makes a fax-like copy of a page rendered at fromDPI: scaled to toDPI, turned by skew degrees,
// on grey paper with speckle noise (seeded, so tests repeat).
func Fax(img image.Image, fromDPI, toDPI, skew float64, seed int64) *image.Gray {
	src := img.Bounds()
	w := int(math.Round(float64(src.Dx()) * toDPI / fromDPI))
	h := int(math.Round(float64(src.Dy()) * toDPI / fromDPI))
	small := image.NewGray(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(small, small.Bounds(), img, src, draw.Src, nil)
	out := image.NewGray(small.Bounds())
	sin, cos := math.Sincos(skew * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	rng := rand.New(rand.NewSource(seed))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Inverse rotation about the centre: where this output pixel comes from.
			dx, dy := float64(x)-cx, float64(y)-cy
			sx := int(math.Round(cos*dx + sin*dy + cx))
			sy := int(math.Round(-sin*dx + cos*dy + cy))
			v := 255.0
			if sx >= 0 && sy >= 0 && sx < w && sy < h {
				v = float64(small.Pix[sy*small.Stride+sx])
			}
			// Grey paper, darker ink, noise; a few black specks.
			v = 40 + v*0.75 + rng.NormFloat64()*12
			if rng.Intn(2000) == 0 {
				v = 0
			}
			out.Pix[y*out.Stride+x] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	return out
}
