package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/syncer"
)

// keychainTimeout bounds one keychain call: a locked or hung keyring must not hang the command.
const keychainTimeout = 30 * time.Second

func accountCmd(args []string, env Env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: account needs 'add', 'test' or 'remove'", errUsage)
	}
	fs, data := newFlags("account "+args[0], env)
	switch args[0] {
	case "add":
		fhirURL := fs.String("url", "", "the institution's FHIR R4 base URL (required)")
		dicom := fs.String("dicomweb", "", "the institution's DICOMweb base URL (for images)")
		user := fs.String("user", "", "user name (empty: the secret is a bearer token)")
		ca := fs.String("ca-file", "", "extra CA certificates (PEM), for a clinic behind an inspecting proxy")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		acct := creds.Account{FHIRBase: *fhirURL, DICOMWebBase: *dicom, User: *user, CAFile: *ca}
		if err := acct.Validate(); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
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
			client, err := creds.NewHTTPClient(acct)
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
			if err := creds.DeleteContext(kctx, env.Keychain, acct); err != nil && !errors.Is(err, creds.ErrNoSecret) {
				return fmt.Errorf("account: keychain: %w", err)
			}
			if err := syncer.SaveAccount(ctx, st, creds.Account{}); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "signed out: the secret was removed from the system keychain")
			return nil
		})
	}
	return fmt.Errorf("%w: account %q: use add, test or remove", errUsage, args[0])
}

func userOrToken(a creds.Account) string {
	if a.User == "" {
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
	return syncer.NewWorker(st, prof, acct, secret)
}

func syncCmd(args []string, env Env) error {
	fs, data := newFlags("sync", env)
	once := fs.Bool("once", false, "push then pull once, print a summary and exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*once {
		return fmt.Errorf("%w: sync runs in the app in the background; use 'sync --once' here", errUsage)
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		w, err := newWorker(ctx, env, st)
		if err != nil {
			return err
		}
		sum, err := w.Sync(ctx)
		fmt.Fprintf(env.Stdout, "sent %d, failed %d, need attention %d (%d MB); pulled %d status changes, %d appointments, %d messages, %d results\n",
			sum.Sent, sum.Failed, sum.Attention, sum.Bytes/1e6, sum.StatusChanges, sum.Appointments, sum.Messages, sum.Results)
		if err == nil && (sum.Failed > 0 || sum.Attention > 0) {
			err = fmt.Errorf("sync: %d order(s) not sent, %d need attention (see 'referraldesk status')", sum.Failed, sum.Attention)
		}
		return err
	})
}
