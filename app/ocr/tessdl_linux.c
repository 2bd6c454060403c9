//go:build linux && cgo && !noocr

// Tesseract is opened with dlopen on first use instead of being linked: libtesseract brings some
// forty shared libraries (Leptonica's image codecs, libarchive, libcurl and theirs) that every
// process of the app would load at start, about 40 ms each time, although only the sandbox workers
// that read a scanned page need them. These functions stand in for Tesseract's C API (the names of
// capi.h, so the Go code calls them as it would the library) and call it through pointers that
// rd_tess_load fills.

#include <dlfcn.h>
#include <tesseract/capi.h>

#define RD_TESS_FUNCS(X, XV)                                                                       \
	XV(TessBaseAPIClear, (TessBaseAPI * h), (h))                                                  \
	XV(TessBaseAPIClearAdaptiveClassifier, (TessBaseAPI * h), (h))                                \
	X(TessBaseAPI *, TessBaseAPICreate, (void), ())                                               \
	XV(TessBaseAPIDelete, (TessBaseAPI * h), (h))                                                 \
	X(BOOL, TessBaseAPIDetectOrientationScript,                                                   \
	  (TessBaseAPI * h, int *deg, float *conf, const char **script, float *sconf),                \
	  (h, deg, conf, script, sconf))                                                              \
	XV(TessBaseAPIEnd, (TessBaseAPI * h), (h))                                                    \
	X(TessResultIterator *, TessBaseAPIGetIterator, (TessBaseAPI * h), (h))                       \
	X(int, TessBaseAPIInit3, (TessBaseAPI * h, const char *dir, const char *lang), (h, dir, lang)) \
	X(int, TessBaseAPIInit5,                                                                      \
	  (TessBaseAPI * h, const char *data, int size, const char *lang, TessOcrEngineMode mode,     \
	   char **configs, int nconfigs, char **vars, char **values, size_t nvars, BOOL nondebug),    \
	  (h, data, size, lang, mode, configs, nconfigs, vars, values, nvars, nondebug))              \
	X(int, TessBaseAPIRecognize, (TessBaseAPI * h, ETEXT_DESC * m), (h, m))                       \
	XV(TessBaseAPISetImage, (TessBaseAPI * h, const unsigned char *d, int w, int ht, int bpp, int bpl), \
	   (h, d, w, ht, bpp, bpl))                                                                   \
	XV(TessBaseAPISetSourceResolution, (TessBaseAPI * h, int ppi), (h, ppi))                      \
	X(BOOL, TessBaseAPISetVariable, (TessBaseAPI * h, const char *n, const char *v), (h, n, v))   \
	XV(TessDeleteText, (const char *t), (t))                                                      \
	X(ETEXT_DESC *, TessMonitorCreate, (void), ())                                                \
	XV(TessMonitorDelete, (ETEXT_DESC * m), (m))                                                  \
	XV(TessMonitorSetCancelFunc, (ETEXT_DESC * m, TessCancelFunc f), (m, f))                      \
	XV(TessMonitorSetCancelThis, (ETEXT_DESC * m, void *p), (m, p))                               \
	X(BOOL, TessPageIteratorBoundingBox,                                                          \
	  (const TessPageIterator *it, TessPageIteratorLevel l, int *x0, int *y0, int *x1, int *y1),  \
	  (it, l, x0, y0, x1, y1))                                                                    \
	X(BOOL, TessPageIteratorIsAtBeginningOf, (const TessPageIterator *it, TessPageIteratorLevel l), \
	  (it, l))                                                                                    \
	X(float, TessResultIteratorConfidence, (const TessResultIterator *it, TessPageIteratorLevel l), \
	  (it, l))                                                                                    \
	XV(TessResultIteratorDelete, (TessResultIterator * it), (it))                                 \
	X(TessPageIterator *, TessResultIteratorGetPageIterator, (TessResultIterator * it), (it))     \
	X(char *, TessResultIteratorGetUTF8Text, (const TessResultIterator *it, TessPageIteratorLevel l), \
	  (it, l))                                                                                    \
	X(BOOL, TessResultIteratorNext, (TessResultIterator * it, TessPageIteratorLevel l), (it, l))

#define RD_PTR(ret, name, params, args) static ret(*p_##name) params;
#define RD_PTRV(name, params, args) static void(*p_##name) params;
RD_TESS_FUNCS(RD_PTR, RD_PTRV)

#define RD_WRAP(ret, name, params, args) \
	__attribute__((visibility("hidden"))) ret name params { return p_##name args; }
#define RD_WRAPV(name, params, args) \
	__attribute__((visibility("hidden"))) void name params { p_##name args; }
RD_TESS_FUNCS(RD_WRAP, RD_WRAPV)

// rd_tess_load opens the library and finds every function: 1, or 0 when it is not installed (or
// not a Tesseract 5 with this C API). Called once (the Go side holds a sync.Once).
int rd_tess_load(void)
{
	void *lib = dlopen("libtesseract.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return 0;
#define RD_LOAD(ret, name, params, args)                    \
	if (!(p_##name = (ret(*) params)dlsym(lib, #name))) \
		return 0;
#define RD_LOADV(name, params, args)                         \
	if (!(p_##name = (void(*) params)dlsym(lib, #name))) \
		return 0;
	RD_TESS_FUNCS(RD_LOAD, RD_LOADV)
	return 1;
}
