package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/referraldesk/referraldesk/app/catalog"
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
		return usageErr(catalog.CLISettingsUsage, fmt.Sprint(settings.Names))
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
				note := catalog.T(catalog.CLISettingsAllowed, e.Allowed)
				if e.Value != e.Default {
					note = catalog.T(catalog.CLISettingsDefault, strconv.Quote(e.Default), note)
				}
				if e.Problem != nil {
					note = catalog.T(catalog.CLISettingsRefused, catalog.Err(e.Problem), note)
				}
				fmt.Fprintf(env.Stdout, "%s\t%q\t%s\n", e.Name, e.Value, note)
			}
		}
		return nil
	})
}
