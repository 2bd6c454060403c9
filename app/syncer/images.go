package syncer

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/dicom"
	"github.com/referraldesk/referraldesk/app/msg"
)

// ImageStore is what the image upload keeps in the local cache.
type ImageStore interface {
	Settings
	DemoMarker
	dicom.UploadStore
	ConfirmStudyMismatch(ctx context.Context, orderID int64, studyUID string, codes []string, reason string) error
}

// Images scans folders for DICOM studies and uploads chosen ones with the account's DICOMweb server.
type Images struct {
	Store    ImageStore
	Keychain creds.Keychain
}

// Scan reads the headers of the DICOM files under paths.
func (im Images) Scan(ctx context.Context, paths []string, progress func(done, total int)) (*dicom.ScanResult, error) {
	return dicom.ScanPaths(ctx, paths, dicom.ScanOptions{Isolate: true}, progress)
}

// ImageProgress is the upload's progress in the screens' terms.
type ImageProgress struct {
	Files, FilesTotal int
	Bytes, BytesTotal int64
	Left              time.Duration
}

// Errors of the image upload before anything is sent.
var (
	// ErrNoDICOMwebAccount: no account, or the account has no DICOMweb address.
	ErrNoDICOMwebAccount = msg.NewSentinel("syncer.images.no_dicomweb",
		"images go to the institution's DICOMweb server: add its address under Account first")
	// KeychainUnreadable wraps a keychain failure for the user.
	KeychainUnreadable = msg.Define("syncer.keychain_unreadable")
)

// Upload records the user's confirmations for mismatched studies, then uploads the studies (resuming
// what an earlier run left) and returns the summary (UploadSummary.Parts says it in messages).
// An error before the upload starts leaves the summary zero.
func (im Images) Upload(ctx context.Context, o app.Order, p app.Patient, studies []dicom.Study, confirmations map[string]string,
	description string, progress func(ImageProgress),
) (dicom.UploadSummary, error) {
	var none dicom.UploadSummary
	acct, ok, err := LoadAccount(ctx, im.Store)
	if err != nil {
		return none, err
	}
	if !ok || acct.DICOMWebBase == "" {
		return none, ErrNoDICOMwebAccount
	}
	if err := CheckDemoTarget(ctx, im.Store, acct.DICOMWebBase); err != nil {
		return none, err
	}
	secret, err := creds.GetContext(ctx, im.Keychain, acct)
	if err != nil {
		return none, msg.Wrap(fmt.Errorf("syncer: the saved password could not be read from the keychain: %w", err), KeychainUnreadable)
	}
	for _, pr := range dicom.CheckSelection(p, studies) {
		if reason := confirmations[pr.StudyUID]; reason != "" {
			if err := im.Store.ConfirmStudyMismatch(ctx, o.ID, pr.StudyUID, pr.Codes, reason); err != nil {
				return none, err
			}
		}
	}
	client, err := creds.NewHTTPClient(acct)
	if err != nil {
		return none, err
	}
	descs := map[string]string{}
	if description != "" {
		for _, s := range studies {
			descs[s.UID] = description
		}
	}
	up := &dicom.Uploader{
		Base: acct.DICOMWebBase, Client: client, Store: im.Store,
		Authorize: func(r *http.Request) { creds.SetAuth(r, acct, secret) },
		Progress: func(u dicom.UploadProgress) {
			if progress != nil {
				progress(ImageProgress{Files: u.Files, FilesTotal: u.TotalFiles, Bytes: u.Bytes, BytesTotal: u.TotalBytes, Left: u.Remaining})
			}
		},
	}
	sum, err := up.Upload(ctx, dicom.UploadRequest{OrderID: o.ID, Patient: p, Studies: studies, Descriptions: descs})
	return sum, err
}
