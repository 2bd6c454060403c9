package local

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/referraldesk/referraldesk/app"
)

func makePatient(family, given, birth, mrn string) app.Patient {
	p := app.Patient{Family: family, Given: given, MRN: mrn, Sex: app.SexUnknown}
	if birth != "" {
		d, err := time.Parse(app.DateLayout, birth)
		if err != nil {
			panic(err)
		}
		p.BirthDate = d
	}
	return p
}

func TestPatientCRUD(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	p := app.Patient{
		MRN: "A-100", Family: "Núñez-O'Brien", Given: "José María", BirthDate: time.Date(1961, 7, 4, 0, 0, 0, 0, time.UTC),
		Sex: app.SexMale, Address: app.Address{Line: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701"},
		Phone: "555-0100", InsuranceType: "HMO", ServerID: "reg-1",
	}
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || !p.CreatedAt.Equal(c.Now()) || !p.LastActionAt.Equal(c.Now()) {
		t.Fatalf("after create: %+v", p)
	}
	got, err := s.Patient(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, p)
	}
	if err := s.CreatePatient(ctx, &p); err == nil {
		t.Fatal("create with an ID succeeded")
	}
	dup := makePatient("Other", "", "", "")
	dup.ServerID = "reg-1"
	if err := s.CreatePatient(ctx, &dup); !errors.Is(err, app.ErrAlreadyExists) {
		t.Fatalf("duplicate server id: %v", err)
	}

	c.Add(time.Hour)
	p.Phone = "555-0199"
	p.BirthDate = time.Time{}
	if err := s.UpdatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Patient(ctx, p.ID)
	if got.Phone != "555-0199" || !got.BirthDate.IsZero() || !got.LastActionAt.Equal(c.Now()) || !got.CreatedAt.Equal(c.Now().Add(-time.Hour)) {
		t.Fatalf("after update: %+v", got)
	}

	missing := app.Patient{ID: 999, Family: "X"}
	if err := s.UpdatePatient(ctx, &missing); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
	if _, err := s.Patient(ctx, 999); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("read missing: %v", err)
	}
	if err := s.TouchPatient(ctx, 999, c.Now()); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("touch missing: %v", err)
	}

	// Touch moves forward only.
	if err := s.TouchPatient(ctx, p.ID, c.Now().Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Patient(ctx, p.ID); !got.LastActionAt.Equal(c.Now()) {
		t.Fatalf("touch moved backwards to %v", got.LastActionAt)
	}
	if err := s.TouchPatient(ctx, p.ID, c.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Patient(ctx, p.ID); !got.LastActionAt.Equal(c.Now().Add(time.Minute)) {
		t.Fatalf("touch: %v", got.LastActionAt)
	}

	// The audit log names ids, never the chart.
	entries, err := s.Audit(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != ActionPatientUpdate || entries[1].Action != ActionPatientCreate ||
		entries[0].EntityID != p.ID || entries[0].Actor != "tester" || entries[0].Entity != "patient" {
		t.Fatalf("audit: %+v", entries)
	}
}

// searchFixture is a small cache for search tests.
var searchFixture = []app.Patient{
	makePatient("Müller", "Hans", "1970-03-15", "A12345"),
	makePatient("Muller", "Anna", "1980-01-02", "B777"),
	makePatient("Smith", "John", "1990-02-03", "123456"),
	makePatient("Smith", "Jane", "1985-12-31", "1234"),
	makePatient("SMITH", "Jonas", "", ""),
	makePatient("Smithers", "Waylon", "1950-05-05", ""),
	makePatient("Núñez-O'Brien", "José", "1961-07-04", ""),
	makePatient("Nunez", "María", "1972-08-09", ""),
	makePatient("van der Berg", "Pieter", "1944-01-02", ""),
	makePatient("Berg", "Anna Maria", "1990-02-03", ""),
	makePatient("Johnson", "Smith", "2001-11-11", ""),
	makePatient("Straße", "Ölaf", "1999-09-09", ""),
}

func names(ps []app.Patient) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.DisplayName())
	}
	return strings.Join(out, " | ")
}

