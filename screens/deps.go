// Package screens is ReferralDesk's Fyne user interface: one file per screen, each depending on the
// small interfaces below rather than on the store or the network.
package screens

import (
	"context"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/settings"
	"github.com/referraldesk/referraldesk/app/smart"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/users"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// Users is the people who share this workstation (see app/users): the store that users.Edit,
// users.ChangePIN and users.ResetPIN work on.
type Users interface {
	users.Store
}

// Prefs reads and changes the app's settings, checked by app/settings (settings.Manager).
type Prefs interface {
	Load(ctx context.Context) (settings.Settings, error)
	Set(ctx context.Context, name, value string) (string, error)
}

// Patients is what the patient screens need from the local cache: the workflow's charts plus the
// searches and lists the screens show.
type Patients interface {
	workflow.Charts
	SearchPatients(ctx context.Context, query string, limit int) ([]app.Patient, error)
	MyPatients(ctx context.Context, now time.Time, limit int) ([]app.Patient, error)
	PatientDiagnoses(ctx context.Context, patientID int64) ([]app.Diagnosis, error)
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
	// ConfirmSignIn signs the person at the lock screen in to the saved account again, for a
	// forgotten PIN (users.Recovery).
	users.Institution
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
	Providers app.ProviderStore
	Orders    app.OrderStore // drafts as typed, the Requests tab, signing
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
	// Settings are the app's settings (nil: none shown). When set, the UI loads them at start and
	// applies the idle-lock time, the theme and the default location, and again on each change.
	Settings        Prefs
	DefaultLocation string // location code a new order starts with ("": none)

	// Work runs the user-level operations (start an order, attach files, build the packet); nil:
	// one is made over the fields above, as main makes it over the store.
	Work *workflow.Service
}

// work is the workflow the screens call: the one main built, or one over the same parts.
func (d Deps) work() *workflow.Service {
	if d.Work != nil {
		return d.Work
	}
	w := &workflow.Service{
		Charts: d.Patients, Orders: d.Orders, Providers: d.Providers, Profile: d.Profile, DataDir: d.DataDir, Now: d.Now,
	}
	if d.Packets != nil {
		w.Packets, w.Choices = d.Packets, d.Packets
	}
	if d.Events != nil {
		w.Events = d.Events
	}
	if is, ok := d.Orders.(workflow.ImportStore); ok {
		w.Imports = is // the local store keeps imported summaries with the orders
	}
	return w
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
			showError(u.win, catalog.T(catalog.UIDepsActivityTrailCouldNot), err)
		}
	})
}
