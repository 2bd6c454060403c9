package dicom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app"
)

// memStore is an UploadStore in memory that counts the requests each image went in.
type memStore struct {
	mu       sync.Mutex
	studies  map[string]string // uid → description
	recs     map[string]*ImageRecord
	order    []string
	batches  int64
	outcomes map[int64]string
	confirms map[string]string
	sends    map[string]int
}

func newMemStore() *memStore {
	return &memStore{
		studies: map[string]string{}, recs: map[string]*ImageRecord{}, outcomes: map[int64]string{},
		confirms: map[string]string{}, sends: map[string]int{},
	}
}

func (m *memStore) PlanImageUpload(_ context.Context, _ int64, studies []PlannedStudy) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, st := range studies {
		m.studies[st.UID] = st.Description
		for _, in := range st.Instances {
			if _, ok := m.recs[in.SOPInstanceUID]; !ok {
				m.recs[in.SOPInstanceUID] = &ImageRecord{
					StudyUID: st.UID, SeriesInstanceUID: in.SeriesInstanceUID,
					SOPInstanceUID: in.SOPInstanceUID, Size: in.Size, State: StatePending,
				}
				m.order = append(m.order, in.SOPInstanceUID)
			}
		}
	}
	return nil
}

func (m *memStore) ImageRecords(context.Context, int64) ([]ImageRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ImageRecord
	for _, u := range m.order {
		out = append(out, *m.recs[u])
	}
	return out, nil
}

func (m *memStore) MarkImagesSent(_ context.Context, _ int64, uids []string, _ int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range uids {
		if r, ok := m.recs[u]; !ok || r.State == StateConfirmed {
			return 0, fmt.Errorf("image %s unknown or confirmed", u)
		}
	}
	m.batches++
	for _, u := range uids {
		r := m.recs[u]
		r.State, r.Batch = StateSent, m.batches
		r.Sends++
		m.sends[u]++
	}
	return m.batches, nil
}

func (m *memStore) ConfirmImages(_ context.Context, _ int64, batch int64, uids []string, outcome string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if batch != 0 {
		m.outcomes[batch] = outcome
	}
	for _, u := range uids {
		m.recs[u].State = StateConfirmed
	}
	return nil
}

func (m *memStore) StudyConfirmations(context.Context, int64) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps(m.confirms), nil
}

func maps(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (m *memStore) states() map[InstanceState]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[InstanceState]int{}
	for _, r := range m.recs {
		out[r.State]++
	}
	return out
}

var testPatient = PatientInfo{Name: "DOE^JANE", ID: "MRN1", BirthDate: "19700102", Sex: "F"}

func orderPatient() app.Patient {
	return app.Patient{Family: "Doe", Given: "Jane", MRN: "MRN1", BirthDate: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}
}

