// Package users is the people who share one workstation: local users with a role (physician or
// staff), the provider record a physician is, and a PIN kept only as an Argon2id hash. A Guard slows
// down guessing with a growing wait after each wrong PIN. Administrators manage the others and reset
// a forgotten PIN; when none can sign in, the data folder's owner can at the command line
// (manage.go). No SQL and no UI here.
package users

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Role is what a user does at the clinic.
type Role string

const (
	// RolePhysician signs orders as the authorizing provider they are.
	RolePhysician Role = "physician"
	// RoleStaff prepares and submits orders for an authorizing provider.
	RoleStaff Role = "staff"
)

// Roles lists the roles in display order.
var Roles = []Role{RolePhysician, RoleStaff}

// User is one person who works at this computer.
type User struct {
	ID         int64
	Name       string
	Role       Role
	ProviderID int64  // for a physician: the provider record they are (0: none)
	PINHash    string // Hash's output; the PIN itself is never kept
	CreatedAt  time.Time
	Active     bool
	// Admin may add, edit and remove users and reset another user's forgotten PIN. The first user
	// set up is one; at least one active user stays one.
	Admin bool
}

// Errors; compare with errors.Is. A *WaitError wraps ErrWrongPIN or ErrLockedOut with the wait.
var (
	ErrWrongPIN  = errors.New("wrong PIN")
	ErrLockedOut = errors.New("too many wrong PINs")
	ErrBadPIN    = errors.New("a PIN is 4 to 12 digits")
	ErrInvalid   = errors.New("invalid user")
)

// WaitError says how long to wait before the next try.
type WaitError struct {
	Err  error // ErrWrongPIN or ErrLockedOut
	Wait time.Duration
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("%v: try again in %d s", e.Err, int((e.Wait+time.Second-1)/time.Second))
}

func (e *WaitError) Unwrap() error { return e.Err }

// Validate checks the fields a user must have (not the PIN hash).
func (u User) Validate() error {
	var bad []string
	if strings.TrimSpace(u.Name) == "" {
		bad = append(bad, "no name")
	}
	if u.Role != RolePhysician && u.Role != RoleStaff {
		bad = append(bad, fmt.Sprintf("role %q is neither physician nor staff", u.Role))
	}
	if u.Role == RolePhysician && u.ProviderID == 0 {
		bad = append(bad, "a physician must be one of the providers")
	}
	if len(bad) > 0 {
		return fmt.Errorf("users: %w: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}

// CheckPINFormat accepts 4 to 12 ASCII digits.
func CheckPINFormat(pin string) error {
	if n := utf8.RuneCountInString(pin); n < 4 || n > 12 {
		return ErrBadPIN
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return ErrBadPIN
		}
	}
	return nil
}

// Argon2id parameters for new hashes (OWASP's 19 MiB, 2 passes, 1 lane). Each hash records its own,
// so they can be raised later without invalidating stored PINs.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Hash returns "argon2id$v=19$m=…,t=…,p=…$salt$key" (base64, no padding) for a valid PIN.
func Hash(pin string) (string, error) {
	if err := CheckPINFormat(pin); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("users: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pin), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b := base64.RawStdEncoding
	return fmt.Sprintf("argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b.EncodeToString(salt), b.EncodeToString(key)), nil
}

// Matches reports whether pin hashes to hash, comparing in constant time. A malformed hash never matches.
func Matches(hash, pin string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 5 || parts[0] != "argon2id" || parts[1] != "v="+strconv.Itoa(argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false
	}
	b := base64.RawStdEncoding
	salt, err1 := b.DecodeString(parts[3])
	want, err2 := b.DecodeString(parts[4])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// First wait after a wrong PIN, doubled after each further one up to MaxWait.
const (
	FirstWait = time.Second
	MaxWait   = 5 * time.Minute
)

// Guard checks PINs and keeps, in memory, each user's run of wrong PINs. Safe for concurrent use.
type Guard struct {
	Now func() time.Time // the clock; time.Now when nil

	mu    sync.Mutex
	fails map[int64]failures
}

type failures struct {
	n     int
	until time.Time // no try is checked before this
}

func (g *Guard) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

// Wait is how long user id must still wait before the next try (0: now).
func (g *Guard) Wait(id int64) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waitLocked(id)
}

func (g *Guard) waitLocked(id int64) time.Duration {
	if d := g.fails[id].until.Sub(g.now()); d > 0 {
		return d
	}
	return 0
}

// Clear forgets u's run of wrong PINs (a new PIN was set another way).
func (g *Guard) Clear(id int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.fails, id)
}

// Verify checks pin for u. While u must wait it fails with a *WaitError wrapping ErrLockedOut
// (the PIN is not even looked at); a wrong PIN fails with one wrapping ErrWrongPIN and the wait now
// due. A right PIN clears the run.
func (g *Guard) Verify(u User, pin string) error {
	g.mu.Lock()
	if d := g.waitLocked(u.ID); d > 0 {
		g.mu.Unlock()
		return &WaitError{Err: ErrLockedOut, Wait: d}
	}
	g.mu.Unlock()
	ok := u.Active && Matches(u.PINHash, pin) // slow: outside the lock
	g.mu.Lock()
	defer g.mu.Unlock()
	if ok {
		delete(g.fails, u.ID)
		return nil
	}
	if g.fails == nil {
		g.fails = map[int64]failures{}
	}
	f := g.fails[u.ID]
	wait := FirstWait << min(f.n, 20)
	wait = min(wait, MaxWait)
	f.n++
	f.until = g.now().Add(wait)
	g.fails[u.ID] = f
	return &WaitError{Err: ErrWrongPIN, Wait: wait}
}
