package dicom_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/dicom"
	"github.com/referraldesk/referraldesk/app/dicom/dicomtest"
	"github.com/referraldesk/referraldesk/local"
)

// BenchmarkUpload1000 uploads 1,000 small DICOM files (the sample study_77654033 cloned with new
// UIDs) to a private Orthanc with the Uploader and the real store, and, in the same run, has curl
// post the same multipart body to the same Orthanc; Orthanc is emptied before each upload and
// the two alternate. Goals (issue 6): our time within 1.5× of curl's, peak memory (the peak
// resident size of this process) under 200 MB, and scanning the 1,000 files under 2 s.
// Run it with scripts/bench-images.sh.
func BenchmarkUpload1000(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("needs the Orthanc test peer (Linux)")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		b.Skip("curl is not installed")
	}
	src, _ := filepath.Glob("../../../shared/data/dicom/study_77654033/*/*")
	if len(src) == 0 {
		b.Skip("sample DICOM set not found: it lives in shared/data/dicom beside the repository")
	}
	o := dicomtest.StartOrthanc(b, "../..")
	ctx := context.Background()
	dir := b.TempDir()
	const n = 1000
	if _, err := dicomtest.CloneWithNewUIDs(src, dir, n, 10); err != nil {
		b.Fatal(err)
	}
	scanStart := time.Now()
	res, err := dicom.Scan(ctx, dir, dicom.ScanOptions{}, nil)
	scanTime := time.Since(scanStart)
	if err != nil || len(res.Instances) != n {
		b.Fatalf("scan: %v, %d images", err, len(res.Instances))
	}
	var studies []dicom.Study
	for _, p := range res.Patients {
		studies = append(studies, p.Studies...)
	}

	// The same multipart body for curl, written once.
	boundary := dicom.NewBoundary()
	bodyPath := filepath.Join(b.TempDir(), "body")
	f, err := os.Create(bodyPath)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var files []dicom.Instance
	for _, s := range studies {
		files = append(files, s.Files()...)
	}
	if err := dicom.WriteMultipart(w, boundary, files); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()

	st, err := local.Open(filepath.Join(b.TempDir(), "bench.db"), local.Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	patient := app.Patient{Family: "Doe", Given: "Archibald", MRN: "77654033"}
	if err := st.CreatePatient(ctx, &patient); err != nil {
		b.Fatal(err)
	}
	acct := creds.Account{FHIRBase: o.URL, DICOMWebBase: o.Base, User: o.User}
	client, err := creds.NewHTTPClient(acct)
	if err != nil {
		b.Fatal(err)
	}

	var ours, curls time.Duration
	uploadOurs := func() {
		order := app.Order{PatientID: patient.ID}
		if err := st.SaveDraft(ctx, &order); err != nil {
			b.Fatal(err)
		}
		up := &dicom.Uploader{Base: o.Base, Client: client, Store: st, Authorize: func(r *http.Request) { creds.SetAuth(r, acct, o.Password) }}
		start := time.Now()
		sum, err := up.Upload(ctx, dicom.UploadRequest{OrderID: order.ID, Patient: patient, Studies: studies})
		ours += time.Since(start)
		b.Logf("ours %v", time.Since(start))
		if err != nil || sum.Images != n {
			b.Fatalf("upload: %v: %v", err, sum.Parts())
		}
	}
	uploadCurl := func() {
		resp := filepath.Join(b.TempDir(), "resp")
		start := time.Now()
		out, err := exec.Command("curl", "-sS", "-o", resp, "-w", "%{http_code}", "-u", o.User+":"+o.Password,
			"-H", "Content-Type: "+dicom.ContentType(boundary), "-H", "Accept: application/dicom+json",
			"-H", "Expect:", // no 100-continue round trip (curl's default above 1 MB): the fair comparison
			"--data-binary", "@"+bodyPath, o.Base+"/studies").Output()
		curls += time.Since(start)
		b.Logf("curl %v", time.Since(start))
		if err != nil || string(out) != "200" {
			b.Fatalf("curl: %v, HTTP %s", err, out)
		}
		body, _ := os.ReadFile(resp)
		stored, _, err := dicom.ParseStowResponse(body)
		if err != nil || len(stored) != n {
			b.Fatalf("curl: %d stored, %v", len(stored), err)
		}
	}
	empty := func() {
		if err := o.DeleteAll(ctx); err != nil {
			b.Fatal(err)
		}
	}

	b.ResetTimer()
	i := 0
	for b.Loop() {
		// Alternate who goes first, so neither always meets a warmer Orthanc.
		if i%2 == 0 {
			empty()
			uploadCurl()
			empty()
			uploadOurs()
		} else {
			empty()
			uploadOurs()
			empty()
			uploadCurl()
		}
		i++
	}
	b.StopTimer()
	ratio := float64(ours) / float64(curls)
	peak := peakRSS()
	b.ReportMetric(float64(ours.Milliseconds())/float64(i), "ms/upload")
	b.ReportMetric(float64(curls.Milliseconds())/float64(i), "ms/curl")
	b.ReportMetric(ratio, "x-curl")
	b.ReportMetric(float64(peak)/(1<<20), "MB-peak-RSS")
	b.ReportMetric(float64(scanTime.Milliseconds()), "ms-scan")
	fmt.Printf("images bench: scan of %d files %d ms (goal < 2000 ms); upload %d ms vs curl %d ms: %.2fx (goal <= 1.5x); peak memory %.0f MB (goal < 200 MB)\n",
		n, scanTime.Milliseconds(), ours.Milliseconds()/int64(i), curls.Milliseconds()/int64(i), ratio, float64(peak)/(1<<20))
	if ratio > 1.5 {
		b.Errorf("upload took %.2fx curl's time, goal at most 1.5x", ratio)
	}
	if peak > 200<<20 {
		b.Errorf("peak memory %d MB, goal under 200 MB", peak>>20)
	}
	if scanTime > 2*time.Second {
		b.Errorf("scan of %d files took %v, goal under 2 s", n, scanTime)
	}
}

// peakRSS is this process's peak resident set size (VmHWM), in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
