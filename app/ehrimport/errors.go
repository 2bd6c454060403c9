package ehrimport

import "errors"

// Errors of Parse; compare with errors.Is. Their texts are meant for the user and hold no patient data.
var (
	// ErrTooLarge: the file is over MaxSize (checked before anything is parsed).
	ErrTooLarge = errors.New("the file is too large to import")
	// ErrTruncated: the file ends before the document does.
	ErrTruncated = errors.New("the file is cut short (truncated): it ends before the document does; export it again")
	// ErrEntities: the XML declares entities in a DOCTYPE (how XXE and "billion laughs" attacks work).
	ErrEntities = errors.New("the XML file declares entities (<!ENTITY> in a DOCTYPE), which health records never " +
		"need; refused for safety")
	// ErrUnknownFormat: neither C-CDA, FHIR R4 JSON nor a zip holding one.
	ErrUnknownFormat = errors.New("not a C-CDA document, a FHIR R4 JSON Bundle or Patient, or a zip holding one")
	// ErrDamaged: recognised, but its syntax is broken.
	ErrDamaged = errors.New("the file is damaged")
	// ErrZipLimits: a zip with too many files, too much content or a suspicious compression ratio.
	ErrZipLimits = errors.New("the zip file is refused")
	// ErrNoPatient: the file was read but names no patient.
	ErrNoPatient = errors.New("the file holds no patient")
)
