package local

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

var (
	synthFamilies = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
		"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
		"Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller",
		"Núñez", "García", "Søren", "Kowalski", "O'Brien", "van der Berg", "Łukasik", "Dvořák", "Björk",
	}
	synthSyl1 = []string{
		"Al", "Ber", "Cor", "Dan", "El", "Fer", "Gal", "Har", "Is", "Jen", "Kal", "Lor", "Mar", "Nor", "Ol",
		"Pen", "Quin", "Ros", "Sal", "Tor", "Ul", "Val", "Wes", "Yar", "Zan",
	}
	synthSyl2 = []string{
		"by", "den", "ford", "gard", "holm", "ing", "kin", "ley", "man", "ner", "ov", "quist", "rick", "son",
		"ton", "ver", "wick", "zak", "ello", "ova",
	}
	synthGiven = []string{
		"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
		"David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
		"Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
		"José", "María", "Zoë", "Chloé", "Jürgen", "Åsa", "Renée", "Noël", "Anna Maria", "Jean-Luc",
	}
)

// synthPatients makes n deterministic synthetic charts: 40% common surnames (about 670 each per
// 100,000), 60% from a few thousand generated ones.
func synthPatients(n int, seed uint64) []app.Patient {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	base := time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC)
	sexes := []app.Sex{app.SexFemale, app.SexMale, app.SexOther, app.SexUnknown}
	ps := make([]app.Patient, n)
	for i := range ps {
		var family string
		if r.IntN(10) < 4 {
			family = synthFamilies[r.IntN(len(synthFamilies))]
		} else {
			family = synthSyl1[r.IntN(len(synthSyl1))] + synthSyl2[r.IntN(len(synthSyl2))]
			if r.IntN(2) == 0 {
				family += synthSyl2[r.IntN(len(synthSyl2))]
			}
		}
		p := app.Patient{
			Family:    family,
			Given:     synthGiven[r.IntN(len(synthGiven))],
			BirthDate: base.AddDate(0, 0, r.IntN(100*365)),
			Sex:       sexes[r.IntN(len(sexes))],
			Phone:     fmt.Sprintf("555-%04d", r.IntN(10000)),
		}
		if r.IntN(100) < 85 {
			p.MRN = fmt.Sprintf("%07d", 1_000_000+i)
		}
		ps[i] = p
	}
	return ps
}

// bench holds the one seeded database shared by benchmark runs; TestMain removes it.
var bench struct {
	once     sync.Once
	dir      string
	s        *Store
	gen, ins time.Duration
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.s != nil {
		bench.s.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func benchStore(b *testing.B) *Store {
	bench.once.Do(func() {
		if bench.dir, bench.err = os.MkdirTemp("", "local-bench-"); bench.err != nil {
			return
		}
		if bench.s, bench.err = Open(filepath.Join(bench.dir, "bench.db"), Options{Actor: "bench"}); bench.err != nil {
			return
		}
		start := time.Now()
		ps := synthPatients(100_000, 1)
		bench.gen = time.Since(start)
		start = time.Now()
		bench.err = bench.s.BulkInsertPatients(context.Background(), ps)
		bench.ins = time.Since(start)
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.s
}

// benchQueries is a mix of what clinicians type.
var benchQueries = []string{
	"smith", "Smith, J", "smith, john", "garcia", "Müller, a", "nunez", "s", "m", "Al", "Berford", "van der",
	"john smith", "Smith Mary", "o'brien, p", "kowalski, a", "dvorak", "bjork, z", "LOPEZ, MARIA",
	"1975-06-15", "6/15/1975", "12/01/1950", "1000500", "10005", "zzz", ", mary", "ro", ", zzz", "s, zzz", "1",
}

// BenchmarkSearchPatients100k searches a cache of 100,000 synthetic charts with a mix of queries and
// reports the median, p95 and worst single search.
func BenchmarkSearchPatients100k(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	if got, err := s.SearchPatients(ctx, "smith", 50); err != nil || len(got) != 50 {
		b.Fatalf("sanity: %d results, %v", len(got), err)
	}
	durs := make([]time.Duration, 0, b.N)
	perQuery := map[string][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := benchQueries[i%len(benchQueries)]
		start := time.Now()
		_, err := s.SearchPatients(ctx, q, 50)
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		durs = append(durs, d)
		perQuery[q] = append(perQuery[q], d)
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "median-ns/op")
	b.ReportMetric(float64(durs[len(durs)*95/100].Nanoseconds()), "p95-ns/op")
	b.ReportMetric(float64(durs[len(durs)-1].Nanoseconds()), "max-ns/op")
	if b.N >= len(benchQueries)*10 {
		var lines []string
		for q, ds := range perQuery {
			slices.Sort(ds)
			lines = append(lines, fmt.Sprintf("%-14q median %v", q, ds[len(ds)/2]))
		}
		sort.Strings(lines)
		b.Logf("seeded 100,000 patients: generate %v, BulkInsertPatients %v\n%s",
			bench.gen.Round(time.Millisecond), bench.ins.Round(time.Millisecond), strings.Join(lines, "\n"))
	}
}