func TestSearchPatients(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	fixture := append([]app.Patient(nil), searchFixture...)
	if err := s.BulkInsertPatients(ctx, fixture); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, want string }{
		{"Smith, John", "Smith, John"},
		{"Smith", "Smith, Jane | Smith, John | SMITH, Jonas | Smithers, Waylon"},
		{"smith,", "Smith, Jane | Smith, John | SMITH, Jonas | Smithers, Waylon"},
		{"Smith, J", "Smith, Jane | Smith, John | SMITH, Jonas"},
		{"Smith, Jo", "Smith, John | SMITH, Jonas"},
		{"SMITH, JOHN", "Smith, John"},
		{"  smith ,  jane  ", "Smith, Jane"},
		{"LAST", ""},
		{"muller", "Muller, Anna | Müller, Hans"},
		{"Müller", "Muller, Anna | Müller, Hans"},
		{"MÜLLER, h", "Müller, Hans"},
		{"nunez", "Nunez, María | Núñez-O'Brien, José"},
		{"Núñez-O", "Núñez-O'Brien, José"},
		{"nunez, maria", "Nunez, María"},
		{"strasse, o", "Straße, Ölaf"},
		{"Smith John", "Johnson, Smith | Smith, John"},              // Last First and First Last, no comma
		{"John Smith", "Johnson, Smith | Smith, John"},              // First Last and Last First
		{"Smith Jo", "Johnson, Smith | Smith, John | SMITH, Jonas"}, // both readings, prefixes
		{"van der", "van der Berg, Pieter"},                         // family with spaces
		{"van der berg, p", "van der Berg, Pieter"},                 // ... and an initial
		{"Pieter van der Berg", "van der Berg, Pieter"},             // First Last with a spaced family
		{", anna", "Berg, Anna Maria | Muller, Anna"},               // given only
		{"1970-03-15", "Müller, Hans"},
		{"3/15/1970", "Müller, Hans"},
		{"03/15/1970", "Müller, Hans"},
		{"1990-02-03", "Berg, Anna Maria | Smith, John"},
		{"2/3/1990", "Berg, Anna Maria | Smith, John"},
		{"A12345", "Müller, Hans"},
		{"a123", "Müller, Hans"},
		{"123456", "Smith, John"},
		{"1234", "Smith, Jane | Smith, John"}, // exact match first, then prefix
		{"b777", "Muller, Anna"},
		{"99999", ""},
		{"zzz", ""},
		{"", ""},
		{"   ", ""},
	} {
		got, err := s.SearchPatients(ctx, tc.query, 20)
		if err != nil {
			t.Fatalf("%q: %v", tc.query, err)
		}
		if names(got) != tc.want {
			t.Errorf("SearchPatients(%q)\n got %s\nwant %s", tc.query, names(got), tc.want)
		}
	}
	got, err := s.SearchPatients(ctx, "smith", 2)
	if err != nil || names(got) != "Smith, Jane | Smith, John" {
		t.Errorf("limit 2: %s, %v", names(got), err)
	}
	got, err = s.SearchPatients(ctx, "smith jo", 1)
	if err != nil || len(got) != 1 {
		t.Errorf("limit 1 over several readings: %s, %v", names(got), err)
	}
}

func TestParseSearch(t *testing.T) {
	for in, want := range map[string]patientQuery{
		"Last, First": {names: []nameQuery{{"last", "first"}}},
		"Last":        {names: []nameQuery{{family: "last"}}},
		"Last First":  {names: []nameQuery{{family: "last first"}, {"last", "first"}, {"first", "last"}}},
		"12/31/1999":  {birth: "1999-12-31"},
		"1999-12-31":  {birth: "1999-12-31"},
		"MRN-0042":    {mrn: "mrn-0042"},
		"13/45/2020":  {names: []nameQuery{{family: "13/45/2020"}}},
	} {
		if got := parseSearch(in); !reflect.DeepEqual(got, want) {
			t.Errorf("parseSearch(%q) = %+v, want %+v", in, got, want)
		}
	}
}

