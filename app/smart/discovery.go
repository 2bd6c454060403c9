// Package smart signs ReferralDesk in to FHIR servers that require OAuth 2.0 as profiled by SMART on
// FHIR: discovery, the standalone launch of a public native client (authorization code with PKCE in
// the system browser, loopback redirect), SMART Backend Services (client credentials with a signed JWT
// assertion), token renewal and revocation, and the http.RoundTripper that puts the access token on
// requests to the FHIR server.
//
// Refresh tokens and private keys live only in the OS keychain (creds.Keychain); access tokens only in
// memory. Nothing here logs, and no error message carries a token or key.
package smart

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// ErrNotSupported: the server offers no sign-in method this package supports.
var ErrNotSupported = errors.New("the server offers no SMART on FHIR sign-in ReferralDesk supports")

// Config is what discovery found (.well-known/smart-configuration, or the CapabilityStatement's
// oauth-uris extension).
type Config struct {
	Issuer                 string   `json:"issuer"`
	JWKSURI                string   `json:"jwks_uri"`
	AuthorizationEndpoint  string   `json:"authorization_endpoint"`
	TokenEndpoint          string   `json:"token_endpoint"`
	RevocationEndpoint     string   `json:"revocation_endpoint"`
	Capabilities           []string `json:"capabilities"`
	ScopesSupported        []string `json:"scopes_supported"`
	GrantTypes             []string `json:"grant_types_supported"`
	CodeChallengeMethods   []string `json:"code_challenge_methods_supported"`
	TokenAuthMethods       []string `json:"token_endpoint_auth_methods_supported"`
	TokenAuthSigningAlgs   []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	FromCapabilityStatment bool     `json:"-"` // found through the fallback (no issuer, no JWKS)
}

const maxDiscoveryBytes = 1 << 20

// Discover reads {base}/.well-known/smart-configuration and, when the server has none, the OAuth
// URIs in the security extension of {base}/metadata. Failures to connect come back as the
// *creds.CheckError of creds' transport classification (unreachable, TLS).
func Discover(ctx context.Context, client *http.Client, base string) (*Config, error) {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	var cfg Config
	status, err := getJSON(ctx, client, base+"/.well-known/smart-configuration", &cfg)
	if err != nil {
		return nil, err
	}
	if status == http.StatusOK && cfg.TokenEndpoint != "" {
		return &cfg, nil
	}
	var cs struct {
		ResourceType string `json:"resourceType"`
		Rest         []struct {
			Security struct {
				Extension []struct {
					URL       string `json:"url"`
					Extension []struct {
						URL      string `json:"url"`
						ValueURI string `json:"valueUri"`
					} `json:"extension"`
				} `json:"extension"`
			} `json:"security"`
		} `json:"rest"`
	}
	if status, err = getJSON(ctx, client, base+"/metadata", &cs); err != nil {
		return nil, err
	}
	if status == http.StatusOK {
		for _, r := range cs.Rest {
			for _, e := range r.Security.Extension {
				if !strings.HasSuffix(e.URL, "/StructureDefinition/oauth-uris") {
					continue
				}
				fb := Config{FromCapabilityStatment: true}
				for _, x := range e.Extension {
					switch x.URL {
					case "authorize":
						fb.AuthorizationEndpoint = x.ValueURI
					case "token":
						fb.TokenEndpoint = x.ValueURI
					case "revoke":
						fb.RevocationEndpoint = x.ValueURI
					}
				}
				if fb.TokenEndpoint != "" {
					return &fb, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("smart: %w: %s has no .well-known/smart-configuration and its CapabilityStatement names no OAuth endpoints; use a user name and password or a token, or ask the institution for its SMART on FHIR address",
		ErrNotSupported, hostOf(base))
}

// CheckUser says whether a person can sign in (standalone launch, public client, PKCE S256).
func (c *Config) CheckUser() error {
	switch {
	case c.AuthorizationEndpoint == "":
		return fmt.Errorf("smart: %w: the server has no authorization endpoint, so people cannot sign in; it may accept only system (Backend Services) sign-in", ErrNotSupported)
	case len(c.CodeChallengeMethods) > 0 && !slices.Contains(c.CodeChallengeMethods, "S256"):
		return fmt.Errorf("smart: %w: the server does not offer PKCE with S256, which a desktop app needs to sign in safely", ErrNotSupported)
	case len(c.Capabilities) > 0 && !slices.Contains(c.Capabilities, "launch-standalone"):
		return fmt.Errorf("smart: %w: the server does not offer the standalone launch (it expects apps started from inside the EHR)", ErrNotSupported)
	case len(c.Capabilities) > 0 && !slices.Contains(c.Capabilities, "client-public"):
		return fmt.Errorf("smart: %w: the server does not accept public clients (apps without a client secret) such as a desktop app", ErrNotSupported)
	}
	return nil
}

// CheckBackend says whether the clinic's system can sign in (client_credentials, private_key_jwt).
func (c *Config) CheckBackend() error {
	if len(c.GrantTypes) > 0 && !slices.Contains(c.GrantTypes, "client_credentials") {
		return fmt.Errorf("smart: %w: the server does not offer system sign-in (client_credentials)", ErrNotSupported)
	}
	if len(c.TokenAuthMethods) > 0 && !slices.Contains(c.TokenAuthMethods, "private_key_jwt") {
		return fmt.Errorf("smart: %w: the server does not accept signed-key client authentication (private_key_jwt)", ErrNotSupported)
	}
	if algs := c.TokenAuthSigningAlgs; len(algs) > 0 && !slices.Contains(algs, "ES384") && !slices.Contains(algs, "RS384") {
		return fmt.Errorf("smart: %w: the server accepts none of the signature algorithms SMART requires (ES384, RS384)", ErrNotSupported)
	}
	return nil
}

// getJSON GETs url and decodes a 200 answer into v; other statuses are returned without error.
func getJSON(ctx context.Context, client *http.Client, url string, v any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, fmt.Errorf("smart: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, connError(hostOf(url), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return resp.StatusCode, nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxDiscoveryBytes)).Decode(v); err != nil {
		return 0, fmt.Errorf("smart: %s answered %s with something that is not JSON: %w", hostOf(url), pathOf(url), err)
	}
	return resp.StatusCode, nil
}
