package dicom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/netsafe"
)

// InstanceState is where one image of an order's upload stands.
type InstanceState string

const (
	// StatePending: not sent yet.
	StatePending InstanceState = "pending"
	// StateSent: it went in a request whose answer was not recorded (the app was killed, the
	// network dropped): it may be on the server, so it is looked up there before it is sent again.
	StateSent InstanceState = "sent"
	// StateConfirmed: the server listed it as stored (STOW-RS answer, or found by QIDO). Never sent again.
	StateConfirmed InstanceState = "confirmed"
)

// PlannedStudy is one study chosen for upload, with the instances of the series kept.
type PlannedStudy struct {
	UID         string
	Description string // the user's description (default: the study's own)
	Instances   []PlannedInstance
}

// PlannedInstance is one image of a PlannedStudy.
type PlannedInstance struct {
	SOPInstanceUID    string
	SeriesInstanceUID string
	Size              int64
}

// ImageRecord is what the store knows about one image of an order's upload.
type ImageRecord struct {
	StudyUID          string
	SeriesInstanceUID string
	SOPInstanceUID    string
	Size              int64
	State             InstanceState
	Batch             int64 // the request it last went in (0: none)
	Sends             int   // requests it went in
}

// UploadStore keeps an order's upload progress so that a kill and restart resumes it and never
// re-sends a confirmed image (*local.Store implements it).
type UploadStore interface {
	// PlanImageUpload records the chosen studies and their images, idempotently: images already
	// recorded keep their state.
	PlanImageUpload(ctx context.Context, orderID int64, studies []PlannedStudy) error
	// ImageRecords lists every image recorded for the order.
	ImageRecords(ctx context.Context, orderID int64) ([]ImageRecord, error)
	// MarkImagesSent records, before the request goes out, that these images go in a new request
	// of the given size; it returns the request's id. It fails for a confirmed or unknown image.
	MarkImagesSent(ctx context.Context, orderID int64, sopUIDs []string, bytes int64) (batch int64, err error)
	// ConfirmImages marks images stored on the server and closes the request (batch 0: they were
	// found by a query, not sent). outcome is plain text without patient data.
	ConfirmImages(ctx context.Context, orderID, batch int64, sopUIDs []string, outcome string) error
	// StudyConfirmations maps Study Instance UID to the user's reason for sending a study that
	// CheckSelection flagged.
	StudyConfirmations(ctx context.Context, orderID int64) (map[string]string, error)
}

// Errors of an upload; compare with errors.Is. UploadSummary.Parts puts them in messages for the user.
var (
	// ErrNeedsConfirmation: CheckSelection flagged studies the user has not confirmed; nothing was sent.
	// The error is a *ConfirmationError listing them.
	ErrNeedsConfirmation = errors.New("some studies do not match the order's patient and need confirmation")
	// ErrSignIn: the server refused the credentials (HTTP 401).
	ErrSignIn = errors.New("the server refused the sign-in")
	// ErrForbidden: the account may not upload images (HTTP 403).
	ErrForbidden = errors.New("the account is not allowed to upload images")
	// ErrNoDICOMweb: the DICOMweb address does not lead to a STOW-RS service (HTTP 404/405) or is not set.
	ErrNoDICOMweb = errors.New("the DICOMweb address does not accept images")
	// ErrNotStored: the server answered success but did not list the images as stored.
	ErrNotStored = errors.New("the server answered OK but stored nothing")
	// ErrRefused: the server refused some images (STOW-RS failure codes or HTTP 4xx).
	ErrRefused = errors.New("the server refused some images")
	// ErrServer: the server failed (HTTP 5xx, 408, 429) through every retry.
	ErrServer = errors.New("the server had a problem")
	// ErrNetwork: the server could not be reached through every retry.
	ErrNetwork = errors.New("the server could not be reached")
	// ErrFiles: some selected files can no longer be read (disc removed, file changed).
	ErrFiles = errors.New("some files can no longer be read")
)

// ConfirmationError lists the selected studies that need the user's confirmation (with a reason,
// through the store) before they may be uploaded. Problems hold patient data: show, never log.
type ConfirmationError struct{ Problems []Problem }

func (e *ConfirmationError) Error() string {
	return fmt.Sprintf("%v: %d of them", ErrNeedsConfirmation, len(e.Problems))
}

func (e *ConfirmationError) Unwrap() error { return ErrNeedsConfirmation }

// UploadRequest is what to upload for an order.
type UploadRequest struct {
	OrderID int64
	// Patient is the order's patient; each study is checked against it with CheckSelection.
	Patient app.Patient
	// Studies are the selected studies, each with only the series the user kept.
	Studies []Study
	// Descriptions maps a Study Instance UID to the user's description (default: the study's own).
	Descriptions map[string]string
}

