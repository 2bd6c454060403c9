package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// auditCmd: `referraldesk audit` prints the audit trail, verifies its hash chain or exports it.
// The trail holds ids, statuses and counts, never names, so printing it shows no patient data.
func auditCmd(args []string, env Env) error {
	fs, data := newFlags("audit", env)
	since := fs.String("since", "", "only entries on or after this day (YYYY-MM-DD, local time)")
	patient := fs.Int64("patient", 0, "only entries about this patient id")
	user := fs.String("user", "", "only entries by this user")
	verify := fs.Bool("verify", false, "check the hash chain of the whole trail; exit 1 naming the first broken row")
	asCSV := fs.Bool("csv", false, "write CSV to standard output (recorded in the trail as an export)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: audit: unexpected %q", errUsage, fs.Arg(0))
	}
	q := app.AuditQuery{PatientID: *patient, Actor: *user}
	if *since != "" {
		t, err := time.ParseInLocation(app.DateLayout, *since, time.Local)
		if err != nil {
			return fmt.Errorf("%w: audit: --since wants a date like 2026-03-01", errUsage)
		}
		q.Since = t
	}
	return withStore(env, *data, func(ctx context.Context, st Store) error {
		if *verify {
			n, err := st.VerifyAudit(ctx)
			if errors.Is(err, app.ErrAuditBroken) {
				return fmt.Errorf("audit: %w; it was changed outside ReferralDesk (the %d rows before it are intact)", err, n)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "audit trail intact: %d rows, hash chain verified\n", n)
			// The chain cannot show rows cut from its end: the head, noted elsewhere, can.
			if last, err := st.AuditEvents(ctx, app.AuditQuery{Limit: 1}); err == nil && len(last) == 1 {
				fmt.Fprintf(env.Stdout, "last row %d, hash %s (note it: a later check must reach this row)\n", last[0].ID, last[0].Hash)
			}
			return nil
		}
		entries, err := st.AuditEvents(ctx, q)
		if err != nil {
			return err
		}
		if *asCSV {
			return exportAudit(ctx, env, st, q, entries)
		}
		if len(entries) == 0 {
			fmt.Fprintln(env.Stdout, "no audit entries match")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ROW\tTIME\tUSER\tACTION\tON\tPATIENT\tDETAIL")
		for _, e := range entries {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.Local().Format("2006-01-02 15:04:05"), e.Actor,
				e.Action, entityText(e), idText(e.PatientID), e.Detail)
		}
		return tw.Flush()
	})
}

func exportAudit(ctx context.Context, env Env, st Store, q app.AuditQuery, entries []app.AuditEntry) error {
	w := csv.NewWriter(env.Stdout)
	_ = w.Write([]string{"row", "time_utc", "user", "action", "entity", "entity_id", "patient_id", "detail", "prev_hash", "hash"})
	for _, e := range entries {
		_ = w.Write([]string{
			strconv.FormatInt(e.ID, 10), e.At.UTC().Format("2006-01-02T15:04:05.000Z"), e.Actor, e.Action, e.Entity,
			strconv.FormatInt(e.EntityID, 10), strconv.FormatInt(e.PatientID, 10), e.Detail, e.PrevHash, e.Hash,
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	return st.RecordEvent(ctx, app.EventExport, q.PatientID, 0, fmt.Sprintf("audit csv rows=%d", len(entries)))
}

func entityText(e app.AuditEntry) string {
	if e.EntityID == 0 {
		return e.Entity
	}
	return e.Entity + " " + strconv.FormatInt(e.EntityID, 10)
}

func idText(id int64) string {
	if id == 0 {
		return "-"
	}
	return strconv.FormatInt(id, 10)
}
