package dicom

import (
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// PACSText is the message for the clinic's PACS team when the images go PACS to PACS
// instead of being uploaded: the patient's identifiers, each study (date, modality,
// description, accession number, Study Instance UID, what the images call the patient) and
// the destination. It holds patient data: hand it to the user, never log it.
func PACSText(p app.Patient, studies []Study, destination string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Please send the following imaging studies PACS to PACS.\n\n")
	fmt.Fprintf(&b, "Destination: %s\n\n", orDash(destination))
	fmt.Fprintf(&b, "Patient: %s\n", orDash(p.DisplayName()))
	fmt.Fprintf(&b, "Date of birth: %s\n", orDash(app.FormatDate(p.BirthDate)))
	if p.Sex != "" && p.Sex != app.SexUnknown {
		fmt.Fprintf(&b, "Sex: %s\n", p.Sex)
	}
	if p.MRN != "" {
		fmt.Fprintf(&b, "MRN: %s\n", p.MRN)
	}
	fmt.Fprintf(&b, "\nStudies (%d):\n", len(studies))
	for i, s := range studies {
		mods := strings.Join(s.Modalities, "/")
		fmt.Fprintf(&b, "\n%d. %s  %s  %s\n", i+1, orDash(showDate(s.Date)), orDash(mods), orDash(s.Description))
		fmt.Fprintf(&b, "   Study Instance UID: %s\n", s.UID)
		if s.AccessionNumber != "" {
			fmt.Fprintf(&b, "   Accession number: %s\n", s.AccessionNumber)
		}
		fmt.Fprintf(&b, "   %s, %s\n", plural(len(s.Series), "series", "series"), plural(s.Instances, "image", "images"))
		who := ShowName(s.Patient.Name)
		if s.Patient.ID != "" {
			who += ", ID " + s.Patient.ID
		}
		if s.Patient.BirthDate != "" {
			who += ", born " + showDate(s.Patient.BirthDate)
		}
		fmt.Fprintf(&b, "   Patient in the images: %s\n", orDash(strings.TrimPrefix(who, ", ")))
	}
	return b.String()
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
