package packet

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/referraldesk/referraldesk/app/exif"
)

// Letter paper in points; photos and PNGs are placed on it.
const (
	letterW     = 612.0
	letterH     = 792.0
	photoMargin = 18.0
)

// imageXObject writes img as an image XObject: JPEG (DCTDecode) when asJPEG, else lossless Flate.
// Transparent areas become white. Gray images are written as DeviceGray.
// scratch: img's pixels may be overwritten (a render buffer, drawn again next).
func (b *builder) imageXObject(img image.Image, asJPEG, scratch bool) (int, error) {
	bd := img.Bounds()
	w, h := bd.Dx(), bd.Dy()
	if w <= 0 || h <= 0 {
		return 0, fmt.Errorf("empty image: %w", ErrDamaged)
	}
	rgba, isRGBA := img.(*image.RGBA)
	var gray, plain bool
	if isRGBA {
		gray, plain = grayOpaque(rgba) // one pass over a rendered page's pixels, not two
	} else {
		gray = isGray(img)
	}
	d := types.Dict{
		"Type":             types.Name("XObject"),
		"Subtype":          types.Name("Image"),
		"Width":            types.Integer(w),
		"Height":           types.Integer(h),
		"BitsPerComponent": types.Integer(8),
		"ColorSpace":       types.Name("DeviceRGB"),
	}
	if gray {
		d["ColorSpace"] = types.Name("DeviceGray")
	}
	nr := b.pw.alloc()
	if asJPEG {
		data, err := encodeJPEG(img, rgba, gray, plain, scratch)
		if err != nil {
			return 0, err
		}
		d["Filter"] = types.Name("DCTDecode")
		b.pw.stream(nr, d, data)
		return nr, b.pw.err
	}
	raw := pixels(img, gray)
	b.pw.flateStream(nr, d, raw)
	return nr, b.pw.err
}

