package creds

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// Keychain errors; compare with errors.Is.
var (
	// ErrNoSecret: nothing is stored for the account (or what is stored is incomplete): sign in again.
	// It wraps keyring.ErrNotFound when the keychain said so.
	ErrNoSecret = errors.New("no saved password or token for this account; sign in again")
	// ErrSecretTooLong: the secret is longer than MaxSecretBytes.
	ErrSecretTooLong = fmt.Errorf("the password or token is longer than %d bytes, which ReferralDesk cannot store safely", MaxSecretBytes)
	// ErrEmptySecret: an empty password or token was given.
	ErrEmptySecret = errors.New("the password or token is empty")
)

const (
	// MaxSecretBytes is the longest secret Set accepts (16 KiB: long OAuth tokens fit).
	MaxSecretBytes = 16 << 10
	// chunkBytes is the payload of one keychain item. Windows' credential store caps a blob at
	// 2,560 bytes and macOS's security tool a command line at 4,096 (after base64): 2,000 bytes plus
	// the header stays under both on every OS.
	chunkBytes = 2000
	// maxChunks bounds the clean-up loops (MaxSecretBytes needs 9 chunks).
	maxChunks = 64
	// headerPrefix starts the first item; the header is "rdk1;<count>;<crc32 hex>;".
	headerPrefix = "rdk1;"
)

// Keychain stores one secret per account. Implementations block: call them off the UI thread.
type Keychain interface {
	Set(acct Account, secret string) error
	Get(acct Account) (string, error)
	Delete(acct Account) error
}

// OS is the Keychain of the operating system (go-keyring: Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows). Secrets longer than one item allows are split into
// numbered items ("key", "key#1", "key#2"...); the first carries a header with the item count
// and a checksum, so a half-written or mixed secret is detected rather than returned. The same
// scheme is used on every OS. In tests, keyring.MockInit() makes OS use memory.
type OS struct{}

var _ Keychain = OS{}

// backend is the part of go-keyring we use; tests substitute one with per-item limits.
type backend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (goKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (goKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// Set stores secret for acct, replacing what was there.
func (OS) Set(acct Account, secret string) error { return setSecret(goKeyring{}, acct, secret) }

// Get reads acct's secret; ErrNoSecret when there is none.
func (OS) Get(acct Account) (string, error) { return getSecret(goKeyring{}, acct) }

// Delete removes acct's secret and all its parts; ErrNoSecret when there was none.
func (OS) Delete(acct Account) error { return deleteSecret(goKeyring{}, acct) }

func chunkKey(key string, i int) string { return key + "#" + strconv.Itoa(i) }

func isNotFound(err error) bool { return errors.Is(err, keyring.ErrNotFound) }

func keychainErr(op string, err error) error {
	return fmt.Errorf("creds: %s the OS keychain: %w", op, err)
}

// accountKey is acct.Key() once the FHIR base is known to be a usable URL.
func accountKey(acct Account) (string, error) {
	if _, err := parseBase("FHIR server address", acct.FHIRBase, true); err != nil {
		return "", fmt.Errorf("creds: %w", err)
	}
	return acct.Key(), nil
}

func header(count int, crc uint32) string {
	return fmt.Sprintf("%s%d;%08x;", headerPrefix, count, crc)
}

func checksum(s string) uint32 { return crc32.ChecksumIEEE([]byte(s)) }

func noSecret(format string, args ...any) error {
	return fmt.Errorf("creds: "+format+": %w", append(args, ErrNoSecret)...)
}

func wrapNotFound(err error) error { return fmt.Errorf("creds: %w (%w)", ErrNoSecret, err) }

func checkSecret(secret string) error {
	switch {
	case secret == "":
		return fmt.Errorf("creds: %w", ErrEmptySecret)
	case len(secret) > MaxSecretBytes:
		return fmt.Errorf("creds: %w (it has %d bytes)", ErrSecretTooLong, len(secret))
	case !utf8.ValidString(secret):
		return errors.New("creds: the password or token is not valid text (UTF-8)")
	}
	return nil
}

// split cuts s into pieces of at most n bytes without cutting a UTF-8 character.
func split(s string, n int) []string {
	var parts []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		parts = append(parts, s[:cut])
		s = s[cut:]
	}
	return append(parts, s)
}

func setSecret(b backend, acct Account, secret string) error {
	key, err := accountKey(acct)
	if err != nil {
		return err
	}
	if err := checkSecret(secret); err != nil {
		return err
	}
	parts := split(secret, chunkBytes)
	// Write the continuation items first and the header item last: a reader that sees the new
	// header finds every chunk it names (a crash in between leaves a mix the checksum rejects).
	for i := 1; i < len(parts); i++ {
		if err := b.Set(Service, chunkKey(key, i), parts[i]); err != nil {
			return keychainErr(fmt.Sprintf("save part %d of the secret in", i+1), err)
		}
	}
	if err := b.Set(Service, key, header(len(parts), checksum(secret))+parts[0]); err != nil {
		return keychainErr("save the secret in", err)
	}
	// Remove chunks a longer earlier secret left behind.
	if err := deleteChunks(b, key, len(parts)); err != nil {
		return err
	}
	return nil
}

// deleteChunks removes key#from, key#from+1... up to the first missing one.
func deleteChunks(b backend, key string, from int) error {
	for i := max(from, 1); i < maxChunks; i++ {
		err := b.Delete(Service, chunkKey(key, i))
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return keychainErr("remove an old part of the secret from", err)
		}
	}
	return nil
}

