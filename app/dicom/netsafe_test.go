package dicom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/netsafe"
)

// A server that keeps listing new instances page after page would hold the upload in its QIDO
// loop for ever; it is stopped at MaxQIDOPages.
func TestQueryInstancesBounded(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		if n > MaxQIDOPages+50 {
			// Old code would loop on: end it here so the test fails instead of hanging.
			http.Error(w, "enough", http.StatusServiceUnavailable)
			return
		}
		list := make([]map[string]any, qidoPage)
		for i := range list {
			list[i] = map[string]any{"00080018": map[string]any{"vr": "UI", "Value": []string{fmt.Sprintf("1.2.3.%d.%d", n, i)}}}
		}
		w.Header().Set("Content-Type", "application/dicom+json")
		_ = json.NewEncoder(w).Encode(list)
	}))
	defer srv.Close()
	_, err := QueryInstances(context.Background(), srv.Client(), srv.URL, nil, "1.2.3")
	if !errors.Is(err, ErrTooManyInstances) {
		t.Errorf("endless QIDO listing: %v, want ErrTooManyInstances", err)
	}
	if n := hits.Load(); n != MaxQIDOPages {
		t.Errorf("%d QIDO requests, want %d", n, MaxQIDOPages)
	}
}

// An oversize QIDO page is refused with a message instead of being read whole.
func TestQueryInstancesPageTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/dicom+json")
		_, _ = io.WriteString(w, `[{"00080018":{"vr":"UI","Value":["`)
		chunk := strings.Repeat("1", 1<<20)
		for range maxQIDOPageBytes>>20 + 1 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"]}}]`)
	}))
	defer srv.Close()
	_, err := QueryInstances(context.Background(), srv.Client(), srv.URL, nil, "1.2.3")
	if !errors.Is(err, netsafe.ErrTooLarge) || !strings.Contains(err.Error(), "larger than 33.6 MB") {
		t.Errorf("oversize QIDO page: %v", err)
	}
}

// A QIDO GET redirected from https to plain http does not take the password there.
func TestQueryInstancesRedirectToHTTP(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		_, _ = io.WriteString(w, "[]")
	}))
	defer plain.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	_, err := QueryInstances(context.Background(), srv.Client(), srv.URL, func(r *http.Request) { r.SetBasicAuth("clerk", "pw") }, "1.2.3")
	if !errors.Is(err, netsafe.ErrRedirect) {
		t.Errorf("QIDO through a redirect to http: %v, want ErrRedirect", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) != 0 {
		t.Errorf("the plain http server got %d request(s), Authorization %q", len(auth), auth)
	}
}

// A STOW-RS POST (images with patient data) answered with a 307 to another server is not
// re-sent there, and the upload stops with the reason instead of retrying the same redirect.
func TestUploadRedirectElsewhere(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.31", 1, 2, 100)
	var got atomic.Int64
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got.Add(n + 1)
		_, _ = io.WriteString(w, "{}")
	}))
	defer other.Close()
	var posts atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	up := &Uploader{
		Base: srv.URL + "/dicom-web", Client: srv.Client(), Store: newMemStore(), Backoff: time.Millisecond, MaxAttempts: 3,
		Authorize: func(r *http.Request) { r.SetBasicAuth("clerk", "pw") },
	}
	sum, err := up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, ErrNoDICOMweb) || !strings.Contains(enText(sum), "another address") {
		t.Errorf("STOW redirected elsewhere: %v, want ErrNoDICOMweb (%q)", err, enText(sum))
	}
	if n := got.Load(); n != 0 {
		t.Errorf("the other server received %d bytes", n-1)
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("%d POSTs to the redirecting server, want 1 (a redirect is not retried)", n)
	}
}

// An upload to a plain http address that is not this computer never starts.
func TestUploadRefusesPlainHTTP(t *testing.T) {
	studies := makeStudies(t, testPatient, "1.2.826.0.1.3680043.8.498.32", 1, 1, 100)
	up := &Uploader{Base: "http://pacs.example.invalid/dicom-web", Store: newMemStore()}
	_, err := up.Upload(context.Background(), UploadRequest{OrderID: 1, Patient: orderPatient(), Studies: studies})
	if !errors.Is(err, netsafe.ErrInsecure) {
		t.Errorf("plain http DICOMweb address: %v, want ErrInsecure", err)
	}
}
