package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/creds"
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

// TestKeychainSMARTSecretsNeverStoredOutsideKeychain does the same for SMART sign-ins: a Backend
// Services key made by `account add --backend` (registered with the test provider from the JWKS it
// prints) sends the outbox with no person involved, then a person signs in with `account add --smart`
// through the provider's pages. Neither the private key, the refresh token nor any access token (a
// JWT, "eyJ...") may appear in the data folder or in what the program printed.
func TestKeychainSMARTSecretsNeverStoredOutsideKeychain(t *testing.T) {
	if os.Getenv("REFERRALDESK_REAL_KEYCHAIN") != "1" {
		t.Skip("needs the real Secret Service: run scripts/keychain-test.sh (make test does)")
	}
	p := synctest.StartSMART(t, ".", 60)
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var printed lockedBuffer // stdout and stderr are copied by two goroutines
	runApp := func(args ...string) (string, error) {
		var out bytes.Buffer
		cmd := appCmd(ctx, append(args, "--data", data)...)
		cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, &printed), &printed
		err := cmd.Run()
		return out.String(), err
	}
	if _, err := runApp("demo-data", "--patients", "20"); err != nil {
		t.Fatalf("demo-data: %v\n%s", err, printed.String())
	}
	jwks, err := runApp("account", "add", "--url", p.Base, "--client-id", "clinic-system", "--backend")
	if err != nil || !strings.Contains(jwks, `"kty": "EC"`) {
		t.Fatalf("account add --backend: %v\n%s", err, printed.String())
	}
	p.RegisterBackend(t, "clinic-system", []byte(jwks))
	if _, err := runApp("sync", "--once"); err != nil || !strings.Contains(printed.String(), "sent 10,") {
		t.Fatalf("sync --once as the clinic's system: %v\n%s", err, printed.String())
	}
	backend := creds.Account{FHIRBase: p.Base, Auth: creds.AuthSMARTBackend, ClientID: "clinic-system"}
	keyPEM, err := creds.OS{}.Get(backend)
	if err != nil || !strings.Contains(keyPEM, "PRIVATE KEY") {
		t.Fatalf("the key is not in the OS keychain: %v", err)
	}
	keyBody := strings.Split(strings.TrimSpace(keyPEM), "\n")[1]

	// A person's sign-in: the CLI prints the address; the scripted browser follows it.
	cmd := appCmd(ctx, "account", "add", "--url", p.Base, "--client-id", p.ClientID, "--smart", "--data", data)
	stderr, _ := cmd.StderrPipe()
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(&out, &printed)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		_, _ = printed.Write([]byte(sc.Text() + "\n"))
		if u := strings.TrimSpace(sc.Text()); strings.HasPrefix(u, p.Issuer) {
			b := &synctest.Browser{User: "okafor"}
			if err := b.Open(u); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := cmd.Wait(); err != nil || !strings.Contains(out.String(), "Signed in as Practitioner/okafor") {
		t.Fatalf("account add --smart: %v\n%s", err, printed.String())
	}
	refresh, err := creds.OS{}.Get(creds.Account{FHIRBase: p.Base})
	if err != nil || refresh == "" {
		t.Fatalf("the refresh token is not in the OS keychain: %v", err)
	}
	if _, err := runApp("account", "test"); err != nil {
		t.Fatalf("account test: %v\n%s", err, printed.String())
	}

	secrets := map[string]string{"private key": keyBody, "refresh token": refresh, "an access token (JWT)": "eyJ"}
	for what, s := range secrets {
		if strings.Contains(printed.String(), s) {
			t.Errorf("%s appeared in the program's output", what)
		}
	}
	err = filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for what, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s is stored in %s", what, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runApp("account", "remove"); err != nil {
		t.Fatalf("account remove: %v\n%s", err, printed.String())
	}
	if _, err := (creds.OS{}).Get(creds.Account{FHIRBase: p.Base}); err == nil {
		t.Error("the refresh token is still in the keychain after sign-out")
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
