package exif

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"testing"
	"time"
)

// photo encodes a real JPEG and puts an Exif APP1 block after SOI: IFD0 with the orientation
// and a pointer to an Exif sub-IFD holding DateTimeOriginal.
func photo(t *testing.T, orientation uint16, taken string) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, image.NewGray(image.Rect(0, 0, 8, 6)), nil); err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	tiff := []byte("MM\x00*")
	tiff = be.AppendUint32(tiff, 8)
	tiff = be.AppendUint16(tiff, 2)
	tiff = append(be.AppendUint32(be.AppendUint16(be.AppendUint16(tiff, 0x0112), 3), 1), 0, byte(orientation), 0, 0)
	tiff = be.AppendUint32(be.AppendUint32(be.AppendUint16(be.AppendUint16(tiff, 0x8769), 4), 1), 38)
	tiff = be.AppendUint32(tiff, 0) // no next IFD; the sub-IFD starts at 38
	tiff = be.AppendUint16(tiff, 1)
	tiff = be.AppendUint32(be.AppendUint32(be.AppendUint16(be.AppendUint16(tiff, 0x9003), 2), 20), 56)
	tiff = be.AppendUint32(tiff, 0)
	tiff = append(tiff, taken+"\x00"...)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1}
	out = be.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, enc.Bytes()[2:]...)
}

func TestReadJPEG(t *testing.T) {
	b := photo(t, 6, "2024:03:05 14:30:00")
	if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("test photo does not decode: %v", err)
	}
	in := ReadJPEG(b)
	if in.Orientation != 6 {
		t.Errorf("orientation %d, want 6", in.Orientation)
	}
	want := time.Date(2024, 3, 5, 14, 30, 0, 0, time.Local)
	if !in.Taken.Equal(want) {
		t.Errorf("taken %v, want %v", in.Taken, want)
	}
}

func TestOrientationBlockRoundTrip(t *testing.T) {
	for o := 1; o <= 8; o++ {
		if got := ReadTIFF(OrientationBlock(o)[6:]).Orientation; got != o {
			t.Errorf("orientation %d read back as %d", o, got)
		}
	}
}

func TestBrokenData(t *testing.T) {
	b := photo(t, 3, "2024:03:05 14:30:00")
	for n := range len(b) {
		in := ReadJPEG(b[:n]) // must not panic on any truncation
		if in.Orientation < 1 || in.Orientation > 8 {
			t.Fatalf("truncated at %d: orientation %d", n, in.Orientation)
		}
	}
	if in := ReadJPEG([]byte("not a jpeg")); in.Orientation != 1 || !in.Taken.IsZero() {
		t.Errorf("not a JPEG: %+v", in)
	}
}
