package creds

// ConnectionError turns a failed request to host into the *CheckError a sign-in test gives for it
// (ErrUnreachable or ErrTLS with a sentence for the user), so other sign-in steps (SMART discovery,
// token requests) word network failures the same way.
func ConnectionError(host string, err error) error { return transportError(host, err) }
