package app

import (
	"context"
	"time"
)

// MyPatientsWindow is how long a patient stays on "my patients" after the last action (seed 002: 120 days).
const MyPatientsWindow = 120 * 24 * time.Hour

// PatientStore keeps charts. Every method that changes a patient bumps its LastActionAt.
type PatientStore interface {
	// CreatePatient inserts p and sets p.ID, CreatedAt and LastActionAt.
	CreatePatient(ctx context.Context, p *Patient) error
	UpdatePatient(ctx context.Context, p *Patient) error
	Patient(ctx context.Context, id int64) (Patient, error)
	// SearchPatients takes one line as typed: "Last, First", "Last", "Last, F", a date of
	// birth (2006-01-02, 01/02/2006) or a registration number. Case- and accent-insensitive.
	SearchPatients(ctx context.Context, query string, limit int) ([]Patient, error)
	// MyPatients lists patients with an action since now-MyPatientsWindow, most recent first.
	MyPatients(ctx context.Context, now time.Time, limit int) ([]Patient, error)
	// PossibleDuplicates finds charts with the same last name and birth date and the same first initial.
	PossibleDuplicates(ctx context.Context, p Patient) ([]Patient, error)
	// TouchPatient records an action on the patient (keeps them on "my patients").
	TouchPatient(ctx context.Context, id int64, at time.Time) error
	// PatientDiagnoses lists diagnoses used on the patient's earlier orders, most recent first.
	PatientDiagnoses(ctx context.Context, patientID int64) ([]Diagnosis, error)
}

// ProviderStore keeps the managed list of authorizing providers.
type ProviderStore interface {
	SaveProvider(ctx context.Context, p *Provider) error // insert when ID is 0, else update
	Provider(ctx context.Context, id int64) (Provider, error)
	Providers(ctx context.Context, includeInactive bool) ([]Provider, error)
}

// OrderStore keeps referral orders, their diagnoses and attachments, and the outbox.
type OrderStore interface {
	// SaveDraft inserts (ID 0) or updates an editable order with its diagnoses and attachments,
	// in one transaction. It fails with ErrNotEditable once the order is signed.
	SaveDraft(ctx context.Context, o *Order) error
	Order(ctx context.Context, id int64) (Order, error)
	// Orders lists orders, newest first; with statuses given, only those.
	Orders(ctx context.Context, statuses ...Status) ([]OrderSummary, error)
	// LatestDraft returns the most recently edited draft, or ErrNotFound.
	LatestDraft(ctx context.Context) (Order, error)
	DeleteDraft(ctx context.Context, id int64) error
	// SignOrder marks the order signed by sig.SignerName (for sig.ForProviderID, the order's
	// provider) and queued, and writes its outbox entry, in one transaction.
	SignOrder(ctx context.Context, id int64, sig Signature, at time.Time) error
	// Outbox lists entries in the given state (all when empty), oldest first.
	Outbox(ctx context.Context, state string) ([]OutboxEntry, error)
}

// ClinicStore keeps the referring clinic (one per installation).
type ClinicStore interface {
	// Clinic returns the clinic and true, or false when it has not been set up yet.
	Clinic(ctx context.Context) (Clinic, bool, error)
	// SaveClinic stores the clinic (normalized); an invalid one fails with an *InvalidError.
	SaveClinic(ctx context.Context, c Clinic) error
}

// AuditLog reads the audit trail (written by the store inside each change's transaction).
type AuditLog interface {
	Audit(ctx context.Context, limit int) ([]AuditEntry, error)
}

// Store is everything the local cache offers.
type Store interface {
	PatientStore
	ProviderStore
	OrderStore
	ClinicStore
	AuditLog
}
