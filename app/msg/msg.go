// Package msg is how the domain tells the user something without writing English: a Msg is a
// Code and its arguments, and the catalog (package app/catalog) turns it into words in the
// user's language. Each package declares its codes once with Define, naming the arguments; the
// catalog's tests check that every defined code has an English text using exactly those
// arguments. No behaviour may depend on a message's text: compare codes (or errors.Is).
package msg

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"
)

// Code names one message, e.g. "referral.provider.no_npi". Codes are stable: the catalogs of
// every language are keyed by them.
type Code string

var (
	mu   sync.RWMutex
	defs = map[Code][]string{}
)

// Define declares a code and the names of its arguments, in the order New takes them. Call it
// once per code, in a package-level var; a second definition of the same code panics.
func Define(code string, args ...string) Code {
	mu.Lock()
	defer mu.Unlock()
	c := Code(code)
	if _, dup := defs[c]; dup {
		panic("msg: code defined twice: " + code)
	}
	defs[c] = slices.Clone(args)
	return c
}

// ArgNames returns the argument names a code was defined with.
func ArgNames(c Code) (names []string, ok bool) {
	mu.RLock()
	defer mu.RUnlock()
	names, ok = defs[c]
	return slices.Clone(names), ok
}

// Codes lists every defined code (of the packages linked in), sorted.
func Codes() []Code {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Code, 0, len(defs))
	for c := range defs {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Msg is one message for the user. Args may hold patient data: show them, never log them.
type Msg struct {
	Code Code  `json:"code"`
	Args []any `json:"args,omitempty"` // in the order of the code's definition
}

// New makes a message; args follow the order of the code's Define.
func New(c Code, args ...any) Msg { return Msg{Code: c, Args: args} }

// Arg returns the named argument, or nil.
func (m Msg) Arg(name string) any {
	names, _ := ArgNames(m.Code)
	if i := slices.Index(names, name); i >= 0 && i < len(m.Args) {
		return m.Args[i]
	}
	return nil
}

// Valid reports whether the message has exactly the arguments its code was defined with.
func (m Msg) Valid() error {
	names, ok := ArgNames(m.Code)
	switch {
	case !ok:
		return fmt.Errorf("msg: undefined code %q", m.Code)
	case len(names) != len(m.Args):
		return fmt.Errorf("msg: %s takes %d arguments %v, got %d", m.Code, len(names), names, len(m.Args))
	}
	return nil
}

// String is the code alone: arguments may hold patient data.
func (m Msg) String() string { return string(m.Code) }

// Argument types the catalog formats by kind, so numbers, sizes, lists and dates follow the
// user's language.
type (
	// Bytes is a size, shown in decimal units ("12.5 MB").
	Bytes int64
	// Or is a list joined with "or": "a, b or c". Items are strings or Msgs.
	Or []any
	// And is a list joined with "and": "a, b and c". Items are strings or Msgs.
	And []any
	// Items are separate messages written one after the other ("a; b; c").
	Items []Msg
	// Date is a calendar day (the time of day is ignored).
	Date time.Time
	// Country is an ISO 3166-1 alpha-2 code, written as the country's name in the reader's language.
	Country string
)

// Messager is implemented by errors (and outcomes) that carry a message for the user.
type Messager interface{ Message() Msg }

// Of finds the first message for the user in err's chain.
func Of(err error) (Msg, bool) {
	var m Messager
	if errors.As(err, &m) {
		return m.Message(), true
	}
	return Msg{}, false
}

// Error is an error that says something to the user (its Msg) while keeping, for logs and
// errors.Is, the error it wraps. Its Error text is the wrapped error's, never the message's
// arguments (they may hold patient data).
type Error struct {
	Msg Msg
	Err error // may be nil
}

// Wrap returns an *Error with the message and the cause.
func Wrap(err error, c Code, args ...any) error { return &Error{Msg: New(c, args...), Err: err} }

func (e *Error) Error() string {
	if e.Err == nil {
		return string(e.Msg.Code)
	}
	return string(e.Msg.Code) + ": " + e.Err.Error()
}
func (e *Error) Unwrap() error { return e.Err }
func (e *Error) Message() Msg  { return e.Msg }

// Sentinel is a sentinel error (compare with errors.Is) whose message for the user is its code.
// Its Error text is for logs and developers.
type Sentinel struct {
	code Code
	text string
}

// NewSentinel defines code (without arguments) and returns a sentinel error for it.
func NewSentinel(code, text string) *Sentinel {
	return &Sentinel{code: Define(code), text: text}
}

func (s *Sentinel) Error() string { return s.text }
func (s *Sentinel) Message() Msg  { return New(s.code) }
func (s *Sentinel) Code() Code    { return s.code }
