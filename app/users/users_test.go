package users

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHashAndMatch(t *testing.T) {
	h, err := Hash("4821")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "4821") || !strings.HasPrefix(h, "argon2id$v=19$m=") {
		t.Fatalf("hash %q", h)
	}
	if !Matches(h, "4821") || Matches(h, "4822") || Matches(h, "") {
		t.Fatal("Matches disagrees with the PIN")
	}
	h2, _ := Hash("4821")
	if h2 == h {
		t.Fatal("two hashes of one PIN are equal: the salt is not random")
	}
	for _, bad := range []string{"123", "1234567890123", "12a4", "١٢٣٤"} {
		if _, err := Hash(bad); !errors.Is(err, ErrBadPIN) {
			t.Errorf("Hash(%q) = %v, want ErrBadPIN", bad, err)
		}
	}
	if Matches("argon2id$v=19$m=x$y$z", "4821") {
		t.Fatal("a malformed hash matched")
	}
}

func TestGuardGrowingWait(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	g := &Guard{Now: func() time.Time { return now }}
	h, _ := Hash("2468")
	u := User{ID: 7, Name: "Ana", Role: RoleStaff, PINHash: h, Active: true}
	var waits []time.Duration
	for i := 0; i < 4; i++ {
		err := g.Verify(u, "1111")
		var we *WaitError
		if !errors.Is(err, ErrWrongPIN) || !errors.As(err, &we) {
			t.Fatalf("try %d: %v", i, err)
		}
		waits = append(waits, we.Wait)
		// Trying again at once is refused without looking at the PIN, even the right one.
		if err := g.Verify(u, "2468"); !errors.Is(err, ErrLockedOut) {
			t.Fatalf("try %d: right PIN during the wait: %v", i, err)
		}
		now = now.Add(we.Wait)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	if err := g.Verify(u, "2468"); err != nil {
		t.Fatalf("right PIN after the wait: %v", err)
	}
	if err := g.Verify(u, "0000"); !errors.Is(err, ErrWrongPIN) {
		t.Fatal(err)
	}
	if g.Wait(7) != time.Second {
		t.Fatalf("after a success the run starts over: wait %v", g.Wait(7))
	}
	if g.Wait(8) != 0 {
		t.Fatal("another user must not wait")
	}
	u.Active = false
	now = now.Add(time.Hour)
	if err := g.Verify(u, "2468"); !errors.Is(err, ErrWrongPIN) {
		t.Fatal("an inactive user signed in")
	}
}

func TestValidate(t *testing.T) {
	if err := (User{Name: "Dr X", Role: RolePhysician}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatal("a physician without a provider is valid")
	}
	if err := (User{Name: "Ana", Role: RoleStaff}).Validate(); err != nil {
		t.Fatal(err)
	}
}
