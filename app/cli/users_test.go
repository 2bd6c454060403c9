package cli

import (
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app/creds/credstest"
)

func TestUsersAddAndList(t *testing.T) {
	dir := t.TempDir()
	kc := &credstest.Keychain{}
	if code, out, errs := run(kc, "2468\n", "users", "add", "--data", dir, "--name", "Ana Ruiz", "--role", "staff"); code != 0 {
		t.Fatalf("add: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(kc, "12\n", "users", "add", "--data", dir, "--name", "Bo", "--role", "staff"); code != 2 || !strings.Contains(errs, "4 to 12 digits") {
		t.Fatalf("a short PIN: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "2468\n", "users", "add", "--data", dir, "--name", "Dr No", "--role", "physician"); code != 1 || !strings.Contains(errs, "provider") {
		t.Fatalf("a physician without a provider: %d %s", code, errs)
	}
	code, out, errs := run(kc, "", "users", "list", "--data", dir)
	if code != 0 || out != "1\tAna Ruiz\tstaff\t0\n" {
		t.Fatalf("list: %d %q %s", code, out, errs)
	}
	if strings.Contains(out+errs, "2468") {
		t.Fatal("the PIN was printed")
	}
}
