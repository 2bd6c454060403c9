package packet

import (
	"context"
	"image"
	"time"
)

// Service is the packet functions bound to one scratch folder, in the shape the screens use.
type Service struct {
	WorkDir     string        // private folder inside the app's data dir
	FileTimeout time.Duration // time limit for reading one file (0: Options' default)
}

func (s Service) opts(path, password string) Options {
	o := Options{WorkDir: s.WorkDir, FileTimeout: s.FileTimeout}
	if password != "" {
		o.Passwords = map[string]string{path: password}
	}
	return o
}

// Prestart starts a file reader (a sandbox worker) in the background, ahead of the first file the
// user adds; a failure to start is reported when a file is read.
func (s Service) Prestart() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = Prestart(ctx, s.opts("", ""))
	}()
}

// Inspect reads one file; password opens an encrypted PDF ("" when none is known).
func (s Service) Inspect(ctx context.Context, path string, pt Patient, password string) *Input {
	return Inspect(ctx, path, pt, s.opts(path, password))
}

// Thumbnail renders one page (1-based) of a file.
func (s Service) Thumbnail(ctx context.Context, path string, page, maxPx int) (image.Image, error) {
	return Thumbnail(ctx, path, page, maxPx, s.opts(path, ""))
}

// Build writes the packet the plan describes into outDir.
func (s Service) Build(ctx context.Context, plan Plan, pt Patient, cover CoverInfo, outDir string, progress func(done, total int)) (Result, error) {
	return Build(ctx, plan, pt, cover, outDir, s.opts("", ""), progress)
}