// UploadProgress is reported during an upload.
type UploadProgress struct {
	Files, TotalFiles int   // images stored on the server / selected
	Bytes, TotalBytes int64 // bytes stored or being sent / selected
	// Remaining is the estimated time left; 0 while unknown.
	Remaining time.Duration
	// Status says what is happening (ProgressSending, ProgressWaiting, ...).
	Status msg.Msg
}

// FailedImage is an image that was not stored, with the reason.
type FailedImage struct {
	Path           string  `json:"path"`
	StudyUID       string  `json:"study_uid"`
	SOPInstanceUID string  `json:"sop_instance_uid"`
	Reason         msg.Msg `json:"reason"` // one of the Fail* codes
}

// UploadSummary is the outcome of Upload.
type UploadSummary struct {
	OrderID int64 `json:"order_id"`
	// Images and Studies are stored on the server (this run or an earlier one); a study counts
	// when every selected image of it is stored.
	Images       int   `json:"images"`
	Studies      int   `json:"studies"`
	TotalImages  int   `json:"total_images"`
	TotalStudies int   `json:"total_studies"`
	Bytes        int64 `json:"bytes"` // bytes sent over the network in this run
	Requests     int   `json:"requests"`
	// Already counts images found already stored when the run started (earlier run, or found by QIDO).
	Already int `json:"already"`
	// StoredStudies are the Study Instance UIDs whose every selected image is stored.
	StoredStudies []string      `json:"stored_studies"`
	Failed        []FailedImage `json:"failed,omitempty"`
	Elapsed       time.Duration `json:"elapsed_ns"`
	// Err is nil when every selected image is stored; else one of the Err* errors above, wrapped
	// with details (or a context error when cancelled).
	Err error `json:"-"`
}

// OK reports whether every selected image is stored.
func (s UploadSummary) OK() bool { return s.Err == nil && s.Images == s.TotalImages }

// Message codes of an upload's outcome (see UploadSummary.Parts).
var (
	UploadOK           = msg.Define("dicom.upload.ok", "images", "studies", "n")
	UploadUnconfirmed  = msg.Define("dicom.upload.unconfirmed", "n")
	UploadCancelled    = msg.Define("dicom.upload.cancelled")
	UploadSignIn       = msg.Define("dicom.upload.sign_in")
	UploadForbidden    = msg.Define("dicom.upload.forbidden")
	UploadNoDICOMweb   = msg.Define("dicom.upload.no_dicomweb", "detail")
	UploadNotStored    = msg.Define("dicom.upload.not_stored", "n")
	UploadServer       = msg.Define("dicom.upload.server", "detail")
	UploadNetwork      = msg.Define("dicom.upload.network", "detail")
	UploadRefused      = msg.Define("dicom.upload.refused")
	UploadFiles        = msg.Define("dicom.upload.files")
	UploadFailed       = msg.Define("dicom.upload.failed", "detail")
	UploadStored       = msg.Define("dicom.upload.stored", "stored", "total", "studies")
	UploadStoredPart   = msg.Define("dicom.upload.stored_complete", "stored", "total", "studies", "complete")
	UploadReason       = msg.Define("dicom.upload.reason", "images", "reason")
	UploadOtherReasons = msg.Define("dicom.upload.other_reasons", "n")
)

// Message codes of an upload's progress and of why an image was not stored. Arguments status
// are HTTP status codes; error a plain reason without patient data.
var (
	ProgressSending  = msg.Define("dicom.progress.sending")
	ProgressChecking = msg.Define("dicom.progress.checking")
	ProgressWaiting  = msg.Define("dicom.progress.waiting", "wait", "reason")

	FailFileUnreadable   = msg.Define("dicom.fail.file_unreadable", "error")
	FailFileChanged      = msg.Define("dicom.fail.file_changed")
	FailNetwork          = msg.Define("dicom.fail.network", "error")
	FailReadWhileSending = msg.Define("dicom.fail.read_while_sending")
	FailTooLarge         = msg.Define("dicom.fail.too_large")
	FailServer           = msg.Define("dicom.fail.server", "status")
	FailRefusedHTTP      = msg.Define("dicom.fail.refused_http", "status", "body")
	FailAnswerUnreadable = msg.Define("dicom.fail.answer_unreadable")
	FailRefused          = msg.Define("dicom.fail.refused", "reason")
	FailStoredNothing    = msg.Define("dicom.fail.stored_nothing", "status")
	FailUnlisted         = msg.Define("dicom.fail.unlisted", "status")
)

