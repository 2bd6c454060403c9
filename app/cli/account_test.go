package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
)

// account add refuses a plain http:// address that is not this computer, says why, and keeps
// nothing: neither the secret in the keychain nor the account in the settings.
func TestAccountAddRefusesPlainHTTP(t *testing.T) {
	for _, args := range [][]string{
		{"--url", "http://fhir.example.org/R4"},
		{"--url", "https://fhir.example.org/R4", "--dicomweb", "http://pacs.example.org/dicom-web"},
	} {
		kc := &credstest.Keychain{}
		data := filepath.Join(t.TempDir(), "data")
		code, out, errs := run(kc, "s3cret\n", append([]string{"account", "add", "--data", data, "--user", "clerk"}, args...)...)
		if code == 0 {
			t.Fatalf("account add %v accepted: %s", args, out)
		}
		if !strings.Contains(errs, "must start with https://") || !strings.Contains(errs, "only for a server on this computer") {
			t.Errorf("account add %v: message %q", args, errs)
		}
		if strings.Contains(errs, "s3cret") {
			t.Errorf("the message carries the secret: %q", errs)
		}
		if _, err := kc.Get(creds.Account{FHIRBase: "https://fhir.example.org/R4", User: "clerk"}); err == nil {
			t.Errorf("account add %v kept the secret", args)
		}
		if _, err := os.Stat(data); err == nil {
			t.Errorf("account add %v created the data folder", args)
		}
	}
	// The test servers on this computer stay usable over plain http.
	kc := &credstest.Keychain{}
	data := filepath.Join(t.TempDir(), "data")
	if code, out, errs := run(kc, "s3cret\n", "account", "add", "--data", data, "--user", "clerk", "--url", "http://127.0.0.1:9/fhir"); code != 0 {
		t.Errorf("account add with a loopback http address: %d %s %s", code, out, errs)
	}
}
