package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/retention"
	"github.com/referraldesk/referraldesk/app/settings"
)

// retentionCmd: `referraldesk retention [--days N]` sets the retention period if asked, then
// removes stale temporary files and the files of orders finished longer ago, as the app does at
// start and daily.
func retentionCmd(args []string, env Env) error {
	fs, data := newFlags("retention", env)
	days := fs.Int("days", -1, "keep files of finished orders this many days (0: for ever); saved for the app too")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: retention: unexpected %q", errUsage, fs.Arg(0))
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		return err
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		if *days >= 0 {
			// Checked and audited as the Settings screen does.
			if _, err := settings.New(st, nil).Set(ctx, settings.RetentionDays, strconv.Itoa(*days)); err != nil {
				return err
			}
		}
		n, err := retention.Days(ctx, st)
		if err != nil {
			return err
		}
		rep, err := retention.Sweep(ctx, st, dir, time.Now())
		kept := fmt.Sprintf("%d days", n)
		if n == 0 {
			kept = "for ever"
		}
		fmt.Fprintf(env.Stdout, "files of finished orders are kept %s; removed %d files of %d orders and %d stale temporary files\n",
			kept, rep.Files, rep.Orders, rep.TempFiles)
		return err
	})
}