// Parts say plainly what happened, one sentence each: "N images in M studies were uploaded and
// shared", or what failed, why and what to do. They hold no patient data. The first part's code
// tells the outcome (UploadOK, UploadSignIn, ...).
func (s UploadSummary) Parts() []msg.Msg {
	count := func(c msg.Code, n int) msg.Msg { return msg.New(c, n) }
	if s.Err == nil {
		return []msg.Msg{msg.New(UploadOK, count(msg.CountImages, s.Images), count(msg.CountStudies, s.Studies), s.Images)}
	}
	var parts []msg.Msg
	var ce *ConfirmationError
	switch {
	case errors.As(s.Err, &ce):
		return []msg.Msg{msg.New(UploadUnconfirmed, len(ce.Problems))}
	case errors.Is(s.Err, context.Canceled):
		parts = append(parts, msg.New(UploadCancelled))
	case errors.Is(s.Err, ErrSignIn):
		parts = append(parts, msg.New(UploadSignIn))
	case errors.Is(s.Err, ErrForbidden):
		parts = append(parts, msg.New(UploadForbidden))
	case errors.Is(s.Err, ErrNoDICOMweb):
		parts = append(parts, msg.New(UploadNoDICOMweb, upperFirst(errText(s.Err))))
	case errors.Is(s.Err, ErrNotStored):
		parts = append(parts, msg.New(UploadNotStored, s.TotalImages-s.Images))
	case errors.Is(s.Err, ErrServer):
		parts = append(parts, msg.New(UploadServer, upperFirst(errText(s.Err))))
	case errors.Is(s.Err, ErrNetwork):
		parts = append(parts, msg.New(UploadNetwork, upperFirst(errText(s.Err))))
	case errors.Is(s.Err, ErrRefused):
		parts = append(parts, msg.New(UploadRefused))
	case errors.Is(s.Err, ErrFiles):
		parts = append(parts, msg.New(UploadFiles))
	default:
		parts = append(parts, msg.New(UploadFailed, errText(s.Err)))
	}
	if s.Studies > 0 {
		parts = append(parts, msg.New(UploadStoredPart, s.Images, s.TotalImages, count(msg.CountStudies, s.TotalStudies), count(msg.CountStudies, s.Studies)))
	} else {
		parts = append(parts, msg.New(UploadStored, s.Images, s.TotalImages, count(msg.CountStudies, s.TotalStudies)))
	}
	if len(s.Failed) > 0 {
		counts := map[string]int{} // by reason (code and arguments)
		byKey := map[string]msg.Msg{}
		var keys []string
		for _, f := range s.Failed {
			k := fmt.Sprint(f.Reason.Code, f.Reason.Args)
			if counts[k] == 0 {
				keys = append(keys, k)
				byKey[k] = f.Reason
			}
			counts[k]++
		}
		sort.SliceStable(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
		for i, k := range keys {
			if i == 3 {
				parts = append(parts, msg.New(UploadOtherReasons, len(s.Failed)-countUpTo(counts, keys[:3])))
				break
			}
			parts = append(parts, msg.New(UploadReason, count(msg.CountImages, counts[k]), byKey[k]))
		}
	}
	return parts
}

func countUpTo(counts map[string]int, reasons []string) int {
	n := 0
	for _, r := range reasons {
		n += counts[r]
	}
	return n
}

func errText(err error) string {
	s := err.Error()
	return strings.TrimPrefix(s, "dicom: upload: ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Uploader sends an order's selected studies with STOW-RS. The zero values of the optional
// fields are fine; Base and Store are required.
type Uploader struct {
	Base      string               // the account's DICOMweb root; requests go to Base + "/studies"
	Client    *http.Client         // nil: a default client (use creds.NewHTTPClient); netsafe's policy applies either way
	Authorize func(*http.Request)  // puts the credentials on each request (creds.SetAuth); nil: none
	Store     UploadStore          // progress, persisted after every request
	Progress  func(UploadProgress) // nil: none; called one at a time, from Upload's goroutines
	// BatchBytes is the largest request body (framing included); 0: DefaultBatchBytes (100 MB).
	BatchBytes int64
	// MaxAttempts bounds the requests one image goes in; 0: 4.
	MaxAttempts int
	// Backoff is the wait before the first retry, doubled for each next one; 0: 2 s.
	Backoff time.Duration
}

// failure kinds, from the most to the least actionable for the summary.
type failKind int

const (
	failNone failKind = iota
	failNetwork
	failServer
	failEmpty // answered success, listed nothing
	failUnlisted
	failRefused
	failFile
)

type run struct {
	u       *Uploader
	orderID int64
	files   []Instance
	state   map[string]InstanceState
	reason  map[string]msg.Msg
	kind    map[string]failKind
	final   map[string]bool // no more retries for these

	total      int64
	doneFiles  atomic.Int64 // images confirmed
	doneBytes  atomic.Int64 // their bytes
	inflight   atomic.Int64
	wire       atomic.Int64 // bytes put on the network this run
	started    time.Time
	sending    time.Time
	progMu     sync.Mutex
	lastReport time.Time
	status     msg.Msg
	sum        *UploadSummary
}

// Upload sends the selected studies of req for req.OrderID and returns what happened; the error
// is also in the summary's Err. It refuses (ErrNeedsConfirmation, nothing sent) when CheckSelection
// flags a study the store holds no confirmation for. Requests of at most BatchBytes stream the
// files from disk; every SOP Instance UID sent is checked against the STOW-RS answer and only
// what is missing is sent again, at most MaxAttempts times with a growing wait. Progress is
// stored after every request: after a kill, Upload with the same request resumes, first asking
// the server (QIDO-RS) about the images whose answer was lost, and never re-sends a confirmed one.
// Cancelling ctx stops at once; what was confirmed stays confirmed.
func (u *Uploader) Upload(ctx context.Context, req UploadRequest) (UploadSummary, error) {
	r := &run{
		u: u, orderID: req.OrderID, state: map[string]InstanceState{}, reason: map[string]msg.Msg{},
		kind: map[string]failKind{}, final: map[string]bool{}, started: time.Now(),
		sum: &UploadSummary{OrderID: req.OrderID},
	}
	err := r.upload(ctx, req)
	return r.finish(err)
}

func (r *run) finish(err error) (UploadSummary, error) {
	s := r.sum
	s.Elapsed = time.Since(r.started)
	s.Bytes = r.wire.Load()
	s.Images, s.Studies, s.StoredStudies, s.Failed = 0, 0, nil, nil
	type acc struct{ n, ok int }
	studies := map[string]*acc{}
	var order []string
	for _, in := range r.files {
		a := studies[in.StudyInstanceUID]
		if a == nil {
			a = &acc{}
			studies[in.StudyInstanceUID] = a
			order = append(order, in.StudyInstanceUID)
		}
		a.n++
		if r.state[in.SOPInstanceUID] == StateConfirmed {
			a.ok++
			s.Images++
			continue
		}
		if why := r.reason[in.SOPInstanceUID]; why.Code != "" {
			s.Failed = append(s.Failed, FailedImage{Path: in.Path, StudyUID: in.StudyInstanceUID, SOPInstanceUID: in.SOPInstanceUID, Reason: why})
		}
	}
	for _, uid := range order {
		if a := studies[uid]; a.ok == a.n {
			s.Studies++
			s.StoredStudies = append(s.StoredStudies, uid)
		}
	}
	if err == nil && s.Images < s.TotalImages {
		err = r.failure()
	}
	s.Err = err
	return *s, err
}

// failure names why images are left: the most actionable kind among them.
func (r *run) failure() error {
	count := map[failKind]int{}
	for _, in := range r.files {
		if r.state[in.SOPInstanceUID] != StateConfirmed {
			count[r.kind[in.SOPInstanceUID]]++
		}
	}
	left := r.sum.TotalImages - r.sum.Images
	switch {
	case count[failNetwork] > 0:
		return fmt.Errorf("%w (images not sent: %d)", ErrNetwork, left)
	case count[failServer] > 0:
		return fmt.Errorf("%w (images not stored: %d)", ErrServer, left)
	case count[failFile] > 0:
		return fmt.Errorf("%w (%d)", ErrFiles, count[failFile])
	case count[failRefused] > 0:
		return fmt.Errorf("%w (%d)", ErrRefused, count[failRefused])
	case count[failEmpty] > 0 || count[failUnlisted] > 0:
		return fmt.Errorf("%w (images not listed as stored: %d)", ErrNotStored, left)
	}
	return fmt.Errorf("dicom: upload: images not stored: %d", left)
}

func (r *run) upload(ctx context.Context, req UploadRequest) error {
	u := r.u
	if u.Store == nil {
		return errors.New("dicom: upload: no store")
	}
	if strings.TrimSpace(u.Base) == "" {
		return fmt.Errorf("%w: no DICOMweb address is set for the account", ErrNoDICOMweb)
	}
	if _, err := netsafe.CheckURL("the DICOMweb address", u.Base); err != nil {
		return fmt.Errorf("%w: %w", ErrNoDICOMweb, err)
	}
	seen := map[string]bool{}
	var plan []PlannedStudy
	for _, st := range req.Studies {
		ps := PlannedStudy{UID: st.UID, Description: st.Description}
		if d, ok := req.Descriptions[st.UID]; ok && strings.TrimSpace(d) != "" {
			ps.Description = strings.TrimSpace(d)
		}
		for _, in := range st.Files() {
			if seen[in.SOPInstanceUID] {
				continue
			}
			seen[in.SOPInstanceUID] = true
			in.StudyInstanceUID = st.UID
			r.files = append(r.files, in)
			r.total += in.Size
			ps.Instances = append(ps.Instances, PlannedInstance{SOPInstanceUID: in.SOPInstanceUID, SeriesInstanceUID: in.SeriesInstanceUID, Size: in.Size})
		}
		if len(ps.Instances) > 0 {
			plan = append(plan, ps)
		}
	}
	r.sum.TotalImages, r.sum.TotalStudies = len(r.files), len(plan)
	if len(r.files) == 0 {
		return errors.New("dicom: upload: no images selected")
	}

	if problems := CheckSelection(req.Patient, req.Studies); len(problems) > 0 {
		confs, err := u.Store.StudyConfirmations(ctx, req.OrderID)
		if err != nil {
			return err
		}
		var open []Problem
		for _, p := range problems {
			if strings.TrimSpace(confs[p.StudyUID]) == "" {
				open = append(open, p)
			}
		}
		if len(open) > 0 {
			return &ConfirmationError{Problems: open}
		}
	}

	if err := u.Store.PlanImageUpload(ctx, req.OrderID, plan); err != nil {
		return err
	}
	recs, err := u.Store.ImageRecords(ctx, req.OrderID)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		r.state[rec.SOPInstanceUID] = rec.State
	}
	for _, in := range r.files {
		if r.state[in.SOPInstanceUID] == StateConfirmed {
			r.doneFiles.Add(1)
			r.doneBytes.Add(in.Size)
		}
	}
	if err := r.reconcile(ctx, r.files); err != nil {
		return err
	}
	r.sum.Already = int(r.doneFiles.Load())
	return r.send(ctx)
}

func (r *run) maxAttempts() int {
	if r.u.MaxAttempts > 0 {
		return r.u.MaxAttempts
	}
	return 4
}

func (r *run) backoff() time.Duration {
	if r.u.Backoff > 0 {
		return r.u.Backoff
	}
	return 2 * time.Second
}

// client is the configured client under netsafe's policy: redirects only on the same origin and
// never for the STOW POST, https except to this computer.
func (r *run) client() *http.Client { return netsafe.Harden(r.u.Client) }

func (r *run) endpoint() string {
	return strings.TrimRight(strings.TrimSpace(r.u.Base), "/") + "/studies"
}

// send posts what is not confirmed, batch by batch, and retries what is missing.
func (r *run) send(ctx context.Context) error {
	r.sending = time.Now()
	var todo []Instance
	for _, in := range r.files {
		if r.state[in.SOPInstanceUID] != StateConfirmed {
			todo = append(todo, in)
		}
	}
	for attempt := 1; len(todo) > 0; attempt++ {
		if attempt > 1 {
			if attempt > r.maxAttempts() {
				return nil // finish names the failure
			}
			wait := r.backoff() << (attempt - 2)
			r.report(msg.New(ProgressWaiting, wait.Round(time.Second/10).String(), r.lastReason(todo)), true)
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("dicom: upload: %w", ctx.Err())
			case <-t.C:
			}
			// The server may have stored what its answer did not list, or answered after all
			// before the network dropped: ask before sending again.
			if err := r.reconcile(ctx, todo); err != nil {
				return err
			}
			var left []Instance
			for _, in := range todo {
				if r.state[in.SOPInstanceUID] != StateConfirmed {
					left = append(left, in)
				}
			}
			if todo = left; len(todo) == 0 {
				return nil
			}
		}
		queue := BuildBatches(r.readable(todo), r.u.BatchBytes)
		var retry []Instance
		for len(queue) > 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("dicom: upload: %w", err)
			}
			b := queue[0]
			queue = queue[1:]
			missing, split, err := r.post(ctx, b)
			if err != nil {
				return err
			}
			if split {
				half := len(b) / 2
				queue = append([][]Instance{b[:half], b[half:]}, queue...)
				continue
			}
			retry = append(retry, missing...)
		}
		var next []Instance
		for _, in := range retry {
			if !r.final[in.SOPInstanceUID] {
				next = append(next, in)
			}
		}
		todo = next
	}
	return nil
}

