package netsafe_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/referraldesk/referraldesk/app/netsafe"
)

func TestCheckURL(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://fhir.example.org/R4", true},
		{"HTTPS://fhir.example.org:8443/R4", true},
		{"http://127.0.0.1:8080/fhir", true},
		{"http://127.8.9.10/fhir", true},
		{"http://[::1]:8080/fhir", true},
		{"http://localhost:8042/dicom-web", true},
		{"http://fhir.example.org/R4", false},
		{"http://10.0.0.5/fhir", false},
		{"http://localhost.example.org/fhir", false},
		{"http://128.0.0.1/fhir", false},
		{"ftp://fhir.example.org/", false},
		{"https:///nohost", false},
	} {
		_, err := netsafe.CheckURL("the FHIR server address", c.url)
		if (err == nil) != c.ok {
			t.Errorf("CheckURL(%q) = %v, want ok=%v", c.url, err, c.ok)
		}
	}
	_, err := netsafe.CheckURL("the FHIR server address", "http://fhir.example.org/R4")
	if !errors.Is(err, netsafe.ErrInsecure) || !strings.Contains(err.Error(), "must start with https://") ||
		!strings.Contains(err.Error(), "localhost, 127.0.0.1 or ::1") {
		t.Errorf("message for plain http: %v", err)
	}
}

// recorder is a server that records what reached it.
type recorder struct {
	mu     sync.Mutex
	hits   int
	auth   []string
	bodies []string
	srv    *httptest.Server
}

func newRecorder(t *testing.T, tls bool) *recorder {
	r := &recorder{}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.hits++
		r.auth = append(r.auth, req.Header.Get("Authorization"))
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
		_, _ = io.WriteString(w, "landed")
	})
	if tls {
		r.srv = httptest.NewTLSServer(h)
	} else {
		r.srv = httptest.NewServer(h)
	}
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hits
}

// redirector answers every request with code to target+path.
func redirector(t *testing.T, code int, target string) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		http.Redirect(w, req, target+req.URL.Path, code)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A 307 from https to plain http (same host) must not re-send the Authorization header in clear,
// for a GET or a POST. Go's own redirect rule keeps the header on the same host whatever the scheme.
func TestRedirectHTTPSToHTTPNotFollowed(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			plain := newRecorder(t, false)
			src := redirector(t, http.StatusTemporaryRedirect, plain.srv.URL)
			client := netsafe.Harden(src.Client())
			var body io.Reader
			if method == http.MethodPost {
				body = strings.NewReader(`{"resourceType":"Bundle"}`)
			}
			req, _ := http.NewRequest(method, src.URL+"/fhir/Patient", body)
			req.SetBasicAuth("clerk", "s3cret")
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("redirect to %s followed (status %d)", plain.srv.URL, resp.StatusCode)
			}
			if !errors.Is(err, netsafe.ErrRedirect) {
				t.Errorf("error %v does not match ErrRedirect", err)
			}
			if msg := netsafe.RedactURL(err, "the server").Error(); strings.Contains(msg, "s3cret") || strings.Contains(msg, "/fhir/Patient") {
				t.Errorf("message carries a secret or a path: %v", msg)
			}
			if n := plain.count(); n != 0 {
				t.Errorf("the plain http server got %d request(s), Authorization %q", n, plain.auth)
			}
		})
	}
}

// A POST redirected (307 keeps the body) to another server is not followed: the body never leaves.
func TestRedirectPostToOtherHostNotFollowed(t *testing.T) {
	other := newRecorder(t, true)
	src := redirector(t, http.StatusTemporaryRedirect, other.srv.URL)
	client := netsafe.Harden(src.Client()) // both test servers share one certificate: only the policy stops it
	req, _ := http.NewRequest(http.MethodPost, src.URL+"/fhir", bytes.NewReader([]byte(`{"name":"DOE, Jane"}`)))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("POST redirect to another server followed")
	}
	if !errors.Is(err, netsafe.ErrRedirect) {
		t.Errorf("error %v does not match ErrRedirect", err)
	}
	if n := other.count(); n != 0 {
		t.Errorf("the other server got %d request(s): bodies %q", n, other.bodies)
	}
}

// Same-origin redirects of a GET are followed with the credentials; of a POST they are not.
func TestRedirectSameOrigin(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/old" {
			http.Redirect(w, req, "/new", http.StatusFound)
			return
		}
		mu.Lock()
		auth = append(auth, req.Method+" "+req.Header.Get("Authorization"))
		mu.Unlock()
		_, _ = io.WriteString(w, "new")
	}))
	defer srv.Close()
	client := netsafe.Harden(srv.Client())
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/old", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("same-origin GET redirect: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "new" {
		t.Errorf("same-origin GET redirect: body %q", b)
	}
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/old", strings.NewReader("x"))
	if _, err = client.Do(req); !errors.Is(err, netsafe.ErrRedirect) {
		t.Errorf("same-origin POST redirect: %v, want ErrRedirect", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) != 1 || auth[0] != "GET Bearer tok" {
		t.Errorf("requests at /new: %q, want one GET with the token", auth)
	}
}

// A client that was never given the policy still cannot send to a plain http server elsewhere.
func TestTransportRefusesPlainHTTP(t *testing.T) {
	client := netsafe.Harden(nil)
	_, err := client.Get("http://fhir.example.invalid/R4/metadata")
	if !errors.Is(err, netsafe.ErrInsecure) {
		t.Fatalf("plain http to a remote host: %v, want ErrInsecure", err)
	}
	// Harden is idempotent: wrapping twice does not stack guards.
	if a, b := netsafe.Harden(client).Transport, client.Transport; a != b {
		t.Errorf("Harden wrapped its own transport again: %T", a)
	}
}

func TestReadAllCap(t *testing.T) {
	data, err := netsafe.ReadAll(strings.NewReader("12345"), 5, "the answer")
	if err != nil || string(data) != "12345" {
		t.Fatalf("at the cap: %q %v", data, err)
	}
	_, err = netsafe.ReadAll(strings.NewReader("123456"), 5, "the answer")
	if !errors.Is(err, netsafe.ErrTooLarge) || !strings.Contains(err.Error(), "the answer is larger than 5 bytes") {
		t.Fatalf("past the cap: %v", err)
	}
}

func TestDownload(t *testing.T) {
	dir := t.TempDir()
	path, n, err := netsafe.Download(strings.NewReader("%PDF-1.7 result"), dir, 1<<10, "the result")
	if err != nil || n != 15 {
		t.Fatalf("Download: %d %v", n, err)
	}
	if filepath.Dir(path) != dir {
		t.Errorf("temp file %s outside %s", path, dir)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	_ = os.Remove(path)

	_, _, err = netsafe.Download(io.LimitReader(zeros{}, 3<<20), dir, 2<<20, "the result")
	if !errors.Is(err, netsafe.ErrTooLarge) || !strings.Contains(err.Error(), "the result is larger than 2.1 MB") {
		t.Fatalf("oversize download: %v", err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("refused download left %d file(s) behind", len(left))
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
