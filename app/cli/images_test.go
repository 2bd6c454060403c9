package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/dicom"
	"github.com/referraldesk/referraldesk/app/dicom/dicomtest"
	"github.com/referraldesk/referraldesk/local"
)

// sampleDir is the shared sample DICOM set beside the repository.
const sampleDir = "../../../shared/data/dicom"

func needSamples(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sampleDir, "manifest.tsv")); err != nil {
		t.Skipf("sample DICOM set not found (%v): it lives in shared/data/dicom beside the repository", err)
	}
}

func testEnv(kc creds.Keychain, stdin string) (Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return Env{
		Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin), Keychain: kc,
		OpenStore: func(dir string) (Store, error) {
			if err := datadir.Ensure(dir); err != nil {
				return nil, err
			}
			return local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
		},
		InspectData: func(ctx context.Context, dir string) (app.DemoContents, error) {
			return local.InspectDemo(ctx, datadir.Database(dir))
		},
	}, &out, &errb
}

// run runs one command line and returns its exit code and output.
func run(kc creds.Keychain, stdin string, args ...string) (int, string, string) {
	env, out, errb := testEnv(kc, stdin)
	code := Main(args, env)
	return code, out.String(), errb.String()
}

// setupOrder makes a data folder with the account (DICOMweb at base) and an order for
// Doe, Archibald (MRN 77654033, the patient of the sample study_77654033).
func setupOrder(t *testing.T, kc creds.Keychain, data, base, user, password string) int64 {
	t.Helper()
	if code, out, errs := run(kc, password+"\n", "account", "add", "--data", data, "--url", "http://127.0.0.1:9/fhir",
		"--dicomweb", base, "--user", user); code != 0 {
		t.Fatalf("account add: %d %s %s", code, out, errs)
	}
	st, err := local.Open(datadir.Database(data), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	p := app.Patient{Family: "Doe", Given: "Archibald", MRN: "77654033", BirthDate: time.Date(1960, 5, 6, 0, 0, 0, 0, time.UTC)}
	if err := st.CreatePatient(ctx, &p); err != nil {
		t.Fatal(err)
	}
	o := app.Order{PatientID: p.ID, UploadImages: app.AnswerYes, Reason: "follow-up"}
	if err := st.SaveDraft(ctx, &o); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// countingProxy sits between the app and Orthanc. It forwards a STOW-RS request only once its
// body has arrived whole (a request cut short by a kill never reaches Orthanc), then to the end
// even if the client is gone, and counts every SOP Instance UID delivered. Queries wait for the
// requests in flight, as a server answers a query after the requests it has received.
type countingProxy struct {
	t         *testing.T
	rp        *httputil.ReverseProxy
	inflight  sync.RWMutex
	mu        sync.Mutex
	delivered map[string]int
	requests  int
	cut       int
	queries   int
}

func newCountingProxy(t *testing.T, o *dicomtest.Orthanc) (*countingProxy, string) {
	target, err := url.Parse(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = log.New(io.Discard, "", 0) // queries of a killed client end in "context canceled"
	p := &countingProxy{t: t, rp: rp, delivered: map[string]int{}}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv.URL + "/dicom-web"
}

func (p *countingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		p.inflight.Lock() // wait for the STOW-RS requests being received or forwarded
		p.mu.Lock()
		p.queries++
		p.mu.Unlock()
		p.inflight.Unlock()
		p.rp.ServeHTTP(w, r)
		return
	}
	p.inflight.RLock()
	defer p.inflight.RUnlock()
	body, err := io.ReadAll(r.Body)
	if err != nil || int64(len(body)) != r.ContentLength {
		p.mu.Lock()
		p.cut++
		p.mu.Unlock()
		return
	}
	uids, err := dicomtest.SOPInstanceUIDs(r.Header.Get("Content-Type"), body)
	if err != nil {
		p.t.Errorf("proxy: %v", err)
	}
	p.mu.Lock()
	p.requests++
	for _, u := range uids {
		p.delivered[u]++
	}
	p.mu.Unlock()
	// Forward to the end even when the client has gone (a context with a Done channel that the
	// client's disconnection does not close).
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	r = r.WithContext(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	p.rp.ServeHTTP(w, r)
}

func (p *countingProxy) counts() (delivered map[string]int, requests, cut, queries int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps(p.delivered), p.requests, p.cut, p.queries
}

func maps(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestImagesEndToEnd runs `images scan` and `images send` over the shared sample set against a
// real Orthanc started for the test: each bad file is reported with its reason, a mismatched
// patient is blocked until confirmed, the selected studies are uploaded, and every SOP Instance
// UID is found on Orthanc by QIDO, delivered exactly once.
func TestImagesEndToEnd(t *testing.T) {
	needSamples(t)
	o := dicomtest.StartOrthanc(t, "../..")
	proxy, base := newCountingProxy(t, o)
	kc := &credstest.Keychain{}
	data := t.TempDir()

	// scan --json: patients → studies → series, and the rejected files with their reason.
	code, out, errs := run(kc, "", "images", "scan", "--json", sampleDir)
	if code != 0 {
		t.Fatalf("scan: %d %s", code, errs)
	}
	var v scanView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("scan JSON: %v\n%s", err, out)
	}
	reasons := map[string]string{}
	for _, r := range v.Rejected {
		reasons[filepath.Base(r.Path)] = r.Reason
	}
	for file, want := range map[string]string{
		"pydicom--MR_truncated.dcm": "damaged",
		"not-dicom--smile.jpg.dcm":  "not a DICOM file (a JPEG image",
	} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("%s: reason %q, want %q", file, reasons[file], want)
		}
	}
	var doe, ct1 []string
	all := map[string][]string{} // study → SOP Instance UIDs
	for _, p := range v.Patients {
		for _, s := range p.Studies {
			if len(s.Series) == 0 || s.Instances == 0 || s.Size == 0 || s.Date == "" && s.Modalities == nil {
				t.Errorf("study %s: %+v", s.UID, s)
			}
			switch p.Name {
			case "Doe^Archibald":
				doe = append(doe, s.UID)
			case "CompressedSamples^CT1":
				ct1 = append(ct1, s.UID)
			}
		}
	}
	if len(doe) == 0 || len(ct1) != 1 || len(v.Patients) < 3 {
		t.Fatalf("patients %d, Doe studies %v, CT1 studies %v", len(v.Patients), doe, ct1)
	}
	res, err := dicom.Scan(context.Background(), sampleDir, dicom.ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range res.Instances {
		all[in.StudyInstanceUID] = append(all[in.StudyInstanceUID], in.SOPInstanceUID)
	}

	// The plain listing says the same.
	code, out, _ = run(kc, "", "images", "scan", sampleDir)
	if code != 0 || !strings.Contains(out, "Patient Doe, Archibald, ID 77654033") ||
		!strings.Contains(out, "pydicom--MR_truncated.dcm: damaged: ends inside element (7FE0,0010)") ||
		!strings.Contains(out, "not-dicom--smile.jpg.dcm: not a DICOM file (a JPEG image") {
		t.Errorf("scan listing:\n%s", out)
	}

	orderID := setupOrder(t, kc, data, base, o.User, o.Password)
	order := strconv.FormatInt(orderID, 10)

	// Every study: several patients, blocked before anything is sent.
	code, out, errs = run(kc, "", "images", "send", "--data", data, "--order", order, sampleDir)
	if code == 0 || !strings.Contains(out, "needs confirmation") || !strings.Contains(out, "different patients") ||
		!strings.Contains(out, "Nothing was sent") {
		t.Fatalf("all studies: exit %d\n%s\n%s", code, out, errs)
	}
	if d, n, _, _ := proxy.counts(); n != 0 || len(d) != 0 {
		t.Fatalf("%d requests reached Orthanc for a blocked selection", n)
	}
	// Another patient's study alone: blocked, with the reason.
	code, out, _ = run(kc, "", "images", "send", "--data", data, "--order", order, "--study", ct1[0], sampleDir)
	if code == 0 || !strings.Contains(out, "name differs") {
		t.Fatalf("CT1 study: exit %d\n%s", code, out)
	}

	// Doe's studies go.
	args := []string{"images", "send", "--data", data, "--order", order}
	want := 0
	for _, s := range doe {
		args = append(args, "--study", s)
		want += len(all[s])
	}
	code, out, errs = run(kc, "", append(args, sampleDir)...)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("%d images in %d studies were uploaded and shared.", want, len(doe))) {
		t.Fatalf("Doe's studies: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "not sent: ") || !strings.Contains(out, "stored: study "+doe[0]) {
		t.Errorf("send output:\n%s", out)
	}

	// The CT1 study, confirmed with a reason: it goes, and the audit log has the code only.
	reason := "CD from the outside hospital, patient renamed"
	code, out, errs = run(kc, "", "images", "send", "--data", data, "--order", order, "--study", ct1[0],
		"--confirm-mismatch", ct1[0]+"="+reason, sampleDir)
	if code != 0 || !strings.Contains(out, "1 image in 1 study was uploaded and shared.") {
		t.Fatalf("confirmed CT1: exit %d\n%s\n%s", code, out, errs)
	}

	// Sending Doe's studies again sends nothing: the order knows they were sent.
	_, before, _, _ := proxy.counts()
	code, out, _ = run(kc, "", append(args, sampleDir)...)
	if _, after, _, _ := proxy.counts(); code != 0 || after != before {
		t.Errorf("second send: exit %d, %d more requests\n%s", code, after-before, out)
	}

	// Every SOP Instance UID of the selected studies is on Orthanc (QIDO, straight to Orthanc),
	// and was delivered exactly once.
	ctx := context.Background()
	delivered, requests, _, _ := proxy.counts()
	selected := append(slices.Clone(doe), ct1...)
	total := 0
	for _, s := range selected {
		have, err := o.Instances(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range all[s] {
			total++
			if !have[u] {
				t.Errorf("%s not found on Orthanc by QIDO", u)
			}
			if delivered[u] != 1 {
				t.Errorf("%s delivered %d times", u, delivered[u])
			}
		}
	}
	if len(delivered) != total {
		t.Errorf("%d images delivered, %d selected", len(delivered), total)
	}

	st, err := local.Open(datadir.Database(data), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sent, err := st.SentStudies(ctx, orderID)
	slices.Sort(selected)
	if err != nil || !slices.Equal(sent, selected) {
		t.Errorf("sent studies %v, want %v (%v)", sent, selected, err)
	}
	entries, _ := st.Audit(ctx, 50)
	confirmed := 0
	for _, e := range entries {
		if strings.Contains(e.Detail, "hospital") || strings.Contains(e.Detail, "CompressedSamples") {
			t.Errorf("audit detail holds the user's reason or patient data: %+v", e)
		}
		if e.Action == local.ActionStudyMismatchConfirmed && e.EntityID == orderID && strings.Contains(e.Detail, dicom.CodeName) {
			confirmed++
		}
	}
	if confirmed != 1 {
		t.Errorf("%d study.mismatch_confirmed audit rows, want 1", confirmed)
	}
	if got, _ := st.StudyConfirmations(ctx, orderID); got[ct1[0]] != reason {
		t.Errorf("confirmation reason %q", got[ct1[0]])
	}
	t.Logf("%d images in %d studies stored on Orthanc in %d requests, each exactly once", total, len(selected), requests)
}

const childEnv = "REFERRALDESK_IMAGES_CHILD"

// TestImagesKillChild is the uploading process TestImagesSendSurvivesSIGKILL kills; it runs
// only when started by that test.
func TestImagesKillChild(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("runs only as the child of TestImagesSendSurvivesSIGKILL")
	}
	kc := &credstest.Keychain{}
	acct := creds.Account{FHIRBase: "http://127.0.0.1:9/fhir", DICOMWebBase: os.Getenv("BASE"), User: os.Getenv("USER_NAME")}
	_ = kc.Set(acct, os.Getenv("PASSWORD"))
	env, out, errb := testEnv(kc, "")
	code := Main([]string{
		"images", "send", "--data", os.Getenv("DATA"), "--order", os.Getenv("ORDER"),
		"--request-kb", "200", os.Getenv("DIR"),
	}, env)
	os.Stdout.Write(out.Bytes())
	os.Stderr.Write(errb.Bytes())
	os.Exit(code)
}

// TestImagesSendSurvivesSIGKILL kills `images send` 6 times at random moments while it uploads
// 1,200 small images in requests of 200 KB (about 20 requests), restarts it each time, and
// finally lets it finish: every image is then on Orthanc, and none was delivered to it twice
// (counted by a proxy in between).
func TestImagesSendSurvivesSIGKILL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL semantics")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	needSamples(t)
	o := dicomtest.StartOrthanc(t, "../..")
	proxy, base := newCountingProxy(t, o)
	src, _ := filepath.Glob(filepath.Join(sampleDir, "study_77654033", "*", "*"))
	dir := t.TempDir()
	const n = 1200
	if _, err := dicomtest.CloneWithNewUIDs(src, dir, n, 4); err != nil {
		t.Fatal(err)
	}
	kc := &credstest.Keychain{}
	data := t.TempDir()
	orderID := setupOrder(t, kc, data, base, o.User, o.Password)
	child := func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestImagesKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"=1", "DATA="+data, "DIR="+dir, "ORDER="+strconv.FormatInt(orderID, 10),
			"BASE="+base, "USER_NAME="+o.User, "PASSWORD="+o.Password)
		return cmd
	}

	// Each round starts the child, waits until one more complete request has reached the proxy
	// (so every round makes progress), then kills it after a random pause: while Orthanc stores
	// that request, while the answer is recorded, or in the middle of the next request.
	kills := 0
	for kills < 6 {
		_, before, _, _ := proxy.counts()
		cmd := child(context.Background())
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() {
			_ = cmd.Wait()
			close(exited)
		}()
		deadline := time.After(time.Minute)
	wait:
		for {
			select {
			case <-exited:
				t.Fatalf("the child ended by itself after %d kills (exit %d): use more images\n%s", kills, cmd.ProcessState.ExitCode(), out.String())
			case <-deadline:
				_ = cmd.Process.Kill()
				t.Fatalf("no progress in a minute\n%s", out.String())
			case <-time.After(10 * time.Millisecond):
				if _, now, _, _ := proxy.counts(); now > before {
					break wait
				}
			}
		}
		// A short pause: the upload of 200 KB requests takes a few tens of ms each, so a pause of
		// seconds would let a fast child finish the whole study between two kills.
		time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
		_ = cmd.Process.Kill()
		<-exited
		if cmd.ProcessState.Exited() {
			t.Fatalf("the child ended by itself after %d kills (exit %d): use more images\n%s", kills, cmd.ProcessState.ExitCode(), out.String())
		}
		kills++
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := child(ctx).CombinedOutput()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d images in 4 studies were uploaded and shared.", n)) {
		t.Fatalf("final run after %d kills: %v\n%s", kills, err, out)
	}

	delivered, requests, cut, queries := proxy.counts()
	twice := 0
	for u, c := range delivered {
		if c != 1 {
			twice++
			t.Errorf("%s delivered to Orthanc %d times", u, c)
		}
	}
	res, err := dicom.Scan(ctx, dir, dicom.ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	onServer := 0
	for _, p := range res.Patients {
		for _, s := range p.Studies {
			have, err := o.Instances(ctx, s.UID)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range s.Files() {
				if have[in.SOPInstanceUID] {
					onServer++
				} else {
					t.Errorf("%s not on Orthanc", in.SOPInstanceUID)
				}
			}
		}
	}
	if onServer != n || len(delivered) != n {
		t.Errorf("%d of %d on Orthanc, %d delivered", onServer, n, len(delivered))
	}
	st, err := local.Open(datadir.Database(data), local.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if missing, err := st.MissingImages(ctx, orderID); err != nil || len(missing) != 0 {
		t.Errorf("missing after the final run: %d %v", len(missing), err)
	}
	t.Logf("%d kills mid-upload; %d complete requests, %d cut short by a kill, %d queries; %d images on Orthanc, %d delivered twice",
		kills, requests, cut, queries, onServer, twice)
}
