package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/syncer/synctest"
)

// TestKeychainSecretNeverStoredOutsideKeychain signs in with the real OS keychain (gnome-keyring under
// D-Bus; scripts/keychain-test.sh sets it up), sends the demo outbox to the FHIR test server, and
// then looks for the secret everywhere else: the data folder and everything the program printed.
func TestKeychainSecretNeverStoredOutsideKeychain(t *testing.T) {
	if os.Getenv("REFERRALDESK_REAL_KEYCHAIN") != "1" {
		t.Skip("needs the real Secret Service: run scripts/keychain-test.sh (make test does)")
	}
	p := synctest.StartFHIR(t, ".")
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var printed bytes.Buffer
	runApp := func(stdin string, args ...string) error {
		cmd := appCmd(ctx, append(args, "--data", data)...)
		cmd.Stdin = strings.NewReader(stdin)
		cmd.Stdout, cmd.Stderr = &printed, &printed
		return cmd.Run()
	}
	if err := runApp("", "demo-data", "--patients", "20"); err != nil {
		t.Fatalf("demo-data: %v\n%s", err, printed.String())
	}
	if err := runApp(p.Password+"\n", "account", "add", "--url", p.Base, "--user", p.User); err != nil {
		t.Fatalf("account add: %v\n%s", err, printed.String())
	}
	if err := runApp("", "account", "test"); err != nil {
		t.Fatalf("account test: %v\n%s", err, printed.String())
	}
	if err := runApp("", "sync", "--once"); err != nil {
		t.Fatalf("sync --once: %v\n%s", err, printed.String())
	}
	if !strings.Contains(printed.String(), "sent 10,") {
		t.Fatalf("sync did not send the demo outbox:\n%s", printed.String())
	}
	if strings.Contains(printed.String(), p.Password) {
		t.Fatal("the secret appeared in the program's output")
	}
	err := filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(p.Password)) {
			t.Errorf("the secret is stored in %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := runApp("", "account", "remove"); err != nil {
		t.Fatalf("account remove: %v\n%s", err, printed.String())
	}
	if err := runApp("", "account", "test"); err == nil {
		t.Fatal("account test still works after sign-out")
	}
}
