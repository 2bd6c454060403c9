package workflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/attach"
	"github.com/referraldesk/referraldesk/app/packet"
)

// ErrNothingToBuild: none of the packet's files can be used.
var ErrNothingToBuild = errors.New("workflow: none of the packet's files can be used")

// PacketPatient is the identifiers stamped on every page of p's packet.
func PacketPatient(p app.Patient) packet.Patient {
	return packet.Patient{Family: p.Family, Given: p.Given, DOB: p.BirthDate, MRN: p.MRN}
}

// ExpandPaths turns folders into the packet files inside them (one level), in name order. An
// unreadable folder adds nothing: its files cannot be listed.
func ExpandPaths(paths []string) []string {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			out = append(out, p)
			continue
		}
		names, _ := packet.FilesIn(p)
		out = append(out, names...)
	}
	return out
}

// ReadPacketFiles reads the files (folders expanded) for pt's packet, skipping paths in known and
// repeats. Each file is read with its own time limit in a sandbox worker; one that cannot be used
// comes back with Err set. Slow: run it off the UI thread.
func (s *Service) ReadPacketFiles(ctx context.Context, pt packet.Patient, paths []string, known map[string]bool) []*packet.Input {
	return s.ReadPacketFilesProgress(ctx, pt, paths, known, nil)
}