func (r *run) lastReason(todo []Instance) msg.Msg {
	if len(todo) == 0 {
		return msg.Msg{}
	}
	return r.reason[todo[0].SOPInstanceUID]
}

// readable drops, as final failures, the files that vanished or changed since the scan.
func (r *run) readable(files []Instance) []Instance {
	out := files[:0:0]
	for _, in := range files {
		st, err := os.Stat(in.Path)
		switch {
		case err != nil:
			r.fail(in, failFile, msg.New(FailFileUnreadable, plainOSError(err)), true)
		case st.Size() != in.Size:
			r.fail(in, failFile, msg.New(FailFileChanged), true)
		default:
			out = append(out, in)
		}
	}
	return out
}

func (r *run) fail(in Instance, k failKind, reason msg.Msg, final bool) {
	r.kind[in.SOPInstanceUID] = k
	r.reason[in.SOPInstanceUID] = reason
	if final {
		r.final[in.SOPInstanceUID] = true
	}
}

// post sends one batch. It returns the instances still missing (to retry), split when the
// batch should be sent again in two halves, or a fatal error that ends the upload.
func (r *run) post(ctx context.Context, batch []Instance) (missing []Instance, split bool, err error) {
	uids := make([]string, len(batch))
	var size int64
	for i, in := range batch {
		uids[i] = in.SOPInstanceUID
		size += in.Size
	}
	id, err := r.u.Store.MarkImagesSent(ctx, r.orderID, uids, size)
	if err != nil {
		return nil, false, err
	}
	for _, u := range uids {
		r.state[u] = StateSent
	}
	r.sum.Requests++
	r.report(msg.New(ProgressSending), true)
	status, body, err := r.stow(ctx, batch)
	r.inflight.Store(0)
	closeBatch := func(stored []string, outcome string) error {
		// The batch row is closed even when the request failed, with the outcome for diagnosis.
		// Use a context that survives cancellation: a stored image must not be forgotten.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := r.u.Store.ConfirmImages(sctx, r.orderID, id, stored, outcome); err != nil {
			return err
		}
		for _, u := range stored {
			r.state[u] = StateConfirmed
		}
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			_ = closeBatch(nil, "cancelled")
			return nil, false, fmt.Errorf("dicom: upload: %w", ctx.Err())
		}
		if errors.Is(err, netsafe.ErrRedirect) || errors.Is(err, netsafe.ErrInsecure) {
			// Sending again would meet the same redirect: stop, nothing went elsewhere.
			_ = closeBatch(nil, "redirect refused")
			return nil, false, fmt.Errorf("%w: %w", ErrNoDICOMweb, err)
		}
		reason := msg.New(FailNetwork, netReason(err))
		if errors.Is(err, ErrUnreadable) {
			// A file failed while it was being sent: find which, on the next round.
			reason = msg.New(FailReadWhileSending)
		}
		if err := closeBatch(nil, "network error"); err != nil {
			return nil, false, err
		}
		for _, in := range batch {
			r.fail(in, failNetwork, reason, false)
		}
		return batch, false, nil
	}
	outcome := fmt.Sprintf("HTTP %d", status)
	switch {
	case status == http.StatusUnauthorized:
		_ = closeBatch(nil, outcome)
		return nil, false, fmt.Errorf("%w (HTTP 401)", ErrSignIn)
	case status == http.StatusForbidden:
		_ = closeBatch(nil, outcome)
		return nil, false, fmt.Errorf("%w (HTTP 403)", ErrForbidden)
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		_ = closeBatch(nil, outcome)
		return nil, false, fmt.Errorf("%w (HTTP %d from %s)", ErrNoDICOMweb, status, hostOf(r.u.Base))
	case status >= 300 && status < 400:
		// A redirected POST is never re-sent (netsafe); retrying would meet the same redirect.
		_ = closeBatch(nil, outcome)
		return nil, false, fmt.Errorf("%w (HTTP %d from %s: it sends the images on to another address, where ReferralDesk does not send them)",
			ErrNoDICOMweb, status, hostOf(r.u.Base))
	case status == http.StatusRequestEntityTooLarge:
		if err := closeBatch(nil, outcome); err != nil {
			return nil, false, err
		}
		if len(batch) > 1 {
			return nil, true, nil
		}
		r.fail(batch[0], failRefused, msg.New(FailTooLarge), true)
		return nil, false, nil
	case status >= 500 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests:
		if err := closeBatch(nil, outcome); err != nil {
			return nil, false, err
		}
		for _, in := range batch {
			r.fail(in, failServer, msg.New(FailServer, status), false)
		}
		return batch, false, nil
	}
	stored, failed, perr := ParseStowResponse(body)
	if perr != nil || (status >= 300 && len(stored) == 0 && len(failed) == 0) {
		if err := closeBatch(nil, outcome+", no usable answer"); err != nil {
			return nil, false, err
		}
		if status >= 300 {
			if len(batch) > 1 {
				return nil, true, nil // find the image the server objects to
			}
			r.fail(batch[0], failRefused, msg.New(FailRefusedHTTP, status, shortBody(body)), true)
			return nil, false, nil
		}
		for _, in := range batch {
			r.fail(in, failUnlisted, msg.New(FailAnswerUnreadable), false)
		}
		return batch, false, nil
	}
	var ok []string
	for _, in := range batch {
		if _, yes := stored[in.SOPInstanceUID]; yes {
			ok = append(ok, in.SOPInstanceUID)
		} else if why, yes := failed[in.SOPInstanceUID]; yes && failureCode(why) == 0x0111 {
			ok = append(ok, in.SOPInstanceUID) // "duplicate SOP instance": the server has it
		}
	}
	outcome = fmt.Sprintf("HTTP %d, %d of %d stored", status, len(ok), len(batch))
	if err := closeBatch(ok, outcome); err != nil {
		return nil, false, err
	}
	r.doneFiles.Add(int64(len(ok)))
	for _, in := range batch {
		if r.state[in.SOPInstanceUID] == StateConfirmed {
			r.doneBytes.Add(in.Size)
		}
	}
	r.report(msg.New(ProgressSending), true)
	empty := len(stored) == 0 && len(failed) == 0
	for _, in := range batch {
		if r.state[in.SOPInstanceUID] == StateConfirmed {
			continue
		}
		missing = append(missing, in)
		switch why, listed := failed[in.SOPInstanceUID]; {
		case listed:
			r.fail(in, failRefused, msg.New(FailRefused, why), !retryableFailure(why))
		case empty:
			r.fail(in, failEmpty, msg.New(FailStoredNothing, status), false)
		default:
			r.fail(in, failUnlisted, msg.New(FailUnlisted, status), false)
		}
	}
	return missing, false, nil
}

