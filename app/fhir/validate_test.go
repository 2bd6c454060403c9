package fhir

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateCatchesEachProblem(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(b *Bundle)
		want   string
	}{
		{"bad NPI", func(b *Bundle) { get[*Practitioner](b).Identifier[0].Value = "1234567890" }, `NPI "1234567890" is not a valid`},
		{"no NPI", func(b *Bundle) { get[*Practitioner](b).Identifier[0].System = "urn:other" }, "no identifier in system http://hl7.org/fhir/sid/us-npi"},
		{"no birth date", func(b *Bundle) { get[*Patient](b).BirthDate = "" }, "no birth date"},
		{"US birth date", func(b *Bundle) { get[*Patient](b).BirthDate = "03/04/1970" }, `birthDate "03/04/1970" is not YYYY-MM-DD`},
		{"impossible date", func(b *Bundle) { get[*Patient](b).BirthDate = "1970-02-30" }, `birthDate "1970-02-30"`},
		{"no last name", func(b *Bundle) { get[*Patient](b).Name[0].Family = " " }, "no last name"},
		{"bad gender", func(b *Bundle) { get[*Patient](b).Gender = "f" }, `gender "f"`},
		{"dangling reference", func(b *Bundle) {
			get[*ServiceRequest](b).Subject.Reference = "urn:uuid:00000000-0000-5000-8000-000000000000"
		}, "subject points at urn:uuid:00000000-0000-5000-8000-000000000000, which is not in the bundle"},
		{"wrong target type", func(b *Bundle) { get[*Task](b).Focus.Reference = b.Entry[0].FullURL }, "focus points at a Patient, want a ServiceRequest"},
		{"display-only subject", func(b *Bundle) { get[*Task](b).For = &Reference{Display: "Jane"} }, "for has only a display text"},
		{"bad literal reference", func(b *Bundle) { get[*ServiceRequest](b).SupportingInfo[1].Reference = "DocumentReference/" }, `supportingInfo "DocumentReference/" is not a Type/id reference`},
		{"empty code", func(b *Bundle) { get[*ServiceRequest](b).ReasonCode[0].Coding[0].Code = "" }, "reasonCode has a coding without system or code"},
		{"undotted ICD-10", func(b *Bundle) { get[*ServiceRequest](b).ReasonCode[1].Coding[0].Code = "I4891" }, `ICD-10-CM code "I4891" is not in the dotted form`},
		{"no diagnosis", func(b *Bundle) { get[*ServiceRequest](b).ReasonCode = nil }, "no diagnosis"},
		{"no reason", func(b *Bundle) { get[*ServiceRequest](b).Note = nil }, "no reason for referral"},
		{"no department", func(b *Bundle) { get[*ServiceRequest](b).Code = nil }, "code (the department) is missing"},
		{"bad priority", func(b *Bundle) { get[*ServiceRequest](b).Priority = "soon" }, `priority "soon"`},
		{"bad authoredOn", func(b *Bundle) { get[*ServiceRequest](b).AuthoredOn = "2026-11-20 15:04" }, `authoredOn "2026-11-20 15:04" is not a FHIR dateTime`},
		{"no authoredOn", func(b *Bundle) { get[*Task](b).AuthoredOn = "" }, "authoredOn is missing"},
		{"order id not a UUID", func(b *Bundle) { get[*ServiceRequest](b).Identifier[0].Value = "42" }, `identifier "42" is not the order UUID`},
		{"no ifNoneExist", func(b *Bundle) { b.Entry[1].Request.IfNoneExist = "" }, "no ifNoneExist"},
		{"ifNoneExist mismatch", func(b *Bundle) { b.Entry[0].Request.IfNoneExist = "identifier=x|y" }, "does not match any of the resource's identifiers"},
		{"wrong method", func(b *Bundle) { b.Entry[2].Request.Method = "PUT" }, `request method "PUT"`},
		{"fullUrl not urn:uuid", func(b *Bundle) { b.Entry[3].FullURL = "Coverage/1" }, `fullUrl "Coverage/1" is not a urn:uuid`},
		{"fullUrl twice", func(b *Bundle) { b.Entry[4].FullURL = b.Entry[3].FullURL }, "is used twice"},
		{"resourceType wrong", func(b *Bundle) { get[*Coverage](b).ResourceType = "Claim" }, `resourceType is "Claim", want "Coverage"`},
		{"payor missing", func(b *Bundle) { get[*Coverage](b).Payor = nil }, "no payor"},
		{"task missing", func(b *Bundle) { b.Entry = b.Entry[:len(b.Entry)-1] }, "no Task entry"},
		{"not a transaction", func(b *Bundle) { b.Type = "batch" }, `type is "batch"`},
		{"too many conditional entries", func(b *Bundle) {
			b.Entry = append(b.Entry, b.Entry[1])
		}, "9 conditional entries; the server accepts at most 8"},
		{"bad clinic NPI", func(b *Bundle) { get[*Organization](b).Identifier[0].Value = "1245319598" }, `NPI "1245319598" is not a valid`},
		{"clinic without a name", func(b *Bundle) { get[*Organization](b).Name = "" }, "the clinic has no name"},
		{"role organization elsewhere", func(b *Bundle) {
			get[*PractitionerRole](b).Organization = &Reference{Reference: get[*PractitionerRole](b).Practitioner.Reference}
		}, "organization points at a Practitioner, want a Organization"},
		{"empty answer", func(b *Bundle) { get[*QuestionnaireResponse](b).Item[0].Answer[0] = QRAnswer{} }, "item location has an empty answer"},
		{"stray resource", func(b *Bundle) {
			b.Entry = append(b.Entry, BundleEntry{FullURL: "urn:uuid:00000000-0000-5000-8000-000000000001", Resource: &OperationOutcome{ResourceType: "OperationOutcome"}, Request: &BundleRequest{Method: "POST", URL: "OperationOutcome"}})
		}, "does not belong in a submission"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustBundle(t, testSubmission(t))
			tt.mutate(b)
			err := Validate(b)
			if err == nil {
				t.Fatalf("no problem found, want %q", tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not match ErrInvalid: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not say %q:\n%v", tt.want, err)
			}
		})
	}
}

func TestValidateReportsAll(t *testing.T) {
	b := mustBundle(t, testSubmission(t))
	get[*Practitioner](b).Identifier[0].Value = "1"
	get[*Patient](b).BirthDate = "x"
	get[*ServiceRequest](b).Priority = ""
	err := Validate(b)
	if err == nil {
		t.Fatal("no problems")
	}
	// The NPI change also breaks the ifNoneExist match: 4 problems.
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 4 {
		t.Errorf("%d problems, want 4:\n%v", n, err)
	}
	if Validate(nil) == nil {
		t.Error("nil bundle accepted")
	}
}

func TestValidateDocumentReference(t *testing.T) {
	docs, err := DocumentReferences(testSubmission(t))
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	d.Content[0].Attachment.Hash = nil
	d.Content[0].Attachment.Size = 0
	d.Content[0].Attachment.URL = "http://elsewhere/x"
	d.Identifier = nil
	err = ValidateDocumentReference(d)
	for _, want := range []string{"no SHA-1 hash", "has no size", "want Binary/<id>", "no identifier in system urn:referraldesk:attachment"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateDocumentReference does not say %q: %v", want, err)
		}
	}
}

// get finds the first resource of type T in b.
func get[T Resource](b *Bundle) T {
	for _, e := range b.Entry {
		if r, ok := e.Resource.(T); ok {
			return r
		}
	}
	var zero T
	return zero
}
