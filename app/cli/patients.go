package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/datadir"
)

// withStore resolves --data, opens the store and runs f with it.
func withStore(env Env, data string, f func(ctx context.Context, st Store) error) error {
	dir, err := datadir.Resolve(data)
	if err != nil {
		return err
	}
	st, err := env.OpenStore(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	languageFromStore(ctx, st)
	return f(ctx, st)
}

// patientsCmd: `referraldesk patients search QUERY...` prints matching charts, one per line.
func patientsCmd(args []string, env Env) error {
	if len(args) == 0 || args[0] != "search" {
		return fmt.Errorf("%w: use 'patients search \"Last, First\"' (or a date of birth, or a registration number)", errUsage)
	}
	fs, data := newFlags("patients search", env)
	limit := fs.Int("n", 50, "how many matches to print")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	q := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(q) == "" {
		return fmt.Errorf("%w: patients search needs a query", errUsage)
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		found, err := st.SearchPatients(ctx, q, *limit)
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return fmt.Errorf("patients: no patient matches %q", q)
		}
		for _, p := range found {
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%s\t%s\n", p.ID, p.DisplayName(), app.FormatDate(p.BirthDate), p.Sex, p.MRN)
		}
		return nil
	})
}

// statusCmd: `referraldesk status` lists orders and their states.
func statusCmd(args []string, env Env) error {
	fs, data := newFlags("status", env)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		orders, err := st.Orders(ctx)
		if err != nil {
			return err
		}
		waiting, err := st.Outbox(ctx, app.OutboxPending)
		if err != nil {
			return err
		}
		for _, o := range orders {
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%s\t%s\n", o.ID, o.Status, o.PatientName, o.Department, o.UpdatedAt.Local().Format("2006-01-02 15:04"))
		}
		fmt.Fprintf(env.Stdout, "%d orders, %d waiting to be sent\n", len(orders), len(waiting))
		return nil
	})
}
