package synctest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// SMARTPeer is the FHIR test server started with --smart: an oidc-provider authorization server in
// front, every FHIR request checked for a JWT access token it issued.
type SMARTPeer struct {
	FHIRPeer
	Issuer   string
	ClientID string // the registered public native client
}

// StartSMART starts the FHIR test server in SMART mode with access tokens living ttl seconds.
func StartSMART(t *testing.T, repoRoot string, ttl int) *SMARTPeer {
	t.Helper()
	p := &SMARTPeer{ClientID: "referraldesk-test"}
	p.AdminToken = RandHex(12)
	lines := startNode(t, repoRoot, "SMART",
		[]string{"--port", "0", "--smart", "--smart-client-id", p.ClientID, "--smart-token-ttl", strconv.Itoa(ttl)},
		[]string{"FHIR_ADMIN_TOKEN=" + p.AdminToken}, &p.cmd)
	p.Base, p.Issuer = lines["FHIR_READY"], lines["SMART_ISSUER"]
	return p
}

// RegisterBackend registers a Backend Services client with its public JWKS at the provider (dynamic
// client registration with the admin token), as an institution's administrator would.
func (p *SMARTPeer) RegisterBackend(t *testing.T, clientID string, jwks []byte) {
	t.Helper()
	var keys any
	if err := json.Unmarshal(jwks, &keys); err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	body, _ := json.Marshal(map[string]any{
		"client_id": clientID, "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "ES384",
		"grant_types": []string{"client_credentials"}, "response_types": []string{}, "redirect_uris": []string{}, "jwks": keys,
	})
	req, _ := http.NewRequest(http.MethodPost, p.Issuer+"/reg", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+p.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("registering the backend client: %d %s", resp.StatusCode, data)
	}
}

// Browser is a scripted user agent for the provider's development login and consent pages: it follows
// redirects with a cookie jar, fills the login form with User, and confirms (or, with Refuse, cancels)
// the consent. The final redirect to the app's loopback address is delivered as is, or with a forged
// state when ForgeState is set. Use Open as the sign-in's OpenBrowser hook.
type Browser struct {
	User       string
	Refuse     bool
	ForgeState bool
	Pages      int // pages seen (for assertions)
}

var (
	formRe  = regexp.MustCompile(`(?s)<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>(.*?)</form>`)
	inputRe = regexp.MustCompile(`<input[^>]*>`)
	nameRe  = regexp.MustCompile(`name="([^"]+)"`)
	valueRe = regexp.MustCompile(`value="([^"]*)"`)
	abortRe = regexp.MustCompile(`href="([^"]*/abort)"`)
)

func (b *Browser) Open(start string) error {
	jar, _ := cookiejar.New(nil)
	var callback *url.URL
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Hostname() == "127.0.0.1" && req.URL.Path == "/callback" {
			callback = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(start)
	for i := 0; err == nil && callback == nil && i < 10; i++ {
		b.Pages++
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		page := string(body)
		if b.Refuse {
			if m := abortRe.FindStringSubmatch(page); m != nil {
				resp, err = c.Get(resolve(resp.Request.URL, html.UnescapeString(m[1])))
				continue
			}
		}
		m := formRe.FindStringSubmatch(page)
		if m == nil {
			return fmt.Errorf("browser: no form on the page at %s (status %d): %.300s", resp.Request.URL.Path, resp.StatusCode, page)
		}
		form := url.Values{}
		for _, in := range inputRe.FindAllString(m[2], -1) {
			name, value := nameRe.FindStringSubmatch(in), valueRe.FindStringSubmatch(in)
			if name == nil {
				continue
			}
			v := ""
			if value != nil {
				v = html.UnescapeString(value[1])
			}
			form.Set(name[1], v)
		}
		if _, ok := form["login"]; ok {
			form.Set("login", b.User)
			form.Set("password", "any")
		}
		resp, err = c.PostForm(resolve(resp.Request.URL, html.UnescapeString(m[1])), form)
	}
	if err != nil {
		return fmt.Errorf("browser: %w", err)
	}
	resp.Body.Close()
	if callback == nil {
		return errors.New("browser: the provider never sent the browser back to the app")
	}
	if b.ForgeState {
		q := callback.Query()
		q.Set("state", "forged-"+RandHex(8))
		callback.RawQuery = q.Encode()
	}
	r, err := http.Get(callback.String())
	if err != nil {
		return fmt.Errorf("browser: deliver the redirect: %w", err)
	}
	r.Body.Close()
	return nil
}

func resolve(base *url.URL, ref string) string {
	u, err := base.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}
