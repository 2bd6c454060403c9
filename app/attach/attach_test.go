package attach

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func writeJPEG(t *testing.T, path string, shade uint8) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Seen (issue 12 §6): a second IMG_0001.JPG overwrote the first copy, which an order pointed at.
func TestSecondPhotoWithSameNameGetsNewName(t *testing.T) {
	src := t.TempDir()
	dir := filepath.Join(t.TempDir(), "attachments", "order-uuid")
	a, b := filepath.Join(src, "camera1", "IMG_0001.JPG"), filepath.Join(src, "camera2", "IMG_0001.JPG")
	writeJPEG(t, a, 10)
	writeJPEG(t, b, 200)

	first, err := PhotoWithoutLocation(a, dir)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(first)
	second, err := PhotoWithoutLocation(b, dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(first) != "IMG_0001.JPG" || filepath.Base(second) != "IMG_0001 (2).JPG" {
		t.Fatalf("names %q, %q", first, second)
	}
	after, _ := os.ReadFile(first)
	if !bytes.Equal(before, after) {
		t.Fatal("the first copy was overwritten")
	}
	secondBytes, _ := os.ReadFile(second)
	if bytes.Equal(before, secondBytes) {
		t.Fatal("second copy has the first photo's content")
	}
	for _, p := range []string{first, second, dir} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if st.IsDir() {
			want = 0o700
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, st.Mode().Perm(), want)
		}
	}
}

func TestFailedCopyLeavesNothing(t *testing.T) {
	src := filepath.Join(t.TempDir(), "notaphoto.jpg")
	if err := os.WriteFile(src, []byte("%PDF-1.4 not a jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := PhotoWithoutLocation(src, dir); err == nil {
		t.Fatal("a PDF named .jpg was copied as a photo")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}

func TestCreateUniqueConcurrent(t *testing.T) {
	dir := t.TempDir()
	const n = 12
	names := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			f, err := CreateUnique(dir, "scan.pdf")
			if err != nil {
				t.Error(err)
				return
			}
			names <- f.Name()
			f.Close()
		})
	}
	wg.Wait()
	close(names)
	seen := map[string]bool{}
	for p := range names {
		if seen[p] {
			t.Fatalf("%s handed out twice", p)
		}
		seen[p] = true
	}
	if len(seen) != n {
		t.Fatalf("%d files for %d copies", len(seen), n)
	}
}
