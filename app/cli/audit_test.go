package cli

import (
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the plain driver, to edit the file as an outsider would

	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/local"
)

// Done-when 4 (issue 12): `audit --verify` exits 0 on a used database and 1 after any row is
// changed with sqlite3; the trail names no patient.
func TestAuditCommand(t *testing.T) {
	kc := &credstest.Keychain{}
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(kc, "", "demo-data", "--data", data, "--patients", "5"); code != 0 {
		t.Fatalf("demo-data: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "s3cret\n", "account", "add", "--data", data, "--url", "http://127.0.0.1:9/fhir", "--user", "dr"); code != 0 {
		t.Fatalf("account add: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "", "account", "remove", "--data", data); code != 0 {
		t.Fatalf("account remove: %d %s", code, errs)
	}

	code, out, errs := run(kc, "", "audit", "--verify", "--data", data)
	if code != 0 || !strings.Contains(out, "audit trail intact") || !strings.Contains(out, "last row ") {
		t.Fatalf("verify on a used database: %d %q %q", code, out, errs)
	}

	code, out, errs = run(kc, "", "audit", "--data", data)
	if code != 0 {
		t.Fatalf("audit: %d %s", code, errs)
	}
	for _, want := range []string{"demo.fill", "account.add", "host=127.0.0.1", "account.remove", "patient.bulk_insert", "order.save"} {
		if !strings.Contains(out, want) {
			t.Errorf("trail lacks %q:\n%s", want, out)
		}
	}
	st, err := local.Open(datadir.Database(data), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	pats, err := st.MyPatients(context.Background(), time.Now(), 100)
	st.Close()
	if err != nil || len(pats) == 0 {
		t.Fatalf("patients: %d %v", len(pats), err)
	}
	for _, p := range pats {
		if strings.Contains(out, p.Family) || strings.Contains(out, p.Given) {
			t.Errorf("the trail names patient %d", p.ID)
		}
	}

	code, out, errs = run(kc, "", "audit", "--csv", "--data", data, "--since", "2000-01-01")
	if code != 0 {
		t.Fatalf("audit --csv: %d %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) < 5 || recs[0][0] != "row" || len(recs[1][9]) != 64 {
		t.Fatalf("csv: %v %v", recs[:min(len(recs), 2)], err)
	}
	_, out, _ = run(kc, "", "audit", "--data", data, "--user", "nobody-here")
	if !strings.Contains(out, "no audit entries match") {
		t.Fatalf("user filter: %q", out)
	}
	// The export itself is in the trail, and the chain still holds.
	_, out, _ = run(kc, "", "audit", "--data", data)
	if !strings.Contains(out, "export") || !strings.Contains(out, "audit csv rows=") {
		t.Fatalf("export not audited:\n%s", out)
	}
	if code, _, errs := run(kc, "", "audit", "--verify", "--data", data); code != 0 {
		t.Fatalf("verify after export: %s", errs)
	}

	// An outsider edits row 2 (the triggers refuse it until they are dropped).
	tamper := "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'count=0' WHERE id = 2;"
	db := datadir.Database(data)
	if path, err := exec.LookPath("sqlite3"); err == nil {
		if b, err := exec.Command(path, db, "UPDATE audit_log SET detail = 'x' WHERE id = 2;").CombinedOutput(); err == nil ||
			!strings.Contains(string(b), "append-only") {
			t.Fatalf("sqlite3 could update the audit table: %s %v", b, err)
		}
		if b, err := exec.Command(path, db, tamper).CombinedOutput(); err != nil {
			t.Fatalf("sqlite3: %s %v", b, err)
		}
	} else {
		raw, err := sql.Open("sqlite3", db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(tamper); err != nil {
			t.Fatal(err)
		}
		raw.Close()
	}
	code, out, errs = run(kc, "", "audit", "--verify", "--data", data)
	if code != 1 || !strings.Contains(errs, "row 2: its content was changed") {
		t.Fatalf("verify after tampering: %d %q %q", code, out, errs)
	}
}

func TestRetentionCommand(t *testing.T) {
	kc := &credstest.Keychain{}
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errs := run(kc, "", "demo-data", "--data", data, "--patients", "3"); code != 0 {
		t.Fatalf("demo-data: %d %s", code, errs)
	}
	tmp := filepath.Join(data, "packets", "some-order", ".packet-42.tmp")
	if err := os.MkdirAll(filepath.Dir(tmp), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, []byte("half a packet"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-3 * time.Hour)
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(kc, "", "retention", "--data", data, "--days", "7")
	if code != 0 || !strings.Contains(out, "kept 7 days") || !strings.Contains(out, "1 stale temporary files") {
		t.Fatalf("retention: %d %q %q", code, out, errs)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("stale temp kept: %v", err)
	}
	if _, out, _ = run(kc, "", "retention", "--data", data); !strings.Contains(out, "kept 7 days") {
		t.Fatalf("the setting was not kept: %q", out)
	}
	if _, out, _ = run(kc, "", "audit", "--data", data); !strings.Contains(out, "retention.temp") {
		t.Fatalf("cleanup not in the trail:\n%s", out)
	}
}
