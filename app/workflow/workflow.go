// Package workflow owns each user-level operation once: start an order for a patient (find, match or
// create the chart; start the draft), take in attachments, build the records packet. The screens and
// the command line both call these functions, so the two cannot disagree about what an operation
// does. It speaks to the store only through the small interfaces below: no Fyne, no SQL.
//
// An operation that the screens run in two halves (the slow part off the UI thread, then a change to
// the order the editor holds) is split the same way here: Read… does the slow part and changes
// nothing, Add… applies its result to an order in memory, and the one-call form (Attach, used by the
// CLI) does both and saves the draft.
package workflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/packet"
)

// Charts is the part of the store that keeps patients.
type Charts interface {
	CreatePatient(ctx context.Context, p *app.Patient) error
	Patient(ctx context.Context, id int64) (app.Patient, error)
	PatientByServerID(ctx context.Context, serverID string) (app.Patient, error)
	PossibleDuplicates(ctx context.Context, p app.Patient) ([]app.Patient, error)
	TouchPatient(ctx context.Context, id int64, at time.Time) error
}

// Providers reads the authorizing providers (for the packet's cover).
type Providers interface {
	Provider(ctx context.Context, id int64) (app.Provider, error)
}

// PacketFiles is app/packet bound to the data folder's work folder (packet.Service).
type PacketFiles interface {
	// Inspect reads one file; password opens an encrypted PDF ("" when none is known).
	Inspect(ctx context.Context, path string, pt packet.Patient, password string) *packet.Input
	Build(ctx context.Context, plan packet.Plan, pt packet.Patient, cover packet.CoverInfo, outDir string, progress func(done, total int)) (packet.Result, error)
}

// PacketChoices keeps the files chosen for an order's packet and the user's decisions on them.
type PacketChoices interface {
	SavePacketInputs(ctx context.Context, orderID int64, inputs []app.PacketInput) error
	PacketInputs(ctx context.Context, orderID int64) ([]app.PacketInput, error)
}

// Store is everything the workflow needs from the local database (local.Store implements it).
type Store interface {
	Charts
	Providers
	PacketChoices
	ImportStore
	app.OrderStore
	app.EventRecorder
}

// Service runs the operations for one data folder. The zero Now means time.Now; a nil Events
// records nothing (tests of other parts).
type Service struct {
	Charts    Charts
	Orders    app.OrderStore
	Providers Providers
	Packets   PacketFiles
	Choices   PacketChoices
	Events    app.EventRecorder
	Imports   ImportStore // nil: imported summaries are not kept (KeepImport fails)
	Profile   *institution.Profile
	DataDir   string // the app's private data folder: copies, packets and work files go under it
	Now       func() time.Time
	// DefaultLocation is the settings' location for new orders, as the command line read it (the
	// window keeps its own copy, changed live from the Settings screen).
	DefaultLocation string
}

// New is the Service over one store and data folder, with app/packet reading files in the data
// folder's work folder. GUI and CLI both start here.
func New(st Store, prof *institution.Profile, dataDir string) (*Service, error) {
	if prof == nil {
		return nil, errors.New("workflow: no institution profile")
	}
	work, err := datadir.Work(dataDir)
	if err != nil {
		return nil, fmt.Errorf("workflow: work folder: %w", err)
	}
	return &Service{
		Charts: st, Orders: st, Providers: st, Choices: st, Events: st, Imports: st,
		Packets: packet.Service{WorkDir: work}, Profile: prof, DataDir: dataDir,
	}, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// record writes an audit event (ids and counts only, never names) when events are kept.
func (s *Service) record(ctx context.Context, kind string, patientID, orderID int64, detail string) error {
	if s.Events == nil {
		return nil
	}
	if err := s.Events.RecordEvent(ctx, kind, patientID, orderID, detail); err != nil {
		return fmt.Errorf("workflow: record %s: %w", kind, err)
	}
	return nil
}

// maxUpload is the institution's per-file limit (0: none).
func (s *Service) maxUpload() int64 {
	if s.Profile == nil {
		return 0
	}
	return s.Profile.Rules.MaxUploadBytes
}
