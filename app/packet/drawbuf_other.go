//go:build !linux

package packet

// newDrawBuf: the Go heap (see drawbuf_linux.go).
func newDrawBuf(n int) ([]byte, bool) { return make([]byte, n), false }

func freeDrawBuf([]byte) {}
