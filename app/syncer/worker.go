// Package syncer is the outbox worker: it sends each signed order to the institution exactly once
// and pulls back what happened to it. It speaks to the server through the Transport interface and
// to the local cache through Store; every completed step is recorded before the next one starts,
// so a worker killed at any moment picks up where it stopped without sending anything twice.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/attach"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/msg"
)

// Store is what the worker needs from the local cache.
type Store interface {
	Settings
	DemoMarker
	Order(ctx context.Context, id int64) (app.Order, error)
	Patient(ctx context.Context, id int64) (app.Patient, error)
	Provider(ctx context.Context, id int64) (app.Provider, error)
	// Clinic is the referring clinic; false when it has not been set up (sent without it).
	Clinic(ctx context.Context) (app.Clinic, bool, error)
	Outbox(ctx context.Context, state string) ([]app.OutboxEntry, error)
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration) (app.OutboxEntry, error)
	FailOutbox(ctx context.Context, id int64, lastErr string, retryAt time.Time, maxAttempts int) error
	FinishSubmit(ctx context.Context, outboxID, orderID int64) error
	NeedsAttention(ctx context.Context, outboxID, orderID int64, reason string) error
	Steps(ctx context.Context, orderID int64) (map[string]string, error)
	RecordStep(ctx context.Context, orderID int64, step, serverID string) error
	LinkPatient(ctx context.Context, id int64, serverID string) error
	SentOrders(ctx context.Context) ([]app.SentOrder, error)
	ApplyServerStatus(ctx context.Context, orderID int64, status app.Status, reason string) (bool, error)
	UpsertAppointment(ctx context.Context, a app.Appointment) error
	UpsertMessage(ctx context.Context, m app.Message) error
	UpsertResult(ctx context.Context, r app.Result) error
}

// Transport is the institution's FHIR server as the worker uses it (*fhir.Client implements it).
type Transport interface {
	PutBinary(ctx context.Context, id, contentType string, body io.Reader, size int64) error
	CreateIfNoneExist(ctx context.Context, r fhir.Resource, ifNoneExist string) (id string, created bool, err error)
	Transaction(ctx context.Context, b *fhir.Bundle) (map[string]string, error)
	Search(ctx context.Context, resourceType string, query url.Values) (*fhir.Bundle, error)
	// Open fetches a result's content (a Binary or an attachment URL on the server).
	Open(ctx context.Context, ref string) (body io.ReadCloser, contentType string, err error)
}

// Sentinel errors of a sync round.
var (
	// ErrAuth: the server refused the credentials; the queue pauses until the user signs in again.
	ErrAuth = errors.New("the server refused the credentials: sign in again")
	// ErrOffline: the server could not be reached or failed; entries are retried later.
	ErrOffline = errors.New("the institution's server cannot be reached now; orders wait and are retried")
	// ErrFileChanged: an attached file differs from what was signed.
	ErrFileChanged = errors.New("an attached file changed after the order was signed")
)

// Worker sends the outbox and pulls status. Its zero value is not usable: set Store, Transport and Profile.
type Worker struct {
	Store        Store
	Transport    Transport
	Profile      *institution.Profile
	Now          func() time.Time
	Lease        time.Duration // how long a claimed entry stays hidden (default 10 min)
	MaxAttempts  int           // failed attempts before an entry waits for the user (default 100)
	OnStatus     func(Status)  // called (from the worker goroutine) as things change
	Target       string        // base URL when Transport is not a *fhir.Client (for the demo check)
	status       Status
	installation string
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) report(f func(*Status)) {
	f(&w.status)
	if w.OnStatus != nil {
		w.OnStatus(w.status)
	}
}

// Summary says what one round did.
type Summary struct {
	Sent, Failed, Attention int
	Bytes                   int64
	StatusChanges           int
	Appointments, Messages  int
	Results                 int
}

// demoGuard refuses (ErrDemoData, said in the status) to talk to a server off this computer from a
// demo database.
func (w *Worker) demoGuard(ctx context.Context) error {
	target := w.Target
	if c, ok := w.Transport.(*fhir.Client); ok {
		target = c.Base
	}
	if target == "" {
		target = "unknown-server" // a demo database does not send where it cannot tell
	}
	if err := CheckDemoTarget(ctx, w.Store, target); err != nil {
		w.report(func(s *Status) {
			s.Configured, s.Online, s.Sending = true, false, 0
			s.DemoRefused = errors.Is(err, ErrDemoData)
			if !s.DemoRefused {
				s.Trouble = msg.New(TroubleDatabase)
			}
		})
		return err
	}
	w.status.DemoRefused = false
	return nil
}

