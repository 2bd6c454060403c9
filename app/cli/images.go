package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/dicom"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/syncer"
)

// imageStore is what `images send` needs of the store beyond Store (*local.Store has it).
type imageStore interface {
	dicom.UploadStore
	ConfirmStudyMismatch(ctx context.Context, orderID int64, studyUID string, codes []string, reason string) error
}

func imagesCmd(args []string, env Env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: images needs 'scan DIR' or 'send --order ID DIR'", errUsage)
	}
	switch args[0] {
	case "scan":
		return imagesScan(args[1:], env)
	case "send":
		return imagesSend(args[1:], env)
	}
	return fmt.Errorf("%w: images %q: use scan or send", errUsage, args[0])
}

// uidFlag collects a repeatable flag.
type uidFlag []string

func (m *uidFlag) String() string     { return strings.Join(*m, ",") }
func (m *uidFlag) Set(v string) error { *m = append(*m, v); return nil }

// oneDir parses flags placed before or after the single folder argument.
func oneDir(fs *flag.FlagSet, args []string, what string) (string, error) {
	if err := parse(fs, args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if len(rest) > 1 {
		// Flags after the folder: parse them too.
		if err := parse(fs, rest[1:]); err != nil {
			return "", err
		}
		rest = append([]string{rest[0]}, fs.Args()...)
	}
	if len(rest) != 1 {
		return "", fmt.Errorf("%w: %s needs exactly one folder, drive or file", errUsage, what)
	}
	return rest[0], nil
}

// scanView is the JSON of `images scan --json`: patients → studies → series with counts, and
// the files that could not be used with the reason.
type scanView struct {
	Roots      []string         `json:"roots"`
	Patients   []patientView    `json:"patients"`
	Rejected   []dicom.Rejected `json:"rejected"`
	Duplicates []duplicateView  `json:"duplicates,omitempty"`
	DICOMDIRs  []string         `json:"dicomdirs,omitempty"`
	Skipped    int              `json:"skipped"`
	Images     int              `json:"images"`
	Size       int64            `json:"size"`
}

type patientView struct {
	dicom.PatientInfo
	Studies []studyView `json:"studies"`
}

type studyView struct {
	UID             string              `json:"uid"`
	Date            string              `json:"date"`
	Time            string              `json:"time,omitempty"`
	Description     string              `json:"description,omitempty"`
	AccessionNumber string              `json:"accession_number,omitempty"`
	Modalities      []string            `json:"modalities"`
	OtherPatients   []dicom.PatientInfo `json:"other_patients,omitempty"`
	Instances       int                 `json:"instances"`
	Size            int64               `json:"size"`
	Series          []seriesView        `json:"series"`
}

type seriesView struct {
	UID         string `json:"uid"`
	Number      int    `json:"number,omitempty"`
	Modality    string `json:"modality"`
	Description string `json:"description,omitempty"`
	Instances   int    `json:"instances"`
	Size        int64  `json:"size"`
}

type duplicateView struct {
	Path string `json:"path"`
	Of   string `json:"of"`
}

func viewScan(res *dicom.ScanResult) scanView {
	v := scanView{
		Roots: res.Roots, Rejected: res.Rejected, DICOMDIRs: res.DICOMDIRs, Skipped: res.Skipped,
		Patients: []patientView{}, Images: len(res.Instances),
	}
	if v.Rejected == nil {
		v.Rejected = []dicom.Rejected{}
	}
	for _, in := range res.Instances {
		v.Size += in.Size
	}
	for _, p := range res.Patients {
		pv := patientView{PatientInfo: p.PatientInfo}
		for _, s := range p.Studies {
			sv := studyView{
				UID: s.UID, Date: s.Date, Time: s.Time, Description: s.Description, AccessionNumber: s.AccessionNumber,
				Modalities: s.Modalities, OtherPatients: s.OtherPatients, Instances: s.Instances, Size: s.Size,
			}
			for _, se := range s.Series {
				sv.Series = append(sv.Series, seriesView{
					UID: se.UID, Number: se.Number, Modality: se.Modality, Description: se.Description,
					Instances: len(se.Instances), Size: se.Size,
				})
			}
			pv.Studies = append(pv.Studies, sv)
		}
		v.Patients = append(v.Patients, pv)
	}
	for _, d := range res.Duplicates {
		v.Duplicates = append(v.Duplicates, duplicateView{Path: d.Instance.Path, Of: d.Of})
	}
	return v
}

func imagesScan(args []string, env Env) error {
	fs, _ := newFlags("images scan", env)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	dir, err := oneDir(fs, args, "images scan")
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := dicom.Scan(ctx, dir, dicom.ScanOptions{Isolate: true}, nil)
	if err != nil {
		return err
	}
	v := viewScan(res)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	printScan(env, v)
	return nil
}

func printScan(env Env, v scanView) {
	w := env.Stdout
	studies := 0
	for _, p := range v.Patients {
		studies += len(p.Studies)
	}
	fmt.Fprintf(w, "%s (%s) in %s of %s; %s could not be used\n", catalog.T(msg.CountImages, v.Images), catalog.Bytes(v.Size),
		catalog.T(msg.CountStudies, studies), catalog.T(msg.CountPatients, len(v.Patients)), catalog.T(msg.CountFiles, len(v.Rejected)))
	for _, p := range v.Patients {
		fmt.Fprintf(w, "\nPatient %s", orDash(dicom.ShowName(p.Name)))
		if p.ID != "" {
			fmt.Fprintf(w, ", ID %s", p.ID)
		}
		if p.BirthDate != "" {
			fmt.Fprintf(w, ", born %s", showDate(p.BirthDate))
		}
		if p.Sex != "" {
			fmt.Fprintf(w, ", sex %s", p.Sex)
		}
		fmt.Fprintln(w)
		for _, s := range p.Studies {
			fmt.Fprintf(w, "  Study %s  %s  %s  (%d series, %s, %s)\n", orDash(showDate(s.Date)),
				orDash(strings.Join(s.Modalities, "/")), orDash(s.Description), len(s.Series), catalog.T(msg.CountImages, s.Instances), catalog.Bytes(s.Size))
			fmt.Fprintf(w, "    Study Instance UID %s\n", s.UID)
			if len(s.OtherPatients) > 0 {
				fmt.Fprintf(w, "    warning: the files of this study name %d different patients\n", len(s.OtherPatients)+1)
			}
			for _, se := range s.Series {
				num := "-"
				if se.Number != 0 {
					num = fmt.Sprint(se.Number)
				}
				fmt.Fprintf(w, "    Series %s  %s  %s  (%s, %s)\n", num, orDash(se.Modality), orDash(se.Description), catalog.T(msg.CountImages, se.Instances), catalog.Bytes(se.Size))
			}
		}
	}
	if len(v.Rejected) > 0 {
		fmt.Fprintf(w, "\nCould not use %s:\n", catalog.T(msg.CountFiles, len(v.Rejected)))
		for _, r := range v.Rejected {
			fmt.Fprintf(w, "  %s: %s\n", r.Path, catalog.Default().Text(r.Message()))
		}
	}
	if len(v.Duplicates) > 0 {
		fmt.Fprintf(w, "\nSkipped %s of images found twice:\n", catalog.T(msg.CountCopies, len(v.Duplicates)))
		for _, d := range v.Duplicates {
			fmt.Fprintf(w, "  %s: same image as %s\n", d.Path, d.Of)
		}
	}
}

func imagesSend(args []string, env Env) error {
	fs, data := newFlags("images send", env)
	orderID := fs.Int64("order", 0, "the order the images go with (required; see 'referraldesk status')")
	var studies, confirms, descs uidFlag
	fs.Var(&studies, "study", "Study Instance UID to send (repeatable; default: every study found)")
	fs.Var(&confirms, "confirm-mismatch", "UID=REASON: send this study although its patient does not match the order's (repeatable)")
	fs.Var(&descs, "description", "UID=TEXT: describe this study for the institution (repeatable)")
	requestKB := fs.Int64("request-kb", dicom.DefaultBatchBytes>>10, "largest upload request, in KB")
	dir, err := oneDir(fs, args, "images send")
	if err != nil {
		return err
	}
	if *orderID <= 0 {
		return fmt.Errorf("%w: images send needs --order ID", errUsage)
	}
	if *requestKB < 1 {
		return fmt.Errorf("%w: images send: --request-kb must be at least 1", errUsage)
	}
	confirmOf, err := uidPairs(confirms, "--confirm-mismatch", "UID=REASON")
	if err != nil {
		return err
	}
	descOf, err := uidPairs(descs, "--description", "UID=TEXT")
	if err != nil {
		return err
	}
	return withStore(env, *data, func(_ context.Context, st Store) error {
		// Not withStore's context: an upload may take longer than its limit.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		is, ok := st.(imageStore)
		if !ok {
			return errors.New("images: this data store cannot record image uploads")
		}
		acct, secret, err := loadCredentials(ctx, env, st)
		if err != nil {
			return err
		}
		if acct.DICOMWebBase == "" {
			return errors.New("images: the account has no DICOMweb address; add it with 'referraldesk account add --url ... --dicomweb URL'")
		}
		if err := syncer.CheckDemoTarget(ctx, st, acct.DICOMWebBase); err != nil {
			return fmt.Errorf("images: %w", err)
		}
		order, err := st.Order(ctx, *orderID)
		if err != nil {
			return fmt.Errorf("images: order %d: %w", *orderID, err)
		}
		patient, err := st.Patient(ctx, order.PatientID)
		if err != nil {
			return fmt.Errorf("images: patient of order %d: %w", *orderID, err)
		}
		res, err := dicom.Scan(ctx, dir, dicom.ScanOptions{Isolate: true}, nil)
		if err != nil {
			return err
		}
		for _, r := range res.Rejected {
			fmt.Fprintf(env.Stdout, "not sent: %s: %s\n", r.Path, catalog.Default().Text(r.Message()))
		}
		selected, missing := dicom.SelectStudies(res.Patients, studies)
		if len(missing) > 0 {
			return fmt.Errorf("%w: images send: no study %s in %s", errUsage, strings.Join(missing, ", "), dir)
		}
		if len(selected) == 0 {
			return fmt.Errorf("images: no DICOM images found in %s", dir)
		}
		problems := dicom.CheckSelection(patient, selected)
		for uid, reason := range confirmOf {
			var codes []string
			found := false
			for _, p := range problems {
				if p.StudyUID == uid {
					codes, found = p.Codes, true
				}
			}
			if !found {
				if _, _, inSel := findStudy(selected, uid); !inSel {
					return fmt.Errorf("%w: images send: --confirm-mismatch names study %s, which is not selected", errUsage, uid)
				}
				fmt.Fprintf(env.Stderr, "note: study %s matches the order's patient; no confirmation needed\n", uid)
				continue
			}
			if err := is.ConfirmStudyMismatch(ctx, *orderID, uid, codes, reason); err != nil {
				return err
			}
		}
		client, err := creds.NewHTTPClient(acct)
		if err != nil {
			return err
		}
		up := &dicom.Uploader{
			Base: acct.DICOMWebBase, Client: client, Store: is, BatchBytes: *requestKB << 10,
			Authorize: func(r *http.Request) { creds.SetAuth(r, acct, secret) },
			Progress:  progressPrinter(env),
		}
		sum, err := up.Upload(ctx, dicom.UploadRequest{OrderID: *orderID, Patient: patient, Studies: selected, Descriptions: descOf})
		var ce *dicom.ConfirmationError
		if errors.As(err, &ce) {
			for _, p := range ce.Problems {
				fmt.Fprintf(env.Stdout, "study %s needs confirmation:\n", p.StudyUID)
				for _, r := range p.Reasons {
					fmt.Fprintf(env.Stdout, "  - %s\n", catalog.Default().Text(r))
				}
			}
			fmt.Fprintln(env.Stdout, `To send it anyway, add --confirm-mismatch UID="why it belongs with this order"; or leave it out with --study.`)
		}
		for _, f := range sum.Failed {
			fmt.Fprintf(env.Stdout, "not stored: %s: %s\n", f.Path, catalog.Default().Text(f.Reason))
		}
		for _, uid := range sum.StoredStudies {
			s, _, _ := findStudy(selected, uid)
			fmt.Fprintf(env.Stdout, "stored: study %s  %s  %s  (%s)\n", uid, orDash(showDate(s.Date)), orDash(strings.Join(s.Modalities, "/")), catalog.T(msg.CountImages, s.Instances))
		}
		fmt.Fprintln(env.Stdout, catalog.Default().Sentences(sum.Parts()))
		if err != nil {
			return fmt.Errorf("images: %s", firstLine(errText(err)))
		}
		return nil
	})
}

func errText(err error) string { return strings.TrimPrefix(err.Error(), "dicom: upload: ") }

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// progressPrinter writes a progress line to stderr at most every two seconds, and on each new status.
func progressPrinter(env Env) func(dicom.UploadProgress) {
	var last time.Time
	var lastStatus string
	return func(p dicom.UploadProgress) {
		status := catalog.Default().Text(p.Status)
		if status == lastStatus && time.Since(last) < 2*time.Second && p.Files < p.TotalFiles {
			return
		}
		last, lastStatus = time.Now(), status
		line := fmt.Sprintf("%s: %d of %d images, %s of %s", status, p.Files, p.TotalFiles, catalog.Bytes(p.Bytes), catalog.Bytes(p.TotalBytes))
		if p.Remaining > 0 {
			line += fmt.Sprintf(", about %s left", p.Remaining)
		}
		fmt.Fprintln(env.Stderr, line)
	}
}

func findStudy(studies []dicom.Study, uid string) (dicom.Study, int, bool) {
	for i, s := range studies {
		if s.UID == uid {
			return s, i, true
		}
	}
	return dicom.Study{}, -1, false
}

// uidPairs parses repeated UID=TEXT flags.
func uidPairs(vals []string, flagName, form string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range vals {
		uid, text, ok := strings.Cut(v, "=")
		uid, text = strings.TrimSpace(uid), strings.TrimSpace(text)
		if !ok || uid == "" || text == "" {
			return nil, fmt.Errorf("%w: images send: %s takes %s", errUsage, flagName, form)
		}
		out[uid] = text
	}
	return out, nil
}

func showDate(d string) string {
	if len(d) == 8 {
		return d[:4] + "-" + d[4:6] + "-" + d[6:]
	}
	return d
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
