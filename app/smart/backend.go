package smart

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/referraldesk/referraldesk/app/creds"
)

// AssertionLifetime is the lifetime of a client assertion (SMART Backend Services: at most 5 minutes).
const AssertionLifetime = 4 * time.Minute

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// GenerateKey makes the clinic's signing key: ECDSA P-384, used with ES384.
func GenerateKey() (*ecdsa.PrivateKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("smart: generate a key: %w", err)
	}
	return k, nil
}

// MarshalKey encodes a private key as PKCS #8 PEM (what the keychain or a key file holds).
func MarshalKey(k crypto.Signer) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", fmt.Errorf("smart: encode the key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// ParseKey reads a PEM private key: ECDSA P-384 (ES384) or RSA of 2048 bits or more (RS384).
func ParseKey(pemText string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("smart: the key is not PEM (-----BEGIN PRIVATE KEY-----)")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("smart: a %q PEM block is not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("smart: read the key: %w", err)
	}
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P384() {
			return nil, errors.New("smart: an EC key must be on curve P-384 (ES384)")
		}
		return k, nil
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, errors.New("smart: an RSA key must have at least 2048 bits")
		}
		return k, nil
	}
	return nil, errors.New("smart: the key is neither EC P-384 nor RSA")
}

// LoadKey reads the backend key from acct.KeyFile when set, else from the keychain.
func LoadKey(ctx context.Context, acct creds.Account, kc creds.Keychain) (crypto.Signer, error) {
	if acct.KeyFile != "" {
		data, err := os.ReadFile(acct.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("smart: read the key file: %w", err)
		}
		return ParseKey(string(data))
	}
	text, err := creds.GetContext(ctx, kc, acct)
	if errors.Is(err, creds.ErrNoSecret) {
		return nil, &signInAgain{detail: "the clinic's key is not in the system keychain", cause: err}
	}
	if err != nil {
		return nil, fmt.Errorf("smart: %w", err)
	}
	return ParseKey(text)
}

func algFor(k crypto.Signer) (jwt.SigningMethod, jwkset.ALG) {
	if _, ok := k.(*rsa.PrivateKey); ok {
		return jwt.SigningMethodRS384, jwkset.AlgRS384
	}
	return jwt.SigningMethodES384, jwkset.AlgES384
}

// KeyID names the key by a hash of its public part, so the server can pick it from the JWKS.
func KeyID(k crypto.Signer) string {
	der, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:16])
}

// PublicJWKS is the JSON Web Key Set of the key's public part, for registration with the institution.
func PublicJWKS(k crypto.Signer) ([]byte, error) {
	_, alg := algFor(k)
	jwk, err := jwkset.NewJWKFromKey(k.Public(), jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
		ALG: alg, KID: KeyID(k), USE: jwkset.UseSig, KEYOPS: []jwkset.KEYOPS{jwkset.KeyOpsVerify},
	}})
	if err != nil {
		return nil, fmt.Errorf("smart: public key set: %w", err)
	}
	out, err := json.MarshalIndent(map[string]any{"keys": []jwkset.JWKMarshal{jwk.Marshal()}}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("smart: public key set: %w", err)
	}
	return out, nil
}

// Assertion is the signed JWT that authenticates the client at tokenURL: iss = sub = client id,
// aud = the token URL, a unique jti, expiring lifetime after now (at most 5 minutes).
func Assertion(k crypto.Signer, clientID, tokenURL string, now time.Time, lifetime time.Duration) (string, error) {
	method, _ := algFor(k)
	jti := make([]byte, 16)
	_, _ = rand.Read(jti)
	t := jwt.NewWithClaims(method, jwt.RegisteredClaims{
		Issuer:    clientID,
		Subject:   clientID,
		Audience:  jwt.ClaimStrings{tokenURL},
		ExpiresAt: jwt.NewNumericDate(now.Add(lifetime)),
		IssuedAt:  jwt.NewNumericDate(now),
		ID:        hex.EncodeToString(jti),
	})
	t.Header["kid"] = KeyID(k)
	s, err := t.SignedString(k)
	if err != nil {
		return "", fmt.Errorf("smart: sign the client assertion: %w", err)
	}
	return s, nil
}

// BackendSource gets access tokens for the clinic's system (client_credentials with a signed JWT
// assertion); the key is read once, the token kept in memory until it nears expiry.
type BackendSource struct {
	Account  creds.Account // ClientID, TokenURL, Scopes (what to ask for; default BackendScopes)
	Keychain creds.Keychain
	HTTP     *http.Client
	Margin   time.Duration
	Now      func() time.Time

	mu  sync.Mutex
	key crypto.Signer
	tok *oauth2.Token
}

func (s *BackendSource) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *BackendSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	margin := s.Margin
	if margin == 0 {
		margin = DefaultMargin
	}
	if valid(s.tok, s.now(), margin) {
		return s.tok.AccessToken, nil
	}
	if s.key == nil {
		k, err := LoadKey(ctx, s.Account, s.Keychain)
		if err != nil {
			return "", err
		}
		s.key = k
	}
	t, err := ClientCredentials(ctx, s.HTTP, s.Account, s.key, s.now())
	if err != nil {
		return "", err
	}
	s.tok = t
	return t.AccessToken, nil
}

func (s *BackendSource) Invalidate(token string) {
	s.mu.Lock()
	if s.tok != nil && s.tok.AccessToken == token {
		s.tok = nil
	}
	s.mu.Unlock()
}

// ClientCredentials asks acct.TokenURL for a token with a fresh assertion signed by key.
func ClientCredentials(ctx context.Context, client *http.Client, acct creds.Account, key crypto.Signer, now time.Time) (*oauth2.Token, error) {
	a, err := Assertion(key, acct.ClientID, acct.TokenURL, now, AssertionLifetime)
	if err != nil {
		return nil, err
	}
	scopes := strings.Fields(acct.Scopes)
	if len(scopes) == 0 {
		scopes = BackendScopes()
	}
	conf := clientcredentials.Config{
		ClientID: acct.ClientID, TokenURL: acct.TokenURL, Scopes: scopes, AuthStyle: oauth2.AuthStyleInParams,
		EndpointParams: url.Values{"client_assertion_type": {assertionType}, "client_assertion": {a}},
	}
	t, err := conf.Token(withClient(ctx, client))
	if err != nil {
		return nil, refusal(acct.TokenURL, err)
	}
	return t, nil
}
