package ocr

import (
	"os"
	"path/filepath"
	"testing"
)

func TestBundledDataDir(t *testing.T) {
	root := t.TempDir()
	write := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Windows layout: <install dir>/referraldesk.exe and <install dir>/tessdata.
	win := filepath.Join(root, "Programs", "ReferralDesk")
	write(filepath.Join(win, "referraldesk.exe"))
	if got := bundledDataDir(filepath.Join(win, "referraldesk.exe")); got != "" {
		t.Errorf("no tessdata folder: got %q, want none", got)
	}
	// A folder without the English model does not count (the engine would fail to load).
	write(filepath.Join(win, "tessdata", "osd.traineddata"))
	if got := bundledDataDir(filepath.Join(win, "referraldesk.exe")); got != "" {
		t.Errorf("tessdata without eng.traineddata: got %q, want none", got)
	}
	write(filepath.Join(win, "tessdata", "eng.traineddata"))
	if got, want := bundledDataDir(filepath.Join(win, "referraldesk.exe")), filepath.Join(win, "tessdata"); got != want {
		t.Errorf("Windows layout: got %q, want %q", got, want)
	}

	// macOS layout: ReferralDesk.app/Contents/MacOS/referraldesk and Contents/Resources/tessdata.
	app := filepath.Join(root, "ReferralDesk.app", "Contents")
	write(filepath.Join(app, "MacOS", "referraldesk"))
	write(filepath.Join(app, "Resources", "tessdata", "eng.traineddata"))
	if got, want := bundledDataDir(filepath.Join(app, "MacOS", "referraldesk")), filepath.Join(app, "Resources", "tessdata"); got != want {
		t.Errorf(".app layout: got %q, want %q", got, want)
	}

	// A symlink to the program (e.g. /usr/local/bin/referraldesk) finds the models of the real one.
	link := filepath.Join(root, "bin", "referraldesk")
	if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(app, "MacOS", "referraldesk"), link); err == nil {
		if got, want := bundledDataDir(link), filepath.Join(app, "Resources", "tessdata"); got != want {
			t.Errorf("through a symlink: got %q, want %q", got, want)
		}
	}
}

func TestDataDirPrecedence(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "referraldesk.exe")
	models := filepath.Join(dir, "tessdata")
	if err := os.MkdirAll(models, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(models, "eng.traineddata"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, dir, prefix, want string }{
		{"bundled folder by default", "", "", models},
		{"Options.DataDir first", "/opt/models", "", "/opt/models"},
		{"Options.DataDir over TESSDATA_PREFIX", "/opt/models", "/env", "/opt/models"},
		// Nothing passed: Tesseract reads TESSDATA_PREFIX itself.
		{"TESSDATA_PREFIX over the bundled folder", "", "/env", ""},
	}
	for _, c := range cases {
		if got := chooseDataDir(c.dir, c.prefix, exe); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	// The test binary has no models beside it: the engine's own default.
	t.Setenv("TESSDATA_PREFIX", "")
	if got := dataDir(""); got != "" {
		t.Errorf("test binary, nothing set: got %q, want the engine default", got)
	}
}
