package syncer_test

import (
	"context"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/syncer"
)

// refusing is a server that accepts files but refuses the transaction with an OperationOutcome.
type refusing struct{ transactions int }

func (r *refusing) PutBinary(context.Context, string, string, io.Reader, int64) error { return nil }

func (r *refusing) CreateIfNoneExist(_ context.Context, _ fhir.Resource, _ string) (string, bool, error) {
	return "doc-1", true, nil
}

func (r *refusing) Transaction(context.Context, *fhir.Bundle) (map[string]string, error) {
	r.transactions++
	return nil, &fhir.StatusError{Method: "POST", StatusCode: 422, Outcome: "Coverage.payor: minimum required = 1"}
}

func (r *refusing) Search(context.Context, string, url.Values) (*fhir.Bundle, error) {
	return &fhir.Bundle{ResourceType: "Bundle", Type: "searchset"}, nil
}

func (r *refusing) Open(context.Context, string) (io.ReadCloser, string, error) {
	return nil, "", io.EOF
}

// A 4xx refusal puts the order in "needs attention" with the server's words, keeps it (never dropped),
// stops retrying it, and a corrected, re-signed order goes out again through the same outbox row.
func TestRefusedOrderNeedsAttentionAndCanBeResigned(t *testing.T) {
	f := signOffline(t, filepath.Join(t.TempDir(), "rd.db"), 1, 1000)
	defer f.st.Close()
	ctx := context.Background()
	prof, _ := institution.LoadDefault()
	tr := &refusing{}
	w := &syncer.Worker{Store: f.st, Transport: tr, Profile: prof}
	sum, err := w.Push(ctx)
	if err != nil || sum.Attention != 1 {
		t.Fatalf("push: %+v %v", sum, err)
	}
	o, _ := f.st.Order(ctx, f.orders[0].ID)
	if o.Status != app.StatusNeedsAttention || !strings.Contains(o.StatusReason, "Coverage.payor") {
		t.Fatalf("order %s %q", o.Status, o.StatusReason)
	}
	if _, err := w.Push(ctx); err != nil || tr.transactions != 1 {
		t.Fatalf("a refused order was retried without the user: %d transactions, %v", tr.transactions, err)
	}
	all, _ := f.st.Outbox(ctx, "")
	if len(all) != 1 || all[0].State != app.OutboxDead {
		t.Fatalf("outbox %+v: the entry must be kept, waiting for the user", all)
	}
	o.Insurance.Payer = "Blue Cross MN"
	if err := f.st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SignOrder(ctx, o.ID, testSig, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Push(ctx); err != nil || tr.transactions != 2 {
		t.Fatalf("re-signed order not sent again: %d transactions, %v", tr.transactions, err)
	}
}
