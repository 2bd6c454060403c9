package syncer

import "github.com/referraldesk/referraldesk/app/msg"

// Status is where sending stands, for the status bar. Behaviour keys on State, never on the
// words of the line (Parts, which the catalog writes).
type Status struct {
	Configured bool  // an account is set up
	Online     bool  // the last contact with the server worked
	AuthNeeded bool  // the server refused the credentials: sign in again
	Waiting    int   // signed orders not yet sent
	Attention  int   // orders the server refused, waiting for the user
	Sending    int   // 1-based index of the order being sent (0: not sending)
	Batch      int   // how many orders this round sends
	Bytes      int64 // bytes of the current round sent so far
	// Trouble says why sending stopped (one of the Trouble* codes), or is zero. No patient data.
	Trouble msg.Msg
	// DemoRefused: a demo database and a server off this computer, so nothing is sent.
	DemoRefused bool
}

// State is the one mode the status bar shows.
type State int

const (
	StateNoAccount   State = iota // no account set up: offline
	StateDemoRefused              // demo data, a real server: nothing is sent
	StateSignIn                   // the server refused the saved credentials: sign in again
	StateSending                  // an order is being sent
	StateOffline                  // the server could not be reached (or not yet tried)
	StateAllSent                  // online, nothing waiting
	StateOnline                   // online, some orders wait or need attention
)

// State is the status's mode, in order of precedence.
func (s Status) State() State {
	switch {
	case !s.Configured:
		return StateNoAccount
	case s.DemoRefused:
		return StateDemoRefused
	case s.AuthNeeded:
		return StateSignIn
	case s.Sending > 0:
		return StateSending
	case !s.Online:
		return StateOffline
	case s.Waiting == 0 && s.Attention == 0:
		return StateAllSent
	}
	return StateOnline
}

// Message codes of the status bar.
var (
	StatusNoAccount   = msg.Define("syncer.status.no_account")
	StatusDemoRefused = msg.Define("syncer.status.demo_refused")
	StatusSignIn      = msg.Define("syncer.status.sign_in")
	StatusSending     = msg.Define("syncer.status.sending", "n", "of", "size")
	StatusOffline     = msg.Define("syncer.status.offline")
	StatusAllSent     = msg.Define("syncer.status.all_sent")
	StatusOnline      = msg.Define("syncer.status.online")
	StatusWaiting     = msg.Define("syncer.status.waiting", "n")
	StatusAttention   = msg.Define("syncer.status.attention", "n")

	TroubleDatabase = msg.Define("syncer.trouble.database")
	TroubleRetry    = msg.Define("syncer.trouble.will_retry")
	TroubleKeychain = msg.Define("syncer.trouble.keychain", "error")
)

var stateCodes = map[State]msg.Code{
	StateNoAccount: StatusNoAccount, StateDemoRefused: StatusDemoRefused, StateSignIn: StatusSignIn,
	StateOffline: StatusOffline, StateAllSent: StatusAllSent, StateOnline: StatusOnline,
}

// Parts are the pieces of the status bar line, e.g. Offline, 3 waiting; the catalog joins them
// ("Offline — 3 waiting", "Sending 2 of 5 (48 MB)", "All sent").
func (s Status) Parts() []msg.Msg {
	st := s.State()
	var parts []msg.Msg
	if st == StateSending {
		parts = append(parts, msg.New(StatusSending, s.Sending, s.Batch, msg.Bytes(s.Bytes)))
	} else {
		parts = append(parts, msg.New(stateCodes[st]))
	}
	if st == StateAllSent {
		return parts
	}
	if s.Sending == 0 && s.Waiting > 0 {
		parts = append(parts, msg.New(StatusWaiting, s.Waiting))
	}
	if s.Attention > 0 {
		parts = append(parts, msg.New(StatusAttention, s.Attention))
	}
	if s.Trouble.Code != "" && !s.Online && !s.DemoRefused {
		parts = append(parts, s.Trouble)
	}
	return parts
}
