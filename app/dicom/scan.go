package dicom

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/sandbox"
	"github.com/suyashkumar/dicom/pkg/uid"
)

// PatientInfo is the patient as the images name it. Name is the DICOM person name
// (Family^Given^Middle^Prefix^Suffix, alphabetic group only), BirthDate is YYYYMMDD.
type PatientInfo struct {
	Name      string `json:"name"`
	ID        string `json:"id"`
	BirthDate string `json:"birth_date"`
	Sex       string `json:"sex"`
}

// Instance is one DICOM file, from its header.
type Instance struct {
	Path              string      `json:"path"`
	Size              int64       `json:"size"`
	BytesRead         int64       `json:"-"` // bytes read to get the header (pixel data is never read)
	Patient           PatientInfo `json:"patient"`
	StudyInstanceUID  string      `json:"study_uid"`
	StudyDate         string      `json:"study_date"` // YYYYMMDD
	StudyTime         string      `json:"study_time,omitempty"`
	StudyDescription  string      `json:"study_description,omitempty"`
	AccessionNumber   string      `json:"accession_number,omitempty"`
	SeriesInstanceUID string      `json:"series_uid"`
	SeriesNumber      int         `json:"series_number,omitempty"`
	Modality          string      `json:"modality"`
	SeriesDescription string      `json:"series_description,omitempty"`
	SOPInstanceUID    string      `json:"sop_instance_uid"`
	SOPClassUID       string      `json:"sop_class_uid"`
	InstanceNumber    int         `json:"instance_number,omitempty"`
	Frames            int         `json:"frames,omitempty"`
	TransferSyntax    string      `json:"transfer_syntax"`
}

// TransferSyntaxName is the transfer syntax's name, e.g. "JPEG Baseline (Process 1)".
func (in Instance) TransferSyntaxName() string { return uidName(in.TransferSyntax) }

// SOPClassName is the SOP class's name, e.g. "CT Image Storage".
func (in Instance) SOPClassName() string { return uidName(in.SOPClassUID) }

func uidName(u string) string {
	if info, err := uid.Lookup(u); err == nil {
		return info.Name
	}
	return u
}

// Rejected is a file that cannot be sent: Reason is the technical reason (English, no patient
// data), Message what to tell the user. Err wraps ErrNotDICOM, ErrDamaged, ErrIncomplete or
// ErrUnreadable.
type Rejected struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	Reason string `json:"reason"`
	Err    error  `json:"-"`
}

// Message codes of a rejected file, by kind; detail is the technical reason.
var (
	RejectedNotDICOM   = msg.Define("dicom.rejected.not_dicom", "detail")
	RejectedDamaged    = msg.Define("dicom.rejected.damaged", "detail")
	RejectedIncomplete = msg.Define("dicom.rejected.incomplete", "detail")
	RejectedUnreadable = msg.Define("dicom.rejected.unreadable", "detail")
	RejectedOther      = msg.Define("dicom.rejected.other", "detail")
)

// Message says why the file cannot be sent: its kind in the user's words, and the technical
// detail.
func (r Rejected) Message() msg.Msg {
	for _, k := range []struct {
		err  error
		code msg.Code
	}{{ErrNotDICOM, RejectedNotDICOM}, {ErrDamaged, RejectedDamaged}, {ErrIncomplete, RejectedIncomplete}, {ErrUnreadable, RejectedUnreadable}} {
		if errors.Is(r.Err, k.err) {
			detail := strings.TrimPrefix(r.Reason, k.err.Error())
			detail = strings.Trim(strings.TrimPrefix(detail, ":"), " ()")
			return msg.New(k.code, detail)
		}
	}
	return msg.New(RejectedOther, r.Reason)
}

// Duplicate is a readable DICOM file whose SOP Instance UID was already found in another
// file (Of); only the first, in path order, is kept for grouping and upload.
type Duplicate struct {
	Instance Instance `json:"instance"`
	Of       string   `json:"of"`
}

