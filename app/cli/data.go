package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
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
	// Never the per-user folder (or $REFERRALDESK_DATA) by default: that is where real patients live.
	if *data == "" {
		return fmt.Errorf("%w: demo-data needs a folder of its own: referraldesk demo-data --data NEW-DIR --patients N "+
			"(a new or empty folder, or one demo-data filled before)", errUsage)
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if err := demoFolderOK(ctx, env, dir); err != nil {
		return err
	}
	prof, err := institution.LoadDefault()
	if err != nil {
		return err
	}
	start := time.Now()
	var orders, total int
	err = withStore(env, dir, func(ctx context.Context, st Store) error {
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
	if nd := (*app.NotDemoError)(nil); errors.As(err, &nd) {
		return refuseDemo(dir, "it holds "+nd.Contents.Describe()+" that demo-data did not make")
	}
	if errors.Is(err, app.ErrNotDemoData) {
		return refuseDemo(dir, "its database holds data that demo-data did not make")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "added %d synthetic patients and %d orders in %s; the demo database in %s now has %d patients\n"+
		"(a demo database sends only to a test server on this computer)\n",
		*n, orders, time.Since(start).Round(time.Millisecond), dir, total)
	return nil
}

// demoFolderOK accepts a folder that does not exist yet, an empty one, or one whose database holds
// only what demo-data made; it reads without changing anything (no database is created or migrated).
func demoFolderOK(ctx context.Context, env Env, dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	if _, err := os.Stat(datadir.Database(dir)); errors.Is(err, fs.ErrNotExist) {
		if len(entries) > 0 {
			return refuseDemo(dir, "it holds other files and no ReferralDesk database")
		}
		return nil
	} else if err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	if env.InspectData == nil {
		return errors.New("demo-data: this build cannot inspect a data folder")
	}
	c, err := env.InspectData(ctx, dir)
	if err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	if c.Foreign() {
		return refuseDemo(dir, "it holds "+c.Describe()+" that demo-data did not make")
	}
	return nil
}

// refuseDemo is the refusal: why, that nothing changed, and how to make a demo folder.
func refuseDemo(dir, why string) error {
	return demoRefusal{fmt.Sprintf("demo-data refused %s: %s (it may be a real clinic's data); nothing was changed. "+
		"Make a demo folder of its own: referraldesk demo-data --data NEW-DIR --patients N, then open it with "+
		"referraldesk --data NEW-DIR", dir, why)}
}

type demoRefusal struct{ msg string }

func (e demoRefusal) Error() string { return e.msg }
func (e demoRefusal) Unwrap() error { return app.ErrNotDemoData }

func screensCmd(args []string, env Env) error {
	fs, _ := newFlags("screens", env)
	out := fs.String("out", "", "folder for the PNG files (created if missing)")
	lang := fs.String("lang", "", "language of the screens: en, es or zh (default: $"+LangEnv+", else English)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *lang != "" {
		catalog.SetLanguage(*lang)
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
