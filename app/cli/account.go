package cli

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/smart"
	"github.com/referraldesk/referraldesk/app/syncer"
)

// keychainTimeout bounds one keychain call: a locked or hung keyring must not hang the command.
const keychainTimeout = 30 * time.Second

func accountCmd(args []string, env Env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: account needs 'add', 'test', 'jwks' or 'remove'", errUsage)
	}
	fs, data := newFlags("account "+args[0], env)
	switch args[0] {
	case "add":
		fhirURL := fs.String("url", "", "the institution's FHIR R4 base URL (required)")
		dicom := fs.String("dicomweb", "", "the institution's DICOMweb base URL (for images)")
		user := fs.String("user", "", "user name (empty: the secret is a bearer token)")
		ca := fs.String("ca-file", "", "extra CA certificates (PEM), for a clinic behind an inspecting proxy")
		clientID := fs.String("client-id", "", "the OAuth client id the institution registered (SMART)")
		useSMART := fs.Bool("smart", false, "sign in as a person with SMART on FHIR in the browser")
		backend := fs.Bool("backend", false, "sign in as the clinic's system (SMART Backend Services)")
		keyFile := fs.String("key-file", "", "with --backend: a PEM private key file instead of a new key in the keychain")
		timeout := fs.Duration("timeout", smart.DefaultBrowserTimeout, "with --smart: how long to wait for the browser")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		acct := creds.Account{FHIRBase: *fhirURL, DICOMWebBase: *dicom, User: *user, CAFile: *ca, ClientID: *clientID}
		switch {
		case *useSMART && *backend:
			return fmt.Errorf("%w: choose --smart (a person) or --backend (the clinic's system), not both", errUsage)
		case *useSMART:
			acct.Auth = creds.AuthSMARTUser
			return addSMARTUser(acct, *timeout, *data, env)
		case *backend:
			acct.Auth, acct.KeyFile = creds.AuthSMARTBackend, *keyFile
			return addSMARTBackend(acct, *data, env)
		}
		if err := acct.Validate(); err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		secret, err := readSecret(env.Stdin)
		if err != nil {
			return err
		}
		return withStore(env, *data, func(ctx context.Context, st Store) error {
			if err := syncer.CheckDemoTarget(ctx, st, acct.FHIRBase, acct.DICOMWebBase); err != nil {
				return fmt.Errorf("account: %w", err)
			}
			kctx, cancel := context.WithTimeout(ctx, keychainTimeout)
			defer cancel()
			if err := creds.SetContext(kctx, env.Keychain, acct, secret); err != nil {
				return fmt.Errorf("account: keychain: %w", err)
			}
			if err := syncer.SaveAccount(ctx, st, acct); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "saved the account for %s (the secret is in the system keychain); check it with 'referraldesk account test'\n", acct.Host())
			return nil
		})
	case "test":
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		return withStore(env, *data, func(ctx context.Context, st Store) error {
			acct, secret, err := loadCredentials(ctx, env, st)
			if err != nil {
				return err
			}
			if err := syncer.CheckDemoTarget(ctx, st, acct.FHIRBase); err != nil {
				return fmt.Errorf("account: %w", err)
			}
			client, _, err := smart.NewHTTPClient(acct, env.Keychain)
			if err != nil {
				return err
			}
			if err := creds.Check(ctx, acct, secret, client); err != nil {
				return fmt.Errorf("account: %w", err)
			}
			fmt.Fprintf(env.Stdout, "connected to %s as %s\n", acct.FHIRBase, userOrToken(acct))
			return nil
		})
	case "remove":
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		return withStore(env, *data, func(ctx context.Context, st Store) error {
			acct, ok, err := syncer.LoadAccount(ctx, st)
			if err != nil || !ok {
				return errors.Join(err, errors.New("account: no account is set up"))
			}
			kctx, cancel := context.WithTimeout(ctx, keychainTimeout)
			defer cancel()
			if acct.IsSMART() {
				client, err := creds.NewHTTPClient(acct)
				if err != nil {
					return err
				}
				if err := smart.SignOut(kctx, client, acct, env.Keychain); err != nil {
					return fmt.Errorf("account: %w", err)
				}
			} else if err := creds.DeleteContext(kctx, env.Keychain, acct); err != nil && !errors.Is(err, creds.ErrNoSecret) {
				return fmt.Errorf("account: keychain: %w", err)
			}
			if err := syncer.SaveAccount(ctx, st, creds.Account{}); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "signed out: the secret was removed from the system keychain")
			return nil
		})
	case "jwks":
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		return withStore(env, *data, func(ctx context.Context, st Store) error {
			acct, ok, err := syncer.LoadAccount(ctx, st)
			if err != nil || !ok || acct.Kind() != creds.AuthSMARTBackend {
				return errors.Join(err, errors.New("account: no backend (--backend) account is set up"))
			}
			kctx, cancel := context.WithTimeout(ctx, keychainTimeout)
			defer cancel()
			key, err := smart.LoadKey(kctx, acct, env.Keychain)
			if err != nil {
				return fmt.Errorf("account: %w", err)
			}
			return printJWKS(env.Stdout, key)
		})
	}
	return fmt.Errorf("%w: account %q: use add, test, jwks or remove", errUsage, args[0])
}

func userOrToken(a creds.Account) string {
	switch a.Kind() {
	case creds.AuthSMARTUser:
		return "the SMART sign-in of client " + a.ClientID
	case creds.AuthSMARTBackend:
		return "the clinic's system (client " + a.ClientID + ")"
	case creds.AuthBearer:
		return "the saved token"
	}
	return a.User
}

