package dicom

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image/jpeg"
	"testing"

	"github.com/referraldesk/referraldesk/app/exif"
)

// exifWithGPS builds an APP1 Exif payload: IFD0 with Orientation and a GPS IFD pointer,
// and a GPS IFD with latitude and longitude.
func exifWithGPS(orientation uint16) []byte {
	le := binary.LittleEndian
	var t []byte
	t = append(t, "II*\x00"...)
	t = le.AppendUint32(t, 8)
	// IFD0 at 8: 2 entries.
	t = le.AppendUint16(t, 2)
	t = le.AppendUint16(t, 0x0112) // Orientation
	t = le.AppendUint16(t, 3)
	t = le.AppendUint32(t, 1)
	t = le.AppendUint16(t, orientation)
	t = le.AppendUint16(t, 0)
	gpsIFD := uint32(8 + 2 + 2*12 + 4)
	t = le.AppendUint16(t, 0x8825) // GPSInfo IFD pointer
	t = le.AppendUint16(t, 4)
	t = le.AppendUint32(t, 1)
	t = le.AppendUint32(t, gpsIFD)
	t = le.AppendUint32(t, 0)
	// GPS IFD: LatitudeRef "N", Latitude (3 rationals), LongitudeRef "W", Longitude.
	data := gpsIFD + 2 + 4*12 + 4
	t = le.AppendUint16(t, 4)
	t = le.AppendUint16(t, 1)
	t = le.AppendUint16(t, 2)
	t = le.AppendUint32(t, 2)
	t = append(t, 'N', 0, 0, 0)
	t = le.AppendUint16(t, 2)
	t = le.AppendUint16(t, 5)
	t = le.AppendUint32(t, 3)
	t = le.AppendUint32(t, data)
	t = le.AppendUint16(t, 3)
	t = le.AppendUint16(t, 2)
	t = le.AppendUint32(t, 2)
	t = append(t, 'W', 0, 0, 0)
	t = le.AppendUint16(t, 4)
	t = le.AppendUint16(t, 5)
	t = le.AppendUint32(t, 3)
	t = le.AppendUint32(t, data+24)
	t = le.AppendUint32(t, 0)
	for _, v := range []uint32{40, 1, 26, 1, 4620, 100, 79, 1, 58, 1, 5600, 100} {
		t = le.AppendUint32(t, v)
	}
	return append([]byte("Exif\x00\x00"), t...)
}

func segment(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(len(payload)+2))
	return append(b, payload...)
}

func TestStripJPEGLocation(t *testing.T) {
	plain := testJPEG(t)
	// SOI, then Exif with GPS, XMP with a location, a comment and a GoPro-style APP6, then
	// the encoder's segments; after EOI, a second (MPF-style) image with its own Exif.
	var in []byte
	in = append(in, 0xFF, 0xD8)
	in = append(in, segment(0xE1, exifWithGPS(6))...)
	in = append(in, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>40,26.7N</exif:GPSLatitude></x:xmpmeta>"))...)
	in = append(in, segment(0xFE, []byte("taken at 40.4462N 79.9822W"))...)
	in = append(in, segment(0xE6, []byte("GoPro\x00GPS5 40.44 -79.98"))...)
	in = append(in, plain[2:]...)
	in = append(in, 0xFF, 0xD8)
	in = append(in, segment(0xE1, exifWithGPS(1))...)
	in = append(in, plain[2:]...)

	var out bytes.Buffer
	if err := StripJPEGLocation(bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	got := out.Bytes()
	for _, leak := range [][]byte{{0x25, 0x88}, []byte("GPS"), []byte("40,26"), []byte("79.98"), []byte("xmpmeta"), {79, 0, 0, 0, 1, 0, 0, 0, 58}} {
		if bytes.Contains(got, leak) {
			t.Errorf("output still holds %q", leak)
		}
	}
	o := exif.ReadTIFF(got[bytes.Index(got, []byte("Exif\x00\x00"))+6:]).Orientation
	if o != 6 {
		t.Errorf("orientation %d, want 6 kept", o)
	}
	img, err := jpeg.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if img.Bounds().Dx() != 40 || img.Bounds().Dy() != 30 {
		t.Errorf("size %v", img.Bounds())
	}
	// The encoder's segments and scan data are copied unchanged, and nothing after EOI.
	if !bytes.HasSuffix(got, plain[2:]) {
		t.Errorf("image data changed")
	}
	// A photo without metadata comes out byte for byte.
	out.Reset()
	if err := StripJPEGLocation(bytes.NewReader(plain), &out); err != nil || !bytes.Equal(out.Bytes(), plain) {
		t.Errorf("plain JPEG changed: %v", err)
	}
	// Not a JPEG; a cut JPEG.
	if err := StripJPEGLocation(bytes.NewReader([]byte("\x89PNG....")), &out); !errors.Is(err, ErrNotJPEG) {
		t.Errorf("PNG: %v", err)
	}
	if err := StripJPEGLocation(bytes.NewReader(plain[:len(plain)/2]), &out); err == nil {
		t.Errorf("cut JPEG accepted")
	}
}
