package syncer

import (
	"fmt"
	"strings"
)

// Status is where sending stands, for the status bar.
type Status struct {
	Configured bool   // an account is set up
	Online     bool   // the last contact with the server worked
	AuthNeeded bool   // the server refused the credentials: sign in again
	Waiting    int    // signed orders not yet sent
	Attention  int    // orders the server refused, waiting for the user
	Sending    int    // 1-based index of the order being sent (0: not sending)
	Batch      int    // how many orders this round sends
	Bytes      int64  // bytes of the current round sent so far
	LastError  string // plain words, no patient data
	// DemoRefused: a demo database and a server off this computer, so nothing is sent.
	DemoRefused bool
}

// Text is the status bar line, e.g. "Offline — 3 waiting", "Sending 2 of 5 (48 MB)", "All sent".
func (s Status) Text() string {
	var parts []string
	switch {
	case !s.Configured:
		parts = append(parts, "Offline (no account set up)")
	case s.DemoRefused:
		parts = append(parts, "Not sending: demo data goes only to a test server on this computer")
	case s.AuthNeeded:
		parts = append(parts, "Sign in again: the server refused the saved credentials")
	case s.Sending > 0:
		parts = append(parts, fmt.Sprintf("Sending %d of %d (%s)", s.Sending, s.Batch, mb(s.Bytes)))
	case !s.Online:
		parts = append(parts, "Offline")
	case s.Waiting == 0 && s.Attention == 0:
		return "All sent"
	default:
		parts = append(parts, "Online")
	}
	if s.Sending == 0 && s.Waiting > 0 {
		parts = append(parts, fmt.Sprintf("%d waiting", s.Waiting))
	}
	if s.Attention > 0 {
		parts = append(parts, fmt.Sprintf("%d need attention", s.Attention))
	}
	if s.LastError != "" && !s.Online && !s.DemoRefused {
		parts = append(parts, s.LastError)
	}
	return strings.Join(parts, " — ")
}

func mb(n int64) string {
	if n < 1e6 {
		return fmt.Sprintf("%d KB", n/1e3)
	}
	return fmt.Sprintf("%d MB", n/1e6)
}
