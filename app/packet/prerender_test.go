package packet

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/gen2brain/go-fitz"
)

// The worker that inspects a damaged file draws its pages for the packet; Build writes those images,
// and the packet looks exactly as when Build draws the pages itself.
func TestRepairDrawnByWorker(t *testing.T) {
	samples(t)
	path := filepath.Join(samplesRel, "qpdf--issue-202.pdf")
	in := Inspect(context.Background(), path, testPatient, Options{})
	if in.Err != nil || in.Repaired != RepairedRendered {
		t.Fatalf("issue-202: err %v repaired %q", in.Err, in.Repaired)
	}
	if len(in.drawn) != in.Pages {
		t.Fatalf("worker drew %d pages of %d", len(in.drawn), in.Pages)
	}

	// The same bytes as this process's renderer and encoder give.
	data, err := readInput(path)
	if err != nil {
		t.Fatal(err)
	}
	rend, err := openBuildRenderer(data, "")
	if err != nil {
		t.Fatal(err)
	}
	for p, pi := range in.drawn {
		img, dpi, err := renderForBuild(rend, p, Options{}.dpi(), nil)
		if err != nil {
			t.Fatal(err)
		}
		gray, plain := grayOpaque(img)
		enc, err := encodeJPEG(img, img, gray, plain, true) // as the worker does, on its own pixels
		if err != nil {
			t.Fatal(err)
		}
		if dpi != pi.DPI || gray != pi.Gray || !bytes.Equal(enc, pi.JPEG) {
			t.Errorf("page %d: worker's image (dpi %v gray %v, %d bytes) differs from this process's (dpi %v gray %v, %d bytes)",
				p, pi.DPI, pi.Gray, len(pi.JPEG), dpi, gray, len(enc))
		}
	}
	rend.Close()

	build := func(in *Input) string {
		t.Helper()
		res, err := Build(context.Background(), NewPlan([]*Input{in}, 50, false), testPatient, CoverInfo{}, t.TempDir(), Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Docs[0].Repaired != RepairedRendered {
			t.Errorf("result repaired %q", res.Docs[0].Repaired)
		}
		checkPacket(t, res.Path, testPatient, in.Pages, 50)
		return res.Path
	}
	withDrawn := build(in)
	drawn := in.drawn
	in.drawn = nil
	here := build(in)
	// A drawn page that is not what it claims is drawn again here.
	in.drawn = map[int]pageImage{}
	for p, pi := range drawn {
		pi.W++
		in.drawn[p] = pi
	}
	bad := build(in)

	pixels := func(path string) [][]byte {
		doc, err := fitz.New(path)
		if err != nil {
			t.Fatal(err)
		}
		defer doc.Close()
		var out [][]byte
		for i := 0; i < doc.NumPage(); i++ {
			img, err := doc.ImageDPI(i, 30)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, img.Pix)
		}
		return out
	}
	a, b, c := pixels(withDrawn), pixels(here), pixels(bad)
	if len(a) != len(b) || len(a) != len(c) {
		t.Fatalf("page counts %d, %d, %d", len(a), len(b), len(c))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) || !bytes.Equal(a[i], c[i]) {
			t.Errorf("output page %d differs between the worker's images and this process's", i+1)
		}
	}
}
