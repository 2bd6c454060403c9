package syncer

import (
	"context"
	"fmt"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
)

// Settings keeps non-secret values (the store's settings table).
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

const (
	keyFHIR         = "account.fhir_base"
	keyDICOMWeb     = "account.dicomweb_base"
	keyUser         = "account.user"
	keyCAFile       = "account.ca_file"
	keyInstallation = "installation_id"
	keyAuth         = "account.auth"
	keyClientID     = "account.client_id"
	keyTokenURL     = "account.token_url"
	keyRevokeURL    = "account.revoke_url"
	keyScopes       = "account.scopes"
	keyKeyFile      = "account.key_file"
)

func accountFields(a *creds.Account) map[string]*string {
	return map[string]*string{
		keyFHIR: &a.FHIRBase, keyDICOMWeb: &a.DICOMWebBase, keyUser: &a.User, keyCAFile: &a.CAFile,
		keyAuth: &a.Auth, keyClientID: &a.ClientID, keyTokenURL: &a.TokenURL, keyRevokeURL: &a.RevokeURL,
		keyScopes: &a.Scopes, keyKeyFile: &a.KeyFile,
	}
}

// LoadAccount reads the configured account; ok is false when none is set up.
func LoadAccount(ctx context.Context, s Settings) (acct creds.Account, ok bool, err error) {
	for key, dst := range accountFields(&acct) {
		if *dst, err = s.Setting(ctx, key); err != nil {
			return acct, false, fmt.Errorf("syncer: account: %w", err)
		}
	}
	return acct, acct.FHIRBase != "", nil
}

// SaveAccount stores the account's addresses and user name (the secret goes to the keychain).
func SaveAccount(ctx context.Context, s Settings, acct creds.Account) error {
	for key, v := range accountFields(&acct) {
		if err := s.SetSetting(ctx, key, *v); err != nil {
			return fmt.Errorf("syncer: save account: %w", err)
		}
	}
	// Audited where the store can (the local store can; test fakes of Settings need not).
	if r, ok := s.(app.EventRecorder); ok {
		kind, detail := app.EventAccountAdded, "host="+acct.Host()
		if acct.FHIRBase == "" {
			kind, detail = app.EventAccountRemoved, ""
		}
		if err := r.RecordEvent(ctx, kind, 0, 0, detail); err != nil {
			return fmt.Errorf("syncer: save account: %w", err)
		}
	}
	return nil
}

// Installation is this data folder's stable random id; it qualifies local ids sent to the server.
func Installation(ctx context.Context, s Settings) (string, error) {
	id, err := s.Setting(ctx, keyInstallation)
	if err != nil || id != "" {
		return id, err
	}
	id = app.NewUUID()
	if err := s.SetSetting(ctx, keyInstallation, id); err != nil {
		return "", err
	}
	return id, nil
}
