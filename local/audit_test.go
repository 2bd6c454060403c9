package local

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// Seen (issue 12 §5): UPDATE and DELETE on the audit table worked. Now SQLite itself refuses them,
// and INSERT OR REPLACE cannot overwrite a row either.
func TestAuditAppendOnly(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	seedOrder(t, s)
	for _, q := range []string{
		`UPDATE audit_log SET detail = 'x' WHERE id = 1`,
		`UPDATE audit_log SET at = at + 1`,
		`UPDATE audit_log SET hash = '' WHERE id = 1`,
		`DELETE FROM audit_log WHERE id = 1`,
		`DELETE FROM audit_log`,
		`INSERT OR REPLACE INTO audit_log (id, at, actor, action, entity, entity_id, hash) VALUES (1, 1, 'x', 'x', 'x', 1, 'h')`,
		`INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES (1, 'x', 'x', 'x', 1)`,
	} {
		_, err := s.rw.ExecContext(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", q, err)
		}
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n < 3 {
		t.Fatalf("verify after refused edits: %d rows, %v", n, err)
	}
}

// Each row's hash covers its content and the previous hash; the time is the store's clock.
func TestAuditChainAndClock(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	p, _, o := seedOrder(t, s)
	c.Add(time.Hour)
	// The caller's time is for the order; the audit row gets the store's clock.
	if err := s.SignOrder(ctx, o.ID, testSig, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordEvent(ctx, app.EventPacketBuilt, 0, o.ID, "pages=12"); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordEvent(ctx, app.EventAccountAdded, 0, 0, "host=fhir.example.org"); err != nil {
		t.Fatal(err)
	}
	all, err := s.AuditEvents(ctx, app.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range all {
		if e.ID != int64(i+1) || e.Hash != chainHash(e) || (i > 0 && e.PrevHash != all[i-1].Hash) || (i == 0 && e.PrevHash != "") {
			t.Fatalf("row %d not chained: %+v", i, e)
		}
		if e.Actor != "tester" {
			t.Fatalf("actor %q", e.Actor)
		}
	}
	last := all[len(all)-1]
	if last.Action != app.EventAccountAdded || last.Entity != "app" || last.PatientID != 0 || !last.At.Equal(c.Now()) {
		t.Fatalf("last row %+v", last)
	}
	packetRow := all[len(all)-2]
	if packetRow.Action != app.EventPacketBuilt || packetRow.EntityID != o.ID || packetRow.PatientID != p.ID {
		t.Fatalf("packet row %+v", packetRow)
	}
	for _, e := range all {
		if e.At.Year() == 2001 {
			t.Fatalf("audit row took the caller's time: %+v", e)
		}
	}

	// Filters: by patient, by user, since.
	mine, _ := s.AuditEvents(ctx, app.AuditQuery{PatientID: p.ID})
	for _, e := range mine {
		if e.PatientID != p.ID {
			t.Fatalf("patient filter let through %+v", e)
		}
	}
	if len(mine) < 4 {
		t.Fatalf("patient %d has %d rows", p.ID, len(mine))
	}
	if got, _ := s.AuditEvents(ctx, app.AuditQuery{Actor: "someone else"}); len(got) != 0 {
		t.Fatalf("user filter: %d rows", len(got))
	}
	if got, _ := s.AuditEvents(ctx, app.AuditQuery{Since: c.Now()}); len(got) != 5 { // 2 status, sign, packet, account
		t.Fatalf("since filter: %d rows", len(got))
	}
	if got, _ := s.AuditEvents(ctx, app.AuditQuery{Limit: 2}); len(got) != 2 || got[1].ID != last.ID {
		t.Fatalf("limit keeps the newest, oldest first: %+v", got)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != len(all) {
		t.Fatalf("verify: %d, %v", n, err)
	}
}

// Tampering with the triggers dropped is found at the first altered row.
func TestAuditVerifyFindsTampering(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		sql    string
		row    int64
		reason string
	}{
		"content":  {`UPDATE audit_log SET detail = 'count=0' WHERE id = 3`, 3, "content was changed"},
		"rehashed": {`UPDATE audit_log SET actor = 'mallory', hash = 'ff' WHERE id = 2`, 2, "content was changed"},
		"deleted":  {`DELETE FROM audit_log WHERE id = 2`, 3, "removed"},
		"first":    {`DELETE FROM audit_log WHERE id = 1`, 2, "start of the trail"},
		"blanked":  {`UPDATE audit_log SET hash = '' WHERE id = 4`, 4, "no hash"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t)
			seedOrder(t, s)
			if err := s.RecordEvent(ctx, app.EventChartViewed, 1, 0, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := s.rw.ExecContext(ctx, `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`); err != nil {
				t.Fatal(err)
			}
			if _, err := s.rw.ExecContext(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			_, err := s.VerifyAudit(ctx)
			var ce *app.ChainError
			if !errors.As(err, &ce) || !errors.Is(err, app.ErrAuditBroken) || ce.ID != tc.row || !strings.Contains(ce.Reason, tc.reason) {
				t.Fatalf("verify = %v, want row %d: %s", err, tc.row, tc.reason)
			}
		})
	}
}

// Rows written before the chain existed are sealed once, by the migration, and verify clean.
func TestAuditLegacyRowsSealed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s := openBefore(t, path, 5) // before 0005_audit_chain
	// The old schema: plain inserts, as the app wrote them before (audit_log has no foreign keys).
	for i := range 3 {
		if _, err := s.rw.Exec(`INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?, 'old', 'patient.update', 'patient', 1, '')`, 1000+i); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.RecordEvent(ctx, app.EventChartViewed, 1, 0, ""); err != nil {
		t.Fatal(err)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != 4 {
		t.Fatalf("verify after sealing: %d, %v", n, err)
	}
	all, _ := s.AuditEvents(ctx, app.AuditQuery{PatientID: 1})
	if len(all) != 4 || all[0].Hash == "" {
		t.Fatalf("legacy rows: %+v", all)
	}
	if _, err := s.rw.Exec(`UPDATE audit_log SET detail = 'x' WHERE id = 1`); err == nil {
		t.Fatal("a sealed legacy row could be changed")
	}
}