// ReadPacketFilesProgress is ReadPacketFiles reading several files at once (as many as there are
// cores: each runs in its own sandbox worker) and calling progress, when not nil, with the files
// done of the total: from its own goroutines, but never two calls at once. The result keeps the
// order of the paths. When ctx ends, the files not yet read come back with ctx's error.
func (s *Service) ReadPacketFilesProgress(ctx context.Context, pt packet.Patient, paths []string, known map[string]bool, progress func(done, total int)) []*packet.Input {
	seen := map[string]bool{}
	for p := range known {
		seen[p] = true
	}
	var todo []string
	for _, p := range ExpandPaths(paths) {
		if !seen[p] {
			seen[p] = true
			todo = append(todo, p)
		}
	}
	out := make([]*packet.Input, len(todo))
	if progress != nil {
		progress(0, len(todo))
	}
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for range min(len(todo), max(1, runtime.NumCPU())) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				in := s.Packets.Inspect(ctx, todo[i], pt, "")
				mu.Lock()
				out[i] = in
				done++
				if progress != nil {
					progress(done, len(todo)) // one call at a time: callers need no lock of their own
				}
				mu.Unlock()
			}
		}()
	}
	// Largest first, so that no worker is left with a long file at the end while the other idles.
	for _, i := range packet.LargestFirst(todo) {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Reopen reads the files chosen earlier for the order's packet again and re-applies the user's
// decisions (title, date, pages left out, pages checked). Passwords are never kept, so an encrypted
// file comes back locked.
func (s *Service) Reopen(ctx context.Context, orderID int64, pt packet.Patient) ([]*packet.Input, map[*packet.Input]bool, error) {
	saved, err := s.Choices.PacketInputs(ctx, orderID)
	if err != nil {
		return nil, nil, fmt.Errorf("workflow: reopen packet: %w", err)
	}
	reviewed := map[*packet.Input]bool{}
	out := make([]*packet.Input, 0, len(saved))
	for _, c := range saved {
		in := s.Packets.Inspect(ctx, c.Path, pt, "")
		if c.Title != "" {
			in.Title = c.Title
		}
		if c.DateSource == string(packet.DateUser) && !c.Date.IsZero() {
			in.SetDate(c.Date)
		}
		in.Exclude = c.Exclude
		reviewed[in] = c.Reviewed
		out = append(out, in)
	}
	return out, reviewed, nil
}

// Choices is the packet's files, in the user's order, with the decisions on each, as kept with
// the order. A snapshot: take it where the inputs are changed (the UI thread).
func Choices(inputs []*packet.Input, reviewed map[*packet.Input]bool) []app.PacketInput {
	out := make([]app.PacketInput, len(inputs))
	for i, in := range inputs {
		out[i] = app.PacketInput{
			Path: in.Path, Title: in.Title, Date: in.Date, DateSource: string(in.DateSource),
			Exclude: append([]int(nil), in.Exclude...), Reviewed: reviewed[in],
		}
	}
	return out
}

// SaveChoices keeps the packet's files and decisions (see Choices) with the order.
func (s *Service) SaveChoices(ctx context.Context, orderID int64, choices []app.PacketInput) error {
	if err := s.Choices.SavePacketInputs(ctx, orderID, choices); err != nil {
		return fmt.Errorf("workflow: keep packet files: %w", err)
	}
	return nil
}

// Plan is what would be built from inputs in this order: the institution's page limit, a cover.
func (s *Service) Plan(inputs []*packet.Input) packet.Plan {
	return packet.NewPlanInOrder(inputs, s.Profile.Rules.MaxPacketPages, true)
}

// Check is a planned file with pages in the packet that may be another patient's.
type Check struct {
	Input *packet.Input
	Flags []packet.PageFlag // only the flags of pages in the plan
}

// ToCheck lists, in the plan's order, the planned files not yet reviewed whose pages in the packet
// may be another patient's: they need a decision (leave out, or keep as checked) before the build.
func ToCheck(pl packet.Plan, reviewed map[*packet.Input]bool) []Check {
	var out []Check
	for _, d := range pl.Docs {
		if reviewed[d.Input] {
			continue
		}
		var flags []packet.PageFlag
		for _, f := range d.Input.Flags {
			if slices.Contains(d.Pages, f.Page) {
				flags = append(flags, f)
			}
		}
		if len(flags) > 0 {
			out = append(out, Check{d.Input, flags})
		}
	}
	return out
}

// LeaveOutFlagged leaves out every page of in flagged as possibly another patient's.
func LeaveOutFlagged(in *packet.Input) {
	for _, f := range in.Flags {
		if !slices.Contains(in.Exclude, f.Page) {
			in.Exclude = append(in.Exclude, f.Page)
		}
	}
	sort.Ints(in.Exclude)
}

// ErrIncompleteChart: the packet needs the patient's last name, first name and date of birth.
var ErrIncompleteChart = errors.New("workflow: the chart lacks a last name, first name or date of birth; complete the chart first")

// PacketFor is what o's packet carries: the patient's identifiers on every page, the provider and
// the department (by name) on the cover.
func (s *Service) PacketFor(ctx context.Context, o app.Order) (packet.Patient, packet.CoverInfo, error) {
	p, err := s.Charts.Patient(ctx, o.PatientID)
	if err != nil {
		return packet.Patient{}, packet.CoverInfo{}, fmt.Errorf("workflow: packet: patient of order %d: %w", o.ID, err)
	}
	if p.Family == "" || p.Given == "" || p.BirthDate.IsZero() {
		return packet.Patient{}, packet.CoverInfo{}, ErrIncompleteChart
	}
	cover := packet.CoverInfo{Department: o.Department}
	if d, ok := s.Profile.Department(o.Department); ok {
		cover.Department = d.Name
	}
	if o.ProviderID != 0 {
		// Without the provider the cover still names the patient and department.
		if pr, err := s.Providers.Provider(ctx, o.ProviderID); err == nil {
			cover.ProviderName, cover.ProviderNPI = pr.DisplayName(), pr.NPI
		}
	}
	return PacketPatient(p), cover, nil
}

// packetDir is where the order's packets are written (inside the private data folder).
func (s *Service) packetDir(o app.Order) string {
	return filepath.Join(s.DataDir, "packets", o.UUID)
}

// BuildPacket writes the packet pl describes for the started order o (its patient's identifiers
// on every page, its provider and department on the cover) into the order's packet folder, and
// returns it as an attachment ready for AddPacket. The build is recorded in the audit trail.
func (s *Service) BuildPacket(ctx context.Context, o app.Order, pl packet.Plan, progress func(done, total int)) (app.Attachment, packet.Result, error) {
	if o.UUID == "" {
		return app.Attachment{}, packet.Result{}, ErrNotStarted
	}
	if pl.Total() <= pl.CoverPages {
		return app.Attachment{}, packet.Result{}, ErrNothingToBuild
	}
	pt, cover, err := s.PacketFor(ctx, o)
	if err != nil {
		return app.Attachment{}, packet.Result{}, err
	}
	dir := s.packetDir(o)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return app.Attachment{}, packet.Result{}, fmt.Errorf("workflow: packet folder: %w", err)
	}
	res, err := s.Packets.Build(ctx, pl, pt, cover, dir, progress)
	if err != nil {
		return app.Attachment{}, res, err
	}
	at, err := attach.Describe(ctx, res.Path, s.maxUpload())
	if err != nil {
		return at, res, err
	}
	at.Description = fmt.Sprintf("%d-page PDF of medical records, newest first", res.Pages)
	if err := s.record(ctx, app.EventPacketBuilt, o.PatientID, o.ID, fmt.Sprintf("bytes=%d", at.Size)); err != nil {
		return at, res, err
	}
	return at, res, nil
}

