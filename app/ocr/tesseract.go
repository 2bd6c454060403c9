//go:build (linux || windows) && cgo && !noocr

package ocr

/*
// Linux: the system's shared libtesseract (Debian libtesseract5), opened on first use (tessdl_linux.c).
// Windows: the static Leptonica and Tesseract of scripts/windows/tesseract.sh, whose include and lib
// folders build.sh passes in CGO_CFLAGS/CGO_LDFLAGS; its C++ runtime and threads linked in statically so
// that the exe needs no DLL beside it (build.sh links with mingw-w64's posix-threads gcc, the one
// Tesseract was built with).
#cgo windows LDFLAGS: -ltesseract -lleptonica -static-libgcc -static-libstdc++ -Wl,-Bstatic -lstdc++ -lwinpthread -Wl,-Bdynamic -lws2_32
#include <stdlib.h>
#include <stdbool.h>
#include <tesseract/capi.h>

// The monitor's cancel hook: Tesseract asks it between words; Go sets *flag when ctx ends.
static bool rd_cancel(void *flag, int words) { return *(volatile int *)flag != 0; }

static void rd_monitor_set(ETEXT_DESC *m, int *flag) {
	TessMonitorSetCancelFunc(m, rd_cancel);
	TessMonitorSetCancelThis(m, flag);
}
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"
	"unsafe"
)

// Available says whether this build has an OCR engine.
func Available() bool { return true }

// Engine is one Tesseract instance (its models are loaded once, by New). Not safe for concurrent use.
type Engine struct {
	opt  Options
	api  *C.TessBaseAPI
	osd  *C.TessBaseAPI // loaded on first need; nil when osd.traineddata is missing
	osdT bool           // osd was tried
	mu   sync.Mutex
}

// New loads the engine and its language data. ErrUnavailable when the data is missing.
func New(opt Options) (*Engine, error) {
	opt.DataDir = dataDir(opt.DataDir)
	api, err := initAPI(opt.DataDir, opt.langs())
	if err != nil {
		return nil, err
	}
	return &Engine{opt: opt, api: api}, nil
}

func initAPI(dir, langs string) (*C.TessBaseAPI, error) {
	return initAPIFrom(dir, langs, fromMemory(dir, langs))
}

// initAPIFrom loads langs from dir: by Tesseract itself, or read here and given to it in memory.
func initAPIFrom(dir, langs string, mem bool) (*C.TessBaseAPI, error) {
	if err := loadTesseract(); err != nil { // every engine starts here: the library is open after it
		return nil, err
	}
	api := C.TessBaseAPICreate()
	var cdir *C.char
	if dir != "" {
		cdir = C.CString(dir)
		defer C.free(unsafe.Pointer(cdir))
	}
	clang := C.CString(langs)
	defer C.free(unsafe.Pointer(clang))
	var rc C.int
	if mem {
		data, err := os.ReadFile(filepath.Join(dir, langs+".traineddata"))
		if err != nil {
			C.TessBaseAPIDelete(api)
			return nil, fmt.Errorf("ocr: read language data %q: %v: %w", langs, err, ErrUnavailable)
		}
		// Tesseract copies the model out of the buffer.
		cdata := C.CBytes(data)
		defer C.free(cdata)
		rc = C.TessBaseAPIInit5(api, (*C.char)(cdata), C.int(len(data)), clang, C.OEM_DEFAULT, nil, 0, nil, nil, 0, 0)
	} else {
		rc = C.TessBaseAPIInit3(api, cdir, clang)
	}
	if rc != 0 {
		C.TessBaseAPIDelete(api)
		return nil, fmt.Errorf("ocr: load language data %q: %w", langs, ErrUnavailable)
	}
	setVar(api, "debug_file", os.DevNull) // Tesseract's chatter would go to stderr
	return api, nil
}

func setVar(api *C.TessBaseAPI, name, value string) {
	cn, cv := C.CString(name), C.CString(value)
	C.TessBaseAPISetVariable(api, cn, cv)
	C.free(unsafe.Pointer(cn))
	C.free(unsafe.Pointer(cv))
}

// Close frees the engine.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, a := range []*C.TessBaseAPI{e.api, e.osd} {
		if a != nil {
			C.TessBaseAPIEnd(a)
			C.TessBaseAPIDelete(a)
		}
	}
	e.api, e.osd = nil, nil
}

var errClosed = errors.New("ocr: engine closed")

// read recognises g as it lies.
func (e *Engine) read(ctx context.Context, g *image.Gray) (*Page, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.api == nil {
		return nil, errClosed
	}
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	if w == 0 || h == 0 {
		return &Page{Width: w, Height: h}, nil
	}
	// Tesseract keeps a pointer to the pixels while it works: give it C memory.
	n := C.size_t(len(g.Pix))
	pix := C.malloc(n)
	defer C.free(pix)
	copy(unsafe.Slice((*byte)(pix), len(g.Pix)), g.Pix)
	C.TessBaseAPISetImage(e.api, (*C.uchar)(pix), C.int(w), C.int(h), 1, C.int(g.Stride))
	C.TessBaseAPISetSourceResolution(e.api, C.int(e.opt.dpi()))
	defer C.TessBaseAPIClear(e.api)
	defer C.TessBaseAPIClearAdaptiveClassifier(e.api)

	flag := (*C.int)(C.calloc(1, C.size_t(unsafe.Sizeof(C.int(0)))))
	defer C.free(unsafe.Pointer(flag))
	mon := C.TessMonitorCreate()
	defer C.TessMonitorDelete(mon)
	C.rd_monitor_set(mon, flag)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
			*(*int32)(unsafe.Pointer(flag)) = 1
		case <-done:
		}
	}()
	rc := C.TessBaseAPIRecognize(e.api, mon)
	close(done)
	<-stopped
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("ocr: %w", err)
	}
	if rc != 0 {
		return nil, fmt.Errorf("ocr: recognition failed (code %d)", int(rc))
	}
	return assemble(e.words(), w, h), nil
}

// words reads the recognised words; the caller holds e.mu after a successful Recognize.
func (e *Engine) words() []rawWord {
	ri := C.TessBaseAPIGetIterator(e.api)
	if ri == nil {
		return nil
	}
	defer C.TessResultIteratorDelete(ri)
	pi := C.TessResultIteratorGetPageIterator(ri)
	var out []rawWord
	for {
		ct := C.TessResultIteratorGetUTF8Text(ri, C.RIL_WORD)
		if ct != nil {
			txt := C.GoString(ct)
			C.TessDeleteText(ct)
			var l, t, r, b C.int
			if txt != "" && C.TessPageIteratorBoundingBox(pi, C.RIL_WORD, &l, &t, &r, &b) != 0 {
				out = append(out, rawWord{
					text:  txt,
					box:   image.Rect(int(l), int(t), int(r), int(b)),
					conf:  float64(C.TessResultIteratorConfidence(ri, C.RIL_WORD)),
					line:  C.TessPageIteratorIsAtBeginningOf(pi, C.RIL_TEXTLINE) != 0,
					block: C.TessPageIteratorIsAtBeginningOf(pi, C.RIL_BLOCK) != 0,
				})
			}
		}
		if C.TessResultIteratorNext(ri, C.RIL_WORD) == 0 {
			break
		}
	}
	return out
}

// orientation asks Tesseract's orientation detector for the clockwise turn that makes g upright;
// false when it is not installed or not sure.
func (e *Engine) orientation(g *image.Gray) (int, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.osdT {
		e.osdT = true
		dir := e.opt.DataDir
		if dir == "" || fileExists(filepath.Join(dir, "osd.traineddata")) {
			e.osd, _ = initAPI(dir, "osd")
		}
	}
	if e.osd == nil {
		return 0, false
	}
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	pix := C.malloc(C.size_t(len(g.Pix)))
	defer C.free(pix)
	copy(unsafe.Slice((*byte)(pix), len(g.Pix)), g.Pix)
	C.TessBaseAPISetImage(e.osd, (*C.uchar)(pix), C.int(w), C.int(h), 1, C.int(g.Stride))
	C.TessBaseAPISetSourceResolution(e.osd, C.int(e.opt.dpi()))
	defer C.TessBaseAPIClear(e.osd)
	var deg C.int
	var conf, sconf C.float
	var script *C.char
	if C.TessBaseAPIDetectOrientationScript(e.osd, &deg, &conf, &script, &sconf) == 0 {
		return 0, false
	}
	// script points into Tesseract's own tables in 5.x (despite capi.h's comment): never free it.
	// Tesseract's own threshold for trusting it is about 2 (its "min_orientation_margin").
	if float64(conf) < 2 {
		return 0, false
	}
	// deg is the text's counter-clockwise orientation; the clockwise turn back is its complement.
	return (360 - int(deg)) % 360, true
}
