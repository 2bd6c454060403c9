// Package packet builds the records packet: one PDF made from a pile of records (PDF exports, scans,
// phone photos, faxes), newest first, within a page limit, with two patient identifiers and the page
// position stamped on every page, a cover/index page and bookmarks.
//
// The flow is Inspect (one call per file, safe to run in parallel) → NewPlan (order and page budget) →
// Build (write, stamp, verify, rename). FaxForm makes the fax fallback.
//
// Reading uses pdfcpu (object model, writing) and go-fitz/MuPDF (text, rendering, the tolerant reader
// used to repair files pdfcpu cannot copy). Every output page is checked after writing by extracting
// its text back with MuPDF. Nothing here logs patient data, and the only files written are the output
// (through a temporary file in the output folder) and, for the fax form, its output.
package packet

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	_ "github.com/referraldesk/referraldesk/app/fitzpredict" // MuPDF's PNG predictor, faster (see there)
	"github.com/referraldesk/referraldesk/app/sandbox"
)

// Sentinel errors; compare with errors.Is.
var (
	// ErrEncrypted: the PDF needs a user password and none was given.
	ErrEncrypted = errors.New("file is password protected")
	// ErrWrongPassword: a password was given but does not open the PDF.
	ErrWrongPassword = errors.New("wrong password")
	// ErrDamaged: the file is damaged beyond repair (neither pdfcpu nor MuPDF can read its pages).
	ErrDamaged = errors.New("file is damaged and cannot be read")
	// ErrUnsupported: not a PDF, JPEG, PNG or TIFF file (or too large).
	ErrUnsupported = errors.New("unsupported file type")
	// ErrTimeout: the file took longer than its time limit.
	ErrTimeout = errors.New("time limit exceeded")
	// ErrEmpty: the plan has no pages to write.
	ErrEmpty = errors.New("nothing to write")
	// ErrVerify: the written packet failed its checks (page count, stamps, validation).
	ErrVerify = errors.New("verification of the written packet failed")
)

// DefaultMaxPages is the institution's page limit for a records packet.
const DefaultMaxPages = 50

// Patient identifies whose packet it is. Two identifiers go on every page: the name and the date of
// birth, plus the MRN when known.
type Patient struct {
	Family string
	Given  string
	DOB    time.Time
	MRN    string
}

// Kind of an input file.
type Kind string

// Input kinds.
const (
	KindPDF   Kind = "pdf"
	KindImage Kind = "image" // JPEG, PNG or (multi-page) TIFF
)

// DateSource tells where a document date came from.
type DateSource string

// Date sources, most to least trustworthy.
const (
	DateUser     DateSource = "user"     // set by the user
	DateText     DateSource = "text"     // found in the document text
	DateMetadata DateSource = "metadata" // PDF CreationDate/ModDate or EXIF DateTimeOriginal
	DateFile     DateSource = "file"     // the file's modification time
	// DateScan: found in the text recognised on scanned pages (OCR); DateConf says how sure.
	DateScan DateSource = "scan"
)

// PageRef names one page of one input (Page is 1-based; 0 means the whole file).
type PageRef struct {
	Doc  *Input
	Page int
}

// PageFlag is a warning about one page (1-based) of an input.
type PageFlag struct {
	Page   int
	Reason string
	// Conf is the OCR confidence (percent) of the page's text when the flag comes from a scanned
	// page; 0 for text pages.
	Conf int
}

