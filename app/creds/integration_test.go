package creds

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// TestIntegrationCheck signs in to a real FHIR server (the test peer: scripts/fhir-server.sh start,
// then export its fhir.env): FHIR_BASE, FHIR_USER, FHIR_PASSWORD, and FHIR_TOKEN if it has one.
func TestIntegrationCheck(t *testing.T) {
	base, user, pass := os.Getenv("FHIR_BASE"), os.Getenv("FHIR_USER"), os.Getenv("FHIR_PASSWORD")
	if base == "" || user == "" || pass == "" {
		t.Skip("set FHIR_BASE, FHIR_USER and FHIR_PASSWORD (scripts/fhir-server.sh start) to sign in to a FHIR server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	acct := Account{FHIRBase: base, User: user}
	if err := Check(ctx, acct, pass, nil); err != nil {
		t.Errorf("Basic sign-in: %v", err)
	}
	if err := Check(ctx, acct, pass+"x", nil); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: %v, want ErrBadCredentials", err)
	}
	if tok := os.Getenv("FHIR_TOKEN"); tok != "" {
		if err := Check(ctx, Account{FHIRBase: base}, tok, nil); err != nil {
			t.Errorf("token sign-in: %v", err)
		}
	}
	if err := Check(ctx, Account{FHIRBase: base + "/nope", User: user}, pass, nil); !errors.Is(err, ErrNotFHIR) {
		t.Errorf("wrong base: %v, want ErrNotFHIR", err)
	}
}
