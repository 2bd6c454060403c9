package dicom

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// src is a small buffered reader over a file that can skip forward by seeking, so that
// large values (pixel data, waveforms) are stepped over without being read. It counts
// the bytes really read and checks the context before each read from the file.
type src struct {
	r     io.Reader
	seek  io.Seeker // nil when the stream cannot seek (deflated datasets)
	size  int64     // total length of the stream, or -1 when unknown
	buf   []byte
	start int   // unread data is buf[start:end]
	end   int   //
	off   int64 // stream offset of buf[start]
	read  int64 // bytes read from r
	ahead int   // how much to read ahead: small after a seek, growing while reading on
	ctx   context.Context
}

const (
	bufSize       = 4 << 10
	minReadAhead  = 512
	maxValueBytes = 64 << 10 // longest value we read into memory (all wanted values are short)
)

func newSrc(ctx context.Context, r io.Reader, seek io.Seeker, size int64) *src {
	return &src{r: r, seek: seek, size: size, buf: make([]byte, bufSize), ahead: bufSize, ctx: ctx}
}

func (s *src) buffered() int { return s.end - s.start }

// remaining is the number of bytes left after the current position, or -1 if unknown.
func (s *src) remaining() int64 {
	if s.size < 0 {
		return -1
	}
	return s.size - s.off
}

// fill makes sure at least n bytes are buffered; it returns io.EOF if none could be read
// and io.ErrUnexpectedEOF if some but fewer than n were.
func (s *src) fill(n int) error {
	if s.buffered() >= n {
		return nil
	}
	if n > len(s.buf) {
		nb := make([]byte, n)
		copy(nb, s.buf[s.start:s.end])
		s.end -= s.start
		s.start = 0
		s.buf = nb
	} else if s.start+n > len(s.buf) {
		copy(s.buf, s.buf[s.start:s.end])
		s.end -= s.start
		s.start = 0
	}
	for s.buffered() < n {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		want := max(n-s.buffered(), s.ahead)
		k, err := s.r.Read(s.buf[s.end:min(len(s.buf), s.end+want)])
		s.ahead = min(2*s.ahead, bufSize)
		s.end += k
		s.read += int64(k)
		if err != nil {
			// A deflate stream that is cut short says ErrUnexpectedEOF: the data ends there too.
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				if s.buffered() >= n {
					return nil
				}
				if s.buffered() == 0 {
					return io.EOF
				}
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if k == 0 {
			return io.ErrNoProgress
		}
	}
	return nil
}

// atEOF reports whether the stream has no more bytes.
func (s *src) atEOF() (bool, error) {
	err := s.fill(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	return false, err
}

// peek returns up to n buffered bytes without consuming them (fewer at the end of the stream).
func (s *src) peek(n int) ([]byte, error) {
	err := s.fill(n)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	k := min(n, s.buffered())
	return s.buf[s.start : s.start+k], nil
}

// next consumes n bytes; the slice is valid until the next call.
func (s *src) next(n int) ([]byte, error) {
	if err := s.fill(n); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	b := s.buf[s.start : s.start+n]
	s.start += n
	s.off += int64(n)
	return b, nil
}

// skip steps over n bytes, seeking when they are not buffered. It returns
// io.ErrUnexpectedEOF, without moving, when fewer than n bytes are left.
func (s *src) skip(n int64) error {
	if n < 0 {
		return fmt.Errorf("negative skip %d", n)
	}
	if rem := s.remaining(); rem >= 0 && n > rem {
		return io.ErrUnexpectedEOF
	}
	if n <= int64(s.buffered()) {
		s.start += int(n)
		s.off += n
		return nil
	}
	if s.seek != nil {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		target := s.off + n
		if _, err := s.seek.Seek(target, io.SeekStart); err != nil {
			return err
		}
		s.start, s.end = 0, 0
		s.off = target
		s.ahead = minReadAhead
		return nil
	}
	for n > 0 {
		if s.buffered() == 0 {
			if err := s.fill(1); err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return err
			}
		}
		k := min(int64(s.buffered()), n)
		s.start += int(k)
		s.off += k
		n -= k
	}
	return nil
}

// rest returns a reader for everything not yet consumed (buffered bytes first).
func (s *src) rest() io.Reader {
	pending := append([]byte(nil), s.buf[s.start:s.end]...)
	s.start, s.end = 0, 0
	return io.MultiReader(&sliceReader{b: pending}, s.r)
}

type sliceReader struct{ b []byte }

func (r *sliceReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