// ScanOptions tune Scan; the zero value is fine.
type ScanOptions struct {
	Workers        int           // files parsed at once, 2–4; 0: by the number of CPUs
	FileTimeout    time.Duration // time allowed per file; 0: 10 s
	IgnoreDICOMDIR bool          // walk every file even where a DICOMDIR lists them
	// Isolate reads each header in a sandbox worker process (Pool, nil: sandbox.Default()), as the
	// app does for discs and folders from outside the clinic: a crash, hang or allocation bomb in
	// the reader then rejects that one file instead of ending the app.
	Isolate bool
	Pool    *sandbox.Pool
}

// ScanResult is what a scan found. Instances, Duplicates and Rejected are in path order.
type ScanResult struct {
	Roots      []string    `json:"roots"`
	Instances  []Instance  `json:"instances"` // one per SOP Instance UID
	Duplicates []Duplicate `json:"duplicates,omitempty"`
	Rejected   []Rejected  `json:"rejected,omitempty"`
	Patients   []Patient   `json:"patients"`
	DICOMDIRs  []string    `json:"dicomdirs,omitempty"` // DICOMDIR files used to find the images
	Skipped    int         `json:"skipped"`             // hidden and system files not looked at
}

// DefaultFileTimeout caps the time spent reading one file's header.
const DefaultFileTimeout = 10 * time.Second

// Scan finds the DICOM files under root (a folder, a drive or a single file) and reads
// their headers. See ScanPaths.
func Scan(ctx context.Context, root string, opts ScanOptions, progress func(done, total int)) (*ScanResult, error) {
	return ScanPaths(ctx, []string{root}, opts, progress)
}

