// Package retention keeps patient data from lingering in the data folder: it removes temporary
// files left by work that was killed mid-write, and the files of orders finished long ago
// (packets, attachment copies, fax forms, downloaded results). The orders' rows and their audit
// trail stay; each removal is written to the audit trail with its count.
//
// Sweep runs at start and once a day (main wires both).
package retention

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// KeyDays is the setting holding the retention period in days; "0" keeps files for ever.
const KeyDays = "retention.days"

// DefaultDays applies when the setting is absent.
const DefaultDays = 30

// StaleAfter is how old a temporary file must be before it counts as left behind: a build or a
// download in progress in another window keeps its file fresh.
const StaleAfter = time.Hour

// Folders of the data folder that hold one sub-folder per order, named by the order's UUID.
var orderFolders = []string{"packets", "attachments", "fax"}

// ResultsFolder holds downloaded results, named result-ID.ext.
const ResultsFolder = "results"

// workFolder is the scratch folder (datadir.Work): everything in it is temporary.
const workFolder = "work"

// Store is what the sweep needs from the local database.
type Store interface {
	app.EventRecorder
	Setting(ctx context.Context, key string) (string, error)
	FinishedOrders(ctx context.Context, before time.Time) ([]app.FinishedOrder, error)
}

// Settings reads and writes the retention period.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Days reads the retention period (DefaultDays when unset).
func Days(ctx context.Context, s interface {
	Setting(ctx context.Context, key string) (string, error)
},
) (int, error) {
	v, err := s.Setting(ctx, KeyDays)
	if err != nil {
		return 0, fmt.Errorf("retention: %w", err)
	}
	if v == "" {
		return DefaultDays, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("retention: setting %s is %q, want a number of days", KeyDays, v)
	}
	return n, nil
}

// SetDays stores the retention period; 0 keeps files for ever.
func SetDays(ctx context.Context, s Settings, days int) error {
	if days < 0 {
		return fmt.Errorf("retention: %d days: want 0 or more", days)
	}
	if err := s.SetSetting(ctx, KeyDays, strconv.Itoa(days)); err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	return nil
}

// Report counts what one sweep removed.
type Report struct {
	TempFiles int // stale temporary files
	Orders    int // finished orders that had files removed
	Files     int // files of those orders
}

// Sweep removes stale temporary files and the files of orders finished more than the retention
// period before now, and records both counts in the audit trail. It keeps going past a file it
// cannot remove and returns those errors joined.
func Sweep(ctx context.Context, st Store, dataDir string, now time.Time) (Report, error) {
	var rep Report
	temps, errTemp := RemoveStaleTemp(dataDir, now)
	rep.TempFiles = temps
	if temps > 0 {
		if err := st.RecordEvent(ctx, app.EventTempCleanup, 0, 0, fmt.Sprintf("files=%d", temps)); err != nil {
			return rep, err
		}
	}
	days, err := Days(ctx, st)
	if err != nil || days == 0 {
		return rep, errors.Join(errTemp, err)
	}
	orders, err := st.FinishedOrders(ctx, now.AddDate(0, 0, -days))
	if err != nil {
		return rep, errors.Join(errTemp, fmt.Errorf("retention: %w", err))
	}
	errs := []error{errTemp}
	for _, o := range orders {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		n, err := removeOrderFiles(dataDir, o)
		errs = append(errs, err)
		if n == 0 {
			continue
		}
		rep.Orders++
		rep.Files += n
		if err := st.RecordEvent(ctx, app.EventRetention, 0, o.ID, fmt.Sprintf("files=%d days=%d", n, days)); err != nil {
			return rep, err
		}
	}
	return rep, errors.Join(errs...)
}

// removeOrderFiles removes the order's folders and downloaded results; it counts files removed.
func removeOrderFiles(dataDir string, o app.FinishedOrder) (int, error) {
	var n int
	var errs []error
	if safeName(o.UUID) {
		for _, f := range orderFolders {
			c, err := removeTree(filepath.Join(dataDir, f, o.UUID))
			n += c
			errs = append(errs, err)
		}
	}
	results := filepath.Join(dataDir, ResultsFolder)
	var paths []string
	for _, id := range o.Results {
		m, _ := filepath.Glob(filepath.Join(results, fmt.Sprintf("result-%d.*", id)))
		paths = append(paths, m...)
	}
	for _, p := range o.ResultPaths {
		if inside(dataDir, p) { // never a file the user keeps elsewhere
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		err := os.Remove(p)
		switch {
		case err == nil:
			n++
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, fmt.Errorf("retention: remove a result of order %d: %w", o.ID, pathCause(err)))
		}
	}
	return n, errors.Join(errs...)
}

// removeTree removes dir and counts the regular files that were in it (0 when absent).
func removeTree(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return 0, fmt.Errorf("retention: remove %s: %w", filepath.Base(filepath.Dir(dir)), pathCause(err))
	}
	return n, nil
}

// IsTemp says whether a file name is one of the app's temporary files: ".packet-*.tmp",
// ".fax-*.tmp" and any other hidden ".tmp" (os.CreateTemp patterns used in the data folder), and
// ".part-*" (downloads in progress).
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && (strings.HasSuffix(name, ".tmp") || strings.HasPrefix(name, ".part-"))
}

// RemoveStaleTemp removes, anywhere in dataDir, temporary files (IsTemp, and everything in the
// work folder) last modified more than StaleAfter before now. It returns how many it removed.
// The database and its -wal/-shm files never match.
func RemoveStaleTemp(dataDir string, now time.Time) (int, error) {
	n := 0
	var errs []error
	work := filepath.Join(dataDir, workFolder)
	err := filepath.WalkDir(dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dataDir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			errs = append(errs, fmt.Errorf("retention: %w", pathCause(err)))
			return nil
		}
		if d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		if !IsTemp(d.Name()) && !inside(work, path) {
			return nil
		}
		info, err := d.Info()
		if err != nil || now.Sub(info.ModTime()) < StaleAfter {
			return nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("retention: remove a temporary file: %w", pathCause(err)))
			return nil
		}
		n++
		return nil
	})
	return n, errors.Join(append(errs, err)...)
}

// safeName: a single path element, so a bad UUID cannot point outside its folder.
func safeName(s string) bool {
	return s != "" && s != "." && s != ".." && filepath.Base(s) == s && !strings.ContainsAny(s, `/\`)
}

// inside: path is within dir (after cleaning), not dir itself.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
