package ocr

import (
	"os"
	"path/filepath"
)

// dataDir is the language-data folder the engine loads: dir when given; else, when TESSDATA_PREFIX is
// set, none (Tesseract reads the variable itself, so it still wins); else the tessdata folder that
// ships with the program (see bundledDataDir); else none: the engine's built-in default (on Debian
// /usr/share/tesseract-ocr/5/tessdata).
func dataDir(dir string) string {
	exe, err := os.Executable()
	if err != nil {
		exe = ""
	}
	return chooseDataDir(dir, os.Getenv("TESSDATA_PREFIX"), exe)
}

func chooseDataDir(dir, prefix, exe string) string {
	if dir != "" || prefix != "" || exe == "" {
		return dir
	}
	return bundledDataDir(exe)
}

// bundledDataDir is the models folder installed with the program exe, if it holds eng.traineddata:
// <exe dir>/tessdata (the Windows MSI) or <exe dir>/../Resources/tessdata (a macOS .app); "" if none.
func bundledDataDir(exe string) string {
	if r, err := filepath.EvalSymlinks(exe); err == nil {
		exe = r
	}
	base := filepath.Dir(exe)
	for _, d := range []string{filepath.Join(base, "tessdata"), filepath.Join(base, "..", "Resources", "tessdata")} {
		if fileExists(filepath.Join(d, "eng.traineddata")) {
			return filepath.Clean(d)
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