// encodeJPEG encodes img (rgba when it is an *image.RGBA, gray and plain as imageXObject found them)
// as a JPEG of quality 85, in grey when gray.
// scratch: rgba's pixels may be overwritten (a render buffer drawn again next).
func encodeJPEG(img image.Image, rgba *image.RGBA, gray, plain, scratch bool) ([]byte, error) {
	bd := img.Bounds()
	if plain {
		// TurboJPEG reads the rendered pixels as they are, and makes the gray JPEG of a gray page
		// itself (its luminance of R = G = B is R), without a gray copy first.
		if enc, ok := fastJPEG(rgba, jpegQuality, gray); ok {
			return enc, nil
		}
	}
	var src image.Image = img
	// plain: MuPDF's renders are opaque, no compositing needed
	switch {
	case gray && plain && scratch:
		src = redChannelInPlace(rgba)
	case gray && plain:
		src = redChannel(rgba)
	case gray:
		g := image.NewGray(bd)
		draw.Draw(g, bd, &image.Uniform{color.White}, image.Point{}, draw.Src)
		draw.Draw(g, bd, img, bd.Min, draw.Over)
		src = g
	case plain:
		// image/jpeg reads an *image.RGBA directly.
	default:
		if _, opaque := img.(*image.YCbCr); !opaque {
			src = flattenRGBA(img)
		}
	}
	if !plain { // a plain render was offered to TurboJPEG as it is, above
		if enc, ok := fastJPEG(src, jpegQuality, gray); ok {
			return enc, nil
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// flattenRGBA draws img over white into an RGBA image.
func flattenRGBA(img image.Image) *image.RGBA {
	bd := img.Bounds()
	out := image.NewRGBA(bd)
	draw.Draw(out, bd, &image.Uniform{color.White}, image.Point{}, draw.Src)
	draw.Draw(out, bd, img, bd.Min, draw.Over)
	return out
}

// pixels returns 8-bit gray or RGB samples of img composited over white, row by row.
func pixels(img image.Image, gray bool) []byte {
	rgba, ok := img.(*image.RGBA)
	if !ok || !opaque(rgba) {
		rgba = flattenRGBA(img)
	}
	bd := rgba.Bounds()
	n := 3
	if gray {
		n = 1
	}
	out := make([]byte, 0, bd.Dx()*bd.Dy()*n)
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		row := rgba.Pix[(y-bd.Min.Y)*rgba.Stride : (y-bd.Min.Y)*rgba.Stride+4*bd.Dx()]
		for i := 0; i < len(row); i += 4 {
			if gray {
				out = append(out, row[i])
			} else {
				out = append(out, row[i], row[i+1], row[i+2])
			}
		}
	}
	return out
}

// redChannel copies the red samples of m, an opaque image whose pixels are all gray, into a gray
// image: what drawing it over white into an *image.Gray gives, without image/draw's per-pixel calls.
func redChannel(m *image.RGBA) *image.Gray {
	bd := m.Bounds()
	return redChannelInto(m, make([]byte, bd.Dx()*bd.Dy()))
}

// jpegQuality is the quality of the JPEG of a page rebuilt from its image.
const jpegQuality = 85

// redChannelInPlace is redChannel into the first quarter of m's own pixels, which it overwrites: no
// new image, whose fresh memory costs more than the copy.
func redChannelInPlace(m *image.RGBA) *image.Gray {
	bd := m.Bounds()
	return redChannelInto(m, m.Pix[:bd.Dx()*bd.Dy()])
}

// redChannelInto writes m's red samples into dst (rows packed), which may be m's own pixels: a row's
// samples never land ahead of the ones still to be read (y*w+x <= y*Stride+4x). Four pixels are read
// as two words and written as one: a page is millions of pixels.
func redChannelInto(m *image.RGBA, dst []byte) *image.Gray {
	bd := m.Bounds()
	w, h := bd.Dx(), bd.Dy()
	for y := 0; y < h; y++ {
		src := m.Pix[y*m.Stride : y*m.Stride+4*w]
		row := dst[y*w : y*w+w]
		x := 0
		for ; x+4 <= w; x += 4 {
			a := binary.LittleEndian.Uint64(src[4*x:])
			b := binary.LittleEndian.Uint64(src[4*x+8:])
			binary.LittleEndian.PutUint32(row[x:], uint32(a&0xff)|uint32(a>>32&0xff)<<8|uint32(b&0xff)<<16|uint32(b>>32&0xff)<<24)
		}
		for ; x < w; x++ {
			row[x] = src[4*x]
		}
	}
	return &image.Gray{Pix: dst, Stride: w, Rect: bd}
}

func opaque(m *image.RGBA) bool {
	for i := 3; i < len(m.Pix); i += 4 {
		if m.Pix[i] != 0xFF {
			return false
		}
	}
	return true
}

// grayOpaque reports whether every pixel of m has R = G = B, and whether every pixel is opaque.
func grayOpaque(m *image.RGBA) (gray, opaque bool) {
	p := m.Pix
	// Two pixels a word: in the little-endian word of R,G,B,A,R,G,B,A, a byte XORed with the next one
	// is zero where R = G and G = B (rgbBits), and the alpha bytes are alphaBits. The bits that differ
	// are gathered over a block and looked at once per block, which leaves the loop without branches.
	const (
		rgbBits   = 0x0000ffff_0000ffff
		alphaBits = 0xff000000_ff000000
		block     = 4 << 10
	)
	var colour, clear uint64
	i := 0
	for i+8 <= len(p) {
		end := min(i+block, len(p)&^7)
		for ; i < end; i += 8 {
			v := binary.LittleEndian.Uint64(p[i:])
			colour |= (v ^ v>>8) & rgbBits
			clear |= ^v & alphaBits
		}
		if colour != 0 && clear != 0 {
			return false, false
		}
	}
	gray, opaque = colour == 0, clear == 0
	for ; i+3 < len(p); i += 4 {
		if p[i] != p[i+1] || p[i] != p[i+2] {
			gray = false
		}
		if p[i+3] != 0xFF {
			opaque = false
		}
	}
	return gray, opaque
}

// isGray reports whether every pixel has R = G = B.
func isGray(img image.Image) bool {
	switch m := img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	case *image.RGBA:
		for i := 0; i+2 < len(m.Pix); i += 4 {
			if m.Pix[i] != m.Pix[i+1] || m.Pix[i] != m.Pix[i+2] {
				return false
			}
		}
		return true
	case *image.YCbCr:
		for _, c := range m.Cb {
			if c < 126 || c > 130 {
				return false
			}
		}
		for _, c := range m.Cr {
			if c < 126 || c > 130 {
				return false
			}
		}
		return true
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r != g || r != bl {
				return false
			}
		}
	}
	return true
}

// placeOnLetter returns a Letter page (landscape when the picture is wider than tall) and the
// rectangle where a picture of the given displayed size goes, centred and fitted within margins.
func placeOnLetter(w, h float64) (box, at rect) {
	box = rect{0, 0, letterW, letterH}
	if w > h {
		box = rect{0, 0, letterH, letterW}
	}
	s := math.Min((box.w()-2*photoMargin)/w, (box.h()-2*photoMargin)/h)
	pw, ph := w*s, h*s
	x, y := (box.w()-pw)/2, (box.h()-ph)/2
	return box, rect{x, y, x + pw, y + ph}
}

