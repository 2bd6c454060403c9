package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/demo"
	"github.com/referraldesk/referraldesk/app/institution"
)

func demoData(args []string, env Env) error {
	fs, data := newFlags("demo-data", env)
	n := fs.Int("patients", 200, "how many synthetic patients to add")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("%w: demo-data: --patients must be at least 1", errUsage)
	}
	prof, err := institution.LoadDefault()
	if err != nil {
		return err
	}
	start := time.Now()
	var orders, total int
	err = withStore(env, *data, func(ctx context.Context, st Store) error {
		var err error
		if orders, err = demo.Fill(ctx, st, prof, *n, time.Now()); err != nil {
			return err
		}
		if err := st.RecordEvent(ctx, app.EventDemoData, 0, 0, fmt.Sprintf("patients=%d orders=%d", *n, orders)); err != nil {
			return err
		}
		total, err = st.CountPatients(ctx)
		return err
	})
	if err != nil {
		return err
	}
	dir, _ := datadir.Resolve(*data)
	fmt.Fprintf(env.Stdout, "added %d synthetic patients and %d orders in %s; the database in %s now has %d patients\n",
		*n, orders, time.Since(start).Round(time.Millisecond), dir, total)
	return nil
}

func screensCmd(args []string, env Env) error {
	fs, _ := newFlags("screens", env)
	out := fs.String("out", "", "folder for the PNG files (created if missing)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: screens needs --out DIR", errUsage)
	}
	files, err := env.RenderScreens(context.Background(), *out)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(env.Stdout, f)
	}
	return nil
}
