package creds

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// realKeychain reports whether this run tests the real OS keychain (scripts/keychain-test.sh).
func realKeychain() bool { return os.Getenv("REFERRALDESK_REAL_KEYCHAIN") == "1" }

// useMock switches go-keyring to memory. In the real-keychain run it skips instead: go-keyring
// cannot be switched back to the OS keychain once mocked, and the real test must not hit the mock.
func useMock(t *testing.T) {
	t.Helper()
	if realKeychain() {
		t.Skip("REFERRALDESK_REAL_KEYCHAIN=1: the mocked keychain tests are skipped (go-keyring cannot be unmocked)")
	}
	keyring.MockInit()
}

var testAcct = Account{FHIRBase: "https://fhir.example.org:8443/R4", User: "clerk"}

// longToken is a token of n bytes with a multi-byte character near every chunk border.
func longToken(n int) string {
	var sb strings.Builder
	for i := 0; sb.Len() < n-3; i++ {
		if i%997 == 0 {
			sb.WriteString("é")
		} else {
			sb.WriteByte(byte('A' + i%26))
		}
	}
	for sb.Len() < n {
		sb.WriteByte('z')
	}
	return sb.String()
}

func TestKey(t *testing.T) {
	tests := []struct {
		acct Account
		want string
	}{
		{Account{FHIRBase: "https://FHIR.Example.org/R4/", User: "clerk"}, "clerk@fhir.example.org"},
		{Account{FHIRBase: "http://127.0.0.1:8080/fhir", User: "a@b"}, "a@b@127.0.0.1:8080"},
		{Account{FHIRBase: "https://fhir.example.org"}, "@fhir.example.org"},
	}
	for _, tt := range tests {
		if got := tt.acct.Key(); got != tt.want {
			t.Errorf("Key(%+v) = %q, want %q", tt.acct, got, tt.want)
		}
	}
}

func TestAccountValidate(t *testing.T) {
	bad := []Account{
		{},
		{FHIRBase: "fhir.example.org"},
		{FHIRBase: "ftp://fhir.example.org"},
		{FHIRBase: "https://user:pw@fhir.example.org"},
		{FHIRBase: "https://fhir.example.org/?token=x"},
		{FHIRBase: "https://fhir.example.org", DICOMWebBase: "dicom"},
		{FHIRBase: "https://fhir.example.org", User: "a:b"},
	}
	for _, a := range bad {
		if err := a.Validate(); !errors.Is(err, ErrInvalidAccount) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalidAccount", a, err)
		}
	}
	if err := testAcct.Validate(); err != nil {
		t.Errorf("Validate(good) = %v", err)
	}
}

func TestKeychainRoundTrip(t *testing.T) {
	useMock(t)
	kc := OS{}
	for _, secret := range []string{"s3cret", longToken(chunkBytes), longToken(chunkBytes + 1), longToken(10000), longToken(MaxSecretBytes)} {
		if err := kc.Set(testAcct, secret); err != nil {
			t.Fatalf("Set(%d bytes): %v", len(secret), err)
		}
		got, err := kc.Get(testAcct)
		if err != nil {
			t.Fatalf("Get(%d bytes): %v", len(secret), err)
		}
		if got != secret {
			t.Fatalf("Get(%d bytes) returned %d different bytes", len(secret), len(got))
		}
	}
}

func TestKeychainChunks(t *testing.T) {
	useMock(t)
	kc := OS{}
	key := testAcct.Key()
	secret := longToken(10000)
	if err := kc.Set(testAcct, secret); err != nil {
		t.Fatal(err)
	}
	// 10,000 bytes in 2,000-byte chunks: 5 items (6 if a border falls inside a character).
	n := 0
	for i := 0; i < maxChunks; i++ {
		k := key
		if i > 0 {
			k = chunkKey(key, i)
		}
		v, err := keyring.Get(Service, k)
		if err != nil {
			break
		}
		if len(v) > 2560 {
			t.Errorf("item %q has %d bytes, over the Windows limit of 2560", k, len(v))
		}
		n++
	}
	if n != 5 && n != 6 {
		t.Errorf("stored %d items, want 5 or 6", n)
	}
	first, _ := keyring.Get(Service, key)
	if !strings.HasPrefix(first, fmt.Sprintf("rdk1;%d;", n)) {
		t.Errorf("first item header = %.20q", first)
	}

	// A shorter secret replaces it and leaves no stale chunks.
	if err := kc.Set(testAcct, "short"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(Service, chunkKey(key, 1)); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("chunk #1 after a short Set: err = %v, want not found", err)
	}
	if got, _ := kc.Get(testAcct); got != "short" {
		t.Errorf("Get = %q, want short", got)
	}

	// Delete removes every chunk.
	if err := kc.Set(testAcct, secret); err != nil {
		t.Fatal(err)
	}
	if err := kc.Delete(testAcct); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		k := key
		if i > 0 {
			k = chunkKey(key, i)
		}
		if _, err := keyring.Get(Service, k); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("item %q still there after Delete (err %v)", k, err)
		}
	}
	if _, err := kc.Get(testAcct); !errors.Is(err, ErrNoSecret) {
		t.Errorf("Get after Delete: %v, want ErrNoSecret", err)
	}
	if err := kc.Delete(testAcct); !errors.Is(err, ErrNoSecret) {
		t.Errorf("second Delete: %v, want ErrNoSecret", err)
	}
}

