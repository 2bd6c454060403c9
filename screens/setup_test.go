package screens

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A new installation opens the setup: the clinic (checked field by field), the first provider, then
// the account or "later"; the home screen follows and both are stored.
func TestFirstStartSetup(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	t.Cleanup(func() { st.Close() })
	u, w := newTestUI(t, testDeps(t, st))
	f := u.setupClinic
	if f == nil {
		t.Fatal("a new installation did not open the first-start setup")
	}
	tapButton(t, u, w, "Save and continue")
	if u.setupClinic != f || f.items["name"].HintText == f.hints["name"] {
		t.Fatal("an empty clinic was accepted, or its missing name not marked")
	}
	test.Type(f.name, "Lakeside Family Medicine")
	test.Type(f.address, "120 Lake Street")
	test.Type(f.city, "Winona")
	test.Type(f.state, "mn")
	test.Type(f.zip, "55987")
	test.Type(f.phone, "507-555-0142")
	test.Type(f.fax, "507-555-0143")
	tapButton(t, u, w, "Save and continue")
	c, ok, err := st.Clinic(context.Background())
	if err != nil || !ok || c.Name != "Lakeside Family Medicine" || c.State != "MN" || c.Country != "US" {
		t.Fatalf("stored clinic = %+v (set %v, err %v)", c, ok, err)
	}
	if findButton(w, "Continue") == nil {
		t.Fatal("step 2 (provider) did not follow the clinic")
	}
	addProvider(t, st, "1234567893")
	tapButton(t, u, w, "Continue")
	tapButton(t, u, w, "Later")
	if u.home == nil || findButton(w, "Place an order") == nil {
		t.Fatal("Later did not lead to the home screen")
	}
	// Started again, the app goes straight to the home screen.
	u2, w2 := newTestUI(t, testDeps(t, st))
	if findButton(w2, "Place an order") == nil || u2.setupClinic != nil {
		t.Fatal("the setup opened again although the clinic and a provider exist")
	}
}
