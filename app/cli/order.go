package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/attach"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/referral"
	"github.com/referraldesk/referraldesk/app/settings"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// orderCmd: `referraldesk order start|attach|packet`, the order flow of the window, step by step,
// through the same workflow functions the screens call.
func orderCmd(args []string, env Env) error {
	if len(args) == 0 {
		return usageErr(catalog.CLIOrderUsage)
	}
	switch args[0] {
	case "start":
		return orderStart(args[1:], env)
	case "attach":
		return orderAttach(args[1:], env)
	case "packet":
		return orderPacketCmd(args[1:], env)
	case "sign":
		return orderSign(args[1:], env)
	}
	return usageErr(catalog.CLIOrderUnknown, fmt.Sprintf("%q", args[0]))
}

// withWork opens the store of the data folder and runs f with the workflow over it.
func withWork(env Env, data, profilePath string, f func(ctx context.Context, w *workflow.Service) error) error {
	prof, err := loadProfile(profilePath)
	if err != nil {
		return err
	}
	dir, err := datadir.Resolve(data)
	if err != nil {
		return err
	}
	return withStore(env, data, func(ctx context.Context, st Store) error {
		w, err := workflow.New(st, prof, dir)
		if err != nil {
			return err
		}
		// New orders start where the window starts them: at the default location in the settings.
		prefs, err := settings.New(st, prof).Load(ctx)
		if err != nil {
			return err
		}
		w.DefaultLocation = prefs.DefaultLocation
		return f(ctx, w)
	})
}

func loadProfile(path string) (*institution.Profile, error) {
	if path == "" {
		return institution.LoadDefault()
	}
	return institution.LoadFile(path)
}

func orderStart(args []string, env Env) error {
	fs, data := newFlags("order start", env)
	profile := fs.String("profile", "", "institution profile (JSON) instead of the built-in default")
	patientID := fs.Int64("patient", 0, "start the order for this existing chart (see 'patients search')")
	var p app.Patient
	fs.StringVar(&p.Family, "last", "", "new chart: legal last name")
	fs.StringVar(&p.Given, "first", "", "new chart: legal first name")
	dob := fs.String("dob", "", "new chart: date of birth, YYYY-MM-DD")
	sex := fs.String("sex", "", "new chart: sex as the chart form offers it")
	fs.StringVar(&p.Phone, "phone", "", "new chart: phone number")
	fs.StringVar(&p.Address.Line, "address", "", "new chart: street address")
	fs.StringVar(&p.Address.City, "city", "", "new chart: city")
	fs.StringVar(&p.Address.State, "state", "", "new chart: state")
	fs.StringVar(&p.Address.PostalCode, "zip", "", "new chart: ZIP or postal code")
	fs.StringVar(&p.Address.Country, "country", "", "new chart: country, ISO 3166 two-letter code (default: the institution's)")
	fs.StringVar(&p.Language, "language", "", "new chart: preferred language, BCP 47 (es, zh-Hans, ...)")
	fs.BoolVar(&p.InterpreterNeeded, "interpreter", false, "new chart: the patient needs an interpreter")
	fs.StringVar(&p.InsuranceType, "insurance", "", "new chart: insurance type (from the institution's list)")
	fs.StringVar(&p.MRN, "mrn", "", "new chart: the institution's registration number, if seen before")
	fs.StringVar(&p.ClinicMRN, "clinic-mrn", "", "new chart: your clinic's own record number of the patient")
	newChart := fs.Bool("new-chart", false, "make the new chart even when one looks like the same person")
	provider := fs.Int64("provider", 0, "authorizing provider id")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: order start: unexpected %q", errUsage, fs.Arg(0))
	}
	newFields := p != (app.Patient{}) || *dob != "" || *sex != ""
	if (*patientID == 0) == !newFields {
		return fmt.Errorf("%w: order start needs --patient ID, or the new chart's --last, --first, --dob, --sex, --phone, --address, --city, --state, --zip and --insurance", errUsage)
	}
	if *dob != "" {
		born, err := app.ParseDate(*dob)
		if err != nil { // not echoed: a date of birth is an identifier
			return usageErr(catalog.CLIDOBNotDate)
		}
		p.BirthDate = born
	}
	p.Sex = app.Sex(*sex)
	return withWork(env, *data, *profile, func(ctx context.Context, w *workflow.Service) error {
		var err error
		if *patientID != 0 {
			p, err = w.Charts.Patient(ctx, *patientID)
		} else {
			if p.Address.Country == "" && w.Profile.Country != "" {
				p.Address.Country = w.Profile.Country
			}
			p, err = w.NewChart(ctx, workflow.CleanChart(p), *newChart)
		}
		var nr *referral.NotReadyError
		var dup *workflow.DuplicateError
		switch {
		case errors.As(err, &nr):
			for _, pr := range nr.Problems {
				fmt.Fprintln(env.Stderr, "  "+catalog.Default().Text(pr.Msg))
			}
			return failErr(nil, catalog.CLIOrderChartIncomplete)
		case errors.As(err, &dup):
			for _, c := range dup.Existing {
				say(env.Stderr, catalog.CLIOrderExistingChart, c.ID)
			}
			return failErr(nil, catalog.CLIOrderSimilarChart)
		case err != nil:
			return err
		}
		o, err := w.StartOrder(ctx, workflow.NewOrder(0, *provider, w.DefaultLocation), p)
		if err != nil {
			return err
		}
		say(env.Stdout, catalog.CLIOrderStarted, o.ID, p.ID)
		return nil
	})
}

