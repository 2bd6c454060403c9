//go:build !(linux || windows) || !cgo || noocr

package ocr

import (
	"context"
	"image"
)

// Available says whether this build has an OCR engine: not this one (see the package comment and
// the README's "OCR of scanned pages").
func Available() bool { return false }

// Engine is a stand-in: New always fails with ErrUnavailable.
type Engine struct{ opt Options }

// New reports that this build has no OCR engine.
func New(Options) (*Engine, error) { return nil, ErrUnavailable }

// Close does nothing.
func (e *Engine) Close() {}

func (e *Engine) read(context.Context, *image.Gray) (*Page, error) { return nil, ErrUnavailable }

func (e *Engine) orientation(*image.Gray) (int, bool) { return 0, false }
