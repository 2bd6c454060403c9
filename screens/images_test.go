package screens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/dicom"
)

const sharedDICOM = "../../shared/data/dicom"

// scanOnly scans for real and records what would be uploaded (the Orthanc end-to-end test is in app/dicom).
type scanOnly struct {
	uploaded []string
	confirms map[string]string
}

func (s *scanOnly) Scan(ctx context.Context, paths []string, progress func(done, total int)) (*dicom.ScanResult, error) {
	return dicom.ScanPaths(ctx, paths, dicom.ScanOptions{}, progress)
}

func (s *scanOnly) Upload(_ context.Context, _ app.Order, _ app.Patient, studies []dicom.Study, confirm map[string]string, _ string, progress func(UploadProgress)) (dicom.UploadSummary, error) {
	n := 0
	for _, st := range studies {
		s.uploaded = append(s.uploaded, st.UID)
		n += st.Instances
	}
	s.confirms = confirm
	progress(UploadProgress{Files: n, FilesTotal: n})
	return dicom.UploadSummary{Images: n, TotalImages: n, Studies: len(studies), TotalStudies: len(studies)}, nil
}

// After signing an order that says "uploading images: yes", the uploader opens; a study of another
// patient blocks upload until the user unchecks it or confirms it with a reason.
func TestImagesAfterSigningBlocksMismatchUntilConfirmed(t *testing.T) {
	if _, err := os.Stat(sharedDICOM); err != nil {
		t.Skip("shared DICOM samples not present (" + sharedDICOM + "): skipping")
	}
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "rd.db"))
	defer st.Close()
	addProvider(t, st, "1234567893")
	deps := testDeps(t, st)
	fake := &scanOnly{}
	deps.Images = fake
	u, w := newTestUI(t, deps)
	enterOrderUpToDiagnosis(t, u, w)
	e := u.editor
	e.order.Diagnoses = []app.Diagnosis{{Code: "E11.9", Description: "Type 2 diabetes mellitus without complications"}}
	e.goTo(stepQuestions)
	e.quest.location.SetSelected("Rochester, Minnesota")
	e.quest.images.SetSelected("Yes")
	e.quest.records.SetSelected("No")
	e.goTo(stepReview)
	u.Idle()
	if len(e.review.issues) != 0 {
		t.Fatalf("problems: %+v", e.review.issues)
	}
	tapButton(t, u, w, "Sign order")
	tapButton(t, u, w, "Sign")
	im := u.images
	if im == nil {
		t.Fatal("the image uploader did not follow signing")
	}
	im.scan([]string{sharedDICOM})
	u.Idle()
	if len(im.studies) < 2 {
		t.Fatalf("found %d studies", len(im.studies))
	}
	if !strings.Contains(im.info.Text, "could not be used") || !strings.Contains(im.info.Text, "not a DICOM file") {
		t.Fatalf("bad files not reported with reasons: %q", im.info.Text)
	}
	if !im.upload.Disabled() || len(im.problems) == 0 {
		t.Fatal("studies of other patients did not block the upload")
	}
	// Keep one study and confirm it; uncheck the rest.
	keep := im.studies[0].UID
	for _, s := range im.studies {
		im.selected[s.UID] = s.UID == keep
	}
	im.recheck()
	if !im.upload.Disabled() {
		t.Fatal("a mismatched study can be uploaded without confirmation")
	}
	im.confirm[keep] = "Outside imaging center used the patient's former name"
	im.recheck()
	if im.upload.Disabled() {
		t.Fatalf("confirmed study still blocked: %q", im.result.Text)
	}
	// A series listed in error can be left out.
	var multi dicom.Study
	for _, s := range im.studies {
		if s.UID == keep {
			multi = s
		}
	}
	if len(multi.Series) > 1 {
		im.dropped[multi.Series[0].UID] = true
		im.recheck()
		if got := im.chosen()[0]; len(got.Series) != len(multi.Series)-1 {
			t.Fatalf("unchecking a series left %d of %d", len(got.Series), len(multi.Series))
		}
	}
	tapButton(t, u, w, "Upload selected studies")
	if len(fake.uploaded) != 1 || fake.uploaded[0] != keep || fake.confirms[keep] == "" {
		t.Fatalf("uploaded %v with %v", fake.uploaded, fake.confirms)
	}
	if !strings.Contains(im.result.Text, "uploaded and shared") {
		t.Fatalf("summary %q", im.result.Text)
	}
}
