//go:build !linux || !cgo || nocgo

package packet

import "image"

// fastJPEG: TurboJPEG is used only on Linux (see jpegfast_linux.go); image/jpeg encodes here.
func fastJPEG(image.Image, int, bool) ([]byte, bool) { return nil, false }
