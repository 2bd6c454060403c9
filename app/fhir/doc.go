// Package fhir maps ReferralDesk's domain to FHIR R4 and back, and talks to the institution's
// FHIR server.
//
// Push: a signed order becomes a Submission; each file is uploaded as a Binary and described by a
// DocumentReference created on its own (DocumentReferences), then one transaction Bundle carries
// Patient, Practitioner, PractitionerRole, Coverage, QuestionnaireResponse, ServiceRequest and
// Task (BuildBundle, checked by Validate). Every resource carries our own identifier and every
// create is conditional on it, so any step can be repeated after a crash without duplicates.
// Medplum allows at most 8 conditional entries per transaction, which is why the
// DocumentReferences go separately.
//
// Pull: OrderStatus maps the institution's Task to the order's status; Appointments, Messages and
// Results read search Bundles into small structs; OperationOutcome.Text explains refusals.
//
// Client is a thin HTTP client (Binary upload, conditional create, transaction, search, download)
// whose errors sort into ErrUnauthorized, ErrRejected and ErrRetryable. Nothing here logs; the
// server's outcome text may quote patient data and is kept out of Error() strings.
package fhir
