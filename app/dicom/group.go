package dicom

import (
	"cmp"
	"slices"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// Patient is one patient found in the images, with their studies (most recent first).
type Patient struct {
	PatientInfo
	Studies []Study `json:"studies"`
}

// Study is one study, with its series (by series number).
type Study struct {
	UID             string      `json:"uid"`
	Date            string      `json:"date"` // YYYYMMDD, may be empty
	Time            string      `json:"time,omitempty"`
	Description     string      `json:"description,omitempty"`
	AccessionNumber string      `json:"accession_number,omitempty"`
	Patient         PatientInfo `json:"patient"`
	// OtherPatients lists further patients named by some files of this study (a badly-made
	// export); CheckSelection flags such a study.
	OtherPatients []PatientInfo `json:"other_patients,omitempty"`
	Modalities    []string      `json:"modalities"`
	Series        []Series      `json:"series"`
	Instances     int           `json:"instances"`
	Size          int64         `json:"size"`
}

// Series is one series, with its instances (by instance number).
type Series struct {
	UID         string     `json:"uid"`
	StudyUID    string     `json:"study_uid"`
	Number      int        `json:"number,omitempty"`
	Modality    string     `json:"modality"`
	Description string     `json:"description,omitempty"`
	Instances   []Instance `json:"instances"`
	Size        int64      `json:"size"`
}

// Files lists every instance of the study, series by series.
func (s Study) Files() []Instance {
	var out []Instance
	for _, se := range s.Series {
		out = append(out, se.Instances...)
	}
	return out
}

// patientKey groups files of the same patient: ID, folded name and birth date.
func patientKey(p PatientInfo) string {
	return strings.TrimSpace(p.ID) + "\x00" + app.Fold(strings.ReplaceAll(p.Name, "^", " ")) + "\x00" + p.BirthDate
}

// Group sorts instances into patient → study → series. Studies go under the patient named
// by their first file; ordering is deterministic: patients by their latest study, studies
// by date and time (newest first, undated last), series by number, instances by number.
func Group(instances []Instance) []Patient {
	type studyAcc struct {
		study  *Study
		series map[string]*Series
		order  []string
		seen   map[string]bool
	}
	studies := map[string]*studyAcc{}
	var studyOrder []string
	for _, in := range instances {
		acc, ok := studies[in.StudyInstanceUID]
		if !ok {
			acc = &studyAcc{
				study: &Study{
					UID: in.StudyInstanceUID, Date: in.StudyDate, Time: in.StudyTime,
					Description: in.StudyDescription, AccessionNumber: in.AccessionNumber, Patient: in.Patient,
				},
				series: map[string]*Series{},
				seen:   map[string]bool{patientKey(in.Patient): true},
			}
			studies[in.StudyInstanceUID] = acc
			studyOrder = append(studyOrder, in.StudyInstanceUID)
		}
		st := acc.study
		if k := patientKey(in.Patient); !acc.seen[k] {
			acc.seen[k] = true
			st.OtherPatients = append(st.OtherPatients, in.Patient)
		}
		fillEmpty(&st.Date, in.StudyDate)
		fillEmpty(&st.Time, in.StudyTime)
		fillEmpty(&st.Description, in.StudyDescription)
		fillEmpty(&st.AccessionNumber, in.AccessionNumber)
		se, ok := acc.series[in.SeriesInstanceUID]
		if !ok {
			se = &Series{
				UID: in.SeriesInstanceUID, StudyUID: in.StudyInstanceUID, Number: in.SeriesNumber,
				Modality: in.Modality, Description: in.SeriesDescription,
			}
			acc.series[in.SeriesInstanceUID] = se
			acc.order = append(acc.order, in.SeriesInstanceUID)
		}
		fillEmpty(&se.Modality, in.Modality)
		fillEmpty(&se.Description, in.SeriesDescription)
		se.Instances = append(se.Instances, in)
		se.Size += in.Size
		st.Instances++
		st.Size += in.Size
	}

	patients := map[string]*Patient{}
	var patientOrder []string
	for _, uid := range studyOrder {
		acc := studies[uid]
		st := acc.study
		for _, suid := range acc.order {
			se := acc.series[suid]
			slices.SortFunc(se.Instances, func(a, b Instance) int {
				return cmp.Or(cmpNumber(a.InstanceNumber, b.InstanceNumber), strings.Compare(a.Path, b.Path))
			})
			st.Series = append(st.Series, *se)
			if se.Modality != "" && !slices.Contains(st.Modalities, se.Modality) {
				st.Modalities = append(st.Modalities, se.Modality)
			}
		}
		slices.Sort(st.Modalities)
		slices.SortFunc(st.Series, func(a, b Series) int {
			return cmp.Or(cmpNumber(a.Number, b.Number), strings.Compare(a.UID, b.UID))
		})
		k := patientKey(st.Patient)
		p, ok := patients[k]
		if !ok {
			p = &Patient{PatientInfo: st.Patient}
			patients[k] = p
			patientOrder = append(patientOrder, k)
		}
		p.Studies = append(p.Studies, *st)
	}
	out := make([]Patient, 0, len(patients))
	for _, k := range patientOrder {
		p := patients[k]
		slices.SortFunc(p.Studies, compareStudies)
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Patient) int {
		return cmp.Or(
			compareStudies(a.Studies[0], b.Studies[0]),
			strings.Compare(app.Fold(a.Name), app.Fold(b.Name)),
			strings.Compare(a.ID, b.ID),
			strings.Compare(a.BirthDate, b.BirthDate),
		)
	})
	return out
}

// compareStudies puts newer studies first, undated ones last.
func compareStudies(a, b Study) int {
	if (a.Date == "") != (b.Date == "") {
		if a.Date == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(strings.Compare(b.Date, a.Date), strings.Compare(b.Time, a.Time), strings.Compare(a.UID, b.UID))
}

// cmpNumber orders by number with 0 (missing) last.
func cmpNumber(a, b int) int {
	if (a == 0) != (b == 0) {
		if a == 0 {
			return 1
		}
		return -1
	}
	return cmp.Compare(a, b)
}

func fillEmpty(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}