// orientMatrix maps the image unit square to the rectangle at, applying an EXIF orientation so that
// the picture shows upright.
func orientMatrix(o int, at rect) matrix {
	x, y, W, H := at.x0, at.y0, at.w(), at.h()
	switch o {
	case 2:
		return matrix{-W, 0, 0, H, x + W, y}
	case 3:
		return matrix{-W, 0, 0, -H, x + W, y + H}
	case 4:
		return matrix{W, 0, 0, -H, x, y + H}
	case 5:
		return matrix{0, -H, -W, 0, x + W, y + H}
	case 6:
		return matrix{0, -H, W, 0, x, y + H}
	case 7:
		return matrix{0, H, W, 0, x, y}
	case 8:
		return matrix{0, H, -W, 0, x + W, y}
	}
	return matrix{W, 0, 0, H, x, y}
}

// jpegPage puts a JPEG photo or scan on a page, keeping its compressed data as is.
func (b *builder) jpegPage(data []byte) (pageBody, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return pageBody{}, fmt.Errorf("jpeg: %w", err)
	}
	ex := exif.ReadJPEG(data)
	var nr int
	switch cfg.ColorModel {
	case color.GrayModel, color.YCbCrModel, color.RGBAModel:
		cs := types.Name("DeviceRGB")
		if cfg.ColorModel == color.GrayModel {
			cs = "DeviceGray"
		}
		nr = b.pw.alloc()
		b.pw.stream(nr, types.Dict{
			"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
			"Width": types.Integer(cfg.Width), "Height": types.Integer(cfg.Height),
			"BitsPerComponent": types.Integer(8), "ColorSpace": cs, "Filter": types.Name("DCTDecode"),
		}, data)
	default: // CMYK/YCCK: decode and re-encode as RGB rather than trust Adobe's inverted values
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return pageBody{}, fmt.Errorf("jpeg: %w", err)
		}
		if nr, err = b.imageXObject(img, true, false); err != nil {
			return pageBody{}, err
		}
	}
	w, h := float64(cfg.Width), float64(cfg.Height)
	if ex.Orientation >= 5 {
		w, h = h, w
	}
	return photoBody(nr, w, h, ex.Orientation), nil
}

// pngPage puts a PNG on a page (lossless).
func (b *builder) pngPage(data []byte) (pageBody, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return pageBody{}, fmt.Errorf("png: %w", err)
	}
	nr, err := b.imageXObject(img, false, false)
	if err != nil {
		return pageBody{}, err
	}
	bd := img.Bounds()
	return photoBody(nr, float64(bd.Dx()), float64(bd.Dy()), 1), nil
}

func photoBody(nr int, w, h float64, orientation int) pageBody {
	box, at := placeOnLetter(w, h)
	m := orientMatrix(orientation, at)
	return pageBody{
		box:   box,
		xobjs: types.Dict{"Im0": ref(nr)},
		ops:   []byte(fmt.Sprintf("q %s /Im0 Do Q\n", m.op())),
	}
}

// Pages larger than a Tabloid sheet (11 x 17 in: posters, drawings, oversize scans) are rendered at a
// lower resolution, so that their image holds no more pixels than a Tabloid page at the same dpi. The
// packet is read on screen or printed on Letter paper: a 29-inch page at 150 dpi (19 megapixels, 75 MB
// to render) shows nothing more there than at 70 dpi.
const tabloidArea = 11 * 17 * 72 * 72 // in square points

// pageDPI is the resolution to render a page of the given size (in points) at, dpi at most.
func pageDPI(dpi float64, size image.Rectangle) float64 {
	area := float64(size.Dx()) * float64(size.Dy())
	if area <= tabloidArea || math.IsNaN(area) {
		return dpi
	}
	return dpi * math.Sqrt(tabloidArea/area)
}

// renderedBody places a page rendered at dpi on a page of the original size.
// img is a render buffer, drawn again next: its pixels may be overwritten.
func (b *builder) renderedBody(img image.Image, dpi float64) (pageBody, error) {
	nr, err := b.imageXObject(img, true, true)
	if err != nil {
		return pageBody{}, err
	}
	bd := img.Bounds()
	w, h := float64(bd.Dx())*72/dpi, float64(bd.Dy())*72/dpi
	return pageBody{
		box:   rect{0, 0, w, h},
		xobjs: types.Dict{"Im0": ref(nr)},
		ops:   []byte(fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im0 Do Q\n", fmtNum(w), fmtNum(h))),
	}, nil
}
