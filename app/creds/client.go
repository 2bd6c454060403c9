package creds

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/referraldesk/referraldesk/app/netsafe"
)

// Network timeouts of NewHTTPClient. There is no overall request timeout: an upload of a 100 MB
// file over a slow clinic line takes as long as it takes; cancel through the request's context.
const (
	DialTimeout           = 10 * time.Second
	TLSHandshakeTimeout   = 10 * time.Second
	ResponseHeaderTimeout = 60 * time.Second
)

// maxCAFileBytes bounds the CA bundle read (a full Mozilla bundle is about 200 kB).
const maxCAFileBytes = 4 << 20

// NewHTTPClient makes the client for acct's servers: the system's trusted roots plus, when
// acct.CAFile is set, the certificates of that PEM file (for clinics behind an inspecting proxy);
// TLS 1.2 or later; the proxy from the environment; timeouts on dialling, the TLS handshake and
// waiting for response headers, but none on the whole request. Redirects are followed only on
// the same scheme, host and port and only for GET/HEAD (netsafe.CheckRedirect), and requests to
// plain http addresses other than this computer are refused.
func NewHTTPClient(acct Account) (*http.Client, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if acct.CAFile != "" {
		pool, err := caPool(acct.CAFile)
		if err != nil {
			return nil, err
		}
		tlsConf.RootCAs = pool
	}
	dialer := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   TLSHandshakeTimeout,
		ResponseHeaderTimeout: ResponseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          10,
		MaxIdleConnsPerHost:   4,
	}
	// Redirects and plain http follow the one policy of netsafe (same origin only, never for a
	// POST or PUT, https except to this computer).
	return netsafe.NewClient(tr), nil
}

// caPool is the system pool (on Windows and macOS it still verifies through the platform) with
// the PEM certificates of path added.
func caPool(path string) (*x509.CertPool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("creds: read the extra certificate file: %w", err)
	}
	if st.Size() > maxCAFileBytes {
		return nil, fmt.Errorf("creds: the extra certificate file %s is larger than %d bytes; is it a certificate bundle?", path, maxCAFileBytes)
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("creds: read the extra certificate file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("creds: the extra certificate file %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path)
	}
	return pool, nil
}
