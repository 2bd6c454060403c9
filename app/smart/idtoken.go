package smart

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// MaxSkew is how far this computer's clock may differ from the server's before sign-in says so.
const MaxSkew = 2 * time.Minute

// IDClaims are the identity token claims ReferralDesk reads.
type IDClaims struct {
	jwt.RegisteredClaims
	Nonce    string `json:"nonce"`
	AZP      string `json:"azp"`
	FHIRUser string `json:"fhirUser"`
}

var idAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"}

// VerifyIDToken checks an OpenID Connect identity token: signature with a key from the issuer's JWKS,
// issuer, audience (the client id; azp when there are several), expiry, issue time and nonce.
func VerifyIDToken(ctx context.Context, client *http.Client, cfg *Config, clientID, nonce, raw string, now time.Time) (*IDClaims, error) {
	if cfg.Issuer == "" || cfg.JWKSURI == "" {
		return nil, fmt.Errorf("smart: %w: the server publishes no issuer or key set to check it with", ErrBadIDToken)
	}
	keys, err := fetchJWKS(ctx, client, cfg.JWKSURI)
	if err != nil {
		return nil, err
	}
	kf, err := keyfunc.NewJWKSetJSON(keys)
	if err != nil {
		return nil, fmt.Errorf("smart: %w: the server's key set is unreadable: %w", ErrBadIDToken, err)
	}
	p := jwt.NewParser(jwt.WithValidMethods(idAlgs), jwt.WithIssuer(cfg.Issuer), jwt.WithAudience(clientID),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(MaxSkew), jwt.WithTimeFunc(func() time.Time { return now }))
	var c IDClaims
	if _, err := p.ParseWithClaims(raw, &c, kf.Keyfunc); err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) || errors.Is(err, jwt.ErrTokenUsedBeforeIssued) || errors.Is(err, jwt.ErrTokenNotValidYet) {
			return nil, skewError(raw, now, err)
		}
		return nil, fmt.Errorf("smart: %w: %w", ErrBadIDToken, err)
	}
	if c.Nonce != nonce {
		return nil, fmt.Errorf("smart: %w: it was issued for another sign-in (nonce)", ErrBadIDToken)
	}
	if len(c.Audience) > 1 && c.AZP != clientID {
		return nil, fmt.Errorf("smart: %w: it was issued to another app (azp)", ErrBadIDToken)
	}
	return &c, nil
}

// skewError tells a clock set wrong (the token was just issued, yet looks expired or from the future)
// from a token that really is stale.
func skewError(raw string, now time.Time, cause error) error {
	var c jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err == nil && c.IssuedAt != nil {
		d := now.Sub(c.IssuedAt.Time)
		if d < -MaxSkew || d > MaxSkew {
			return fmt.Errorf("smart: %w: it differs from the server's by about %s; set the date, time and time zone of this computer (automatic time) and sign in again: %w",
				ErrClockSkew, d.Abs().Round(time.Minute), cause)
		}
	}
	return fmt.Errorf("smart: %w: %w", ErrBadIDToken, cause)
}

func fetchJWKS(ctx context.Context, client *http.Client, uri string) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, fmt.Errorf("smart: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, connError(hostOf(uri), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("smart: %w: the server's key set (%s) answered %s", ErrBadIDToken, pathOf(uri), resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDiscoveryBytes))
	if err != nil {
		return nil, connError(hostOf(uri), err)
	}
	return data, nil
}