// makeStudies writes studies × perStudy small images for patient p and scans them.
func makeStudies(t *testing.T, p PatientInfo, prefix string, studies, perStudy, pixels int) []Study {
	t.Helper()
	dir := t.TempDir()
	for s := range studies {
		for i := range perStudy {
			ti := testImage{
				patient: p,
				study:   fmt.Sprintf("%s.%d", prefix, s+1),
				series:  fmt.Sprintf("%s.%d.1", prefix, s+1),
				sop:     fmt.Sprintf("%s.%d.1.%d", prefix, s+1, i+1),
				date:    "20240101", number: i + 1,
			}
			spec := ti.spec()
			spec.pixels = pixels
			writeFile(t, filepath.Join(dir, fmt.Sprint(s), fmt.Sprint(i)), spec.bytes())
		}
	}
	res, err := Scan(context.Background(), dir, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []Study
	for _, pt := range res.Patients {
		out = append(out, pt.Studies...)
	}
	if len(res.Instances) != studies*perStudy {
		t.Fatalf("scanned %d images, want %d", len(res.Instances), studies*perStudy)
	}
	return out
}

// fakeSTOW is a STOW-RS and QIDO-RS server in memory. decide says, per request, which of the
// SOP Instance UIDs it received it stores; by default all.
type fakeSTOW struct {
	t        *testing.T
	mu       sync.Mutex
	requests [][]string
	received map[string]int // complete requests per image
	stored   map[string]bool
	lengths  []int64
	decide   func(n int, uids []string) (status int, store []string, failed map[string]int)
	user     string
	password string
	storeAll bool // store everything received, whatever the answer says
}

func newFakeSTOW(t *testing.T) (*fakeSTOW, *httptest.Server) {
	f := &fakeSTOW{t: t, received: map[string]int{}, stored: map[string]bool{}, user: "u", password: "p"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeSTOW) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if u, p, _ := r.BasicAuth(); u != f.user || p != f.password {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodGet {
		// QIDO-RS: /studies/{uid}/instances
		parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/dicom-web"), "/"), "/")
		if len(parts) != 3 || parts[0] != "studies" || parts[2] != "instances" {
			http.NotFound(w, r)
			return
		}
		f.mu.Lock()
		var list []map[string]any
		for u := range f.stored {
			if strings.HasPrefix(u, parts[1]+".") {
				list = append(list, map[string]any{"00080018": map[string]any{"vr": "UI", "Value": []string{u}}})
			}
		}
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/dicom+json")
		_ = json.NewEncoder(w).Encode(list)
		return
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/related" || params["type"] != "application/dicom" {
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	if int64(len(body)) != r.ContentLength {
		f.t.Errorf("body %d bytes, Content-Length %d", len(body), r.ContentLength)
	}
	var uids []string
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.t.Errorf("multipart: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(part)
		h := &header{}
		rd := bytes.NewReader(data)
		if err := decode(newSrc(context.Background(), rd, rd, int64(len(data))), h, false); err != nil {
			f.t.Errorf("part is not DICOM: %v", err)
		}
		uids = append(uids, h.inst.SOPInstanceUID)
	}
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, uids)
	f.lengths = append(f.lengths, r.ContentLength)
	for _, u := range uids {
		f.received[u]++
	}
	decide := f.decide
	f.mu.Unlock()
	status, store, failed := http.StatusOK, uids, map[string]int(nil)
	if decide != nil {
		status, store, failed = decide(n, uids)
	}
	if f.storeAll {
		f.mu.Lock()
		for _, u := range uids {
			f.stored[u] = true
		}
		f.mu.Unlock()
	}
	if status >= 400 && status != http.StatusConflict {
		w.WriteHeader(status)
		return
	}
	f.mu.Lock()
	for _, u := range store {
		f.stored[u] = true
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/dicom+json")
	w.WriteHeader(status)
	io.WriteString(w, stowAnswer(store, failed))
}

// stowAnswer builds a STOW-RS response like Orthanc's.
func stowAnswer(stored []string, failed map[string]int) string {
	ref := []map[string]any{}
	for _, u := range stored {
		ref = append(ref, map[string]any{
			"00081150": map[string]any{"vr": "UI", "Value": []string{"1.2.840.10008.5.1.4.1.1.2"}},
			"00081155": map[string]any{"vr": "UI", "Value": []string{u}},
		})
	}
	fail := []map[string]any{}
	for u, code := range failed {
		fail = append(fail, map[string]any{
			"00081155": map[string]any{"vr": "UI", "Value": []string{u}},
			"00081197": map[string]any{"vr": "US", "Value": []int{code}},
		})
	}
	ds := map[string]any{"00081198": map[string]any{"vr": "SQ"}, "00081199": map[string]any{"vr": "SQ"}}
	if len(ref) > 0 {
		ds["00081199"] = map[string]any{"vr": "SQ", "Value": ref}
	}
	if len(fail) > 0 {
		ds["00081198"] = map[string]any{"vr": "SQ", "Value": fail}
	}
	b, _ := json.Marshal(ds)
	return string(b)
}

func (f *fakeSTOW) uploader(srv *httptest.Server, st UploadStore) *Uploader {
	return &Uploader{
		Base: srv.URL + "/dicom-web/", Client: srv.Client(), Store: st, Backoff: time.Millisecond, MaxAttempts: 3,
		Authorize: func(r *http.Request) { r.SetBasicAuth(f.user, f.password) },
	}
}

func (f *fakeSTOW) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func TestUploadAllStored(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.10", 2, 5, 1000)
	f, srv := newFakeSTOW(t)
	st := newMemStore()
	up := f.uploader(srv, st)
	up.BatchBytes = 5000 // a few images per request
	var progress []UploadProgress
	var mu sync.Mutex
	up.Progress = func(p UploadProgress) {
		mu.Lock()
		progress = append(progress, p)
		mu.Unlock()
	}
	sum, err := up.Upload(context.Background(), UploadRequest{
		OrderID: 1, Patient: orderPatient(), Studies: studies,
		Descriptions: map[string]string{studies[0].UID: "CT head"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := enText(sum); got != "10 images in 2 studies were uploaded and shared." {
		t.Errorf("summary %q", got)
	}
	if sum.Images != 10 || sum.Studies != 2 || len(sum.StoredStudies) != 2 || sum.Requests != f.count() || f.count() < 3 {
		t.Errorf("summary %+v, %d requests", sum, f.count())
	}
	for i, n := range f.lengths {
		if n > up.BatchBytes && len(f.requests[i]) > 1 {
			t.Errorf("request %d is %d bytes, more than %d", i, n, up.BatchBytes)
		}
	}
	for u, n := range f.received {
		if n != 1 {
			t.Errorf("%s received %d times", u, n)
		}
	}
	if st.studies[studies[0].UID] != "CT head" || st.studies[studies[1].UID] != "TEST STUDY" {
		t.Errorf("descriptions %v", st.studies)
	}
	last := progress[len(progress)-1]
	if last.Files != 10 || last.TotalFiles != 10 || last.Bytes != last.TotalBytes || last.TotalBytes != studies[0].Size+studies[1].Size {
		t.Errorf("last progress %+v", last)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i].Files < progress[i-1].Files {
			t.Errorf("progress went back: %+v then %+v", progress[i-1], progress[i])
		}
	}

	// Again: everything is confirmed, nothing is sent.
	before := f.count()
	sum, err = up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if err != nil || f.count() != before || sum.Already != 10 || !sum.OK() {
		t.Errorf("second upload: %v, %d requests, %+v", err, f.count()-before, sum)
	}
}

// A server that answers 200 and stores nothing is detected, retried a bounded number of times,
// and named in the summary.
func TestUploadEmpty200(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.11", 1, 3, 100)
	f, srv := newFakeSTOW(t)
	f.decide = func(int, []string) (int, []string, map[string]int) { return http.StatusOK, nil, nil }
	st := newMemStore()
	sum, err := f.uploader(srv, st).Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, ErrNotStored) || !errors.Is(sum.Err, ErrNotStored) {
		t.Fatalf("err %v", err)
	}
	if f.count() != 3 {
		t.Errorf("%d requests, want 3 (MaxAttempts)", f.count())
	}
	text := enText(sum)
	for _, want := range []string{"without storing 3 images it was sent (200 with nothing stored)", "0 of 3 images", "answered OK (HTTP 200) but stored nothing"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary %q lacks %q", text, want)
		}
	}
	if len(sum.Failed) != 3 || sum.Images != 0 {
		t.Errorf("failed %v", sum.Failed)
	}
	if s := st.states(); s[StateConfirmed] != 0 || s[StateSent] != 3 {
		t.Errorf("states %v", s)
	}
}

// When the server stores only part of a request, only the missing images are sent again.
func TestUploadPartialResendsOnlyMissing(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.12", 1, 8, 100)
	f, srv := newFakeSTOW(t)
	f.decide = func(n int, uids []string) (int, []string, map[string]int) {
		if n == 0 {
			// First request: stores the even ones, says nothing about the others.
			var keep []string
			for i, u := range uids {
				if i%2 == 0 {
					keep = append(keep, u)
				}
			}
			return http.StatusOK, keep, nil
		}
		return http.StatusOK, uids, nil
	}
	st := newMemStore()
	sum, err := f.uploader(srv, st).Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if err != nil {
		t.Fatalf("%v: %s", err, enText(sum))
	}
	if len(f.requests) != 2 || len(f.requests[0]) != 8 || len(f.requests[1]) != 4 {
		t.Fatalf("requests %v", f.requests)
	}
	for _, u := range f.requests[1] {
		if slices.Index(f.requests[0], u)%2 == 0 {
			t.Errorf("%s was stored by the first request, yet sent again", u)
		}
	}
	if sum.Images != 8 || enText(sum) != "8 images in 1 study were uploaded and shared." {
		t.Errorf("summary %q", enText(sum))
	}
}

// A server that stored a request but whose answer was lost (a gateway error here) is asked by
// QIDO before anything is sent again: nothing is delivered twice.
func TestUploadAnswerLostAsksBeforeResending(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.22", 2, 3, 100)
	f, srv := newFakeSTOW(t)
	f.storeAll = true
	f.decide = func(n int, uids []string) (int, []string, map[string]int) {
		if n == 0 {
			return http.StatusGatewayTimeout, nil, nil
		}
		return http.StatusOK, uids, nil
	}
	up := f.uploader(srv, newMemStore())
	up.BatchBytes = 3000 // two requests
	sum, err := up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if err != nil || sum.Images != 6 {
		t.Fatalf("%v: %s", err, enText(sum))
	}
	if f.count() != 2 {
		t.Errorf("%d requests, want 2: %v", f.count(), f.requests)
	}
	for u, n := range f.received {
		if n != 1 {
			t.Errorf("%s received %d times", u, n)
		}
	}
}

func TestUploadFailureCodes(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.13", 1, 4, 100)
	f, srv := newFakeSTOW(t)
	f.decide = func(n int, uids []string) (int, []string, map[string]int) {
		if n == 0 {
			// 202: one stored, one transfer syntax not supported (final), one out of
			// resources (retried), one duplicate (the server has it).
			return http.StatusAccepted, uids[:1], map[string]int{uids[1]: 0xC122, uids[2]: 0xA700, uids[3]: 0x0111}
		}
		return http.StatusOK, uids, nil
	}
	st := newMemStore()
	sum, err := f.uploader(srv, st).Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("err %v", err)
	}
	if len(f.requests) != 2 || len(f.requests[1]) != 1 || f.requests[1][0] != f.requests[0][2] {
		t.Errorf("requests %v", f.requests)
	}
	if sum.Images != 3 || len(sum.Failed) != 1 || sum.Failed[0].Reason.Code != FailRefused || !strings.Contains(fmt.Sprint(sum.Failed[0].Reason.Arg("reason")), "transfer syntax not supported") {
		t.Errorf("summary %+v", sum)
	}
	if !strings.Contains(enText(sum), "3 of 4 images") || !strings.Contains(enText(sum), "transfer syntax not supported (0xC122)") {
		t.Errorf("text %q", enText(sum))
	}
}

func TestUploadSignIn(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.14", 1, 2, 100)
	f, srv := newFakeSTOW(t)
	up := f.uploader(srv, newMemStore())
	up.Authorize = func(r *http.Request) { r.SetBasicAuth("u", "wrong") }
	sum, err := up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, ErrSignIn) || !strings.Contains(enText(sum), "sign in again") {
		t.Fatalf("err %v, text %q", err, enText(sum))
	}
	if sum.Requests != 1 {
		t.Errorf("%d requests after a 401", sum.Requests)
	}
}

func TestUploadServerErrorsRetried(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.15", 1, 2, 100)
	f, srv := newFakeSTOW(t)
	f.decide = func(n int, uids []string) (int, []string, map[string]int) {
		if n < 2 {
			return http.StatusServiceUnavailable, nil, nil
		}
		return http.StatusOK, uids, nil
	}
	sum, err := f.uploader(srv, newMemStore()).Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if err != nil || f.count() != 3 || !sum.OK() {
		t.Fatalf("err %v, %d requests, %s", err, f.count(), enText(sum))
	}

	// Always 503: bounded, and the summary says to try later.
	f.decide = func(int, []string) (int, []string, map[string]int) { return http.StatusBadGateway, nil, nil }
	studies = makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.16", 1, 2, 100)
	before := f.count()
	sum, err = f.uploader(srv, newMemStore()).Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, ErrServer) || f.count()-before != 3 || !strings.Contains(enText(sum), "Try again later") {
		t.Fatalf("err %v, %d requests, %s", err, f.count()-before, enText(sum))
	}

	// Nobody listening: a network error, bounded too.
	srv2 := httptest.NewServer(http.NotFoundHandler())
	srv2.Close()
	up := f.uploader(srv2, newMemStore())
	sum, err = up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, ErrNetwork) || !strings.Contains(enText(sum), "try again later") {
		t.Fatalf("err %v, %s", err, enText(sum))
	}
}

