package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/users"
)

// userStore is what `users` needs besides Store (the SQLite store has it).
type userStore = users.Store

// usersCmd: `referraldesk users list|add|edit|reset-pin`, as the Users screen in Settings.
func usersCmd(args []string, env Env) error {
	if len(args) > 0 && (args[0] == "edit" || args[0] == "reset-pin") {
		return usersChangeCmd(args, env)
	}
	if len(args) == 0 || args[0] != "list" && args[0] != "add" {
		return usageErr(catalog.CLIUsersUsage)
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
			return usageErr(catalog.CLIUsersAddNeeds)
		}
		var err error
		if pin, err = readPIN(env); err != nil {
			return err
		}
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		us, ok := st.(userStore)
		if !ok {
			return failErr(nil, catalog.CLIUsersNone)
		}
		if args[0] == "list" {
			list, err := us.Users(ctx, false)
			if err != nil {
				return err
			}
			for _, u := range list {
				admin := "-"
				if u.Admin {
					admin = "admin"
				}
				fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%d\t%s\n", u.ID, u.Name, u.Role, u.ProviderID, admin)
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
		say(env.Stdout, catalog.CLIUsersAdded, u.ID)
		return nil
	})
}

// readPIN reads the PIN from standard input, never from the command line (it would stay in the
// shell history).
func readPIN(env Env) (string, error) {
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usageErr(catalog.CLIUsersPINStdin)
	}
	pin := strings.TrimRight(line, "\r\n")
	if err := users.CheckPINFormat(pin); err != nil {
		return "", fmt.Errorf("%w: %v", errUsage, err)
	}
	return pin, nil
}

// usersChangeCmd: `users edit` and `users reset-pin NAME`. Both are for the operating-system
// account that owns the data folder (the store does not open for another account): the way back
// in when no administrator can sign in.
func usersChangeCmd(args []string, env Env) error {
	fs, data := newFlags("users "+args[0], env)
	id := fs.Int64("id", 0, "the user's id (see 'users list')")
	name := fs.String("name", "", "a new name")
	role := fs.String("role", "", "a new role: physician or staff")
	provider := fs.Int64("provider", -1, "for a physician: the provider id they are")
	admin := fs.String("admin", "", "true or false: may manage users and reset PINs")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var pin string
	if args[0] == "reset-pin" {
		if fs.NArg() != 1 {
			return usageErr(catalog.CLIUsersResetUse)
		}
		var err error
		if pin, err = readPIN(env); err != nil {
			return err
		}
	} else if *id == 0 || fs.NArg() > 0 || *admin != "" && *admin != "true" && *admin != "false" {
		return usageErr(catalog.CLIUsersEditUsage)
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		us, ok := st.(userStore)
		if !ok {
			return failErr(nil, catalog.CLIUsersNone)
		}
		if args[0] == "reset-pin" {
			u, err := users.ResetPINByName(ctx, us, fs.Arg(0), pin)
			if err != nil {
				return err
			}
			say(env.Stdout, catalog.CLIUsersPINReset, u.ID)
			return nil
		}
		u, err := us.User(ctx, *id)
		if err != nil {
			return fmt.Errorf("users edit: %w", err)
		}
		if *name != "" {
			u.Name = *name
		}
		if *role != "" {
			u.Role = users.Role(*role)
		}
		if *provider >= 0 {
			u.ProviderID = *provider
		}
		if *admin != "" {
			u.Admin = *admin == "true"
		}
		if err := users.Edit(ctx, us, nil, u); err != nil {
			return err
		}
		say(env.Stdout, catalog.CLIUsersSaved, u.ID)
		return nil
	})
}