func getSecret(b backend, acct Account) (string, error) {
	key, err := accountKey(acct)
	if err != nil {
		return "", err
	}
	first, err := b.Get(Service, key)
	if isNotFound(err) {
		return "", wrapNotFound(err)
	}
	if err != nil {
		return "", keychainErr("read the secret from", err)
	}
	if !strings.HasPrefix(first, headerPrefix) {
		return first, nil // stored by something else, whole
	}
	count, crc, body, ok := parseHeader(first)
	if !ok {
		return "", noSecret("the saved secret is damaged")
	}
	var sb strings.Builder
	sb.WriteString(body)
	for i := 1; i < count; i++ {
		part, err := b.Get(Service, chunkKey(key, i))
		if isNotFound(err) {
			return "", noSecret("part %d of %d of the saved secret is missing", i+1, count)
		}
		if err != nil {
			return "", keychainErr("read the secret from", err)
		}
		sb.WriteString(part)
	}
	secret := sb.String()
	if checksum(secret) != crc {
		return "", noSecret("the saved secret is damaged (its parts do not match)")
	}
	return secret, nil
}

// parseHeader reads "rdk1;<count>;<crc>;body".
func parseHeader(s string) (count int, crc uint32, body string, ok bool) {
	fields := strings.SplitN(strings.TrimPrefix(s, headerPrefix), ";", 3)
	if len(fields) != 3 {
		return 0, 0, "", false
	}
	count, err := strconv.Atoi(fields[0])
	if err != nil || count < 1 || count >= maxChunks {
		return 0, 0, "", false
	}
	c, err := strconv.ParseUint(fields[1], 16, 32)
	if err != nil || len(fields[1]) != 8 {
		return 0, 0, "", false
	}
	return count, uint32(c), fields[2], true
}

func deleteSecret(b backend, acct Account) error {
	key, err := accountKey(acct)
	if err != nil {
		return err
	}
	// Header first, so a reader never sees a header whose chunks are gone.
	errFirst := b.Delete(Service, key)
	if errFirst != nil && !isNotFound(errFirst) {
		return keychainErr("remove the secret from", errFirst)
	}
	errChunk := b.Delete(Service, chunkKey(key, 1))
	if errChunk != nil && !isNotFound(errChunk) {
		return keychainErr("remove the secret from", errChunk)
	}
	if isNotFound(errFirst) && isNotFound(errChunk) {
		return wrapNotFound(errFirst)
	}
	if errChunk == nil {
		return deleteChunks(b, key, 2)
	}
	return nil
}

// GetContext is kc.Get that stops waiting when ctx ends (a locked keychain can wait for the user
// indefinitely); it then returns ctx.Err(). The keychain call itself keeps running in the
// background until the OS answers.
func GetContext(ctx context.Context, kc Keychain, acct Account) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := kc.Get(acct)
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-ctx.Done():
		return "", fmt.Errorf("creds: read the OS keychain: %w", ctx.Err())
	}
}

// SetContext is kc.Set that stops waiting when ctx ends (see GetContext). When it returns
// ctx.Err(), the secret may or may not have been stored.
func SetContext(ctx context.Context, kc Keychain, acct Account, secret string) error {
	return wait(ctx, "save to", func() error { return kc.Set(acct, secret) })
}

// DeleteContext is kc.Delete that stops waiting when ctx ends (see GetContext).
func DeleteContext(ctx context.Context, kc Keychain, acct Account) error {
	return wait(ctx, "remove from", func() error { return kc.Delete(acct) })
}

func wait(ctx context.Context, op string, f func() error) error {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return fmt.Errorf("creds: %s the OS keychain: %w", op, ctx.Err())
	}
}
