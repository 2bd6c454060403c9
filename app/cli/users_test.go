package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/users"
	"github.com/referraldesk/referraldesk/local"
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
	if code != 0 || out != "1\tAna Ruiz\tstaff\t0\tadmin\n" {
		t.Fatalf("list: %d %q %s", code, out, errs)
	}
	if strings.Contains(out+errs, "2468") {
		t.Fatal("the PIN was printed")
	}
}

// The way back in when no administrator can sign in: the data folder's owner resets a PIN.
func TestUsersResetPINAndEdit(t *testing.T) {
	dir := t.TempDir()
	kc := &credstest.Keychain{}
	for _, name := range []string{"Mia Lund", "Ana Ruiz"} {
		if code, out, errs := run(kc, "2468\n", "users", "add", "--data", dir, "--name", name, "--role", "staff"); code != 0 {
			t.Fatalf("add: %d %s %s", code, out, errs)
		}
	}
	if code, out, errs := run(kc, "", "users", "list", "--data", dir); code != 0 || out != "2\tAna Ruiz\tstaff\t0\t-\n1\tMia Lund\tstaff\t0\tadmin\n" {
		t.Fatalf("list: %d %q %s", code, out, errs)
	}
	if code, _, errs := run(kc, "97531\n", "users", "reset-pin", "--data", dir, "nobody"); code != 1 || !strings.Contains(errs, "no active user") {
		t.Fatalf("unknown user: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "12\n", "users", "reset-pin", "--data", dir, "Mia Lund"); code != 2 || !strings.Contains(errs, "4 to 12 digits") {
		t.Fatalf("short PIN: %d %s", code, errs)
	}
	code, out, errs := run(kc, "97531\n", "users", "reset-pin", "--data", dir, "mia lund")
	if code != 0 || out != "the PIN of user 1 was reset\n" || strings.Contains(out+errs, "97531") {
		t.Fatalf("reset: %d %q %s", code, out, errs)
	}
	if code, _, errs := run(kc, "", "users", "edit", "--data", dir, "--id", "1", "--admin=false"); code != 1 || !strings.Contains(errs, "at least one active user must stay an administrator") {
		t.Fatalf("last admin: %d %s", code, errs)
	}
	if code, _, errs := run(kc, "", "users", "edit", "--data", dir, "--id", "2", "--name", "Ana Ruiz-Lund", "--admin=true"); code != 0 {
		t.Fatalf("edit: %d %s", code, errs)
	}
	if code, out, _ := run(kc, "", "users", "list", "--data", dir); !strings.Contains(out, "2\tAna Ruiz-Lund\tstaff\t0\tadmin\n") || code != 0 {
		t.Fatalf("after edit: %q", out)
	}
	st, err := local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.User(context.Background(), 1)
	if err != nil || !users.Matches(u.PINHash, "97531") {
		t.Fatalf("the new PIN was not stored: %v", err)
	}
	ev, err := st.AuditEvents(context.Background(), app.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	resets := 0
	for _, e := range ev {
		if e.Action == users.EventPINReset && e.EntityID == 1 {
			resets++
		}
	}
	if resets != 1 {
		t.Fatalf("%d reset events", resets)
	}
}
