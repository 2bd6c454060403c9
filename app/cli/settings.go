package cli

import (
	"context"
	"fmt"

	"github.com/referraldesk/referraldesk/app/settings"
)

// settingsCmd: `referraldesk settings [list]`, `settings get NAME`, `settings set NAME VALUE`, the
// same settings with the same checks as the Settings screen (app/settings).
func settingsCmd(args []string, env Env) error {
	verb := "list"
	if len(args) > 0 && (args[0] == "list" || args[0] == "get" || args[0] == "set") {
		verb, args = args[0], args[1:]
	}
	fs, data := newFlags("settings "+verb, env)
	profile := fs.String("profile", "", "institution profile (JSON) the app runs with (default: the built-in one)")
	if err := parse(fs, args); err != nil {
		return err
	}
	want := map[string]int{"list": 0, "get": 1, "set": 2}[verb]
	if fs.NArg() != want {
		return fmt.Errorf("%w: use 'settings [list]', 'settings get NAME' or 'settings set NAME VALUE' (names: %v)",
			errUsage, settings.Names)
	}
	prof, err := loadProfile(*profile)
	if err != nil {
		return err
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		m := settings.New(st, prof)
		switch verb {
		case "get":
			v, err := m.Get(ctx, fs.Arg(0))
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, v)
		case "set":
			v, err := m.Set(ctx, fs.Arg(0), fs.Arg(1))
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%s = %q\n", fs.Arg(0), v)
		default:
			list, err := m.List(ctx)
			if err != nil {
				return err
			}
			for _, e := range list {
				note := "allowed: " + e.Allowed
				if e.Value != e.Default {
					note = fmt.Sprintf("default %q; %s", e.Default, note)
				}
				if e.Problem != nil {
					note = fmt.Sprintf("the stored value is refused (%v), the default is used; %s", e.Problem, note)
				}
				fmt.Fprintf(env.Stdout, "%s\t%q\t%s\n", e.Name, e.Value, note)
			}
		}
		return nil
	})
}