// failureCode reads the code failureReason appends, "(0xA700)"; 0 when there is none.
func failureCode(reason string) int {
	i := strings.LastIndex(reason, "(0x")
	if i < 0 || !strings.HasSuffix(reason, ")") {
		return 0
	}
	n, err := strconv.ParseUint(reason[i+3:len(reason)-1], 16, 16)
	if err != nil {
		return 0
	}
	return int(n)
}

// retryableFailure: out of resources and processing failures may pass later; the rest
// (SOP class or transfer syntax not supported, not authorized, invalid) will not.
func retryableFailure(reason string) bool {
	c := failureCode(reason)
	return c == 0 || c == 0x0110 || c&0xFF00 == 0xA700
}

func shortBody(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	if s == "" {
		return ""
	}
	return ": " + s
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return "the server"
}

// netReason puts a transport error in a few words, without the URL.
func netReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// countWriter counts the body bytes handed to the network.
type countWriter struct {
	w io.Writer
	r *run
}

func (c countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.r.inflight.Add(int64(n))
	c.r.wire.Add(int64(n))
	c.r.report(msg.Msg{}, false)
	return n, err
}

// stow posts one STOW-RS request, streaming the body from disk with an exact Content-Length.
func (r *run) stow(ctx context.Context, files []Instance) (int, []byte, error) {
	boundary := NewBoundary()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := WriteMultipart(countWriter{w: pw, r: r}, boundary, files)
		pw.CloseWithError(err)
		done <- err
	}()
	wait := func() error {
		_ = pr.Close() // unblocks the writer if the request ended early
		return <-done
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.endpoint(), pr)
	if err != nil {
		_ = wait()
		return 0, nil, fmt.Errorf("%w: %w", ErrNoDICOMweb, err)
	}
	req.ContentLength = MultipartSize(boundary, files)
	req.Header.Set("Content-Type", ContentType(boundary))
	req.Header.Set("Accept", "application/dicom+json")
	if r.u.Authorize != nil {
		r.u.Authorize(req)
	}
	resp, err := r.client().Do(req)
	if err != nil {
		if werr := wait(); errors.Is(werr, ErrUnreadable) {
			return 0, nil, werr
		}
		return 0, nil, err
	}
	body, err := netsafe.ReadAll(resp.Body, maxStowAnswerBytes, "the STOW-RS answer")
	resp.Body.Close()
	// A server may answer before it has read the whole body (a refusal, say): the answer is
	// judged by what it lists as stored, so the writer's error does not matter then.
	_ = wait()
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}

