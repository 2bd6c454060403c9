package packet

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strconv"

	"github.com/hhrutter/tiff"
)

// ErrUnreadable: the file cannot be read safely; the message says why ("it claims 2,000,000,000
// pages", "it took too long to read", "the reader crashed on it").
var ErrUnreadable = errors.New("this file could not be read")

// Claimed sizes are checked against the file before anything is allocated by them.
const (
	// minPageBytes: no PDF page costs fewer bytes than this (its object alone, "<</Type/Page>>" with
	// its object header, is longer, and so is its cross-reference entry).
	minPageBytes = 16
	// MaxInputPages bounds the pages of one input file, whatever its size.
	MaxInputPages = 100_000
	// maxImagePixels bounds one image (a 600 dpi A3 scan has 70 million pixels).
	maxImagePixels = 120_000_000
)

// checkPageClaim refuses a page count the file cannot hold.
func checkPageClaim(pages int64, size int) error {
	if pages <= MaxInputPages && pages <= int64(size)/minPageBytes+1 {
		return nil
	}
	return fmt.Errorf("%w: it claims %s pages in %s bytes", ErrUnreadable, thousands(pages), thousands(int64(size)))
}

// checkImageClaim reads the image's declared size from its header and refuses an absurd one.
func checkImageClaim(data []byte, imageType string) error {
	var cfg image.Config
	var err error
	switch imageType {
	case "jpeg":
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case "png":
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case "tiff":
		cfg, err = tiff.DecodeConfig(bytes.NewReader(data))
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("empty image: %w", ErrDamaged)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return fmt.Errorf("%w: it claims an image of %s × %s pixels", ErrUnreadable,
			thousands(int64(cfg.Width)), thousands(int64(cfg.Height)))
	}
	return nil
}

// thousands formats n as 2,000,000,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}