// Input is one inspected file. Inspect fills it; the caller may then set Date (with SetDate), Title and
// Exclude before planning. Err is set when the file cannot be used; the other files carry on.
type Input struct {
	Path  string
	Title string // shown on the cover and in the bookmarks; defaults to the file name without extension
	Kind  Kind
	Pages int

	Date       time.Time
	DateSource DateSource
	CheckDate  bool // the date was not found in the text: ask the user to check it
	DateConf   int  // DateScan: the OCR confidence (percent) of the date's words

	// Scanned lists the pages (1-based) read by OCR (image-only pages), Turned the pages turned
	// upright (page → clockwise degrees); see scan.go.
	Scanned []int
	Turned  map[int]int
	// ScanNote says why image-only pages were not read, e.g. "OCR not available in this build".
	ScanNote string

	// Repaired says what was done to a damaged file, e.g. "repaired: rebuilt from rendered pages".
	Repaired string
	Err      error

	Flags []PageFlag      // wrong-patient warnings, per page
	Blank []int           // pages that look blank (offered for dropping)
	DupOf map[int]PageRef // page → an earlier identical page (same or another input; see MarkDuplicates)

	// Exclude lists pages (1-based) the user chose to leave out; NewPlan reports them as dropped.
	Exclude []int

	render    bool              // build from rendered pages (damaged or unusual file)
	imageType string            // "jpeg", "png", "tiff" for KindImage
	hashes    [][32]byte        // per page: hash of the low-res render + text, for duplicate detection
	drawn     map[int]pageImage // pages to rebuild from their image, drawn by the worker (prerender.go)
	// mustDraw: pages (1-based) of a file otherwise copied whose copy would lose part of the drawing
	// (see lostResourcePages); they are rebuilt from their image.
	mustDraw map[int]bool

	noText []int              // pages without a text layer and not blank: to read by OCR (scan.go)
	scans  map[int]*scanWords // page → its recognised words, for the invisible text layer
	// texts holds each page's text hash (textHash). A page whose hash is still its text hash is
	// pending (see analysePages): it is rendered only when another page has the same text.
	texts [][32]byte
}

// SetDate overrides the document date; its source becomes DateUser.
func (in *Input) SetDate(d time.Time) {
	in.Date = d
	in.DateSource = DateUser
	in.CheckDate = false
}

// ExcludeSuggested adds the blank and duplicate pages to Exclude, for when the user accepts the
// suggestion to drop them (NewPlan then lists them as dropped by the user).
func (in *Input) ExcludeSuggested() {
	ex := map[int]bool{}
	for _, p := range in.Exclude {
		ex[p] = true
	}
	for _, p := range in.Blank {
		ex[p] = true
	}
	for p := range in.DupOf {
		ex[p] = true
	}
	in.Exclude = in.Exclude[:0]
	for p := 1; p <= in.Pages; p++ {
		if ex[p] {
			in.Exclude = append(in.Exclude, p)
		}
	}
}

// Options tune Inspect, Thumbnail and Build.
type Options struct {
	// WorkDir is the only place where this package may put temporary files. It currently needs none:
	// decrypted copies and rendered pages stay in memory, and the packet's own temporary file is made
	// in the output folder (for the atomic rename). os.TempDir is never used.
	WorkDir string
	// Passwords maps a file path (or its base name) to the PDF's user (open) password.
	Passwords map[string]string
	// FileTimeout limits the work on one input (0: 2 minutes). The context's deadline also applies.
	FileTimeout time.Duration
	// RenderDPI is the resolution used to rebuild damaged pages and TIFF pages (0: 150).
	RenderDPI float64
	// Now gives the current time (nil: time.Now); dates after it are not taken as document dates.
	Now func() time.Time
	// Sandbox runs the first reading of each outside file (nil: sandbox.Default(), workers of this
	// executable; see isolate.go).
	Sandbox *sandbox.Pool
	// NoOCR leaves image-only pages unread (no OCR in Inspect; see scan.go).
	NoOCR bool
	// ScanProgress, when set, is called as the scanned pages of a file are read (done of total);
	// Inspect calls of several files may call it concurrently.
	ScanProgress func(path string, done, total int)
}

func (o Options) timeout() time.Duration {
	if o.FileTimeout <= 0 {
		return 2 * time.Minute
	}
	return o.FileTimeout
}

func (o Options) dpi() float64 {
	if o.RenderDPI <= 0 {
		return 150
	}
	return o.RenderDPI
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o Options) password(path string) string {
	if o.Passwords == nil {
		return ""
	}
	if pw, ok := o.Passwords[path]; ok {
		return pw
	}
	return o.Passwords[filepath.Base(path)]
}

// CoverInfo is what the cover page shows besides the patient and the document table.
type CoverInfo struct {
	ProviderName string // referring provider, e.g. "Smith, John, MD"
	ProviderNPI  string
	Department   string // requested department
	Author       string // PDF author (e.g. the clinic); default "ReferralDesk"
}

var disableConfigOnce sync.Once

// initPDFCPU keeps pdfcpu from writing a configuration folder into the user's home.
func initPDFCPU() {
	disableConfigOnce.Do(api.DisableConfigDir)
}

func defaultTitle(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}