// report calls Progress; unless force, at most ten times a second.
func (r *run) report(status msg.Msg, force bool) {
	if r.u.Progress == nil {
		return
	}
	r.progMu.Lock()
	defer r.progMu.Unlock()
	now := time.Now()
	if !force && now.Sub(r.lastReport) < 100*time.Millisecond {
		return
	}
	r.lastReport = now
	if status.Code != "" {
		r.status = status
	}
	p := UploadProgress{
		Files: int(r.doneFiles.Load()), TotalFiles: len(r.files),
		Bytes: min(r.doneBytes.Load()+r.inflight.Load(), r.total), TotalBytes: r.total, Status: r.status,
	}
	if !r.sending.IsZero() {
		if el := now.Sub(r.sending); el > 500*time.Millisecond && r.wire.Load() > 0 {
			rate := float64(r.wire.Load()) / el.Seconds()
			p.Remaining = time.Duration(float64(p.TotalBytes-p.Bytes) / rate * float64(time.Second)).Round(time.Second)
		}
	}
	r.u.Progress(p)
}

// reconcile asks the server (QIDO-RS) which of the files in state "sent" (in a request whose
// answer was lost or did not list them) it holds, and marks those confirmed. When the server
// cannot be asked, they are sent again.
func (r *run) reconcile(ctx context.Context, files []Instance) error {
	byStudy := map[string][]Instance{}
	var studies []string
	for _, in := range files {
		if r.state[in.SOPInstanceUID] != StateSent {
			continue
		}
		if _, ok := byStudy[in.StudyInstanceUID]; !ok {
			studies = append(studies, in.StudyInstanceUID)
		}
		byStudy[in.StudyInstanceUID] = append(byStudy[in.StudyInstanceUID], in)
	}
	if len(studies) == 0 {
		return nil
	}
	r.report(msg.New(ProgressChecking), true)
	for _, study := range studies {
		have, err := QueryInstances(ctx, r.client(), r.u.Base, r.u.Authorize, study)
		if err != nil {
			if errors.Is(err, ErrSignIn) || ctx.Err() != nil {
				return err
			}
			continue // cannot tell: send them again
		}
		var found []string
		var bytes int64
		for _, in := range byStudy[study] {
			if have[in.SOPInstanceUID] {
				found = append(found, in.SOPInstanceUID)
				bytes += in.Size
			}
		}
		if len(found) == 0 {
			continue
		}
		if err := r.u.Store.ConfirmImages(ctx, r.orderID, 0, found, fmt.Sprintf("%d found on the server", len(found))); err != nil {
			return err
		}
		for _, u := range found {
			r.state[u] = StateConfirmed
		}
		r.doneFiles.Add(int64(len(found)))
		r.doneBytes.Add(bytes)
	}
	return nil
}

