package syncer

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/referraldesk/referraldesk/app/msg"
)

// DemoMarker tells a demo database (made by demo-data) from a real one.
type DemoMarker interface {
	IsDemo(ctx context.Context) (bool, error)
}

// DemoTarget says which server a demo database refused.
var DemoTarget = msg.Define("syncer.demo_target", "host")

// ErrDemoData: a demo database sends only to a test server on this computer; its fake orders never
// reach an institution.
var ErrDemoData = msg.NewSentinel("syncer.demo_data", "this is a demo database (made by demo-data): it sends only to a test server on this computer")

// IsLoopback reports whether rawURL names this computer: localhost or a loopback IP address.
func IsLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckDemoTarget fails with ErrDemoData when st is a demo database and any of the server addresses
// (empty ones are skipped) is not on this computer. It is checked before anything is sent.
func CheckDemoTarget(ctx context.Context, st DemoMarker, servers ...string) error {
	demo, err := st.IsDemo(ctx)
	if err != nil {
		return fmt.Errorf("syncer: demo check: %w", err)
	}
	if !demo {
		return nil
	}
	for _, s := range servers {
		if s != "" && !IsLoopback(s) {
			return msg.Wrap(fmt.Errorf("%w, and %s is not on this computer", ErrDemoData, hostOf(s)), DemoTarget, hostOf(s))
		}
	}
	return nil
}

// hostOf is the server's host for a message (never the path or query, which may carry ids).
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "the server"
}
