//go:build !cgo || nocgo

package packet

// Without cgo, Build renders with go-fitz.
func openDirectRenderer([]byte, bool) (r pageRenderer, ok bool, err error) { return nil, false, nil }

func openDirectRendererFile(string) (r pageRenderer, ok bool, err error) { return nil, false, nil }

func warmRenderer(int) {}
