package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/packet/packettest"
	"github.com/referraldesk/referraldesk/local"
)

const pdfSamples = "../../../shared/data/pdfs"

func needPDFs(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pdfSamples, "manifest.tsv")); err != nil {
		t.Skipf("sample PDFs not found (%v): they live in shared/data/pdfs beside the repository", err)
	}
}

// The bug seen: --password FILE=PW put the password in the process list and echoed a malformed
// value in the error. The flag is gone; its value is never printed.
func TestPacketOldPasswordFlagIsRefusedUnechoed(t *testing.T) {
	const secret = "Hunter2-Secret"
	for _, v := range []string{"locked.pdf=" + secret, secret} {
		code, out, errs := run(&credstest.Keychain{}, "", "packet", "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02",
			"--password", v, "--out", t.TempDir(), "x.pdf")
		if code != 2 || !strings.Contains(errs, "--password-file") {
			t.Errorf("--password %s: exit %d, %s", "(value)", code, errs)
		}
		if strings.Contains(out+errs, secret) {
			t.Errorf("the password was echoed: %s %s", out, errs)
		}
	}
}

func TestPacketPasswordFileErrorsNeverEchoThePassword(t *testing.T) {
	dir := t.TempDir()
	const secret = "Correct Horse\x00Battery"
	cases := map[string]string{
		"empty.txt":  "\n\n",
		"binary.txt": secret,
		"huge.txt":   strings.Repeat("Correct Horse Battery\n", 2000),
	}
	for name, content := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errs := run(&credstest.Keychain{}, "", "packet", "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02",
			"--password-file", p, "--out", t.TempDir(), p)
		if code != 2 || !strings.Contains(errs, name) {
			t.Errorf("%s: exit %d, %s", name, code, errs)
		}
		if strings.Contains(out+errs, "Correct Horse") {
			t.Errorf("%s: the password was echoed: %s", name, errs)
		}
	}
	// A date of birth typed wrong is not echoed either: it is an identifier.
	code, _, errs := run(&credstest.Keychain{}, "", "packet", "--last", "Doe", "--first", "Jane", "--dob", "31/19/1970x",
		"--out", t.TempDir(), "x.pdf")
	if code != 2 || strings.Contains(errs, "31/19/1970x") {
		t.Errorf("bad --dob: %d %s", code, errs)
	}
}

// Passwords come from a file or standard input; each is tried on the locked PDF.
func TestPacketPasswordFileOpensEncryptedPDF(t *testing.T) {
	needPDFs(t)
	locked := filepath.Join(pdfSamples, "pypdf--r4-aes-user-password.pdf")
	args := func(pwFile string) []string {
		return []string{"packet", "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02", "--password-file", pwFile, "--out", t.TempDir(), locked}
	}
	pw := filepath.Join(t.TempDir(), "pw.txt")
	if err := os.WriteFile(pw, []byte("not-this-one\r\nasdfzxcv\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, stdin string
		args        []string
	}{
		{"file", "", args(pw)},
		{"stdin", "asdfzxcv\n", args("-")},
	} {
		code, out, errs := run(&credstest.Keychain{}, c.stdin, c.args...)
		if code != 0 || !strings.Contains(out, "packet: ") || !strings.HasPrefix(out, "ok ") {
			t.Errorf("%s: exit %d\n%s%s", c.name, code, out, errs)
		}
		if strings.Contains(out+errs, "asdfzxcv") {
			t.Errorf("%s: the password was printed", c.name)
		}
	}
	// Without a password the report says how to give one; with only wrong ones, that none worked.
	code, out, _ := run(&credstest.Keychain{}, "", "packet", "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02", "--out", t.TempDir(), locked)
	if code == 0 || !strings.Contains(out, "--password-file") {
		t.Errorf("no password: exit %d\n%s", code, out)
	}
	code, out, _ = run(&credstest.Keychain{}, "wrong\n", "packet", "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02",
		"--password-file", "-", "--out", t.TempDir(), locked)
	if code == 0 || !strings.Contains(out, "none of the given passwords") || strings.Contains(out, "wrong\n") {
		t.Errorf("wrong password: exit %d\n%s", code, out)
	}
}

// --order takes the patient from the database: no identifier is typed.
func TestPacketForOrder(t *testing.T) {
	needPDFs(t)
	data := t.TempDir()
	st, err := local.Open(datadir.Database(data), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p := app.Patient{Family: "Quill", Given: "Rosalind", MRN: "A-55", BirthDate: time.Date(1961, 7, 8, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	prov := app.Provider{Family: "Okafor", Given: "Adaeze", Credentials: "MD", NPI: "1234567893", Active: true}
	if err := st.SaveProvider(ctx, &prov); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, ProviderID: prov.ID, Reason: "records"}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	st.Close()
	id := strconv.FormatInt(o.ID, 10)
	out := t.TempDir()
	code, stdout, errs := run(&credstest.Keychain{}, "", "packet", "--data", data, "--order", id, "--out", out,
		filepath.Join(pdfSamples, "pysamples--pdflatex-4-pages.pdf"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, errs)
	}
	want := filepath.Join(out, "Quill, Rosalind 1961-07-08.pdf")
	if _, err := os.Stat(want); err != nil || !strings.Contains(stdout, want) {
		t.Fatalf("packet not at %s: %v\n%s", want, err, stdout)
	}

	if code, _, errs := run(&credstest.Keychain{}, "", "packet", "--data", data, "--order", id, "--last", "Other",
		"--out", out, "x.pdf"); code != 2 || !strings.Contains(errs, "leave out --last") {
		t.Errorf("--order with --last: %d %s", code, errs)
	}
	if code, _, errs := run(&credstest.Keychain{}, "", "packet", "--data", data, "--order", "999", "--out", out, "x.pdf"); code != 1 ||
		!strings.Contains(errs, "order 999") {
		t.Errorf("unknown order: %d %s", code, errs)
	}
}

// Done-when 3 of the trust issue, from the command line: a page-count bomb, a file that ends MuPDF's
// process and one that takes too long each give one line saying why, and the packet of the other
// file is still built.
func TestPacketHostileFilesCostOneLineEach(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"good.pdf":        packettest.CountBomb(1), // the same file claiming the one page it has
		"count-bomb.pdf":  packettest.CountBomb(2_000_000_000),
		"mupdf-crash.pdf": packettest.MuPDFCrash(),
		"slow.pdf":        packettest.SlowPDF(packettest.SlowOps),
	}
	var paths []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out := t.TempDir()
	args := append([]string{
		"packet", "--data", t.TempDir(), "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02",
		"--file-timeout", "2s", "--out", out,
	}, paths...)
	code, stdout, errs := run(&credstest.Keychain{}, "", args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, errs)
	}
	want := map[string]string{
		"count-bomb.pdf":  "this file could not be read: it claims 2,000,000,000 pages",
		"mupdf-crash.pdf": "this file could not be read: the reader crashed on it",
		"slow.pdf":        "this file could not be read: it took too long to read",
	}
	for _, line := range strings.Split(stdout, "\n") {
		for name, reason := range want {
			if strings.HasPrefix(line, "error") && strings.Contains(line, name) {
				if !strings.Contains(line, reason) {
					t.Errorf("%s: %q, want %q", name, line, reason)
				}
				delete(want, name)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("no error line for %v in\n%s", want, stdout)
	}
	built, _ := filepath.Glob(filepath.Join(out, "Doe, Jane 1970-01-02.pdf"))
	if len(built) != 1 {
		t.Fatalf("packet not built:\n%s%s", stdout, errs)
	}
}
