package packet

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// The pages of a damaged PDF are rebuilt from their image (Input.render). The sandbox worker that
// inspects such a file also draws those pages at the build's resolution and encodes them, as Build
// would: in parallel with the other workers, and outside this process, so that a damaged outside file
// is drawn by MuPDF only in a worker. Build then writes the encoded image as it is. Pages beyond the
// limits below, pages the worker could not draw in time, and files needing a password are drawn by
// Build as before.
const (
	prerenderPages = 50       // the packet's own page limit
	prerenderBytes = 24 << 20 // encoded images kept per input (they stay in memory with the Input)
)

// pageImage is one page drawn and encoded for the packet.
type pageImage struct {
	Page    int     // 1-based
	BaseDPI float64 // Options.dpi() it was drawn for
	DPI     float64 // the image's resolution (pageDPI of BaseDPI for the page's size)
	W, H    int
	Gray    bool
	JPEG    []byte
}

// openBuildRenderer opens a PDF to rebuild pages from their image, with colour management: the
// direct renderer, or go-fitz where it cannot be used.
func openBuildRenderer(data []byte, password string) (pageRenderer, error) {
	if r, ok, err := openDirectRenderer(data, true); ok {
		return r, err
	}
	d, err := openFitz(data, password)
	if err != nil {
		return nil, err
	}
	return fitzRenderer{d}, nil
}

// renderForBuild draws page p (1-based) at the build's resolution for its size; buf may be reused.
func renderForBuild(rend pageRenderer, p int, baseDPI float64, buf []byte) (*image.RGBA, float64, error) {
	dpi, _ := buildDPI(rend, p, baseDPI)
	img, err := rend.Render(p-1, dpi, buf)
	return img, dpi, err
}

// buildDPI is the resolution page p (1-based) is drawn at for the build (baseDPI, less for an
// oversize page), and the page's size in points (empty when it cannot be had: baseDPI then).
func buildDPI(rend pageRenderer, p int, baseDPI float64) (float64, image.Rectangle) {
	size, err := rend.PageSize(p - 1)
	if err != nil {
		return baseDPI, image.Rectangle{}
	}
	return pageDPI(baseDPI, size), size
}

