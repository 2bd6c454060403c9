package fhir

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const clientSecret = "tok-never-logged"

func testClient(srv *httptest.Server, path string) *Client {
	return &Client{
		Base:      srv.URL + path,
		HTTP:      srv.Client(),
		Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+clientSecret) },
	}
}

type seen struct {
	mu   sync.Mutex
	reqs []*http.Request
	body []string
}

func (s *seen) add(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
	s.body = append(s.body, string(b))
}

func TestClientPutBinary(t *testing.T) {
	var got seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.add(r)
		id := strings.TrimPrefix(r.URL.Path, "/fhir/Binary/")
		if r.Method == http.MethodPost {
			id = "new1"
		}
		w.Header().Set("Location", "Binary/"+id+"/_history/1")
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	c := testClient(srv, "/fhir/")
	body := strings.NewReader("%PDF-1.4 hello")
	if err := c.PutBinary(context.Background(), "b-1", "application/pdf", body, int64(body.Len())); err != nil {
		t.Fatal(err)
	}
	r := got.reqs[0]
	if r.Method != http.MethodPut || r.URL.Path != "/fhir/Binary/b-1" || r.Header.Get("Content-Type") != "application/pdf" ||
		r.ContentLength != 14 || r.Header.Get("Authorization") != "Bearer "+clientSecret || got.body[0] != "%PDF-1.4 hello" {
		t.Errorf("request = %s %s %v len %d body %q", r.Method, r.URL.Path, r.Header, r.ContentLength, got.body[0])
	}
	if err := c.PutBinary(context.Background(), "bad id", "x/y", strings.NewReader(""), 0); err == nil {
		t.Error("bad id accepted")
	}

	// A FHIR JSON content type would be parsed as a Binary resource: sent as octet-stream.
	id, err := c.PostBinary(context.Background(), "application/fhir+json", strings.NewReader("{}"), 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.reqs[1].Header.Get("Content-Type") != "application/octet-stream" || id != "new1" {
		t.Errorf("PostBinary: content type %q, id %q", got.reqs[1].Header.Get("Content-Type"), id)
	}
}

func TestClientCreateIfNoneExist(t *testing.T) {
	var got seen
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.add(r)
		calls++
		w.Header().Set("Location", "http://elsewhere.example/fhir/DocumentReference/doc-1/_history/1")
		if calls == 1 {
			w.WriteHeader(http.StatusCreated)
		} else {
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	c := testClient(srv, "/fhir")
	docs, err := DocumentReferences(testSubmission(t))
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	for i, wantCreated := range []bool{true, false} {
		id, created, err := c.CreateIfNoneExist(context.Background(), d, IfNoneExist(d.Identifier[0]))
		if err != nil || id != "doc-1" || created != wantCreated {
			t.Errorf("call %d: id %q created %v err %v", i+1, id, created, err)
		}
	}
	r := got.reqs[0]
	if r.URL.Path != "/fhir/DocumentReference" || r.Header.Get("If-None-Exist") != IfNoneExist(d.Identifier[0]) ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/fhir+json") {
		t.Errorf("request = %s %v", r.URL.Path, r.Header)
	}
	var back DocumentReference
	if err := json.Unmarshal([]byte(got.body[0]), &back); err != nil || back.Identifier[0] != d.Identifier[0] {
		t.Errorf("body did not round-trip: %v", err)
	}
}

func TestClientTransaction(t *testing.T) {
	req := mustBundle(t, testSubmission(t))
	var got seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.add(r)
		resp := Bundle{ResourceType: "Bundle", Type: "transaction-response"}
		for _, e := range req.Entry {
			resp.Entry = append(resp.Entry, BundleEntry{Response: &BundleResponse{Status: "201 Created", Location: e.Resource.FHIRType() + "/x-" + e.Resource.FHIRType() + "/_history/1"}})
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		_ = json.NewEncoder(w).Encode(resp)
	}))
	defer srv.Close()
	ids, err := testClient(srv, "/fhir/R4/").Transaction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if ids["ServiceRequest"] != "x-ServiceRequest" || len(ids) != len(req.Entry) {
		t.Errorf("ids = %v", ids)
	}
	if p := got.reqs[0].URL.Path; p != "/fhir/R4" || got.reqs[0].Method != http.MethodPost {
		t.Errorf("posted to %s %s, want POST /fhir/R4", got.reqs[0].Method, p)
	}
	if !strings.Contains(got.body[0], "Diseases & Cardiac") {
		t.Error("the bundle is sent with HTML escaping")
	}
}

