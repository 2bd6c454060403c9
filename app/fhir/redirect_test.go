package fhir

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/referraldesk/referraldesk/app/netsafe"
)

// redirectTo is an https FHIR server that answers everything with a 307 to target (same path).
func redirectTo(t *testing.T, target string) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A 307 from the https FHIR server to plain http must not carry the token there, on a GET (a
// read) or a POST (a transaction).
func TestClientRedirectToHTTPKeepsCredentials(t *testing.T) {
	var plain seen
	plainSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plain.add(r)
		w.Header().Set("Content-Type", fhirJSON)
		_, _ = w.Write([]byte(`{"resourceType":"Patient","id":"p1"}`))
	}))
	defer plainSrv.Close()
	c := testClient(redirectTo(t, plainSrv.URL), "/fhir")
	ctx := context.Background()

	_, rerr := c.Read(ctx, "Patient", "p1")
	_, terr := c.Transaction(ctx, &Bundle{ResourceType: "Bundle", Type: "transaction"})
	for what, err := range map[string]error{"GET": rerr, "POST": terr} {
		if !errors.Is(err, netsafe.ErrRedirect) {
			t.Errorf("%s redirected to http: %v, want ErrRedirect", what, err)
		}
	}
	plain.mu.Lock()
	defer plain.mu.Unlock()
	for _, r := range plain.reqs {
		t.Errorf("plain http server got %s %s with Authorization %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
	}
}

// A search redirected elsewhere fails with a message that does not quote the query (it holds the
// patient's name).
func TestClientRedirectMessageWithoutQuery(t *testing.T) {
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer other.Close()
	c := testClient(redirectTo(t, other.URL), "/fhir")
	_, err := c.Search(context.Background(), "Patient", url.Values{"family": {"Zwicklbauer"}})
	if !errors.Is(err, netsafe.ErrRedirect) || strings.Contains(err.Error(), "Zwicklbauer") {
		t.Errorf("redirected search: %v", err)
	}
}

// A transaction (patient data) redirected to another server is not re-sent there.
func TestClientTransactionRedirectElsewhere(t *testing.T) {
	var other seen
	elsewhere := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(r)
		w.Header().Set("Content-Type", fhirJSON)
		_, _ = w.Write([]byte(`{"resourceType":"Bundle","type":"transaction-response"}`))
	}))
	defer elsewhere.Close()
	c := testClient(redirectTo(t, elsewhere.URL), "/fhir")
	b := &Bundle{ResourceType: "Bundle", Type: "transaction", Entry: []BundleEntry{{Resource: &Patient{ResourceType: "Patient", Name: []HumanName{{Family: "Doe"}}}}}}
	if _, err := c.Transaction(context.Background(), b); !errors.Is(err, netsafe.ErrRedirect) {
		t.Errorf("transaction redirected elsewhere: %v, want ErrRedirect", err)
	}
	other.mu.Lock()
	defer other.mu.Unlock()
	if len(other.reqs) != 0 {
		t.Errorf("the other server got %d request(s), bodies %q", len(other.reqs), other.body)
	}
}

// A read moved on the same server is followed, with the credentials.
func TestClientSameOriginRedirectFollowed(t *testing.T) {
	var got seen
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/fhir/") {
			http.Redirect(w, r, "/R4/"+strings.TrimPrefix(r.URL.Path, "/fhir/"), http.StatusMovedPermanently)
			return
		}
		got.add(r)
		w.Header().Set("Content-Type", fhirJSON)
		_, _ = w.Write([]byte(`{"resourceType":"Patient","id":"p1"}`))
	}))
	defer srv.Close()
	res, err := testClient(srv, "/fhir").Read(context.Background(), "Patient", "p1")
	if err != nil {
		t.Fatalf("same-origin redirect: %v", err)
	}
	if p, ok := res.(*Patient); !ok || p.ID != "p1" {
		t.Errorf("read %#v", res)
	}
	got.mu.Lock()
	defer got.mu.Unlock()
	if len(got.reqs) != 1 || got.reqs[0].Header.Get("Authorization") != "Bearer "+clientSecret {
		t.Errorf("redirected read arrived %d time(s) without the token", len(got.reqs))
	}
}

// A plain http server that is not on this computer is refused before anything is sent.
func TestClientRefusesPlainHTTP(t *testing.T) {
	c := &Client{Base: "http://fhir.example.invalid/R4", Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }}
	_, err := c.Read(context.Background(), "Patient", "p1")
	if !errors.Is(err, netsafe.ErrInsecure) {
		t.Errorf("plain http base: %v, want ErrInsecure", err)
	}
}

// A search whose server always offers another page stops at the page limit with an error,
// instead of reading on (the registry search allows two pages).
func TestClientSearchPagesBounded(t *testing.T) {
	var hits atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Content-Type", fhirJSON)
		fmt.Fprintf(w, `{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Patient","id":"p%d"}}],
"link":[{"relation":"next","url":"%s/fhir/Patient?page=%d"}]}`, n, srv.URL, n+1)
	}))
	defer srv.Close()
	c := testClient(srv, "/fhir")
	_, err := c.SearchPages(context.Background(), "Patient", nil, 2)
	if !errors.Is(err, ErrTooManyResults) || hits.Load() != 2 {
		t.Errorf("SearchPages(2) on an endless search: %v after %d requests", err, hits.Load())
	}
	hits.Store(0)
	_, err = c.Search(context.Background(), "Patient", nil)
	if !errors.Is(err, ErrTooManyResults) || hits.Load() != maxSearchPages {
		t.Errorf("Search on an endless search: %v after %d requests", err, hits.Load())
	}
}

// An answer past the cap is refused with a message, not cut and misread.
func TestClientAnswerTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", fhirJSON)
		_, _ = w.Write([]byte(`{"resourceType":"Patient","id":"p1","text":{"div":"`))
		chunk := strings.Repeat("a", 1<<20)
		for range maxJSONBytes>>20 + 1 {
			if _, err := w.Write([]byte(chunk)); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`"}}`))
	}))
	defer srv.Close()
	_, err := testClient(srv, "/fhir").Read(context.Background(), "Patient", "p1")
	if !errors.Is(err, netsafe.ErrTooLarge) || !strings.Contains(err.Error(), "larger than 67.1 MB") {
		t.Errorf("oversize read: %v", err)
	}
}
