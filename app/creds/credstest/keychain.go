// Package credstest has an in-memory keychain for tests of code that stores credentials. The real OS
// keychain has its own integration test (scripts/keychain-test.sh).
package credstest

import (
	"sync"

	"github.com/referraldesk/referraldesk/app/creds"
)

// Keychain keeps secrets in memory; its zero value is ready to use and safe for concurrent use.
type Keychain struct {
	mu sync.Mutex
	m  map[string]string
}

// Set stores the account's secret.
func (k *Keychain) Set(a creds.Account, s string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[a.Key()] = s
	return nil
}

// Get returns the account's secret or creds.ErrNoSecret.
func (k *Keychain) Get(a creds.Account) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.m[a.Key()]
	if !ok {
		return "", creds.ErrNoSecret
	}
	return s, nil
}

// Delete forgets the account's secret.
func (k *Keychain) Delete(a creds.Account) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, a.Key())
	return nil
}
