package fhir

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/referraldesk/referraldesk/app/netsafe"
)

// Classes of failed requests; a *StatusError matches exactly one of them with errors.Is. An error
// that is none of these (a network error, a cut connection) is worth retrying too.
var (
	// ErrUnauthorized: 401 or 403. Pause and ask the user to sign in again.
	ErrUnauthorized = errors.New("the FHIR server refused the credentials")
	// ErrRejected: the server refused the content (400, 404, 409, 412, 422...). Retrying the same
	// request will not help; show the outcome and let the user fix the order.
	ErrRejected = errors.New("the FHIR server refused the request")
	// ErrRetryable: 408, 429 or 5xx. Retry later with backoff, honouring RetryAfter.
	ErrRetryable = errors.New("the FHIR server is temporarily unable to answer")
)

// StatusError is a non-2xx answer.
type StatusError struct {
	Method     string
	Path       string // relative to the base, without the query
	StatusCode int
	RetryAfter time.Duration // from a Retry-After header; 0 when absent
	// Outcome is the server's OperationOutcome in words. It may quote submitted patient data:
	// show it to the user, never log it. Error() leaves it out for that reason.
	Outcome string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fhir: %s %s: the server answered %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
}

// Is sorts the status into ErrUnauthorized, ErrRetryable or ErrRejected.
func (e *StatusError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrRetryable:
		return e.StatusCode == http.StatusRequestTimeout || e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
	case ErrRejected:
		return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusUnauthorized &&
			e.StatusCode != http.StatusForbidden && e.StatusCode != http.StatusRequestTimeout &&
			e.StatusCode != http.StatusTooManyRequests
	}
	return false
}

// Client talks to one FHIR R4 server. Make the HTTP client with creds.NewHTTPClient and set
// Authorize to creds.SetAuth with the account and its secret. Methods are safe for concurrent use.
type Client struct {
	Base      string       // FHIR base URL, e.g. https://fhir.example.org/R4
	HTTP      *http.Client // nil: a default client; either way netsafe's redirect and https policy applies
	Authorize func(*http.Request)
	UserAgent string // default "ReferralDesk"
}

const (
	fhirJSON = "application/fhir+json"
	// maxJSONBytes bounds a JSON answer read into memory.
	maxJSONBytes = 64 << 20
	// maxSearchPages bounds how many "next" pages Search follows.
	maxSearchPages = 50
	// maxSearchEntries bounds the entries Search gathers over all its pages.
	maxSearchEntries = 10000
)

// ErrTooManyResults: a search matched more than the caller's limit; narrow it down.
var ErrTooManyResults = errors.New("the search matched too many results")

func (c *Client) base() (*url.URL, error) {
	u, err := netsafe.CheckURL("the FHIR server address", strings.TrimRight(strings.TrimSpace(c.Base), "/")+"/")
	if err != nil {
		return nil, fmt.Errorf("fhir: %w", err)
	}
	return u, nil
}

// httpClient is c.HTTP (or a default) under netsafe's policy, whoever built it.
func (c *Client) httpClient() *http.Client { return netsafe.Harden(c.HTTP) }

// resolve turns a relative path ("Patient", "Binary/1", "Patient?x=y") or an absolute URL into a
// URL, and reports whether it is on the FHIR server (only then do credentials go with it).
func (c *Client) resolve(ref string) (*url.URL, bool, error) {
	base, err := c.base()
	if err != nil {
		return nil, false, err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return nil, false, fmt.Errorf("fhir: bad reference %q: %w", ref, err)
	}
	if ref == "" {
		b := *base
		b.Path = strings.TrimRight(b.Path, "/")
		return &b, true, nil
	}
	if r.IsAbs() {
		same := strings.EqualFold(r.Scheme, base.Scheme) && strings.EqualFold(r.Host, base.Host) &&
			strings.HasPrefix(r.Path, base.Path)
		return r, same, nil
	}
	return base.ResolveReference(&url.URL{Path: strings.TrimLeft(r.Path, "/"), RawQuery: r.RawQuery}), true, nil
}

