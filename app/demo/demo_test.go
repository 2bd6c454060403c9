package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/demo"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/local"
)

func TestFillTwiceAndEveryStatus(t *testing.T) {
	st, err := local.Open(filepath.Join(t.TempDir(), "rd.db"), local.Options{Actor: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prof, _ := institution.LoadDefault()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := demo.Fill(ctx, st, prof, 50, time.Now()); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	orders, _ := st.Orders(ctx)
	seen := map[app.Status]bool{}
	for _, o := range orders {
		seen[o.Status] = true
	}
	for _, s := range app.Statuses {
		if s != app.StatusSigned && !seen[s] {
			t.Errorf("no demo order is %s", s)
		}
	}
	if n, _ := st.CountPatients(ctx); n != 100 {
		t.Fatalf("%d patients, want 100", n)
	}
	if ps, _ := st.Providers(ctx, true); len(ps) != 3 {
		t.Fatalf("%d providers after two runs, want 3", len(ps))
	}
}