// Push sends every due outbox entry once. It stops early on ErrAuth (nothing more can succeed).
func (w *Worker) Push(ctx context.Context) (Summary, error) {
	var sum Summary
	if err := w.demoGuard(ctx); err != nil {
		return sum, err
	}
	if w.installation == "" {
		id, err := Installation(ctx, w.Store)
		if err != nil {
			return sum, err
		}
		w.installation = id
	}
	pending, err := w.Store.Outbox(ctx, app.OutboxPending)
	if err != nil {
		return sum, err
	}
	w.report(func(s *Status) { s.Configured, s.Batch, s.Bytes, s.AuthNeeded = true, len(pending), 0, false })
	defer w.report(func(s *Status) { s.Sending = 0 })
	var firstErr error
	for i := 0; ; i++ {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		e, err := w.Store.ClaimOutbox(ctx, w.now(), w.lease())
		if errors.Is(err, app.ErrNotFound) {
			break
		}
		if err != nil {
			return sum, err
		}
		w.report(func(s *Status) { s.Sending = min(i+1, max(s.Batch, i+1)) })
		n, err := w.submit(ctx, e)
		sum.Bytes += n
		switch {
		case err == nil:
			if ferr := w.Store.FinishSubmit(ctx, e.ID, e.OrderID); ferr != nil {
				return sum, ferr
			}
			sum.Sent++
			w.report(func(s *Status) { s.Online, s.Trouble = true, msg.Msg{} })
		case errors.Is(err, fhir.ErrRejected) || errors.Is(err, ErrFileChanged) || errors.Is(err, fhir.ErrInvalid):
			if perr := w.Store.NeedsAttention(ctx, e.ID, e.OrderID, refusal(err)); perr != nil {
				return sum, perr
			}
			sum.Attention++
			w.report(func(s *Status) { s.Online = true })
		case errors.Is(err, fhir.ErrUnauthorized):
			_ = w.Store.FailOutbox(ctx, e.ID, "sign in again", w.now(), w.maxAttempts())
			w.report(func(s *Status) { s.AuthNeeded = true })
			return sum, ErrAuth
		case ctx.Err() != nil:
			// Cancelled (the app is closing): the lease returns the entry; no attempt is wasted.
			_ = w.Store.FailOutbox(context.WithoutCancel(ctx), e.ID, "interrupted", w.now(), w.maxAttempts())
			return sum, ctx.Err()
		default:
			sum.Failed++
			retry := w.now().Add(backoff(e.Attempts, retryAfter(err)))
			_ = w.Store.FailOutbox(ctx, e.ID, failureText(err), retry, w.maxAttempts())
			w.report(func(s *Status) { s.Online, s.Trouble = false, msg.New(TroubleRetry) })
			if firstErr == nil {
				firstErr = fmt.Errorf("%w (%v)", ErrOffline, failureText(err))
			}
		}
	}
	return sum, firstErr
}

func (w *Worker) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return 10 * time.Minute
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts > 0 {
		return w.MaxAttempts
	}
	return 100
}

