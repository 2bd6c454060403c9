package syncer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/dicom/dicomtest"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/local"
)

type memKeychain map[string]string

func (k memKeychain) Set(a creds.Account, s string) error { k[a.Key()] = s; return nil }
func (k memKeychain) Get(a creds.Account) (string, error) {
	if s, ok := k[a.Key()]; ok {
		return s, nil
	}
	return "", creds.ErrNoSecret
}
func (k memKeychain) Delete(a creds.Account) error { delete(k, a.Key()); return nil }

// The app's image service with the saved account: a study confirmed by the user despite a name
// mismatch is uploaded to a real Orthanc, and a second upload sends nothing again.
func TestImagesServiceUploadsConfirmedStudy(t *testing.T) {
	const samples = "../../../shared/data/dicom"
	if _, err := os.Stat(samples); err != nil {
		t.Skip("shared DICOM samples not present: skipping")
	}
	o := dicomtest.StartOrthanc(t, "../..")
	st, err := local.Open(filepath.Join(t.TempDir(), "rd.db"), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	kc := memKeychain{}
	acct := creds.Account{FHIRBase: "http://127.0.0.1:1/fhir", DICOMWebBase: o.Base, User: o.User}
	if err := syncer.SaveAccount(ctx, st, acct); err != nil {
		t.Fatal(err)
	}
	_ = kc.Set(acct, o.Password)
	p := app.Patient{Family: "Doe", Given: "Jane", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	ord := app.Order{PatientID: p.ID, UploadImages: app.AnswerYes}
	if err := st.SaveDraft(ctx, &ord); err != nil {
		t.Fatal(err)
	}
	im := syncer.Images{Store: st, Keychain: kc}
	res, err := im.Scan(ctx, []string{filepath.Join(samples, "study_77654033")}, nil)
	if err != nil || len(res.Patients) == 0 {
		t.Fatalf("scan: %v %+v", err, res)
	}
	studies := res.Patients[0].Studies
	if _, err := im.Upload(ctx, ord, p, studies, nil, "CT and CR", nil); err == nil {
		t.Fatal("a study of another patient was uploaded without confirmation")
	}
	confirm := map[string]string{}
	for _, s := range studies {
		confirm[s.UID] = "Outside facility used another name"
	}
	var last syncer.ImageProgress
	summary, err := im.Upload(ctx, ord, p, studies, confirm, "CT and CR", func(ip syncer.ImageProgress) { last = ip })
	if err != nil || !strings.Contains(summary, "uploaded and shared") {
		t.Fatalf("upload: %q %v", summary, err)
	}
	want := 0
	for _, s := range studies {
		want += s.Instances
	}
	if last.FilesTotal != want {
		t.Fatalf("progress reported %d files, want %d", last.FilesTotal, want)
	}
	sent, err := st.SentStudies(ctx, ord.ID)
	if err != nil || len(sent) != len(studies) {
		t.Fatalf("sent studies %v %v", sent, err)
	}
}