// ScanPaths scans folders and files (dropped files, say). Files are recognised by content,
// not by name. Where a folder holds a DICOMDIR, the files it lists are read (each one is
// still checked) and the rest of that folder is not walked, unless opts.IgnoreDICOMDIR.
// Hidden and system files (.DS_Store, Thumbs.db, ...) are skipped; symbolic links are
// followed except into a folder being walked already. Files that cannot be used are
// listed in Rejected with the reason; Scan stops only when ctx is done (returning
// ctx.Err()) or a root cannot be read at all. progress, if not nil, is called from the
// calling goroutine with (0, total) once the files are listed, then after each file.
func ScanPaths(ctx context.Context, roots []string, opts ScanOptions, progress func(done, total int)) (*ScanResult, error) {
	res := &ScanResult{Roots: roots}
	w := walker{ctx: ctx, opts: opts, res: res, seen: map[string]bool{}}
	for _, root := range roots {
		if err := w.root(root); err != nil {
			return nil, err
		}
	}
	files := w.files
	total := len(files)
	if progress != nil {
		progress(0, total)
	}

	workers := opts.Workers
	if workers <= 0 {
		workers = min(4, max(2, runtime.NumCPU()))
	}
	timeout := opts.FileTimeout
	if timeout <= 0 {
		timeout = DefaultFileTimeout
	}

	type result struct {
		i    int
		inst Instance
		err  error
	}
	jobs := make(chan int)
	results := make(chan result)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range min(workers, max(total, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				in, err := readOne(wctx, files[i].path, opts, timeout)
				select {
				case results <- result{i, in, err}:
				case <-wctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case jobs <- i:
			case <-wctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	instances := make([]*Instance, total)
	for done := 0; done < total; done++ {
		var r result
		select {
		case r = <-results:
		case <-ctx.Done():
			return nil, fmt.Errorf("dicom: scan: %w", ctx.Err())
		}
		f := files[r.i]
		switch {
		case r.err == nil:
			in := r.inst
			in.Path = f.path
			instances[r.i] = &in
		case errors.Is(r.err, context.Canceled) || ctx.Err() != nil:
			return nil, fmt.Errorf("dicom: scan: %w", ctx.Err())
		default:
			size := r.inst.Size
			if size == 0 {
				if st, err := os.Stat(f.path); err == nil {
					size = st.Size()
				}
			}
			res.Rejected = append(res.Rejected, Rejected{Path: f.path, Size: size, Reason: r.err.Error(), Err: r.err})
		}
		if progress != nil {
			progress(done+1, total)
		}
	}

	// Keep the first file (in path order) of each SOP Instance UID.
	kept := map[string]string{}
	var all []Instance
	for _, in := range instances {
		if in != nil {
			all = append(all, *in)
		}
	}
	slices.SortFunc(all, func(a, b Instance) int { return strings.Compare(a.Path, b.Path) })
	for _, in := range all {
		if first, ok := kept[in.SOPInstanceUID]; ok {
			res.Duplicates = append(res.Duplicates, Duplicate{Instance: in, Of: first})
			continue
		}
		kept[in.SOPInstanceUID] = in.Path
		res.Instances = append(res.Instances, in)
	}
	slices.SortFunc(res.Rejected, func(a, b Rejected) int { return strings.Compare(a.Path, b.Path) })
	res.Patients = Group(res.Instances)
	return res, nil
}

// readOne reads and checks one file's header, in this process or in a sandbox worker. On failure the
// instance still carries the size when the reader got that far.
func readOne(ctx context.Context, path string, opts ScanOptions, timeout time.Duration) (Instance, error) {
	if opts.Isolate {
		return ReadHeaderIsolated(ctx, opts.Pool, path, timeout)
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	h, err := readHeaderFile(fctx, path, false)
	if h == nil {
		return Instance{}, err
	}
	if err == nil {
		err = h.validate()
	}
	return h.inst, err
}

type candidate struct {
	path string
}

type walker struct {
	ctx   context.Context
	opts  ScanOptions
	res   *ScanResult
	files []candidate
	seen  map[string]bool // cleaned paths already queued (a file named twice, or by a DICOMDIR and a root)
	stack []os.FileInfo   // folders being walked, to stop symlink loops
}

func (w *walker) add(path string) {
	if w.seen[path] {
		return
	}
	w.seen[path] = true
	w.files = append(w.files, candidate{path: path})
}

func (w *walker) reject(path string, err error) {
	w.res.Rejected = append(w.res.Rejected, Rejected{Path: path, Reason: err.Error(), Err: err})
}

func (w *walker) root(root string) error {
	root = filepath.Clean(root)
	st, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("dicom: scan %s: %w", root, err)
	}
	if !st.IsDir() {
		if strings.EqualFold(filepath.Base(root), "DICOMDIR") && !w.opts.IgnoreDICOMDIR {
			// The DICOMDIR itself was chosen: read what it lists, or else its folder.
			if dir := filepath.Dir(root); !w.fromDICOMDIR(dir, root) {
				dst, err := os.Stat(dir)
				if err != nil {
					return fmt.Errorf("dicom: scan %s: %w", dir, err)
				}
				return w.dir(dir, dst)
			}
			return nil
		}
		if st.Mode().IsRegular() {
			w.add(root)
			return nil
		}
		return fmt.Errorf("dicom: scan %s: not a folder or a regular file", root)
	}
	return w.dir(root, st)
}

// systemNames are folders and files that operating systems put on drives.
var systemNames = map[string]bool{
	"thumbs.db": true, "desktop.ini": true, "$recycle.bin": true, "system volume information": true,
	"__macosx": true, "lost+found": true, "autorun.inf": true, "ehthumbs.db": true,
}

func hiddenOrSystem(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || systemNames[strings.ToLower(name)]
}

func (w *walker) dir(dir string, st os.FileInfo) error {
	if err := w.ctx.Err(); err != nil {
		return fmt.Errorf("dicom: scan: %w", err)
	}
	for _, a := range w.stack {
		if os.SameFile(a, st) {
			return nil // a symbolic link back into a folder being walked
		}
	}
	w.stack = append(w.stack, st)
	defer func() { w.stack = w.stack[:len(w.stack)-1] }()

	entries, err := os.ReadDir(dir)
	if err != nil {
		if len(w.stack) == 1 {
			return fmt.Errorf("dicom: scan %s: %w", dir, err)
		}
		w.reject(dir, fmt.Errorf("%w: folder cannot be read: %s", ErrUnreadable, plainOSError(err)))
		return nil
	}
	if !w.opts.IgnoreDICOMDIR {
		for _, e := range entries {
			if strings.EqualFold(e.Name(), "DICOMDIR") && !e.IsDir() {
				if w.fromDICOMDIR(dir, filepath.Join(dir, e.Name())) {
					return nil
				}
				break
			}
		}
	}
	for _, e := range entries {
		name := e.Name()
		if hiddenOrSystem(name) {
			w.res.Skipped++
			continue
		}
		p := filepath.Join(dir, name)
		if strings.EqualFold(name, "DICOMDIR") {
			continue // an index, not an image; used above unless IgnoreDICOMDIR
		}
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			fi, err := os.Stat(p)
			if err != nil {
				w.reject(p, fmt.Errorf("%w: broken link", ErrUnreadable))
				continue
			}
			mode = fi.Mode().Type()
			if fi.IsDir() {
				if err := w.dir(p, fi); err != nil {
					return err
				}
				continue
			}
		}
		switch {
		case mode.IsDir():
			fi, err := e.Info()
			if err != nil {
				w.reject(p, fmt.Errorf("%w: %s", ErrUnreadable, plainOSError(err)))
				continue
			}
			if err := w.dir(p, fi); err != nil {
				return err
			}
		case mode.IsRegular():
			w.add(p)
		default:
			w.res.Skipped++ // devices, sockets, pipes: never opened
		}
	}
	return nil
}

// fromDICOMDIR queues the files a DICOMDIR lists. It returns false when the DICOMDIR is
// unusable (then the folder is walked instead, and the DICOMDIR listed as rejected).
func (w *walker) fromDICOMDIR(dir, path string) bool {
	timeout := w.opts.FileTimeout
	if timeout <= 0 {
		timeout = DefaultFileTimeout
	}
	fctx, cancel := context.WithTimeout(w.ctx, timeout)
	defer cancel()
	h, err := readHeaderFile(fctx, path, true)
	if err == nil && len(h.dirRecords) == 0 {
		err = fmt.Errorf("%w: DICOMDIR lists no files", ErrIncomplete)
	}
	if err != nil {
		w.reject(path, fmt.Errorf("DICOMDIR not usable, the folder was searched instead: %w", err))
		return false
	}
	w.res.DICOMDIRs = append(w.res.DICOMDIRs, path)
	resolver := caseResolver{}
	for _, rec := range h.dirRecords {
		parts := splitValues(rec.fileID)
		rel := filepath.Join(parts...)
		if !filepath.IsLocal(rel) {
			w.reject(filepath.Join(dir, rel), fmt.Errorf("%w: DICOMDIR points outside its folder", ErrUnreadable))
			continue
		}
		p, ok := resolver.resolve(dir, parts)
		if !ok {
			w.reject(filepath.Join(dir, rel), fmt.Errorf("%w: listed in the DICOMDIR but not found", ErrUnreadable))
			continue
		}
		w.add(p)
	}
	return true
}

// caseResolver finds DICOMDIR file IDs (upper case on ISO 9660 discs) whatever case the
// file system shows them in.
type caseResolver map[string][]os.DirEntry

func (c caseResolver) resolve(dir string, parts []string) (string, bool) {
	cur := dir
	for _, part := range parts {
		p := filepath.Join(cur, part)
		if _, err := os.Lstat(p); err == nil {
			cur = p
			continue
		}
		entries, ok := c[cur]
		if !ok {
			entries, _ = os.ReadDir(cur)
			c[cur] = entries
		}
		found := false
		for _, e := range entries {
			if strings.EqualFold(e.Name(), part) || strings.EqualFold(strings.TrimSuffix(e.Name(), "."), part) {
				cur = filepath.Join(cur, e.Name())
				found = true
				break
			}
		}
		if !found {
			return "", false
		}
	}
	fi, err := os.Stat(cur)
	return cur, err == nil && fi.Mode().IsRegular()
}
