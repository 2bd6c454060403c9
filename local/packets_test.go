package local

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

func TestPacketInputsRoundTripAndLockAfterSign(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	p := app.Patient{Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	want := []app.PacketInput{
		{Path: "/records/b.pdf", Title: "Cardiology note", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), DateSource: "user", Exclude: []int{2, 5}, Reviewed: true},
		{Path: "/records/a.pdf", Title: "Labs", DateSource: "file"},
	}
	if err := st.SavePacketInputs(ctx, o.ID, want); err != nil {
		t.Fatal(err)
	}
	got, err := st.PacketInputs(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if err := st.SignOrder(ctx, o.ID, testSig, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePacketInputs(ctx, o.ID, nil); !errors.Is(err, app.ErrNotEditable) {
		t.Fatalf("after signing: %v, want ErrNotEditable", err)
	}
}
