package packet

import (
	"image"
	"math/rand/v2"
	"testing"
)

// The word-at-a-time pixel passes give what a pixel-by-pixel reading gives, on every kind of image
// a render can be: gray or not, opaque or not, any width, a lone differing pixel anywhere.
func TestPixelPassesMatchPixelByPixel(t *testing.T) {
	slowGrayOpaque := func(p []byte) (gray, opaque bool) {
		gray, opaque = true, true
		for i := 0; i+3 < len(p); i += 4 {
			gray = gray && p[i] == p[i+1] && p[i] == p[i+2]
			opaque = opaque && p[i+3] == 0xFF
		}
		return gray, opaque
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range [][2]int{{1, 1}, {3, 5}, {7, 2}, {64, 64}, {1275, 3}, {2049, 3}} {
		w, h := size[0], size[1]
		for trial := 0; trial < 40; trial++ {
			m := image.NewRGBA(image.Rect(0, 0, w, h))
			for i := 0; i < len(m.Pix); i += 4 {
				v := byte(rng.IntN(256))
				m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = v, v, v, 0xFF
			}
			if trial%4 != 0 { // one pixel off: colour, transparency or both
				i := 4 * rng.IntN(w*h)
				switch trial % 4 {
				case 1:
					m.Pix[i+1+rng.IntN(2)] ^= 1
				case 2:
					m.Pix[i+3] = byte(rng.IntN(255))
				case 3:
					m.Pix[i+2] ^= 0x80
					m.Pix[4*rng.IntN(w*h)+3] = 0
				}
			}
			wantGray, wantOpaque := slowGrayOpaque(m.Pix)
			gray, opaque := grayOpaque(m)
			if gray != wantGray || opaque != wantOpaque {
				t.Fatalf("%dx%d trial %d: grayOpaque = %v, %v; want %v, %v", w, h, trial, gray, opaque, wantGray, wantOpaque)
			}

			want := make([]byte, w*h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					want[y*w+x] = m.Pix[y*m.Stride+4*x]
				}
			}
			got := redChannelInPlace(m)
			if string(got.Pix) != string(want) || got.Stride != w || got.Rect != m.Rect {
				t.Fatalf("%dx%d trial %d: red channel differs", w, h, trial)
			}
		}
	}
	// A sub-image: rows longer than the image (Stride) and an origin away from (0, 0).
	big := image.NewRGBA(image.Rect(0, 0, 9, 4))
	for i := range big.Pix {
		big.Pix[i] = byte(i)
	}
	sub := big.SubImage(image.Rect(2, 1, 7, 3)).(*image.RGBA)
	got := redChannel(sub)
	for y := 0; y < 2; y++ {
		for x := 0; x < 5; x++ {
			if want := big.Pix[(y+1)*big.Stride+4*(x+2)]; got.Pix[y*5+x] != want {
				t.Fatalf("sub-image (%d,%d): %d, want %d", x, y, got.Pix[y*5+x], want)
			}
		}
	}
}

// A Letter page at the build's 150 dpi, gray and opaque (the common rebuilt page), through the two
// passes the worker makes before encoding it.
func BenchmarkGrayPage(b *testing.B) {
	m := image.NewRGBA(image.Rect(0, 0, 1275, 1650))
	for i := 0; i < len(m.Pix); i += 4 {
		v := byte(255 - i%97)
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = v, v, v, 0xFF
	}
	dst := make([]byte, 1275*1650)
	b.SetBytes(int64(len(m.Pix)))
	for b.Loop() {
		if gray, opaque := grayOpaque(m); !gray || !opaque {
			b.Fatal("not gray and opaque")
		}
		redChannelInto(m, dst)
	}
}