// AddPacket puts the packet on o, replacing an earlier packet of the order (same file), and says
// records are coming when the user has not answered yet.
func (s *Service) AddPacket(o *app.Order, at app.Attachment) {
	at.OrderID, at.AddedAt = o.ID, s.now()
	list := o.Attachments[:0:0]
	for _, a := range o.Attachments {
		if a.Path != at.Path {
			list = append(list, a)
		}
	}
	o.Attachments = append(list, at)
	if o.UploadRecords == app.AnswerUnset {
		o.UploadRecords = app.AnswerYes
	}
}

// PacketOutcome is what Packet did: the files as read, the plan built, the packet, the order saved.
type PacketOutcome struct {
	Inputs []*packet.Input
	Plan   packet.Plan
	Result packet.Result
	Order  app.Order
}

// Packet is the whole operation for one saved, editable order, as the CLI runs it: read the files
// (adding them to those chosen earlier), newest first; leave out pages that may be another
// patient's unless keepFlagged (the user checked them); keep the choices; build; attach; save.
func (s *Service) Packet(ctx context.Context, orderID int64, paths []string, keepFlagged bool, progress func(done, total int)) (PacketOutcome, error) {
	var out PacketOutcome
	o, err := s.Orders.Order(ctx, orderID)
	if err != nil {
		return out, fmt.Errorf("workflow: packet: %w", err)
	}
	if !o.Status.Editable() {
		return out, fmt.Errorf("workflow: packet: %w", app.ErrNotEditable)
	}
	p, err := s.Charts.Patient(ctx, o.PatientID)
	if err != nil {
		return out, fmt.Errorf("workflow: packet: patient: %w", err)
	}
	pt := PacketPatient(p)
	inputs, reviewed, err := s.Reopen(ctx, o.ID, pt)
	if err != nil {
		return out, err
	}
	known := map[string]bool{}
	for _, in := range inputs {
		known[in.Path] = true
	}
	inputs = append(inputs, s.ReadPacketFiles(ctx, pt, paths, known)...)
	packet.SortNewestFirst(inputs)
	pl := s.Plan(inputs)
	for _, c := range ToCheck(pl, reviewed) {
		if keepFlagged {
			reviewed[c.Input] = true
		} else {
			LeaveOutFlagged(c.Input)
		}
	}
	if err := s.SaveChoices(ctx, o.ID, Choices(inputs, reviewed)); err != nil {
		return out, err
	}
	out.Inputs, out.Plan = inputs, s.Plan(inputs)
	at, res, err := s.BuildPacket(ctx, o, out.Plan, progress)
	out.Result = res
	if err != nil {
		return out, err
	}
	s.AddPacket(&o, at)
	if err := s.Orders.SaveDraft(ctx, &o); err != nil {
		return out, fmt.Errorf("workflow: packet: %w", err)
	}
	out.Order = o
	return out, nil
}
