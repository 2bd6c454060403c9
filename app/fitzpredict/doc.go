// Package fitzpredict gives the MuPDF that go-fitz links a faster PNG predictor (the /Predictor 10-15
// of a /FlateDecode or /LZWDecode stream, PDF 32000 7.4.4.4), for the programs that read PDFs with it.
//
// MuPDF 1.24.9 undoes a PNG predictor one byte at a time through memory: the "Sub" filter waits for
// each byte it has just stored, and every byte is copied out by a loop that stores its position back
// at each step. On pages drawn from thousands of small predicted images (scanners write them so) that
// was a fifth of the time spent reading the page. The linker is asked to send MuPDF's calls of
// fz_open_predict here (-Wl,--wrap, GNU ld and mingw's ld); rows with a PNG predictor are undone here,
// byte for byte as MuPDF does (a test compares both on generated streams), and every other case (TIFF
// predictor, parameters MuPDF turns down) goes to MuPDF's own function. Elsewhere (macOS, builds
// without cgo) the package is empty and MuPDF's predictor is used.
//
// The same way, MuPDF's zlib streams are set up without the Adler-32 sum of their data (zcheck.go):
// MuPDF ignores a wrong sum anyway, and the sum was 2-3 % of reading a packet's files.
//
// Import it for its side effect; app/packet does, so every program that reads PDFs with MuPDF gets it.
package fitzpredict
