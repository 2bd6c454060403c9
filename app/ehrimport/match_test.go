package ehrimport_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/ehrimport"
	"github.com/referraldesk/referraldesk/local"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func importedDoc(family string, given []string, birth time.Time, ids ...ehrimport.Identifier) *ehrimport.Document {
	return &ehrimport.Document{Patient: ehrimport.PatientInfo{
		Names:       []ehrimport.Name{{Use: "L", Family: family, Given: given}},
		BirthDate:   ehrimport.Date{Time: birth, Precision: ehrimport.PrecisionDay},
		Sex:         app.SexFemale,
		Identifiers: ids,
	}}
}

// MatchPatient on a real database: each rule of its doc comment, and that it saves nothing.
func TestMatchPatientAgainstLocalCharts(t *testing.T) {
	ctx := context.Background()
	st, err := local.Open(filepath.Join(t.TempDir(), "rd.db"), local.Options{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	charts := []*app.Patient{
		{Family: "Nguyễn", Given: "Thị Lan", BirthDate: day(1961, 4, 2), Sex: app.SexFemale, MRN: "11-222-333"},
		{Family: "Okafor", Given: "Ada", BirthDate: day(1980, 1, 15), Sex: app.SexFemale},
		{Family: "Berg", Given: "Ingrid", BirthDate: day(1955, 9, 30), Sex: app.SexFemale},
		{
			Family: "Jones", Given: "Isabella", BirthDate: day(1947, 5, 1), Sex: app.SexFemale,
			ClinicMRN: "998991", ClinicMRNSystem: "urn:oid:2.16.840.1.113883.19.5.99999.2",
		},
	}
	for _, c := range charts {
		if err := st.CreatePatient(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	ssn := ehrimport.Identifier{Value: "11-222-333", System: "2.16.840.1.113883.4.1", Authority: "SSN"}
	mrn := ehrimport.Identifier{Value: "11-222-333", System: "1.2.3.4.5", Authority: "Clinic MRN"}
	// The clinic's MRN as its C-CDA sends it (a bare OID root), under another name (married since).
	clinicMRN := ehrimport.Identifier{Value: "998991", System: "2.16.840.1.113883.19.5.99999.2"}
	otherClinic := ehrimport.Identifier{Value: "998991", System: "2.16.840.1.113883.19.5"}
	cases := []struct {
		name  string
		doc   *ehrimport.Document
		kind  ehrimport.MatchKind
		chart int64   // exact: this chart
		near  []int64 // near: these candidates
	}{
		{"same registration number and birth date", importedDoc("Nguyen", []string{"Lan"}, day(1961, 4, 2), mrn), ehrimport.MatchExact, charts[0].ID, nil},
		{"same number, other birth date: ask", importedDoc("Nguyen", []string{"Lan"}, day(1962, 4, 2), mrn), ehrimport.MatchNear, 0, []int64{charts[0].ID}},
		{"an SSN is never a registration number", importedDoc("Someone", []string{"Else"}, day(1961, 4, 2), ssn), ehrimport.MatchNone, 0, nil},
		{"same name (folded) and birth date", importedDoc("OKAFOR", []string{"Ada"}, day(1980, 1, 15)), ehrimport.MatchExact, charts[1].ID, nil},
		{"same family, birth date and initial: ask", importedDoc("Berg", []string{"Inga"}, day(1955, 9, 30)), ehrimport.MatchNear, 0, []int64{charts[2].ID}},
		{"same clinic MRN and system and birth date", importedDoc("Smith", []string{"Isabella"}, day(1947, 5, 1), ssn, clinicMRN), ehrimport.MatchExact, charts[3].ID, nil},
		{"same clinic MRN, other birth date: ask", importedDoc("Smith", []string{"Isabella"}, day(1948, 5, 1), clinicMRN), ehrimport.MatchNear, 0, []int64{charts[3].ID}},
		{"same number from another clinic: no match", importedDoc("Smith", []string{"Isabella"}, day(1947, 5, 1), otherClinic), ehrimport.MatchNone, 0, nil},
		{"nobody", importedDoc("Rossi", []string{"Marco"}, day(1990, 6, 6)), ehrimport.MatchNone, 0, nil},
	}
	for _, c := range cases {
		m, err := ehrimport.MatchPatient(ctx, st, c.doc)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if m.Kind != c.kind {
			t.Errorf("%s: kind %s, want %s (%s)", c.name, m.Kind, c.kind, m.Reason)
			continue
		}
		if c.kind == ehrimport.MatchExact && m.Chart.ID != c.chart {
			t.Errorf("%s: chart %d, want %d", c.name, m.Chart.ID, c.chart)
		}
		if c.kind == ehrimport.MatchNear {
			var got []int64
			for _, cand := range m.Candidates {
				got = append(got, cand.ID)
			}
			if len(got) != len(c.near) || got[0] != c.near[0] {
				t.Errorf("%s: candidates %v, want %v", c.name, got, c.near)
			}
		}
	}
	if n, err := st.CountPatients(ctx); err != nil || n != len(charts) {
		t.Errorf("%d charts after matching (%v), want %d: matching saves nothing", n, err, len(charts))
	}
}