// Bounds on what is read from a DICOMweb server.
const (
	maxStowAnswerBytes = 64 << 20 // one STOW-RS answer
	maxQIDOPageBytes   = 32 << 20 // one QIDO-RS page of at most qidoPage instances
	qidoPage           = 1000     // instances asked for per QIDO-RS request
	// MaxQIDOPages bounds the requests of one QueryInstances: 200 pages of 1000 instances is
	// far beyond any real study, and a server that keeps answering new pages is not believed.
	MaxQIDOPages = 200
)

// ErrTooManyInstances: a QIDO-RS answer went past MaxQIDOPages pages.
var ErrTooManyInstances = errors.New("the server listed more instances than any study has")

// QueryInstances lists the SOP Instance UIDs a DICOMweb server holds for a study (QIDO-RS
// GET {base}/studies/{study}/instances). A study the server does not know gives an empty set. At
// most MaxQIDOPages requests are made (ErrTooManyInstances past that), each answer read up to
// 32 MB; the client is used under netsafe's policy.
func QueryInstances(ctx context.Context, client *http.Client, base string, authorize func(*http.Request), study string) (map[string]bool, error) {
	if _, err := netsafe.CheckURL("the DICOMweb address", base); err != nil {
		return nil, fmt.Errorf("dicom: query instances: %w", err)
	}
	client = netsafe.Harden(client)
	have := map[string]bool{}
	const page = qidoPage
	for offset, n := 0, 0; ; offset, n = offset+page, n+1 {
		if n >= MaxQIDOPages {
			return nil, fmt.Errorf("dicom: query instances: more than %d pages (%d instances): %w", MaxQIDOPages, len(have), ErrTooManyInstances)
		}
		u := strings.TrimRight(strings.TrimSpace(base), "/") + "/studies/" + url.PathEscape(study) +
			"/instances?includefield=00080018&limit=" + strconv.Itoa(page) + "&offset=" + strconv.Itoa(offset)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/dicom+json")
		if authorize != nil {
			authorize(req)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := netsafe.ReadAll(resp.Body, maxQIDOPageBytes, "the QIDO-RS answer")
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotFound:
			return have, nil
		case resp.StatusCode == http.StatusUnauthorized:
			return nil, fmt.Errorf("%w (HTTP 401)", ErrSignIn)
		case resp.StatusCode != http.StatusOK:
			return nil, fmt.Errorf("dicom: query instances: HTTP %d", resp.StatusCode)
		}
		var list []jsonDataset
		if len(strings.TrimSpace(string(body))) > 0 {
			if err := json.Unmarshal(body, &list); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrStowResponse, err)
			}
		}
		n := len(have)
		for _, ds := range list {
			if uid := ds.str("00080018"); uid != "" {
				have[uid] = true
			}
		}
		// A server that ignores limit returns everything at once: stop when a page adds nothing new.
		if len(list) < page || len(have) == n {
			return have, nil
		}
	}
}