// TestSearchUsesIndexes guards the 10 ms budget: every search reading is an index search, never a
// table scan or a sort of the whole table.
func TestSearchUsesIndexes(t *testing.T) {
	s, _ := openTest(t)
	check := func(what, q string, args ...any) {
		t.Helper()
		rows, err := s.ro.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		p := strings.Join(plan, "; ")
		if !strings.Contains(p, "USING") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s: plan %q", what, p)
		}
	}
	for _, n := range []nameQuery{{family: "smith"}, {"smith", "j"}} {
		q, args := nameSQL(n, 50)
		check(fmt.Sprintf("%+v", n), q, args...)
	}
	check("birth", searchBirthSQL, "1970-01-01", 50)
	check("mrn", searchMRNSQL, "123", "124", 50)
	check("my patients", `SELECT `+patientCols+` FROM patients WHERE last_action_at >= ?
		ORDER BY last_action_at DESC, id DESC LIMIT ?`, 0, 50)
}

func TestMyPatientsWindow(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	now := c.Now()
	create := func(name string, at time.Time) app.Patient {
		c.Set(at)
		p := makePatient(name, "", "", "")
		if err := s.CreatePatient(ctx, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	edge := create("Edge", now.Add(-app.MyPatientsWindow))             // exactly 120 days: in
	create("Outside", now.Add(-app.MyPatientsWindow-time.Millisecond)) // 1 ms older: out
	recent := create("Recent", now.Add(-time.Hour))                    // in
	old := create("Old", now.Add(-365*24*time.Hour))                   // out until touched
	if err := s.TouchPatient(ctx, old.ID, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := s.MyPatients(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if names(got) != "Old | Recent | Edge" {
		t.Fatalf("MyPatients = %s", names(got))
	}
	if got, _ := s.MyPatients(ctx, now, 1); names(got) != "Old" {
		t.Fatalf("limit 1: %s", names(got))
	}
	// A day later the edge patient has dropped off.
	if got, _ := s.MyPatients(ctx, now.Add(24*time.Hour), 10); names(got) != "Old | Recent" {
		t.Fatalf("next day: %s", names(got))
	}
	_ = edge
	_ = recent
}

func TestPossibleDuplicates(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	fixture := append([]app.Patient(nil), searchFixture...)
	if err := s.BulkInsertPatients(ctx, fixture); err != nil {
		t.Fatal(err)
	}
	hans := fixture[0]
	for _, tc := range []struct {
		p    app.Patient
		want string
	}{
		{makePatient("MULLER", "H.", "1970-03-15", ""), "Müller, Hans"},
		{makePatient("muller", "hannah", "1970-03-15", ""), "Müller, Hans"},
		{makePatient("Müller", "", "1970-03-15", ""), "Müller, Hans"}, // no given name: any initial
		{makePatient("Muller", "Anna", "1970-03-15", ""), ""},         // other initial
		{makePatient("Muller", "Hans", "1970-03-16", ""), ""},         // other birth date
		{makePatient("Mueller", "Hans", "1970-03-15", ""), ""},        // other spelling
		{hans, ""}, // itself
		{makePatient("smith", "Jonny", "", ""), "SMITH, Jonas"}, // both without birth date
	} {
		got, err := s.PossibleDuplicates(ctx, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if names(got) != tc.want {
			t.Errorf("PossibleDuplicates(%s %v) = %s, want %s", tc.p.DisplayName(), tc.p.BirthDate, names(got), tc.want)
		}
	}
}

func TestBulkInsertAndCount(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	ps := []app.Patient{makePatient("A", "", "", ""), makePatient("B", "", "", "")}
	ps[1].LastActionAt = c.Now().Add(-time.Hour)
	if err := s.BulkInsertPatients(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if ps[0].ID == 0 || ps[1].ID == 0 || !ps[0].LastActionAt.Equal(c.Now()) || !ps[1].LastActionAt.Equal(c.Now().Add(-time.Hour)) {
		t.Fatalf("after bulk insert: %+v", ps)
	}
	if n, err := s.CountPatients(ctx); err != nil || n != 2 {
		t.Fatalf("CountPatients = %d, %v", n, err)
	}
	// A failing row rolls the whole batch back.
	bad := []app.Patient{makePatient("C", "", "", ""), makePatient("D", "", "", "")}
	bad[1].Sex = "robot"
	if err := s.BulkInsertPatients(ctx, bad); err == nil {
		t.Fatal("bulk insert accepted an unknown sex")
	}
	if n, _ := s.CountPatients(ctx); n != 2 {
		t.Fatalf("count %d after failed batch", n)
	}
	if bad[0].ID != 0 {
		t.Fatal("IDs set on a failed batch")
	}
	entries, _ := s.Audit(ctx, 10)
	if len(entries) != 1 || entries[0].Action != ActionPatientBulk || entries[0].Detail != "count=2" {
		t.Fatalf("audit: %+v", entries)
	}
}

func TestProviders(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	a := app.Provider{Family: "Zhou", Given: "Li", Credentials: "MD", NPI: "1234567893", Active: true}
	b := app.Provider{Family: "adams", Given: "Pat", Credentials: "NP", Active: true}
	c := app.Provider{Family: "Baker", Active: false}
	for _, p := range []*app.Provider{&a, &b, &c} {
		if err := s.SaveProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// Empty NPIs may repeat; a filled one may not.
	d := app.Provider{Family: "Dup", NPI: "1234567893", Active: true}
	if err := s.SaveProvider(ctx, &d); !errors.Is(err, app.ErrAlreadyExists) {
		t.Fatalf("duplicate NPI: %v", err)
	}
	e := app.Provider{Family: "NoNPI", Active: true}
	if err := s.SaveProvider(ctx, &e); err != nil {
		t.Fatal(err)
	}
	list, err := s.Providers(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range list {
		got = append(got, p.Family)
	}
	if strings.Join(got, ",") != "adams,NoNPI,Zhou" {
		t.Fatalf("active providers: %v", got)
	}
	if all, _ := s.Providers(ctx, true); len(all) != 4 {
		t.Fatalf("all providers: %d", len(all))
	}
	a.Active = false
	if err := s.SaveProvider(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Provider(ctx, a.ID); err != nil || !reflect.DeepEqual(p, a) {
		t.Fatalf("Provider = %+v, %v", p, err)
	}
	if _, err := s.Provider(ctx, 999); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("missing provider: %v", err)
	}
	missing := app.Provider{ID: 999, Family: "X"}
	if err := s.SaveProvider(ctx, &missing); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("update missing provider: %v", err)
	}
}

// Seen (issue 12 §7): a 5,000-word search took 3.3 s and 216 MB, growing with the square of the words.
func TestSearchLongQueryCapped(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	p := makePatient("De La Cruz", "María José", "1960-05-04", "")
	if err := s.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("alonso quixote ", 2500) // 5,000 words
	if q := parseSearch(long); len(q.names) > 2*maxSearchWords {
		t.Fatalf("%d readings of a capped line", len(q.names))
	}
	start := time.Now()
	if _, err := s.SearchPatients(ctx, long, 50); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("5,000-word search took %v", d)
	}
	// A long line of one word, cut inside a multi-byte letter, stays valid text.
	if got := capSearch(strings.Repeat("é", 150)); len(got) > maxSearchBytes || !utf8.ValidString(got) {
		t.Fatalf("cut %q", got)
	}
	// Real names with several words still work.
	got, err := s.SearchPatients(ctx, "de la cruz maria jose", 50)
	if err != nil || len(got) != 1 {
		t.Fatalf("multi-word name: %v %v", got, err)
	}
}