func TestKeychainMissing(t *testing.T) {
	useMock(t)
	_, err := OS{}.Get(testAcct)
	if !errors.Is(err, ErrNoSecret) || !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("Get missing = %v, want ErrNoSecret wrapping keyring.ErrNotFound", err)
	}
}

func TestKeychainDamaged(t *testing.T) {
	useMock(t)
	kc := OS{}
	key := testAcct.Key()
	if err := kc.Set(testAcct, longToken(5000)); err != nil {
		t.Fatal(err)
	}
	// A chunk from another write (a crash mid-Set) is detected by the checksum.
	if err := keyring.Set(Service, chunkKey(key, 1), strings.Repeat("x", chunkBytes)); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(testAcct); !errors.Is(err, ErrNoSecret) {
		t.Errorf("mixed chunks: %v, want ErrNoSecret", err)
	}
	// A missing chunk too.
	if err := keyring.Delete(Service, chunkKey(key, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(testAcct); !errors.Is(err, ErrNoSecret) {
		t.Errorf("missing chunk: %v, want ErrNoSecret", err)
	}
	// A bad header.
	if err := keyring.Set(Service, key, "rdk1;x;y;z"); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(testAcct); !errors.Is(err, ErrNoSecret) {
		t.Errorf("bad header: %v, want ErrNoSecret", err)
	}
	// A value stored whole by something else is returned as is.
	if err := keyring.Set(Service, key, "legacy"); err != nil {
		t.Fatal(err)
	}
	if got, err := kc.Get(testAcct); err != nil || got != "legacy" {
		t.Errorf("plain item: %q, %v", got, err)
	}
}

func TestKeychainRefuses(t *testing.T) {
	useMock(t)
	kc := OS{}
	err := kc.Set(testAcct, strings.Repeat("a", MaxSecretBytes+1))
	if !errors.Is(err, ErrSecretTooLong) || !strings.Contains(err.Error(), "16384") {
		t.Errorf("too long: %v", err)
	}
	if err := kc.Set(testAcct, ""); !errors.Is(err, ErrEmptySecret) {
		t.Errorf("empty: %v", err)
	}
	if err := kc.Set(testAcct, "\xff\xfe"); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
	if err := kc.Set(Account{FHIRBase: "nope"}, "x"); !errors.Is(err, ErrInvalidAccount) {
		t.Errorf("bad account: %v", err)
	}
}

func TestKeychainErrorsWrapped(t *testing.T) {
	useMock(t)
	boom := errors.New("dbus: no such interface")
	keyring.MockInitWithError(boom)
	defer keyring.MockInit()
	kc := OS{}
	if err := kc.Set(testAcct, "x"); !errors.Is(err, boom) || !strings.Contains(err.Error(), "keychain") {
		t.Errorf("Set: %v", err)
	}
	if _, err := kc.Get(testAcct); !errors.Is(err, boom) || errors.Is(err, ErrNoSecret) {
		t.Errorf("Get: %v", err)
	}
	if err := kc.Delete(testAcct); !errors.Is(err, boom) {
		t.Errorf("Delete: %v", err)
	}
}

// limited is a backend with the Windows per-item limit.
type limited struct{ m map[string]string }

func (l *limited) Set(s, u, p string) error {
	if len(p) > 2560 {
		return keyring.ErrSetDataTooBig
	}
	l.m[s+"\x00"+u] = p
	return nil
}

func (l *limited) Get(s, u string) (string, error) {
	if v, ok := l.m[s+"\x00"+u]; ok {
		return v, nil
	}
	return "", keyring.ErrNotFound
}

func (l *limited) Delete(s, u string) error {
	if _, ok := l.m[s+"\x00"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(l.m, s+"\x00"+u)
	return nil
}

func TestKeychainWindowsLimit(t *testing.T) {
	b := &limited{m: map[string]string{}}
	// Worst case: every character is 3 bytes, so chunk borders fall inside characters.
	secret := strings.Repeat("€", MaxSecretBytes/3)
	if err := setSecret(b, testAcct, secret); err != nil {
		t.Fatal(err)
	}
	got, err := getSecret(b, testAcct)
	if err != nil || got != secret {
		t.Fatalf("round trip under the 2560-byte limit: err %v, equal %v", err, got == secret)
	}
	if err := deleteSecret(b, testAcct); err != nil {
		t.Fatal(err)
	}
	if len(b.m) != 0 {
		t.Errorf("%d items left after Delete", len(b.m))
	}
}

// hanging never answers until released.
type hanging struct{ release chan struct{} }

func (h hanging) Set(Account, string) error   { <-h.release; return nil }
func (h hanging) Get(Account) (string, error) { <-h.release; return "x", nil }
func (h hanging) Delete(Account) error        { <-h.release; return nil }

func TestContextHelpers(t *testing.T) {
	useMock(t)
	h := hanging{release: make(chan struct{})}
	defer close(h.release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := GetContext(ctx, h, testAcct); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetContext: %v", err)
	}
	if err := SetContext(ctx, h, testAcct, "x"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("SetContext: %v", err)
	}
	if err := DeleteContext(ctx, h, testAcct); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("DeleteContext: %v", err)
	}

	if err := SetContext(context.Background(), OS{}, testAcct, "pw"); err != nil {
		t.Fatal(err)
	}
	if got, err := GetContext(context.Background(), OS{}, testAcct); err != nil || got != "pw" {
		t.Errorf("GetContext = %q, %v", got, err)
	}
	if err := DeleteContext(context.Background(), OS{}, testAcct); err != nil {
		t.Error(err)
	}
}

// TestKeychainRealSecretService uses the desktop's real Secret Service (gnome-keyring). It runs only
// with REFERRALDESK_REAL_KEYCHAIN=1, as scripts/keychain-test.sh does inside a private D-Bus session.
func TestKeychainRealSecretService(t *testing.T) {
	if !realKeychain() {
		t.Skip("set REFERRALDESK_REAL_KEYCHAIN=1 (scripts/keychain-test.sh) to test the real OS keychain")
	}
	acct := Account{
		FHIRBase: "https://keychain-test.invalid/R4",
		User:     fmt.Sprintf("test-%d", time.Now().UnixNano()),
	}
	kc := OS{}
	t.Cleanup(func() { _ = kc.Delete(acct) })

	if _, err := kc.Get(acct); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get before Set: %v, want ErrNoSecret", err)
	}
	for _, secret := range []string{"correct horse battery staple", longToken(10000)} {
		if err := kc.Set(acct, secret); err != nil {
			t.Fatalf("Set(%d bytes): %v", len(secret), err)
		}
		got, err := kc.Get(acct)
		if err != nil {
			t.Fatalf("Get(%d bytes): %v", len(secret), err)
		}
		if got != secret {
			t.Fatalf("Get(%d bytes) returned %d different bytes", len(secret), len(got))
		}
	}
	// Prove the items are in the Secret Service itself, not in go-keyring's mock.
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Fatalf("secret-tool (libsecret-tools) is needed to check the real keychain: %v", err)
	}
	for _, k := range []string{acct.Key(), chunkKey(acct.Key(), 4)} {
		out, err := exec.Command("secret-tool", "lookup", "service", Service, "username", k).Output()
		if err != nil || len(out) == 0 {
			t.Errorf("secret-tool does not find item %q in the Secret Service: %v", k, err)
		}
	}
	if err := kc.Delete(acct); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for i := 0; i < 7; i++ {
		k := acct.Key()
		if i > 0 {
			k = chunkKey(k, i)
		}
		if _, err := keyring.Get(Service, k); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("item %q still in the keychain after Delete: %v", k, err)
		}
	}
	if _, err := kc.Get(acct); !errors.Is(err, ErrNoSecret) {
		t.Errorf("Get after Delete: %v, want ErrNoSecret", err)
	}
}