func orderAttach(args []string, env Env) error {
	fs, data := newFlags("order attach", env)
	profile := fs.String("profile", "", "institution profile (JSON) instead of the built-in default")
	orderID := fs.Int64("order", 0, "the draft order (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *orderID == 0 || fs.NArg() == 0 {
		return fmt.Errorf("%w: order attach needs --order ID and at least one file", errUsage)
	}
	return withWork(env, *data, *profile, func(ctx context.Context, w *workflow.Service) error {
		o, refused, err := w.Attach(ctx, *orderID, fs.Args())
		if err != nil {
			return err
		}
		for _, at := range o.Attachments {
			fmt.Fprintf(env.Stdout, "%s\t%s\t%d bytes\t%s\n", at.Kind, at.FileName, at.Size, at.SHA1)
		}
		return refusedErr(env, refused)
	})
}

// refusedErr prints each refused file and fails when there was one (the others stay attached).
func refusedErr(env Env, refused []error) error {
	for _, err := range refused {
		say(env.Stderr, catalog.CLIOrderNotAttached, err.Error())
	}
	if len(refused) > 0 {
		return failErr(attach.ErrRefused, catalog.CLIOrderFilesNotAttached, len(refused))
	}
	return nil
}

func orderPacketCmd(args []string, env Env) error {
	fs, data := newFlags("order packet", env)
	profile := fs.String("profile", "", "institution profile (JSON) instead of the built-in default")
	orderID := fs.Int64("order", 0, "the draft order (required)")
	keep := fs.Bool("keep-flagged", false, "keep pages that may be another patient's (you checked them); default: leave them out")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *orderID == 0 {
		return fmt.Errorf("%w: order packet needs --order ID", errUsage)
	}
	return withWork(env, *data, *profile, func(ctx context.Context, w *workflow.Service) error {
		out, err := w.Packet(ctx, *orderID, fs.Args(), *keep, nil)
		for _, in := range out.Inputs {
			if in.Err != nil {
				say(env.Stderr, catalog.CLIOrderCannotUse, filepath.Base(in.Path), catalog.Err(in.Err))
			}
		}
		if err != nil {
			return err
		}
		say(env.Stdout, catalog.CLIOrderPacketAttached, out.Result.Path, out.Result.Pages, out.Order.ID)
		return nil
	})
}

// orderSign signs a ready draft as the window's Sign does: the authorizing provider themself, or a
// staff member who entered it for them (--staff NAME). The readiness check runs on the saved order.
func orderSign(args []string, env Env) error {
	fs, data := newFlags("order sign", env)
	profile := fs.String("profile", "", "institution profile (JSON) instead of the built-in default")
	orderID := fs.Int64("order", 0, "the draft order (required)")
	staff := fs.String("staff", "", "sign as this staff member for the order's provider (default: the provider signs)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *orderID == 0 || fs.NArg() > 0 {
		return fmt.Errorf("%w: order sign needs --order ID", errUsage)
	}
	return withWork(env, *data, *profile, func(ctx context.Context, w *workflow.Service) error {
		o, err := w.Orders.Order(ctx, *orderID)
		if err != nil {
			return err
		}
		sig := app.Signature{SignerRole: app.SignerProvider, ForProviderID: o.ProviderID, OSUser: env.User}
		if name := strings.TrimSpace(*staff); name != "" {
			sig.SignerRole, sig.SignerName = app.SignerStaff, name
		}
		var nr *referral.NotReadyError
		switch err := w.Sign(ctx, *orderID, sig, time.Time{}); {
		case errors.As(err, &nr):
			for _, m := range nr.Messages() {
				fmt.Fprintln(env.Stderr, "  "+catalog.Default().Text(m))
			}
			return failErr(nil, catalog.CLIOrderNotReady, *orderID)
		case err != nil:
			return err
		}
		say(env.Stdout, catalog.CLIOrderSigned, *orderID)
		return nil
	})
}