// submit runs the steps of one order's submission, skipping those already recorded.
func (w *Worker) submit(ctx context.Context, e app.OutboxEntry) (int64, error) {
	o, err := w.Store.Order(ctx, e.OrderID)
	if err != nil {
		return 0, err
	}
	p, err := w.Store.Patient(ctx, o.PatientID)
	if err != nil {
		return 0, err
	}
	prov, err := w.Store.Provider(ctx, o.ProviderID)
	if err != nil {
		return 0, err
	}
	steps, err := w.Store.Steps(ctx, o.ID)
	if err != nil {
		return 0, err
	}
	clinic, haveClinic, err := w.Store.Clinic(ctx)
	if err != nil {
		return 0, err
	}
	sub := fhir.Submission{Order: o, Patient: p, Provider: prov, Profile: w.Profile, Installation: w.installation}
	if haveClinic {
		sub.Clinic = &clinic
	}
	for _, a := range o.Attachments {
		sub.Files = append(sub.Files, fhir.FileRef{Attachment: a})
	}
	keys := fhir.AttachmentIdentifiers(sub)
	var sent int64

	// 1. Each file as a Binary with an id derived from its identifier: a repeated PUT replaces, never duplicates.
	for i, f := range sub.Files {
		step := fmt.Sprintf("binary:%d", f.Attachment.ID)
		id := fhir.BinaryID(keys[i].Value)
		if _, done := steps[step]; !done {
			n, err := w.upload(ctx, id, f.Attachment)
			sent += n
			if err != nil {
				return sent, err
			}
			if err := w.Store.RecordStep(ctx, o.ID, step, id); err != nil {
				return sent, err
			}
		}
		sub.Files[i].BinaryID = id
	}
	// 2. Each file's DocumentReference, conditional on its identifier.
	docs, err := fhir.DocumentReferences(sub)
	if err != nil {
		return sent, fmt.Errorf("%w: %v", fhir.ErrInvalid, err)
	}
	for i, d := range docs {
		step := fmt.Sprintf("docref:%d", sub.Files[i].Attachment.ID)
		id, done := steps[step]
		if !done {
			if err := fhir.ValidateDocumentReference(d); err != nil {
				return sent, err
			}
			id, _, err = w.Transport.CreateIfNoneExist(ctx, d, fhir.IfNoneExist(d.Identifier[0]))
			if err != nil {
				return sent, err
			}
			if err := w.Store.RecordStep(ctx, o.ID, step, id); err != nil {
				return sent, err
			}
		}
		sub.Files[i].DocumentReferenceID = id
	}
	// 3. The transaction: Patient, Practitioner, Organization, PractitionerRole, Coverage, answers,
	// ServiceRequest, Task. Its server ids are kept by type ("bundle:<Type>") for step 4.
	if _, done := steps["bundle"]; !done {
		b, err := fhir.BuildBundle(sub)
		if err != nil {
			return sent, fmt.Errorf("%w: %v", fhir.ErrInvalid, err)
		}
		if err := fhir.Validate(b); err != nil {
			return sent, err
		}
		ids, err := w.Transport.Transaction(ctx, b)
		if err != nil {
			return sent, err
		}
		for typ, id := range ids {
			if err := w.Store.RecordStep(ctx, o.ID, "bundle:"+typ, id); err != nil {
				return sent, err
			}
			steps["bundle:"+typ] = id
		}
		if id := ids["Patient"]; id != "" && p.ServerID == "" {
			if err := w.Store.LinkPatient(ctx, p.ID, id); err != nil {
				return sent, err
			}
		}
		if err := w.Store.RecordStep(ctx, o.ID, "bundle", ids["ServiceRequest"]); err != nil {
			return sent, err
		}
	}
	// 4. Who signed, as a Provenance of the ServiceRequest, conditional on its target and agent type.
	if _, done := steps["provenance"]; done {
		return sent, nil
	}
	ids := map[string]string{}
	for step, id := range steps {
		if typ, ok := strings.CutPrefix(step, "bundle:"); ok {
			ids[typ] = id
		}
	}
	prv, query, err := fhir.BuildProvenance(sub, ids)
	if err != nil {
		return sent, err
	}
	if prv == nil {
		return sent, nil // signed before signers were recorded
	}
	if err := fhir.ValidateProvenance(prv); err != nil {
		return sent, err
	}
	id, _, err := w.Transport.CreateIfNoneExist(ctx, prv, query)
	if err != nil {
		return sent, err
	}
	return sent, w.Store.RecordStep(ctx, o.ID, "provenance", id)
}

// upload streams one file from disk after checking it is still the file that was signed.
func (w *Worker) upload(ctx context.Context, id string, a app.Attachment) (int64, error) {
	f, err := os.Open(a.Path)
	if err != nil {
		return 0, fmt.Errorf("%w: %s cannot be read (%v)", ErrFileChanged, a.FileName, pathCause(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.Size() != a.Size {
		return 0, fmt.Errorf("%w: %s is now %d bytes, was %d when signed", ErrFileChanged, a.FileName, st.Size(), a.Size)
	}
	if a.SHA1 != "" {
		got, _, err := attach.Hash(ctx, f)
		if err != nil {
			return 0, err
		}
		if got != a.SHA1 {
			return 0, fmt.Errorf("%w: %s has different content than when it was signed", ErrFileChanged, a.FileName)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
	}
	cr := &countingReader{r: f, onRead: func(n int) { w.report(func(s *Status) { s.Bytes += int64(n) }) }}
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	err = w.Transport.PutBinary(ctx, id, ct, cr, a.Size)
	return cr.n, err
}

type countingReader struct {
	r      io.Reader
	n      int64
	onRead func(int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if n > 0 && c.onRead != nil {
		c.onRead(n)
	}
	return n, err
}

func pathCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// backoff is exponential with jitter, from 5 s up to 30 min, and never shorter than Retry-After.
func backoff(attempts int, after time.Duration) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempts && d < 30*time.Minute; i++ {
		d *= 2
	}
	d = min(d, 30*time.Minute)
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1)) // jitter: 50–100 %
	return max(d, after)
}

func retryAfter(err error) time.Duration {
	var se *fhir.StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// refusal is what the user sees on an order the server refused: the server's own words when given.
// refusal is the server's own words for a refused order, kept as the order's status reason (the
// screens introduce it in the user's language).
func refusal(err error) string {
	var se *fhir.StatusError
	if errors.As(err, &se) && se.Outcome != "" {
		return se.Outcome
	}
	var ee *fhir.EntryError
	if errors.As(err, &ee) {
		return ee.Error()
	}
	return err.Error()
}

// failureText describes a temporary failure without patient data (it is stored on the outbox row).
func failureText(err error) string {
	var se *fhir.StatusError
	if errors.As(err, &se) {
		return fmt.Sprintf("server answered %d", se.StatusCode)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "connection failed: " + errors.Unwrap(ue).Error()
	}
	return "connection failed"
}