// A study whose patient does not match the order's is refused, before anything is sent,
// until the store holds the user's confirmation for it.
func TestUploadMismatchNeedsConfirmation(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.17", 1, 2, 100)
	other := makeStudies(t, PatientInfo{Name: "ROE^RICHARD", ID: "X9", BirthDate: "19500505"}, "1.2.826.0.1.3680043.8.498.18", 1, 2, 100)
	f, srv := newFakeSTOW(t)
	st := newMemStore()
	up := f.uploader(srv, st)
	sel := append(slices.Clone(studies), other...)
	sum, err := up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: sel})
	var ce *ConfirmationError
	if !errors.As(err, &ce) || !errors.Is(err, ErrNeedsConfirmation) || f.count() != 0 {
		t.Fatalf("err %v, %d requests", err, f.count())
	}
	// Two patients in the selection: both studies are flagged.
	if len(ce.Problems) != 2 || !strings.Contains(enText(sum), "Nothing was sent") {
		t.Errorf("problems %+v, text %q", ce.Problems, enText(sum))
	}
	if strings.Contains(err.Error(), "ROE") || strings.Contains(enText(sum), "ROE") {
		t.Errorf("patient data in the error or summary: %v / %s", err, enText(sum))
	}
	// The matching study alone goes.
	if _, err := up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies}); err != nil {
		t.Fatal(err)
	}
	// Confirmed, the other one goes too.
	st.confirms[other[0].UID] = "the patient's maiden name"
	st.confirms[studies[0].UID] = "ours"
	sum, err = up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: sel})
	if err != nil || sum.Images != 4 || sum.Already != 2 {
		t.Fatalf("err %v, %+v", err, sum)
	}
}