func TestClientStatusErrors(t *testing.T) {
	code := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.Header().Set("Content-Type", "application/fhir+json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","details":{"text":"Invalid birthDate 1970-13-01"}}]}`))
	}))
	defer srv.Close()
	c := testClient(srv, "/fhir")
	for _, tt := range []struct {
		code int
		want error
	}{
		{400, ErrRejected},
		{422, ErrRejected},
		{412, ErrRejected},
		{401, ErrUnauthorized},
		{403, ErrUnauthorized},
		{429, ErrRetryable},
		{408, ErrRetryable},
		{500, ErrRetryable},
		{503, ErrRetryable},
	} {
		code = tt.code
		_, err := c.Search(context.Background(), "Patient", url.Values{"name": {"Doe"}})
		var se *StatusError
		if !errors.Is(err, tt.want) || !errors.As(err, &se) {
			t.Errorf("%d: %v, want %v", tt.code, err, tt.want)
			continue
		}
		n := 0
		for _, e := range []error{ErrRejected, ErrUnauthorized, ErrRetryable} {
			if errors.Is(err, e) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d matches %d classes", tt.code, n)
		}
		if se.RetryAfter != 7*time.Second || se.Outcome != "Invalid birthDate 1970-13-01" {
			t.Errorf("%d: retry %v outcome %q", tt.code, se.RetryAfter, se.Outcome)
		}
		// Neither the outcome (patient data), the query (patient data) nor the secret in Error().
		for _, leak := range []string{"1970-13-01", "Doe", clientSecret} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%d: error message leaks %q: %v", tt.code, leak, err)
			}
		}
	}
	if d := retryAfter(time.Date(2030, 1, 1, 0, 1, 0, 0, time.UTC).Format(http.TimeFormat), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); d != time.Minute {
		t.Errorf("Retry-After date = %v", d)
	}
}

func TestClientSearchPages(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/fhir+json")
		if r.URL.Query().Get("page") == "2" {
			_, _ = w.Write([]byte(`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Communication","id":"c2"}}],
"link":[{"relation":"next","url":"http://evil.example/fhir/Communication?page=3"}]}`))
			return
		}
		_, _ = w.Write([]byte(`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Communication","id":"c1"}}],
"link":[{"relation":"self","url":"x"},{"relation":"next","url":"` + srv.URL + `/fhir/Communication?page=2"}]}`))
	}))
	defer srv.Close()
	b, err := testClient(srv, "/fhir").Search(context.Background(), "Communication", CommunicationQuery("sr1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entry) != 2 {
		t.Errorf("%d entries, want 2 (the foreign next link is not followed)", len(b.Entry))
	}
}

func TestClientOpenCredentialsStayHome(t *testing.T) {
	var auth string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		_, _ = w.Write([]byte("elsewhere"))
	}))
	defer other.Close()
	var homeAuth, accept string
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		homeAuth, accept = r.Header.Get("Authorization"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF"))
	}))
	defer home.Close()
	c := testClient(home, "/fhir")

	body, ct, err := c.Open(context.Background(), "Binary/bin9")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(body)
	body.Close()
	if string(data) != "%PDF" || ct != "application/pdf" || homeAuth == "" || accept != "*/*" {
		t.Errorf("Open(Binary/bin9) = %q %q auth %q accept %q", data, ct, homeAuth, accept)
	}

	body, _, err = c.Open(context.Background(), other.URL+"/file.pdf")
	if err != nil {
		t.Fatal(err)
	}
	body.Close()
	if auth != "" {
		t.Errorf("credentials sent to another host: %q", auth)
	}
}
