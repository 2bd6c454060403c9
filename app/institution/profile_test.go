package institution

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/assets"
)

func mustDefault(t *testing.T) *Profile {
	t.Helper()
	p, err := LoadDefault()
	if err != nil {
		t.Fatalf("LoadDefault: %v", err)
	}
	return p
}

func TestDefaultProfileValidates(t *testing.T) {
	p := mustDefault(t)
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	a, b := Default(), Default()
	if a == nil || b == nil {
		t.Fatal("Default() = nil")
	}
	if a == b {
		t.Error("Default returns the same pointer twice; callers may change their copy")
	}
}

// TestDefaultProfileFacts pins the facts taken from the seeds.
func TestDefaultProfileFacts(t *testing.T) {
	p := mustDefault(t)
	if p.SupportPhone != "833-629-0157" {
		t.Errorf("support phone = %q", p.SupportPhone)
	}
	locs := []struct {
		code, tz, referral, fax, zip string
		kind                         string
		peds                         bool
	}{
		{"arizona", "America/Phoenix", "866-629-6362", "480-301-4071", "85259", KindCampus, false},
		{"florida", "America/New_York", "800-634-1417", "904-953-0575", "32224", KindCampus, false},
		{"rochester", "America/Chicago", "800-533-1564", "800-321-1368", "55905", KindCampus, true},
		{"mchs-se-mn", "America/Chicago", "651-267-5071", "", "", KindHealthSystemRegion, false},
		{"mchs-sw-mn", "America/Chicago", "507-594-4700", "", "", KindHealthSystemRegion, false},
		{"mchs-wi", "America/Chicago", "1-855-392-8400", "", "", KindHealthSystemRegion, false},
	}
	if len(p.Locations) != len(locs) {
		t.Errorf("%d locations, want %d", len(p.Locations), len(locs))
	}
	for _, want := range locs {
		l, ok := p.Location(want.code)
		if !ok {
			t.Errorf("location %q missing", want.code)
			continue
		}
		if l.TimeZone != want.tz || l.ReferralPhone != want.referral || l.Fax != want.fax || l.Kind != want.kind {
			t.Errorf("location %q = %+v", want.code, l)
		}
		if got := p.AllowsPediatrics(want.code); got != want.peds {
			t.Errorf("AllowsPediatrics(%q) = %v, want %v", want.code, got, want.peds)
		}
		if want.zip != "" && (l.Address == nil || l.Address.PostalCode != want.zip) {
			t.Errorf("location %q address = %+v", want.code, l.Address)
		}
		if l.Source == "" {
			t.Errorf("location %q has no source note", want.code)
		}
	}
	if l, _ := p.Location("mchs-sw-mn"); l.Email != "MCHSSWMNEXTREF@mayo.edu" {
		t.Errorf("SW MN email = %q", l.Email)
	}
	if l, _ := p.Location("mchs-wi"); l.Email != "DLLAPatientReferral@mayo.edu" {
		t.Errorf("WI email = %q", l.Email)
	}
	r := p.Rules
	if r.PediatricAgeLimit != 18 || r.MaxPacketPages != 50 || r.MaxUploadBytes != 100_000_000 ||
		r.MaxTotalAttachmentBytes != 1_000_000_000 || r.FaxResponseBusinessDays != 3 || r.MyPatientsDays != 120 {
		t.Errorf("rules = %+v", r)
	}
	if p.MyPatientsWindow() != 120*24*time.Hour {
		t.Errorf("MyPatientsWindow = %v", p.MyPatientsWindow())
	}
	for _, k := range ruleNames {
		if r.Sources[k] == "" {
			t.Errorf("rule %s has no source note", k)
		}
	}
	seedDepts := 0
	for _, d := range p.Departments {
		if d.Source == "" {
			t.Errorf("department %q has no source note", d.Code)
		}
		if !d.Addition {
			seedDepts++
		}
	}
	if seedDepts != 16 {
		t.Errorf("%d departments from the seed, want 16", seedDepts)
	}
	if d, ok := p.Department("PEDIATRICS"); !ok || !d.PediatricOnly {
		t.Errorf("Department(PEDIATRICS) = %+v, %v", d, ok)
	}
	if d, ok := p.Department("gim"); !ok || !d.Addition {
		t.Errorf("Department(gim) = %+v, %v; want an addition", d, ok)
	}
	for _, name := range []string{"HMO", "workers' compensation", "Medical assistance", "medicare", "self-pay"} {
		if _, ok := p.InsuranceType(name); !ok {
			t.Errorf("InsuranceType(%q) not found", name)
		}
	}
	if c, ok := p.Contact("admission-transfer"); !ok || c.Phone != "507-255-2910" {
		t.Errorf("Contact(admission-transfer) = %+v, %v", c, ok)
	}
}

func TestDefaultJSONRoundTrip(t *testing.T) {
	p := mustDefault(t)
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Load(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Load(Marshal(default)): %v", err)
	}
	if len(q.Locations) != len(p.Locations) || q.Rules.MaxUploadBytes != p.Rules.MaxUploadBytes {
		t.Error("round trip lost data")
	}
}

func TestLoadStrict(t *testing.T) {
	good := string(assets.DefaultInstitution)
	cases := []struct {
		name, json, want string
	}{
		{"unknown field", strings.Replace(good, `"portal_name"`, `"portal_nmae"`, 1), `unknown field "portal_nmae"`},
		{"unknown nested field", strings.Replace(good, `"pediatric_only": true`, `"peds_only": true`, 1), `unknown field "peds_only"`},
		{"syntax error with position", "{\n  \"id\": \"x\",\n  \"name\" \"y\"\n}", "line 3, column"},
		{"wrong type", strings.Replace(good, `"max_packet_pages": 50`, `"max_packet_pages": "50"`, 1), "max_packet_pages"},
		{"trailing data", good + "{}", "unexpected data after the profile"},
		{"empty", "", "EOF"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tc.json))
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "institution: ") {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, assets.DefaultInstitution, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(good); err != nil {
		t.Fatalf("LoadFile: %v", err)
	}

	bad := filepath.Join(dir, "bad.json")
	broken := strings.Replace(string(assets.DefaultInstitution), `"America/Phoenix"`, `"America/Phenix"`, 1)
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(bad)
	if !errors.Is(err, ErrInvalidProfile) {
		t.Fatalf("LoadFile(bad) = %v, want ErrInvalidProfile", err)
	}
	for _, want := range []string{bad, `locations[0].time_zone "America/Phenix": unknown time zone`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}

	_, err = LoadFile(filepath.Join(dir, "missing.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) = %v, want os.ErrNotExist", err)
	}
}

func TestLoadTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte(" "), maxProfileBytes+10)
	if _, err := Load(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(huge) = %v", err)
	}
}
