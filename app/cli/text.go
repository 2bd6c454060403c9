package cli

import (
	"fmt"
	"io"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
)

// cliError is an error of the command line that Main writes in the user's language (through
// the catalog, see userText); its Error text is the English one, for logs and tests, and it
// wraps a cause (errUsage for a wrong command line) for errors.Is and the exit code.
type cliError struct {
	m   msg.Msg
	err error
}

func (e *cliError) Error() string {
	s := catalog.For("en").Text(e.m)
	if e.err != nil && e.err != errUsage {
		s += ": " + e.err.Error()
	}
	return s
}
func (e *cliError) Unwrap() error    { return e.err }
func (e *cliError) Message() msg.Msg { return e.m }

// usageErr is a wrong command line, said in the user's language (exit code 2).
func usageErr(c msg.Code, args ...any) error {
	return &cliError{m: msg.New(c, args...), err: errUsage}
}

// failErr is a failure said in the user's language, wrapping its cause (may be nil).
func failErr(cause error, c msg.Code, args ...any) error {
	return &cliError{m: msg.New(c, args...), err: cause}
}

// say writes one line of a report in the user's language.
func say(w io.Writer, c msg.Code, args ...any) {
	fmt.Fprintln(w, catalog.T(c, args...))
}
