package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app/users"
)

// userStore is what `users` needs besides Store (the SQLite store has it).
type userStore interface {
	SaveUser(ctx context.Context, u *users.User) error
	Users(ctx context.Context, includeInactive bool) ([]users.User, error)
}

// usersCmd: `referraldesk users list` and `referraldesk users add`, as the Users screen in Settings.
func usersCmd(args []string, env Env) error {
	if len(args) == 0 || args[0] != "list" && args[0] != "add" {
		return fmt.Errorf("%w: use 'users list' or 'users add --name NAME --role physician|staff [--provider ID]'", errUsage)
	}
	fs, data := newFlags("users "+args[0], env)
	name := fs.String("name", "", "the user's full name")
	role := fs.String("role", "", "physician or staff")
	provider := fs.Int64("provider", 0, "for a physician: the provider id they are")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var pin string
	if args[0] == "add" {
		if strings.TrimSpace(*name) == "" || *role == "" {
			return fmt.Errorf("%w: users add needs --name and --role", errUsage)
		}
		// The PIN comes on standard input, never on the command line (it would stay in the shell history).
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("%w: type the PIN on standard input", errUsage)
		}
		pin = strings.TrimRight(line, "\r\n")
		if err := users.CheckPINFormat(pin); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		us, ok := st.(userStore)
		if !ok {
			return fmt.Errorf("users: this store keeps no users")
		}
		if args[0] == "list" {
			list, err := us.Users(ctx, false)
			if err != nil {
				return err
			}
			for _, u := range list {
				fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%d\n", u.ID, u.Name, u.Role, u.ProviderID)
			}
			return nil
		}
		h, err := users.Hash(pin)
		if err != nil {
			return err
		}
		u := users.User{Name: strings.TrimSpace(*name), Role: users.Role(*role), ProviderID: *provider, PINHash: h, Active: true}
		if err := us.SaveUser(ctx, &u); err != nil {
			return fmt.Errorf("users add: %w", err)
		}
		fmt.Fprintf(env.Stdout, "user %d added\n", u.ID)
		return nil
	})
}