// prerender draws and encodes the pages of in (a PDF to rebuild from rendered pages) until deadline.
// Blank and duplicate pages are drawn too: the user may keep them.
func prerender(ctx context.Context, data []byte, in *Input, opt Options, deadline time.Time) []pageImage {
	if in.Err != nil || (!in.render && len(in.mustDraw) == 0) || in.Kind != KindPDF || in.Pages <= 0 {
		return nil
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	rend, err := guard(ctx, time.Until(deadline), func(context.Context) (pageRenderer, error) {
		return openBuildRenderer(data, opt.password(in.Path))
	})
	if err != nil {
		return nil
	}
	var (
		out   []pageImage
		total int
	)
	buf := takeDrawBuf() // given back only when no drawing can be left running in it
	base := opt.dpi()
	for p := 1; p <= in.Pages && len(out) < prerenderPages && total < prerenderBytes; p++ {
		if ctx.Err() != nil {
			return out // the renderer may still be drawing: it is left to that goroutine
		}
		if !in.render && !in.mustDraw[p] {
			continue // copied
		}
		dpi, size := buildDPI(rend, p, base)
		if !size.Empty() {
			// Room for the page at its resolution, and a row and a column of MuPDF's rounding.
			buf = buf.fit(4 * (int(float64(size.Dx())*dpi/72) + 2) * (int(float64(size.Dy())*dpi/72) + 2))
		}
		pi, err := guard(ctx, time.Until(deadline), func(context.Context) (pageImage, error) {
			img, err := rend.Render(p-1, dpi, buf.b)
			if err != nil {
				return pageImage{}, err
			}
			if len(buf.b) == 0 || &img.Pix[0] != &buf.b[0] { // drawn into a new Go buffer after all
				if buf.mapped {
					freeDrawBuf(buf.b)
				}
				buf = drawBuffer{b: img.Pix}
			}
			gray, plain := grayOpaque(img)
			enc, err := encodeJPEG(img, img, gray, plain, true) // buf is drawn again next
			if err != nil {
				return pageImage{}, err
			}
			return pageImage{Page: p, BaseDPI: base, DPI: dpi, W: img.Rect.Dx(), H: img.Rect.Dy(), Gray: gray, JPEG: enc}, nil
		})
		if ctx.Err() != nil {
			return out
		}
		if err != nil {
			continue // Build draws it, and reports what it finds
		}
		out = append(out, pi)
		total += len(pi.JPEG)
	}
	rend.Close()
	giveDrawBuf(buf)
	return out
}

// drawBuf keeps the pixels of the last page prerender drew for the next file the worker inspects: a
// Letter page at 150 dpi is 8 MB, and memory fresh from the system costs more (zeroing, page faults)
// than drawing a simple page into it (measured: 68 ms against 3 ms for the same page).
var (
	drawBufMu sync.Mutex
	drawBuf   drawBuffer
)

// drawBuffer is a buffer for pages drawn at the build's resolution; mapped: made by newDrawBuf.
type drawBuffer struct {
	b      []byte
	mapped bool
}

// fit returns a buffer of at least n bytes: d's, or a new one (d's then unmapped if newDrawBuf made it).
func (d drawBuffer) fit(n int) drawBuffer {
	if cap(d.b) >= n {
		return d
	}
	if d.mapped {
		freeDrawBuf(d.b)
	}
	b, mapped := newDrawBuf(n)
	return drawBuffer{b, mapped}
}

// free gives the buffer back to the system if newDrawBuf made it (the Go heap's, to the collector).
func (d drawBuffer) free() {
	if d.mapped {
		freeDrawBuf(d.b)
	}
}

// readDrawBuf reads the file at path into a buffer of its own (see newDrawBuf), b cut to the file's
// length; free it when done.
func readDrawBuf(path string) (drawBuffer, error) {
	f, err := os.Open(path)
	if err != nil {
		return drawBuffer{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return drawBuffer{}, err
	}
	d := drawBuffer{}.fit(int(st.Size()))
	n, err := io.ReadFull(f, d.b[:st.Size()])
	if err != nil {
		d.free()
		return drawBuffer{}, err
	}
	d.b = d.b[:n]
	return d, nil
}

func takeDrawBuf() drawBuffer {
	drawBufMu.Lock()
	defer drawBufMu.Unlock()
	b := drawBuf
	drawBuf = drawBuffer{}
	return b
}

func giveDrawBuf(b drawBuffer) {
	drawBufMu.Lock()
	defer drawBufMu.Unlock()
	if cap(b.b) <= cap(drawBuf.b) {
		if b.mapped {
			freeDrawBuf(b.b)
		}
		return
	}
	if drawBuf.mapped {
		freeDrawBuf(drawBuf.b)
	}
	drawBuf = b
}

// prerenderedBody returns the body of page p from the image the worker drew, when there is one for
// the build's resolution and it is what it claims to be.
func (s *docSource) prerenderedBody(p int) (pageBody, bool, error) {
	pi, ok := s.in.drawn[p]
	if !ok || pi.BaseDPI != s.opt.dpi() || pi.W <= 0 || pi.H <= 0 || pi.DPI <= 0 {
		return pageBody{}, false, nil
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(pi.JPEG))
	want := color.Model(color.YCbCrModel)
	if pi.Gray {
		want = color.GrayModel
	}
	if err != nil || cfg.Width != pi.W || cfg.Height != pi.H || cfg.ColorModel != want {
		return pageBody{}, false, nil
	}
	cs := types.Name("DeviceRGB")
	if pi.Gray {
		cs = "DeviceGray"
	}
	nr := s.b.pw.alloc()
	s.b.pw.stream(nr, types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
		"Width": types.Integer(pi.W), "Height": types.Integer(pi.H),
		"BitsPerComponent": types.Integer(8), "ColorSpace": cs, "Filter": types.Name("DCTDecode"),
	}, pi.JPEG)
	w, h := float64(pi.W)*72/pi.DPI, float64(pi.H)*72/pi.DPI
	return pageBody{
		box:   rect{0, 0, w, h},
		xobjs: types.Dict{"Im0": ref(nr)},
		ops:   []byte(fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im0 Do Q\n", fmtNum(w), fmtNum(h))),
	}, true, s.b.pw.err
}