// A restart resumes: confirmed images are never sent again, and images whose answer was lost
// are looked up on the server first.
func TestUploadResume(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.19", 1, 6, 100)
	f, srv := newFakeSTOW(t)
	st := newMemStore()
	files := studies[0].Files()
	var plan PlannedStudy
	plan.UID = studies[0].UID
	for _, in := range files {
		plan.Instances = append(plan.Instances, PlannedInstance{SOPInstanceUID: in.SOPInstanceUID, Size: in.Size})
	}
	_ = st.PlanImageUpload(context.Background(), 1, []PlannedStudy{plan})
	// 0, 1 confirmed; 2, 3 sent and on the server (answer lost); 4 sent, not on the server; 5 pending.
	for i := range 5 {
		st.recs[files[i].SOPInstanceUID].State = StateSent
	}
	st.recs[files[0].SOPInstanceUID].State = StateConfirmed
	st.recs[files[1].SOPInstanceUID].State = StateConfirmed
	for i := range 4 {
		f.stored[files[i].SOPInstanceUID] = true
	}
	sum, err := f.uploader(srv, st).Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.requests) != 1 || !slices.Equal(f.requests[0], []string{files[4].SOPInstanceUID, files[5].SOPInstanceUID}) {
		t.Errorf("requests %v", f.requests)
	}
	if sum.Already != 4 || sum.Images != 6 {
		t.Errorf("summary %+v", sum)
	}
}

