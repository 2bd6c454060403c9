// Package screens is ReferralDesk's Fyne user interface: one file per screen, each depending on the
// small interfaces below rather than on the store or the network.
package screens

import (
	"context"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/smart"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/users"
)

// Users is the people who share this workstation (see app/users).
type Users interface {
	SaveUser(ctx context.Context, u *users.User) error
	Users(ctx context.Context, includeInactive bool) ([]users.User, error)
	User(ctx context.Context, id int64) (users.User, error)
}

// Patients is what the patient screens need from the local cache.
type Patients interface {
	CreatePatient(ctx context.Context, p *app.Patient) error
	Patient(ctx context.Context, id int64) (app.Patient, error)
	PatientByServerID(ctx context.Context, serverID string) (app.Patient, error)
	SearchPatients(ctx context.Context, query string, limit int) ([]app.Patient, error)
	MyPatients(ctx context.Context, now time.Time, limit int) ([]app.Patient, error)
	PossibleDuplicates(ctx context.Context, p app.Patient) ([]app.Patient, error)
	TouchPatient(ctx context.Context, id int64, at time.Time) error
	PatientDiagnoses(ctx context.Context, patientID int64) ([]app.Diagnosis, error)
}

// Providers is the managed list of authorizing providers.
type Providers interface {
	SaveProvider(ctx context.Context, p *app.Provider) error
	Provider(ctx context.Context, id int64) (app.Provider, error)
	Providers(ctx context.Context, includeInactive bool) ([]app.Provider, error)
}

// Orders is what order entry and the Requests tab need.
type Orders interface {
	SaveDraft(ctx context.Context, o *app.Order) error
	Order(ctx context.Context, id int64) (app.Order, error)
	Orders(ctx context.Context, statuses ...app.Status) ([]app.OrderSummary, error)
	LatestDraft(ctx context.Context) (app.Order, error)
	DeleteDraft(ctx context.Context, id int64) error
	SignOrder(ctx context.Context, id int64, sig app.Signature, at time.Time) error
	Outbox(ctx context.Context, state string) ([]app.OutboxEntry, error)
}

// Codes searches ICD-10-CM offline. Search may block briefly while the code list loads.
type Codes interface {
	Search(ctx context.Context, query string, limit int) ([]app.Diagnosis, error)
}

// Sync is the background sync service: status line, sign-in and the institution's registry.
type Sync interface {
	OnStatus(func(syncer.Status)) // called on any goroutine
	SyncNow()
	Account(ctx context.Context) (creds.Account, bool, error)
	SignIn(ctx context.Context, acct creds.Account, secret string) error
	// SignInSMART signs in the way production FHIR servers require (SMART App Launch): open shows
	// the institution's login page in the system browser.
	SignInSMART(ctx context.Context, acct creds.Account, open func(url string) error) (*smart.Session, error)
	SignOut(ctx context.Context) error
	SearchRegistry(ctx context.Context, query string) ([]app.Patient, error)
	SaveResult(ctx context.Context, r app.Result, dir string) (string, error)
}

// Inbox is what the institution sent back, as kept in the local cache.
type Inbox interface {
	Appointments(ctx context.Context, from time.Time) ([]app.Appointment, error)
	Messages(ctx context.Context, unreadOnly bool) ([]app.Message, error)
	MarkMessageRead(ctx context.Context, id int64, read bool) error
	Results(ctx context.Context) ([]app.Result, error)
}

// Events records what the user did that the audit trail must show (chart viewed, result opened,
// packet built): ids only, never names.
type Events interface {
	RecordEvent(ctx context.Context, kind string, patientID, orderID int64, detail string) error
}

// DemoCheck tells whether the open database is a demo database (then a permanent band says so).
type DemoCheck interface {
	IsDemo(ctx context.Context) (bool, error)
}

// Deps is everything the screens are given by main.
type Deps struct {
	Patients  Patients
	Providers Providers
	Orders    Orders
	Codes     Codes
	Clinics   Clinics        // nil: no clinic set-up (tests of other screens)
	Events    Events         // nil: nothing recorded (tests)
	Activity  ActivitySource // nil: no Activity view
	Demo      DemoCheck      // nil: not a demo database
	Imports   Imports        // nil: no import from the EHR
	// OpenBrowser shows a sign-in page in the system browser (nil: the desktop's default browser).
	OpenBrowser func(url string) error
	Packets     Packets
	Sync        Sync   // nil: no sync (screens say so)
	Inbox       Inbox  // nil: empty home tabs
	Images      Images // nil: no image upload
	Profile     *institution.Profile
	DataDir     string           // the app's private data folder (packets are written under it)
	Users       Users            // nil: no local users (the computer login is the person)
	User        string           // the computer login: recorded with signatures, shown when no user is signed in
	LockAfter   time.Duration    // idle time before the lock; 0: DefaultLockAfter
	Now         func() time.Time // the clock; time.Now when nil
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// record writes an audit event in the background; a failure is shown, as the trail must be complete.
func (u *UI) record(kind string, patientID, orderID int64, detail string) {
	if u.deps.Events == nil {
		return
	}
	run(&u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.deps.Events.RecordEvent(ctx, kind, patientID, orderID, detail)
	}, func(_ struct{}, err error) {
		if err != nil {
			showError(u.win, "The activity trail could not be written", err)
		}
	})
}
