package sandbox

import (
	"debug/buildinfo"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
)

// WorkerProgram is the name of the worker program installed next to the app (WorkerProgram+".exe" on
// Windows; see cmd/referraldesk-worker). It serves the same jobs as the app started with WorkerArg,
// but starts in about half the time: it has no GUI toolkit to load and initialise, and a packet's
// workers start while the user waits.
const WorkerProgram = "referraldesk-worker"

// WorkerProgramFile is the worker program's file name on this system.
func WorkerProgramFile() string {
	if runtime.GOOS == "windows" {
		return WorkerProgram + ".exe"
	}
	return WorkerProgram
}

var sibling struct {
	once sync.Once
	path string
}

// workerCommand is what a pool without Exe starts: the worker program next to this executable when
// it is there and from the same build, else this executable with WorkerArg (`go run`, tests, an
// install without it).
func workerCommand(self string) (string, []string) {
	sibling.once.Do(func() { sibling.path = siblingWorker(self) })
	if sibling.path != "" {
		return sibling.path, nil
	}
	return self, []string{WorkerArg}
}

// siblingWorker is the path of the worker program in self's folder, or "" when there is none or it
// is from another build: a worker whose jobs decode requests another way would answer wrongly.
func siblingWorker(self string) string {
	path := filepath.Join(filepath.Dir(self), WorkerProgramFile())
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || filepath.Clean(path) == filepath.Clean(self) {
		return ""
	}
	mine, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	theirs, err := buildinfo.ReadFile(path)
	if err != nil || !sameBuild(mine, theirs) {
		return ""
	}
	if vcs := build(mine); vcs["vcs.revision"] == "" || vcs["vcs.modified"] == "true" {
		// Built from a changed or unversioned tree, where the build information of two builds can
		// be the same: the worker must be the newer file, as when both are built together.
		me, err := os.Stat(self)
		if err != nil || st.ModTime().Before(me.ModTime().Add(-time.Minute)) {
			return ""
		}
	}
	return path
}

// sameBuild tells whether two programs were built by the same Go, from the same module version and
// source revision, with the same settings.
func sameBuild(a, b *debug.BuildInfo) bool {
	if a.GoVersion != b.GoVersion || a.Main.Path != b.Main.Path || a.Main.Version != b.Main.Version || a.Main.Sum != b.Main.Sum {
		return false
	}
	sa, sb := build(a), build(b)
	for _, k := range []string{"CGO_ENABLED", "GOOS", "GOARCH", "vcs.revision", "vcs.time", "vcs.modified"} {
		if sa[k] != sb[k] {
			return false
		}
	}
	return slices.Equal(tagSet(sa["-tags"]), tagSet(sb["-tags"]))
}

// tagSet is a -tags list sorted (fyne package adds its "release" tag after ours).
func tagSet(tags string) []string {
	set := strings.Split(tags, ",")
	slices.Sort(set)
	return slices.Compact(set)
}

func build(bi *debug.BuildInfo) map[string]string {
	m := map[string]string{}
	for _, s := range bi.Settings {
		m[s.Key] = s.Value
	}
	return m
}
