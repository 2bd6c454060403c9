// Package fitzlink lets a Windows program that links go-fitz's prebuilt MuPDF libraries be built with
// Debian's mingw-w64 (see link_windows.go); it has nothing to offer elsewhere. Import it for its
// side effect: app/jobs does, so the app and the worker program both get it.
package fitzlink