// WithSeries returns the study with only the series whose UID is in uids (the ones the user
// kept), its counts, size and modalities recomputed.
func (s Study) WithSeries(uids ...string) Study {
	out := s
	out.Series, out.Modalities, out.Instances, out.Size = nil, nil, 0, 0
	for _, se := range s.Series {
		if !slices.Contains(uids, se.UID) {
			continue
		}
		out.Series = append(out.Series, se)
		out.Instances += len(se.Instances)
		out.Size += se.Size
		if se.Modality != "" && !slices.Contains(out.Modalities, se.Modality) {
			out.Modalities = append(out.Modalities, se.Modality)
		}
	}
	slices.Sort(out.Modalities)
	return out
}

// SelectStudies keeps the studies of a scan whose UID is in uids, in scan order (all when
// uids is empty); unknown UIDs are returned in missing.
func SelectStudies(patients []Patient, uids []string) (selected []Study, missing []string) {
	want := map[string]bool{}
	for _, u := range uids {
		want[u] = true
	}
	found := map[string]bool{}
	for _, p := range patients {
		for _, s := range p.Studies {
			if len(uids) == 0 || want[s.UID] {
				selected = append(selected, s)
				found[s.UID] = true
			}
		}
	}
	for _, u := range uids {
		if !found[u] && !slices.Contains(missing, u) {
			missing = append(missing, u)
		}
	}
	return selected, missing
}