func TestUploadCancel(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.20", 1, 2, 100)
	got := make(chan struct{}, 1)
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case got <- struct{}{}:
		default:
		}
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	st := newMemStore()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-got
		cancel()
	}()
	up := &Uploader{Base: srv.URL, Store: st}
	done := make(chan struct{})
	var sum UploadSummary
	var err error
	go func() {
		sum, err = up.Upload(ctx, UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Upload did not return after cancel")
	}
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(enText(sum), "Upload cancelled;") {
		t.Fatalf("err %v, text %q", err, enText(sum))
	}
	if s := st.states(); s[StateSent] != 2 {
		t.Errorf("states %v: a request cut short leaves its images 'sent', to be looked up on resume", s)
	}
}

// A file removed after the scan is reported, the others still go.
func TestUploadFileGone(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.21", 1, 3, 100)
	f, srv := newFakeSTOW(t)
	gone := studies[0].Series[0].Instances[1]
	writeFile(t, gone.Path, []byte("short"))
	sum, err := f.uploader(srv, newMemStore()).Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, ErrFiles) || sum.Images != 2 || len(sum.Failed) != 1 || sum.Failed[0].Path != gone.Path {
		t.Fatalf("err %v, %+v", err, sum)
	}
	if !strings.Contains(enText(sum), "changed since it was scanned") {
		t.Errorf("text %q", enText(sum))
	}
}

func TestSelectStudies(t *testing.T) {
	ps := []Patient{{Studies: []Study{{UID: "1"}, {UID: "2"}}}, {Studies: []Study{{UID: "3"}}}}
	all, missing := SelectStudies(ps, nil)
	if len(all) != 3 || len(missing) != 0 {
		t.Errorf("all: %v %v", all, missing)
	}
	some, missing := SelectStudies(ps, []string{"3", "9", "1"})
	if len(some) != 2 || some[0].UID != "1" || some[1].UID != "3" || !slices.Equal(missing, []string{"9"}) {
		t.Errorf("some: %v %v", some, missing)
	}
}

func TestStudyWithSeries(t *testing.T) {
	s := Study{UID: "1", Instances: 3, Size: 30, Modalities: []string{"CT", "SR"}, Series: []Series{
		{UID: "1.1", Modality: "CT", Size: 20, Instances: []Instance{{SOPInstanceUID: "a"}, {SOPInstanceUID: "b"}}},
		{UID: "1.2", Modality: "SR", Size: 10, Instances: []Instance{{SOPInstanceUID: "c"}}},
	}}
	got := s.WithSeries("1.1")
	if got.Instances != 2 || got.Size != 20 || !slices.Equal(got.Modalities, []string{"CT"}) || len(got.Files()) != 2 || s.Instances != 3 {
		t.Errorf("%+v", got)
	}
}
