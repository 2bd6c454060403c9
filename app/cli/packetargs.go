package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// maxPasswordFile bounds a password file: it holds a few passwords, not a document.
const maxPasswordFile = 16 << 10

// goneFlag stands for a removed flag that took a secret: its value is dropped unseen (the flag
// package would echo it in an error), and the command then says what to use instead.
type goneFlag struct{ used bool }

func (g *goneFlag) String() string   { return "" }
func (g *goneFlag) Set(string) error { g.used = true; return nil }

// readPasswords reads the PDF passwords of each --password-file: one password per line, blank
// lines skipped; "-" is standard input (once). Errors name the file and line, never a password.
func readPasswords(files []string, stdin io.Reader) ([]string, error) {
	var out []string
	usedStdin := false
	for _, f := range files {
		var r io.Reader
		switch {
		case f == "-" && usedStdin:
			return nil, fmt.Errorf("%w: --password-file - (standard input) can be given once", errUsage)
		case f == "-":
			if stdin == nil {
				return nil, fmt.Errorf("%w: --password-file -: no standard input", errUsage)
			}
			usedStdin, r = true, stdin
		default:
			fh, err := os.Open(f)
			if err != nil {
				return nil, fmt.Errorf("packet: password file: %w", err)
			}
			defer fh.Close()
			r = fh
		}
		name := f
		if f == "-" {
			name = "standard input"
		}
		b, err := io.ReadAll(io.LimitReader(r, maxPasswordFile+1))
		if err != nil {
			return nil, fmt.Errorf("packet: read the password file %s: %w", name, err)
		}
		if len(b) > maxPasswordFile {
			return nil, fmt.Errorf("%w: the password file %s is over %d KB: it should hold only passwords, one per line",
				errUsage, name, maxPasswordFile>>10)
		}
		if bytes.IndexByte(b, 0) >= 0 {
			return nil, fmt.Errorf("%w: the password file %s is not a text file: it should hold only passwords, one per line", errUsage, name)
		}
		n := 0
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if pw := strings.TrimRight(sc.Text(), "\r"); pw != "" {
				out = append(out, pw)
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: the password file %s holds no password", errUsage, name)
		}
	}
	return out, nil
}

// unlock tries each password on the inputs that are password protected and keeps, in opt, the one
// that opens each. Inputs no password opens keep their error.
func unlock(ctx context.Context, inputs []*packet.Input, pt packet.Patient, opt packet.Options, passwords []string) {
	for i, in := range inputs {
		if !errors.Is(in.Err, packet.ErrEncrypted) || len(passwords) == 0 {
			continue
		}
		for _, pw := range passwords {
			try := opt
			try.Passwords = map[string]string{in.Path: pw}
			got := packet.Inspect(ctx, in.Path, pt, try)
			if errors.Is(got.Err, packet.ErrEncrypted) || errors.Is(got.Err, packet.ErrWrongPassword) {
				continue
			}
			inputs[i] = got
			opt.Passwords[in.Path] = pw
			break
		}
		if inputs[i] == in {
			in.Err = fmt.Errorf("%w: none of the given passwords opens it", packet.ErrWrongPassword)
		}
	}
}

// orderPacket takes the patient (name, date of birth, registration number) and the cover's
// provider and department from an order in the database, so no identifier is typed on a command
// line; the workflow says what an order's packet carries, for the window and here alike.
func orderPacket(env Env, data string, id int64) (packet.Patient, packet.CoverInfo, error) {
	var pt packet.Patient
	var cover packet.CoverInfo
	err := withWork(env, data, "", func(ctx context.Context, w *workflow.Service) error {
		o, err := w.Orders.Order(ctx, id)
		if err != nil {
			return fmt.Errorf("packet: order %d: %w", id, err)
		}
		pt, cover, err = w.PacketFor(ctx, o)
		return err
	})
	return pt, cover, err
}