// do sends one request to path (relative to the base, or an absolute URL on the server) and
// returns the response when it is 2xx; otherwise a *StatusError (the body consumed).
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, size int64, header http.Header) (*http.Response, error) {
	u, onServer, err := c.resolve(path)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("fhir: %s %s: %w", method, u.Path, err)
	}
	if body != nil && size >= 0 {
		req.ContentLength = size
		if size == 0 {
			req.Body = http.NoBody
		}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "ReferralDesk"
	}
	req.Header.Set("User-Agent", ua)
	if onServer && c.Authorize != nil {
		c.Authorize(req)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("fhir: %w", netsafe.RedactURL(err, shortPath(u)))
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	defer resp.Body.Close()
	se := &StatusError{Method: method, Path: shortPath(u), StatusCode: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	se.Outcome = OutcomeText(data)
	return nil, se
}

// shortPath is the URL path without the base, for messages (never the query: it may hold patient
// data in searches).
func shortPath(u *url.URL) string { return u.Path }

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func jsonHeader(extra ...string) http.Header {
	h := http.Header{"Accept": {fhirJSON}, "Content-Type": {fhirJSON + "; charset=utf-8"}}
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	return h
}

// encodeJSON is json.Marshal without escaping <, > and & (names like "Diseases & Surgery").
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// decodeJSON reads a FHIR JSON body.
func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	data, err := netsafe.ReadAll(resp.Body, maxJSONBytes, "the FHIR answer")
	if errors.Is(err, netsafe.ErrTooLarge) {
		return fmt.Errorf("fhir: %w: %w", err, ErrBadResponse)
	}
	if err != nil {
		return fmt.Errorf("fhir: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("fhir: the answer is not FHIR JSON (%v): %w", err, ErrBadResponse)
	}
	return nil
}

// idFromResponse is the id of a create/update answer: from Location (or Content-Location), else
// from the body's id.
func idFromResponse(resp *http.Response, wantType string) (string, error) {
	defer resp.Body.Close()
	for _, h := range []string{"Location", "Content-Location"} {
		if loc := resp.Header.Get(h); loc != "" {
			typ, id, _, err := ParseLocation(loc)
			if err != nil {
				return "", err
			}
			if typ != wantType {
				return "", fmt.Errorf("fhir: the server created a %s, not a %s: %w", typ, wantType, ErrBadResponse)
			}
			return id, nil
		}
	}
	var head struct {
		ResourceType string `json:"resourceType"`
		ID           string `json:"id"`
	}
	data, _ := netsafe.ReadAll(resp.Body, maxJSONBytes, "the FHIR answer")
	if err := json.Unmarshal(data, &head); err != nil || head.ID == "" || head.ResourceType != wantType {
		return "", fmt.Errorf("fhir: the answer gives no id for the new %s: %w", wantType, ErrBadResponse)
	}
	return head.ID, nil
}

// PutBinary uploads raw bytes as Binary/{id} (create or replace), streaming body; size is its
// length (-1 if unknown). With id from BinaryID, a retry after a crash replaces the same Binary
// instead of adding another. The body is not closed.
func (c *Client) PutBinary(ctx context.Context, id, contentType string, body io.Reader, size int64) error {
	if !ValidID(id) {
		return fmt.Errorf("fhir: %q is not a valid Binary id", id)
	}
	resp, err := c.do(ctx, http.MethodPut, "Binary/"+id, body, size, binaryHeader(contentType))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return nil
}

// PostBinary uploads raw bytes as a new Binary and returns its id. Prefer PutBinary with a stable
// id: a POST repeated after a crash leaves an orphan Binary behind.
func (c *Client) PostBinary(ctx context.Context, contentType string, body io.Reader, size int64) (string, error) {
	resp, err := c.do(ctx, http.MethodPost, "Binary", body, size, binaryHeader(contentType))
	if err != nil {
		return "", err
	}
	return idFromResponse(resp, "Binary")
}

func binaryHeader(contentType string) http.Header {
	if contentType == "" || isFHIRJSON(contentType) {
		// A FHIR JSON content type would make the server read the body as a Binary resource.
		contentType = "application/octet-stream"
	}
	return http.Header{"Content-Type": {contentType}, "Accept": {fhirJSON}, "Prefer": {"return=minimal"}}
}

func isFHIRJSON(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == fhirJSON || mt == "application/json+fhir"
}

// CreateIfNoneExist creates r unless a resource matching ifNoneExist (IfNoneExist(identifier))
// exists, and returns the id of the new or existing one; created tells which.
func (c *Client) CreateIfNoneExist(ctx context.Context, r Resource, ifNoneExist string) (id string, created bool, err error) {
	if ifNoneExist == "" {
		return "", false, fmt.Errorf("fhir: create %s: no If-None-Exist query", r.FHIRType())
	}
	data, err := encodeJSON(r)
	if err != nil {
		return "", false, fmt.Errorf("fhir: encode %s: %w", r.FHIRType(), err)
	}
	// No "Prefer: return=minimal": a server that finds an existing match may answer 200 without a
	// Location, and the body is then the only place the id is.
	h := jsonHeader("If-None-Exist", ifNoneExist)
	resp, err := c.do(ctx, http.MethodPost, r.FHIRType(), bytes.NewReader(data), int64(len(data)), h)
	if err != nil {
		return "", false, err
	}
	created = resp.StatusCode == http.StatusCreated
	id, err = idFromResponse(resp, r.FHIRType())
	if err == nil || created {
		return id, created, err
	}
	// An existing match without its id in the answer: look it up.
	q, perr := url.ParseQuery(ifNoneExist)
	if perr != nil {
		return "", false, err
	}
	found, serr := c.Search(ctx, r.FHIRType(), q)
	if serr != nil {
		return "", false, serr
	}
	if len(found.Entry) != 1 || found.Entry[0].Resource == nil || resourceID(found.Entry[0].Resource) == "" {
		return "", false, fmt.Errorf("fhir: the server says a %s exists but %d match: %w", r.FHIRType(), len(found.Entry), ErrBadResponse)
	}
	return resourceID(found.Entry[0].Resource), false, nil
}

// Transaction posts the transaction Bundle and returns the server id of each entry, by resource
// type (see TransactionIDs). The whole transaction fails or succeeds; a refused entry gives an
// error matching ErrRejected.
func (c *Client) Transaction(ctx context.Context, b *Bundle) (map[string]string, error) {
	data, err := encodeJSON(b)
	if err != nil {
		return nil, fmt.Errorf("fhir: encode bundle: %w", err)
	}
	// No "Prefer: return=minimal": the transaction-response Bundle is the answer we need.
	resp, err := c.do(ctx, http.MethodPost, "", bytes.NewReader(data), int64(len(data)), jsonHeader())
	if err != nil {
		return nil, err
	}
	var out Bundle
	if err := decodeJSON(resp, &out); err != nil {
		return nil, err
	}
	return TransactionIDs(b, &out)
}

// Search runs resourceType?query and returns every match in one Bundle, following "next" links
// (on the same server) up to 50 pages and 10,000 entries; more than that fails with
// ErrTooManyResults.
func (c *Client) Search(ctx context.Context, resourceType string, query url.Values) (*Bundle, error) {
	return c.SearchPages(ctx, resourceType, query, maxSearchPages)
}

// SearchPages is Search reading at most maxPages pages (and 10,000 entries): a search that has
// more fails with ErrTooManyResults, so that an over-broad query is narrowed instead of pulling a
// whole registry.
func (c *Client) SearchPages(ctx context.Context, resourceType string, query url.Values, maxPages int) (*Bundle, error) {
	path := resourceType
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	var all *Bundle
	for page := 0; path != ""; page++ {
		if page >= maxPages || (all != nil && len(all.Entry) >= maxSearchEntries) {
			n := 0
			if all != nil {
				n = len(all.Entry)
			}
			return nil, fmt.Errorf("fhir: search %s: more than %d matches in %d pages: %w", resourceType, n, page, ErrTooManyResults)
		}
		resp, err := c.do(ctx, http.MethodGet, path, nil, -1, http.Header{"Accept": {fhirJSON}})
		if err != nil {
			return nil, err
		}
		var b Bundle
		if err := decodeJSON(resp, &b); err != nil {
			return nil, err
		}
		if b.ResourceType != "Bundle" {
			return nil, fmt.Errorf("fhir: search %s answered with a %s: %w", resourceType, b.ResourceType, ErrBadResponse)
		}
		if all == nil {
			all = &b
		} else {
			all.Entry = append(all.Entry, b.Entry...)
		}
		path = ""
		for _, l := range b.Link {
			if l.Relation == "next" && l.URL != "" {
				if _, onServer, err := c.resolve(l.URL); err == nil && onServer {
					path = l.URL
				}
			}
		}
	}
	all.Link = nil
	return all, nil
}

// Read fetches one resource.
func (c *Client) Read(ctx context.Context, resourceType, id string) (Resource, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("fhir: %q is not a valid resource id", id)
	}
	resp, err := c.do(ctx, http.MethodGet, resourceType+"/"+id, nil, -1, http.Header{"Accept": {fhirJSON}})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := netsafe.ReadAll(resp.Body, maxJSONBytes, "the "+resourceType)
	if err != nil {
		return nil, fmt.Errorf("fhir: %w", err)
	}
	return DecodeResource(data)
}

// Open downloads an attachment URL (File.URL): "Binary/123" relative to the base, or absolute.
// Credentials go only to the FHIR server itself. The caller closes the body; contentType is the
// server's Content-Type.
func (c *Client) Open(ctx context.Context, ref string) (body io.ReadCloser, contentType string, err error) {
	resp, err := c.do(ctx, http.MethodGet, ref, nil, -1, http.Header{"Accept": {"*/*"}})
	if err != nil {
		return nil, "", err
	}
	return resp.Body, resp.Header.Get("Content-Type"), nil
}
