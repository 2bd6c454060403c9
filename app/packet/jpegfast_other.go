//go:build !(linux || windows) || !cgo || nocgo

package packet

import "image"

// fastJPEG: TurboJPEG is used on Linux and Windows only (see jpegfast_cgo.go); image/jpeg encodes here.
func fastJPEG(image.Image, int, bool) ([]byte, bool) { return nil, false }
