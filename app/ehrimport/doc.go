// Package ehrimport reads what a clinic's EHR exports about a patient — a C-CDA document (R1.1, R2.x,
// any document type), a FHIR R4 Bundle (any type) or a single Patient in JSON, or a zip holding
// them — into a Document: the patient's demographics and identifiers, the problems with their codes,
// medications, allergies, the human-readable narrative, and any PDFs carried inside.
//
// Parse is a pure function over bytes with a size cap, so it can run in a sandboxed worker process.
// The kind of file is recognised by its content, never by its name. Anything not understood (unknown
// templates, sections, resource types) is skipped and listed in Document.Skipped: a readable document
// is never refused because a vendor used a template we do not know.
//
// XML is read with encoding/xml, which neither fetches external entities nor expands DTD entities; a
// document that declares entities at all is refused before its body is read (no XXE, no billion laughs).
//
// Suggest adds ICD-10-CM codes (the FY2026 list of package icd10), RenderPDF draws the narrative as a
// PDF dated with the document's own date, Match compares the patient with the local charts, and
// WriteFiles puts the PDFs in the private work folder as records-packet inputs.
package ehrimport