// readSecret takes the password or token from standard input (one line; never from the command line,
// where other users could see it).
func readSecret(r io.Reader) (string, error) {
	if r == nil {
		return "", fmt.Errorf("%w: type the password or token on standard input", errUsage)
	}
	b, err := io.ReadAll(io.LimitReader(r, creds.MaxSecretBytes+2))
	if err != nil {
		return "", fmt.Errorf("account: read the secret: %w", err)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", fmt.Errorf("%w: no password or token on standard input", errUsage)
	}
	return s, nil
}

func loadCredentials(ctx context.Context, env Env, st Store) (creds.Account, string, error) {
	acct, ok, err := syncer.LoadAccount(ctx, st)
	if err != nil {
		return acct, "", err
	}
	if !ok {
		return acct, "", errors.New("account: no account is set up; use 'referraldesk account add'")
	}
	if acct.IsSMART() {
		return acct, "", nil // its transport reads the keychain when it needs a token
	}
	kctx, cancel := context.WithTimeout(ctx, keychainTimeout)
	defer cancel()
	secret, err := creds.GetContext(kctx, env.Keychain, acct)
	if err != nil {
		return acct, "", fmt.Errorf("account: keychain: %w", err)
	}
	return acct, secret, nil
}

// newWorker builds the sync worker for the configured account.
func newWorker(ctx context.Context, env Env, st Store) (*syncer.Worker, error) {
	acct, secret, err := loadCredentials(ctx, env, st)
	if err != nil {
		return nil, err
	}
	prof, err := institution.LoadDefault()
	if err != nil {
		return nil, err
	}
	return syncer.NewAuthWorker(st, prof, acct, secret, env.Keychain)
}

func syncCmd(args []string, env Env) error {
	fs, data := newFlags("sync", env)
	once := fs.Bool("once", false, "push then pull once, print a summary and exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*once {
		return usageErr(catalog.CLISyncOnlyOnce)
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		w, err := newWorker(ctx, env, st)
		if err != nil {
			return err
		}
		sum, err := w.Sync(ctx)
		say(env.Stdout, catalog.CLISyncSummary, sum.Sent, sum.Failed, sum.Attention, msg.Bytes(sum.Bytes), sum.StatusChanges, sum.Appointments, sum.Messages, sum.Results)
		if err == nil && (sum.Failed > 0 || sum.Attention > 0) {
			err = failErr(nil, catalog.CLISyncNotAllSent, sum.Failed, sum.Attention)
		}
		return err
	})
}

// addSMARTUser signs a person in through the browser and keeps the refresh token in the keychain.
func addSMARTUser(acct creds.Account, timeout time.Duration, data string, env Env) error {
	if err := acct.Validate(); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	open := func(u string) error {
		fmt.Fprintf(env.Stderr, "Sign in to the institution in your browser. If it does not open, visit:\n  %s\n", u)
		if env.OpenBrowser != nil {
			return env.OpenBrowser(u)
		}
		return nil
	}
	return withStore(env, data, func(ctx context.Context, st Store) error {
		s, err := smart.SignIn(ctx, smart.Login{Account: acct, OpenBrowser: open, Timeout: timeout})
		if err != nil {
			return fmt.Errorf("account: %w", err)
		}
		if s.Token.RefreshToken == "" {
			return errors.New("account: the server gave no refresh token (offline_access), so the outbox could not send once this command ends; ask the institution to allow offline access for this client id")
		}
		kctx, cancel := context.WithTimeout(ctx, keychainTimeout)
		defer cancel()
		if err := creds.SetContext(kctx, env.Keychain, s.Account, s.Token.RefreshToken); err != nil {
			return fmt.Errorf("account: keychain: %w", err)
		}
		if err := syncer.SaveAccount(ctx, st, s.Account); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, s.SignedInAs())
		for _, m := range s.Missing {
			fmt.Fprintf(env.Stdout, "the server did not allow everything: %s will not work\n", m)
		}
		return nil
	})
}

// addSMARTBackend creates (or reads) the clinic's key, keeps it in the keychain and prints its JWKS.
func addSMARTBackend(acct creds.Account, data string, env Env) error {
	if err := acct.Validate(); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return withStore(env, data, func(ctx context.Context, st Store) error {
		client, err := creds.NewHTTPClient(acct)
		if err != nil {
			return err
		}
		cfg, err := smart.Discover(ctx, client, acct.FHIRBase)
		if err != nil {
			return fmt.Errorf("account: %w", err)
		}
		if err := cfg.CheckBackend(); err != nil {
			return fmt.Errorf("account: %w", err)
		}
		acct.TokenURL, acct.RevokeURL, acct.Scopes = cfg.TokenEndpoint, cfg.RevocationEndpoint, strings.Join(smart.BackendScopes(), " ")
		var key crypto.Signer
		if acct.KeyFile != "" {
			if key, err = smart.LoadKey(ctx, acct, env.Keychain); err != nil {
				return fmt.Errorf("account: %w", err)
			}
		} else {
			k, err := smart.GenerateKey()
			if err != nil {
				return err
			}
			pemText, err := smart.MarshalKey(k)
			if err != nil {
				return err
			}
			kctx, cancel := context.WithTimeout(ctx, keychainTimeout)
			defer cancel()
			if err := creds.SetContext(kctx, env.Keychain, acct, pemText); err != nil {
				return fmt.Errorf("account: keychain: %w", err)
			}
			key = k
		}
		if err := syncer.SaveAccount(ctx, st, acct); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "Give this public key set (JWKS) to %s to register client %s; the private key stays in %s.\n",
			acct.Host(), acct.ClientID, map[bool]string{true: "the key file", false: "the system keychain"}[acct.KeyFile != ""])
		return printJWKS(env.Stdout, key)
	})
}

func printJWKS(w io.Writer, key crypto.Signer) error {
	jwks, err := smart.PublicJWKS(key)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", jwks)
	return err
}
