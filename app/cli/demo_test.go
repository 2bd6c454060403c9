package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/local"
)

// hashTree maps every file under dir to its SHA-256 (the folder as the user would find it).
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rowCounts counts the rows of the tables demo-data would write to.
func rowCounts(t *testing.T, dir string) map[string]int {
	t.Helper()
	st, err := local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	n, _ := st.CountPatients(ctx)
	orders, _ := st.Orders(ctx)
	provs, _ := st.Providers(ctx, true)
	outbox, _ := st.Outbox(ctx, "")
	audit, _ := st.Audit(ctx, 1_000_000)
	demo, _ := st.IsDemo(ctx)
	d := 0
	if demo {
		d = 1
	}
	return map[string]int{"patients": n, "orders": len(orders), "providers": len(provs), "outbox": len(outbox), "audit": len(audit), "demo": d}
}

// realFolder makes a data folder holding one real-looking patient with a signed order.
func realFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "real")
	if err := datadir.Ensure(dir); err != nil {
		t.Fatal(err)
	}
	st, err := local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	p := app.Patient{Family: "Realpatient", Given: "Wilhelmina", BirthDate: time.Date(1950, 3, 4, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, Reason: "real referral"}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The bug seen: demo-data on a folder with real patients attached fake orders to them and queued
// them for sending. Now it refuses, says why and how to make a demo folder, and changes nothing.
func TestDemoDataRefusesARealFolderAndChangesNothing(t *testing.T) {
	dir := realFolder(t)
	counts := rowCounts(t, dir)
	hashes := hashTree(t, dir)
	code, out, errs := run(&credstest.Keychain{}, "", "demo-data", "--data", dir, "--patients", "5")
	if code == 0 {
		t.Fatalf("demo-data on a real folder exited 0: %s", out)
	}
	for _, want := range []string{"refused", "1 patient and 1 order that demo-data did not make", "nothing was changed", "--data NEW-DIR"} {
		if !strings.Contains(errs, want) {
			t.Errorf("message lacks %q: %s", want, errs)
		}
	}
	if strings.Contains(errs, "Realpatient") || strings.Contains(errs, "Wilhelmina") {
		t.Errorf("the refusal names the patient: %s", errs)
	}
	if got := hashTree(t, dir); len(got) != len(hashes) {
		t.Errorf("files before %v, after %v", hashes, got)
	} else {
		for p, h := range hashes {
			if got[p] != h {
				t.Errorf("%s changed", p)
			}
		}
	}
	if got := rowCounts(t, dir); len(got) != len(counts) || got["patients"] != counts["patients"] ||
		got["orders"] != counts["orders"] || got["providers"] != counts["providers"] || got["outbox"] != counts["outbox"] ||
		got["audit"] != counts["audit"] || got["demo"] != 0 {
		t.Errorf("rows before %v, after %v", counts, got)
	}
}

func TestDemoDataRefusesAFolderWithOtherFilesOrAnAccount(t *testing.T) {
	docs := t.TempDir()
	if err := os.WriteFile(filepath.Join(docs, "letter.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(&credstest.Keychain{}, "", "demo-data", "--data", docs, "--patients", "3"); code == 0 ||
		!strings.Contains(errs, "no ReferralDesk database") {
		t.Errorf("a folder of other files: %d %s", code, errs)
	}
	if _, err := os.Stat(datadir.Database(docs)); err == nil {
		t.Error("a database was created in a folder of other files")
	}

	// A folder set up for a real institution, though it holds no patient yet.
	acctDir := filepath.Join(t.TempDir(), "clinic")
	kc := &credstest.Keychain{}
	if code, _, errs := run(kc, "secret\n", "account", "add", "--data", acctDir, "--url", "https://fhir.example.org/R4"); code != 0 {
		t.Fatalf("account add: %s", errs)
	}
	if code, _, errs := run(kc, "", "demo-data", "--data", acctDir, "--patients", "3"); code == 0 ||
		!strings.Contains(errs, "an institution account") {
		t.Errorf("a folder with an account: %d %s", code, errs)
	}
	if c := rowCounts(t, acctDir); c["patients"] != 0 || c["demo"] != 0 {
		t.Errorf("rows after the refusal: %v", c)
	}
}

func TestDemoDataNeedsItsOwnFolder(t *testing.T) {
	t.Setenv(datadir.EnvVar, t.TempDir())
	code, _, errs := run(&credstest.Keychain{}, "", "demo-data", "--patients", "3")
	if code != 2 || !strings.Contains(errs, "--data NEW-DIR") {
		t.Fatalf("demo-data without --data: %d %s", code, errs)
	}
}

// A new folder becomes a demo database; demo-data accepts it again; the account there may only
// point at this computer.
func TestDemoDataMakesADemoFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	kc := &credstest.Keychain{}
	for i := 0; i < 2; i++ {
		if code, out, errs := run(kc, "", "demo-data", "--data", dir, "--patients", "7"); code != 0 ||
			!strings.Contains(out, "demo database") {
			t.Fatalf("run %d: %d %s %s", i+1, code, out, errs)
		}
	}
	c := rowCounts(t, dir)
	if c["patients"] != 14 || c["demo"] != 1 || c["outbox"] == 0 {
		t.Fatalf("rows %v", c)
	}

	code, _, errs := run(kc, "secret\n", "account", "add", "--data", dir, "--url", "https://fhir.example.org/R4")
	if code == 0 || !strings.Contains(errs, "demo database") || !strings.Contains(errs, "fhir.example.org") {
		t.Fatalf("account add to a remote server on a demo database: %d %s", code, errs)
	}
	if _, err := kc.Get(creds.Account{FHIRBase: "https://fhir.example.org/R4"}); err == nil {
		t.Error("the refused account's secret reached the keychain")
	}
	code, _, errs = run(kc, "secret\n", "account", "add", "--data", dir, "--url", "http://127.0.0.1:8080/fhir",
		"--dicomweb", "https://pacs.example.org/dicom-web/")
	if code == 0 || !strings.Contains(errs, "pacs.example.org") {
		t.Fatalf("a remote DICOMweb server on a demo database: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "secret\n", "account", "add", "--data", dir, "--url", "http://127.0.0.1:8080/fhir"); code != 0 {
		t.Fatalf("a test server on this computer: %d %s", code, errs)
	}
}

// A demo database whose settings point at a remote server (written behind the app's back) still
// sends nothing: sync refuses before any connection.
func TestSyncRefusesRemoteServerOnDemoDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	kc := &credstest.Keychain{}
	if code, _, errs := run(kc, "", "demo-data", "--data", dir, "--patients", "5"); code != 0 {
		t.Fatal(errs)
	}
	st, err := local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	acct := creds.Account{FHIRBase: "https://fhir.example.org/R4"}
	if err := st.SetSetting(ctx, "account.fhir_base", acct.FHIRBase); err != nil {
		t.Fatal(err)
	}
	before, _ := st.Outbox(ctx, app.OutboxPending)
	st.Close()
	_ = kc.Set(acct, "secret")
	code, _, errs := run(kc, "", "sync", "--once", "--data", dir)
	if code == 0 || !strings.Contains(errs, "demo database") {
		t.Fatalf("sync --once: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "", "account", "test", "--data", dir); code == 0 || !strings.Contains(errs, "demo database") {
		t.Fatalf("account test: %d %s", code, errs)
	}
	// Images likewise, before any file is read.
	st, err = local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	acct.DICOMWebBase = "https://pacs.example.org/dicom-web/"
	if err := st.SetSetting(ctx, "account.dicomweb_base", acct.DICOMWebBase); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_ = kc.Set(acct, "secret")
	code, _, errs = run(kc, "", "images", "send", "--data", dir, "--order", "1", t.TempDir())
	if code == 0 || !strings.Contains(errs, "demo database") || !strings.Contains(errs, "pacs.example.org") {
		t.Fatalf("images send: %d %s", code, errs)
	}
	st, err = local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	after, _ := st.Outbox(ctx, app.OutboxPending)
	if len(before) == 0 || len(after) != len(before) {
		t.Fatalf("pending before %d, after %d", len(before), len(after))
	}
	for _, e := range after {
		if e.Attempts != 0 {
			t.Errorf("outbox entry %d was attempted %d times", e.ID, e.Attempts)
		}
	}
}
