package fhir

import (
	"crypto/sha1"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Identifier systems and code systems.
const (
	// SystemPatient holds our identifier of a chart: "<installation>/local-<patient id>".
	SystemPatient = "urn:referraldesk:patient"
	// SystemOrder holds the order UUID (ServiceRequest) and, suffixed, the order's other resources:
	// "<uuid>/task", "<uuid>/coverage", "<uuid>/qr".
	SystemOrder = "urn:referraldesk:order"
	// SystemAttachment holds "<order uuid>/<attachment sha1>" of each DocumentReference we send.
	SystemAttachment = "urn:referraldesk:attachment"
	// SystemPractitionerRole holds "<installation>/<NPI>": the provider's role at this clinic.
	SystemPractitionerRole = "urn:referraldesk:practitioner-role"
	// SystemOrganization holds "<installation>": the referring clinic of this installation, for a
	// clinic without an organisation NPI.
	SystemOrganization = "urn:referraldesk:organization"
	// SystemNPI is the US National Provider Identifier (providers and organisations).
	SystemNPI = "http://hl7.org/fhir/sid/us-npi"
	// SystemLicencePrefix starts the identifier system of a medical licence issued outside the US:
	// SystemLicencePrefix + "<country, lower case>" + ":" + "<authority, folded to a slug>"
	// (urn:referraldesk:medical-licence:sv:junta-de-vigilancia-de-la-profesion-medica). Few
	// licensing authorities publish a FHIR system of their own; the identifier's type (v2-0203
	// MD) and assigner say what it is.
	SystemLicencePrefix = "urn:referraldesk:medical-licence:"
	// SystemBCP47 is the code system of languages (Patient.communication.language).
	SystemBCP47 = "urn:ietf:bcp:47"
	// ExtInterpreterRequired is the core extension saying the patient needs an interpreter.
	ExtInterpreterRequired = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
	// SystemICD10CM is ICD-10-CM, dotted codes.
	SystemICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
	// systemV20203 is HL7 v2 table 0203 (identifier types: MR = medical record number).
	systemV20203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
	// systemCoverageClass is the Coverage class code system.
	systemCoverageClass = "http://terminology.hl7.org/CodeSystem/coverage-class"
	// systemOrganizationType is HL7's organization type code system ("prov": healthcare provider).
	systemOrganizationType = "http://terminology.hl7.org/CodeSystem/organization-type"
	// SystemProvenanceParticipant is the Provenance agent type code system (author, enterer...).
	SystemProvenanceParticipant = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
	// systemTaskCode is the Task code system ("fulfill").
	systemTaskCode = "http://hl7.org/fhir/CodeSystem/task-code"
)

// MRNSystem is the identifier system of the institution's registration number (MRN). The profile
// has no field for the institution's real system, so it is derived from the profile's id.
func MRNSystem(profileID string) string {
	if profileID == "" {
		return "urn:referraldesk:institution:mrn"
	}
	return "urn:referraldesk:institution:" + profileID + ":mrn"
}

// ClinicMRNSystemPrefix starts the identifier system of a clinic MRN typed by hand:
// ClinicMRNSystemPrefix + "<installation>", so two clinics' own numbers never collide.
const ClinicMRNSystemPrefix = "urn:referraldesk:clinic-mrn:"

// ClinicMRNSystem is the identifier system the referring clinic's MRN is sent under: the system the
// clinic's EHR export gave it ("urn:oid:<root>" for a bare OID, the URI as sent otherwise), or, for
// a number typed by hand, this installation's own system.
func ClinicMRNSystem(installation, stored string) string {
	s := strings.TrimSpace(stored)
	switch {
	case s == "":
		return ClinicMRNSystemPrefix + installation
	case oidRE.MatchString(s):
		return "urn:oid:" + s
	}
	return s
}

// oidRE is an ISO OID without its "urn:oid:" prefix.
var oidRE = regexp.MustCompile(`^[0-2](\.(0|[1-9][0-9]*))+$`)

// LocationSystem is the code system of the profile's location codes.
func LocationSystem(profileID string) string {
	return "urn:referraldesk:institution:" + profileID + ":location"
}

// DepartmentSystem is the code system of the profile's department codes.
func DepartmentSystem(profileID string) string {
	return "urn:referraldesk:institution:" + profileID + ":department"
}

// IfNoneExist is the conditional-create query for an identifier, "identifier=system|value", with
// both parts query-escaped. It serves as Bundle.entry.request.ifNoneExist and as the If-None-Exist
// header of a single create.
func IfNoneExist(id Identifier) string {
	return "identifier=" + url.QueryEscape(id.System) + "|" + url.QueryEscape(id.Value)
}

// SearchByIdentifier is the search query that finds a resource by identifier.
func SearchByIdentifier(id Identifier) url.Values {
	return url.Values{"identifier": {id.System + "|" + id.Value}}
}

// uuidNamespace is the name space of our name-based UUIDs (RFC 4122 version 5).
var uuidNamespace = [16]byte{0x6f, 0x8e, 0x2b, 0x1c, 0x3d, 0x4a, 0x4e, 0x59, 0x9a, 0x10, 0x52, 0x65, 0x66, 0x44, 0x65, 0x73}

// nameUUID is the version 5 UUID of name in our name space: the same name always gives the same
// UUID, so a rebuilt bundle is byte-for-byte the same.
func nameUUID(name string) string {
	h := sha1.New()
	h.Write(uuidNamespace[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = (u[6] & 0x0f) | 0x50
	u[8] = (u[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

var (
	uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	// idRE is a FHIR resource id.
	idRE = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)
)

// ValidID reports whether s is a valid FHIR resource id.
func ValidID(s string) bool { return idRE.MatchString(s) }

// BinaryID is a stable Binary id for a file of an order: upload it with PUT Binary/{id}
// (Client.PutBinary), and a retry after a crash replaces the same Binary instead of adding one.
// attachmentKey is the value of the file's DocumentReference identifier (see AttachmentIdentifiers).
func BinaryID(attachmentKey string) string { return nameUUID("binary:" + attachmentKey) }

// localPatientValue is our identifier value of a chart.
func localPatientValue(installation string, patientID int64) string {
	return fmt.Sprintf("%s/local-%d", installation, patientID)
}

func orderIdentifier(orderUUID, suffix string) Identifier {
	v := orderUUID
	if suffix != "" {
		v += "/" + suffix
	}
	return Identifier{System: SystemOrder, Value: v}
}

// fullURL is the urn:uuid of a resource of the order's bundle.
func fullURL(orderUUID, resourceType string) string {
	return "urn:uuid:" + nameUUID("bundle:"+orderUUID+"/"+resourceType)
}
