package syncer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/dicom"
	"github.com/referraldesk/referraldesk/app/dicom/dicomtest"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/syncer/synctest"
)

// The app's image service with the saved account: a study confirmed by the user despite a name
// mismatch is uploaded to a real Orthanc, and a second upload sends nothing again.
func TestImagesServiceUploadsConfirmedStudy(t *testing.T) {
	const samples = "../../../shared/data/dicom"
	if _, err := os.Stat(samples); err != nil {
		t.Skip("shared DICOM samples not present: skipping")
	}
	o := dicomtest.StartOrthanc(t, "../..")
	fp := synctest.StartFHIR(t, "../..")
	f := signOffline(t, filepath.Join(t.TempDir(), "rd.db"), 1)
	st := f.st
	defer st.Close()
	ctx := context.Background()
	kc := &credstest.Keychain{}
	acct := creds.Account{FHIRBase: fp.Base, DICOMWebBase: o.Base, User: o.User}
	if err := syncer.SaveAccount(ctx, st, acct); err != nil {
		t.Fatal(err)
	}
	_ = kc.Set(acct, o.Password)
	w := newWorker(t, st, fp, fp.Password)
	if _, err := w.Push(ctx); err != nil {
		t.Fatal(err)
	}
	ord := f.orders[0]
	p, err := st.Patient(ctx, ord.PatientID)
	if err != nil {
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
	if err != nil || !summary.OK() || summary.Parts()[0].Code != dicom.UploadOK {
		t.Fatalf("upload: %v %v", summary.Parts(), err)
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
	// The next pull links each study to the order's ServiceRequest, once.
	for i := 0; i < 2; i++ {
		if _, err := w.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if c := fp.Counts(t); c.Resources["ImagingStudy"] != len(studies) || len(c.Duplicates) != 0 {
		t.Fatalf("server holds %d ImagingStudy (duplicates %v), want %d", c.Resources["ImagingStudy"], c.Duplicates, len(studies))
	}
}
