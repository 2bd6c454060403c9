//go:build !linux || !cgo || nocgo

package packet

// trimC: only glibc keeps freed memory this way (see trim_linux.go).
func trimC() {}
