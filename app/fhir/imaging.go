package fhir

import "strings"

// SystemDICOMUID is the identifier system of DICOM UIDs (values are "urn:oid:<uid>").
const SystemDICOMUID = "urn:dicom:uid"

// ImagingStudy is the FHIR record of a DICOM study sent for an order (GUIDE §6: linked to the
// ServiceRequest), so the institution sees which images belong to the referral.
type ImagingStudy struct {
	ResourceType      string       `json:"resourceType"`
	ID                string       `json:"id,omitempty"`
	Identifier        []Identifier `json:"identifier"`
	Status            string       `json:"status"`
	Subject           *Reference   `json:"subject"`
	BasedOn           []Reference  `json:"basedOn,omitempty"`
	Description       string       `json:"description,omitempty"`
	NumberOfInstances int          `json:"numberOfInstances,omitempty"`
}

// FHIRType implements Resource.
func (*ImagingStudy) FHIRType() string { return "ImagingStudy" }

// StudyIdentifier is the identifier of a DICOM study by its Study Instance UID.
func StudyIdentifier(studyUID string) Identifier {
	return Identifier{System: SystemDICOMUID, Value: "urn:oid:" + strings.TrimPrefix(studyUID, "urn:oid:")}
}

// NewImagingStudy describes a study sent for the ServiceRequest srID about patientRef ("Patient/ID").
func NewImagingStudy(studyUID, patientRef, srID, description string, instances int) *ImagingStudy {
	return &ImagingStudy{
		ResourceType: "ImagingStudy", Identifier: []Identifier{StudyIdentifier(studyUID)}, Status: "available",
		Subject: &Reference{Reference: patientRef}, BasedOn: []Reference{{Reference: "ServiceRequest/" + srID}},
		Description: description, NumberOfInstances: instances,
	}
}
