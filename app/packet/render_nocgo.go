//go:build !cgo || nocgo

package packet

import "image"

// Without cgo, Build renders with go-fitz.
func openDirectRenderer([]byte, bool) (r pageRenderer, ok bool, err error) { return nil, false, nil }

func openDirectRendererFile(string) (r pageRenderer, ok bool, err error) { return nil, false, nil }

func warmRenderer(int) {}

func renderThumbnailSplit(pageRenderer, string, int, int) (image.Image, bool, error) {
	return nil, false, nil
}

func thumbnailParts() int { return 1 }

func fitImagesToPage(pageRenderer) {}

func forAnalysis(pageRenderer) {}
