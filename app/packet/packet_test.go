package packet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"
)

const samplesRel = "../../../shared/data/pdfs"

// samplePasswords are the user passwords from the sample folder's README.
var samplePasswords = map[string]string{
	"pypdf--libreoffice-writer-password.pdf": "openpassword",
	"pypdf--r4-aes-user-password.pdf":        "asdfzxcv",
	"qpdf--enc-R3_V2_U_view_O_master.pdf":    "view",
	"qpdf--20-pages.pdf":                     "user",
}

var testPatient = Patient{Family: "Doe", Given: "Jane", DOB: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), MRN: "123"}

// benchCover is the cover of the benchmark's packets (benchpacket_test.go) and of other tests' builds.
var benchCover = CoverInfo{ProviderName: "Smith, John, MD", ProviderNPI: "1234567890", Department: "Cardiology"}

func samples(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(samplesRel, "*.pdf"))
	if len(files) == 0 {
		t.Skipf("sample PDFs not found in %s (the shared data folder is missing); skipping", samplesRel)
	}
	return files
}

func sampleOptions() Options {
	return Options{Passwords: samplePasswords, FileTimeout: time.Minute}
}

// checkPacket re-opens a packet independently and checks every page's stamp.
func checkPacket(t *testing.T, path string, pt Patient, wantPages, limit int) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", filepath.Base(path), st.Mode().Perm())
	}
	doc, err := fitz.New(path)
	if err != nil {
		t.Fatalf("fitz open: %v", err)
	}
	defer doc.Close()
	n := doc.NumPage()
	if n != wantPages || n > limit {
		t.Fatalf("%s: %d pages, want %d (limit %d)", filepath.Base(path), n, wantPages, limit)
	}
	for i := 0; i < n; i++ {
		text, err := doc.Text(i)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		text = normSpace(text)
		for _, want := range []string{"DOE, Jane", "DOB " + pt.DOB.Format(time.DateOnly), fmt.Sprintf("page %d of %d", i+1, n)} {
			if !strings.Contains(text, want) {
				t.Errorf("%s page %d: %q not found in text", filepath.Base(path), i+1, want)
			}
		}
	}
}

// stampVisible renders the page and looks for dark pixels in the bottom band of the displayed page.
func stampVisible(t *testing.T, doc *fitz.Document, i int) bool {
	t.Helper()
	dpi := 72.0
	if pb, err := doc.Bound(i); err == nil && min(pb.Dx(), pb.Dy()) < 400 {
		dpi = 72 * 400 / float64(max(min(pb.Dx(), pb.Dy()), 1)) // small fax pages
	}
	img, err := doc.ImageDPI(i, dpi)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	dark := 0
	for y := b.Max.Y - b.Dy()/25 - 3; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 300 {
				dark++
			}
		}
	}
	return dark > 5
}

func TestEverySample(t *testing.T) {
	files := samples(t)
	out := t.TempDir()
	ctx := context.Background()
	opt := sampleOptions()
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			in := Inspect(ctx, f, testPatient, opt)
			if in.Err != nil {
				t.Fatalf("inspect: %v", in.Err)
			}
			plan := NewPlan([]*Input{in}, DefaultMaxPages, true)
			dir := filepath.Join(out, strings.TrimSuffix(name, ".pdf"))
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			res, err := Build(ctx, plan, testPatient, CoverInfo{ProviderName: "Smith, John, MD", ProviderNPI: "1234567890", Department: "Cardiology"}, dir, opt, nil)
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			want := min(in.Pages+1, DefaultMaxPages)
			checkPacket(t, res.Path, testPatient, want, DefaultMaxPages)
			doc, err := fitz.New(res.Path)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < doc.NumPage(); i++ {
				if !stampVisible(t, doc, i) {
					t.Errorf("page %d: no visible stamp in the bottom band", i+1)
				}
			}
			_ = doc.Close()
			if len(plan.Dropped) != in.Pages+1-want {
				t.Errorf("dropped %d pages, want %d", len(plan.Dropped), in.Pages+1-want)
			}
			t.Logf("%s: %d pages, date %s (%s) check=%v repaired=%q notes=%v flags=%d blank=%v dups=%d in %v",
				name, in.Pages, in.Date.Format(time.DateOnly), in.DateSource, in.CheckDate, in.Repaired, res.Notes, len(in.Flags), in.Blank, len(in.DupOf), time.Since(start).Round(time.Millisecond))
		})
	}
}

func TestPasswords(t *testing.T) {
	samples(t)
	ctx := context.Background()
	for name, pw := range samplePasswords {
		f := filepath.Join(samplesRel, name)
		if in := Inspect(ctx, f, testPatient, Options{}); !errors.Is(in.Err, ErrEncrypted) {
			t.Errorf("%s without password: err %v, want ErrEncrypted", name, in.Err)
		}
		if in := Inspect(ctx, f, testPatient, Options{Passwords: map[string]string{f: "nope"}}); !errors.Is(in.Err, ErrWrongPassword) {
			t.Errorf("%s wrong password: err %v, want ErrWrongPassword", name, in.Err)
		}
		if in := Inspect(ctx, f, testPatient, Options{Passwords: map[string]string{name: pw}}); in.Err != nil || in.Pages == 0 {
			t.Errorf("%s with password: err %v pages %d", name, in.Err, in.Pages)
		}
	}
	// Owner-password-only files open without asking.
	for _, name := range []string{"pypdf--r6-owner-password.pdf", "qpdf--V4-aes.pdf", "qpdf--encrypted-with-images.pdf"} {
		if in := Inspect(ctx, filepath.Join(samplesRel, name), testPatient, Options{}); in.Err != nil {
			t.Errorf("%s: %v", name, in.Err)
		}
	}
}

func TestStampVisibleRotatedAndScanned(t *testing.T) {
	samples(t)
	ctx := context.Background()
	out := t.TempDir()
	var inputs []*Input
	for _, name := range []string{
		"pysamples--habibi-rotated.pdf", "qpdf--inherited-rotate.pdf", "qpdf--rotated.pdf",
		"pypdf--Seige_of_Vicksburg_Sample_OCR.pdf", "qpdf--boxes.pdf", "qpdf--fax-decode-parms.pdf",
	} {
		in := Inspect(ctx, filepath.Join(samplesRel, name), testPatient, Options{})
		if in.Err != nil {
			t.Fatal(in.Err)
		}
		inputs = append(inputs, in)
	}
	plan := NewPlan(inputs, 50, true)
	res, err := Build(ctx, plan, testPatient, CoverInfo{}, out, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPacket(t, res.Path, testPatient, 50, 50)
	doc, err := fitz.New(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	for i := 0; i < doc.NumPage(); i++ {
		if !stampVisible(t, doc, i) {
			t.Errorf("page %d: no visible stamp in the bottom band", i+1)
		}
	}
}

// Inspect is safe to run in parallel (the UI inspects dropped files concurrently).
func TestInspectParallel(t *testing.T) {
	files := samples(t)
	if len(files) > 12 {
		files = files[:12]
	}
	done := make(chan *Input, len(files))
	for _, f := range files {
		go func() { done <- Inspect(context.Background(), f, testPatient, sampleOptions()) }()
	}
	var inputs []*Input
	for range files {
		in := <-done
		if in.Err != nil && !errors.Is(in.Err, ErrEncrypted) {
			t.Errorf("%s: %v", in.Path, in.Err)
		}
		inputs = append(inputs, in)
	}
	MarkDuplicates(inputs)
	plan := NewPlan(inputs, 50, true)
	res, err := Build(context.Background(), plan, testPatient, CoverInfo{}, t.TempDir(), sampleOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPacket(t, res.Path, testPatient, plan.Total(), 50)
}
