// Package cli is ReferralDesk's command line: the same binary as the desktop app, with subcommands
// that make every capability scriptable and testable without a display. main wires in the store
// and the screen renderer, so this package imports neither SQL nor Fyne.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/demo"
	"github.com/referraldesk/referraldesk/app/institution"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/referral"
	"github.com/referraldesk/referraldesk/app/retention"
	"github.com/referraldesk/referraldesk/app/sandbox"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/workflow"
)

// Store is the local database as the CLI uses it.
type Store interface {
	demo.Store
	syncer.Store
	app.EventRecorder
	app.AuditReader
	retention.Store
	workflow.Store
	CountPatients(ctx context.Context) (int, error)
	// PatientsByClinicMRN finds charts by the sending clinic's MRN (import's match).
	PatientsByClinicMRN(ctx context.Context, system, mrn string) ([]app.Patient, error)
	Close() error
}

// Env is what main gives the CLI.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Keychain       creds.Keychain // the OS keychain
	Version        string         // the full --version text
	// OpenStore opens (creating if needed) the database in the data directory.
	OpenStore func(dataDir string) (Store, error)
	// InspectData says what the database in an existing data directory holds for demo-data, without
	// changing any file (no migration, no new file).
	InspectData func(ctx context.Context, dataDir string) (app.DemoContents, error)
	// RenderScreens draws every screen with demo data into outDir and returns the files written.
	RenderScreens func(ctx context.Context, outDir string) ([]string, error)
	// RunGUI starts the desktop app; it returns when the window closes.
	RunGUI func(dataDir, profilePath string) error
	// OpenBrowser opens a SMART sign-in page in the system browser; nil prints the address only.
	OpenBrowser func(url string) error
	// User is the computer login, recorded with a signature (never shown as the signer).
	User string
}

// errUsage marks a wrong command line; its text is printed with the usage hint.
var errUsage = errors.New("usage")

// Main runs one command line and returns the process exit code.
func Main(args []string, env Env) int {
	languageFromEnv()
	args, lang := takeLang(args)
	if lang != "" {
		prev := catalog.Default().Lang().String()
		catalog.SetLanguage(lang)
		langFlag.Store(true)
		defer func() { langFlag.Store(false); catalog.SetLanguage(prev) }()
	}
	if err := dispatch(args, env); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(env.Stderr, "referraldesk: "+strings.TrimPrefix(userText(err), "usage: "))
		return exitCode(err)
	}
	return 0
}

// userText is an error as the user reads it: an error that carries a message is written by the
// catalog (an order that is not ready lists its problems), any other keeps its own text.
func userText(err error) string {
	var nr *referral.NotReadyError
	if errors.As(err, &nr) {
		text := catalog.Default()
		lines := []string{text.Text(nr.Message())}
		for _, p := range nr.Problems {
			lines = append(lines, "  - "+text.Text(p.Msg))
		}
		return strings.Join(lines, "\n")
	}
	if _, ok := msg.Of(err); ok {
		return catalog.Err(err)
	}
	return err.Error()
}

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

func dispatch(args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "--version" && args[0] != "-version" &&
		args[0] != "-h" && args[0] != "--help" && args[0] != "-help" {
		return gui(args, env)
	}
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintln(env.Stdout, env.Version)
		return nil
	case "-h", "--help", "-help", "help":
		fmt.Fprint(env.Stdout, usage())
		return nil
	case "icd10":
		return icd10Cmd(args[1:], env)
	case "demo-data":
		return demoData(args[1:], env)
	case "screens":
		return screensCmd(args[1:], env)
	case "patients":
		return patientsCmd(args[1:], env)
	case "status":
		return statusCmd(args[1:], env)
	case "packet":
		return packetCmd(args[1:], env)
	case "account":
		return accountCmd(args[1:], env)
	case "sync":
		return syncCmd(args[1:], env)
	case "images":
		return imagesCmd(args[1:], env)
	case "audit":
		return auditCmd(args[1:], env)
	case "retention":
		return retentionCmd(args[1:], env)
	case "import":
		return importCmd(args[1:], env)
	case sandbox.WorkerArg:
		// Hidden: a child process that reads untrusted files for the app (see app/sandbox).
		return sandbox.ServeProcess()
	case "users":
		return usersCmd(args[1:], env)
	case "settings":
		return settingsCmd(args[1:], env)
	case "order":
		return orderCmd(args[1:], env)
	}
	return usageErr(catalog.CLIUnknownCommand, fmt.Sprintf("%q", args[0]))
}

const usageText = `ReferralDesk — referral orders, records packets and images for a specialty institution.

Usage:
  referraldesk [--data DIR] [--profile FILE]   start the desktop app
  referraldesk icd10 search [--explain] WORDS...
                                                find ICD-10-CM codes (offline): words, abbreviations,
                                                lay terms, typos; --explain says why each matched
  referraldesk icd10 code CODE                  show one code; exits 1 if it does not exist
  referraldesk demo-data --data NEW-DIR --patients N
                                                make a demo database of synthetic patients and orders
                                                in a folder of its own (refuses a folder holding data
                                                it did not make; a demo database sends only to a test
                                                server on this computer)
  referraldesk patients search [--data DIR] QUERY
                                                find patients ("Last, First", date of birth, MRN)
  referraldesk status [--data DIR]              list orders and their states
  referraldesk order start [--data DIR] (--patient ID | --last L --first F --dob YYYY-MM-DD --sex S
                    --phone P --address LINE --city C --state ST --zip Z --insurance T [--mrn X]
                    [--clinic-mrn X] [--new-chart]) [--provider ID]
                                                start a draft order for a chart, found or made as the
                                                window does (a chart like an existing one is refused
                                                unless --new-chart); prints the order id
  referraldesk order attach [--data DIR] --order ID FILES...
                                                attach files to a draft as the window does (photos
                                                copied without their location, each file hashed);
                                                exits 1 naming each file refused
  referraldesk order packet [--data DIR] [--keep-flagged] --order ID [FILES-OR-FOLDERS...]
                                                add records to the draft's packet, build it (newest
                                                first, stamped) and attach it; pages that may be
                                                another patient's are left out unless --keep-flagged
  referraldesk order sign [--data DIR] --order ID [--staff NAME]
                                                sign a ready draft as the window does: the provider,
                                                or staff entering it for them; the readiness check
                                                runs on the saved order (problems listed, exit 1)
  referraldesk packet (--order ID [--data DIR] | --last L --first F --dob YYYY-MM-DD [--mrn X])
                    [--max-pages 50] [--password-file FILE|-]... [--file-timeout 2m] [--no-ocr] [--json] --out DIR FILES-OR-FOLDERS...
                                                build the records packet: one stamped PDF, newest first;
                                                --order takes the patient from the order; passwords of
                                                encrypted PDFs come from a file (one per line) or
                                                standard input, never from the command line; a
                                                file that cannot be read safely gets one error line
  referraldesk account add --url FHIR-URL [--dicomweb URL] [--user NAME] [--ca-file PEM]
                                                save the institution account; the secret is read
                                                from standard input into the system keychain
  referraldesk account add --url FHIR-URL --client-id ID --smart [--timeout 5m]
                                                sign in as a person with SMART on FHIR (OAuth 2.0) in
                                                the browser; the refresh token goes to the keychain
  referraldesk account add --url FHIR-URL --client-id ID --backend [--key-file PEM]
                                                sign in as the clinic's system (SMART Backend
                                                Services): create a key in the keychain (or use the
                                                PEM file) and print the public JWKS to register
  referraldesk account jwks                     print the public JWKS of the backend key again
  referraldesk account test | remove            check the connection | sign out (revokes a SMART sign-in)
  referraldesk sync --once                      send signed orders, pull status; exit 1 on failures
  referraldesk images scan [--json] DIR         list the DICOM patients, studies and series found, and
                                                each file that cannot be used with the reason
  referraldesk images send --order ID [--study UID]... [--confirm-mismatch UID=REASON]... DIR
                                                upload the studies (default all) for the order over
                                                DICOMweb with the saved account; print what was stored
  referraldesk audit [--data DIR] [--since YYYY-MM-DD] [--patient ID] [--user NAME] [--verify] [--csv]
                                                print the audit trail (ids only, no patient data);
                                                --verify checks its hash chain and exits 1 naming the
                                                first broken row; --csv exports it
  referraldesk retention [--data DIR] [--days N]
                                                remove stale temporary files and the files (packets,
                                                photo copies, fax forms, results) of orders finished
                                                more than N days ago (default 30; 0 keeps them); the
                                                orders and their audit stay. The app does this at start
                                                and daily by itself
  referraldesk import [--json] [--data DIR] FILE...
                                                read C-CDA XML, FHIR R4 JSON (Bundle or Patient) or a
                                                zip of them: print the patient, problems with ICD-10-CM
                                                suggestions, medications, allergies, what was skipped,
                                                and the PDFs written to the work folder; saves nothing
  referraldesk users list [--data DIR]          the people who work at this computer (id, name, role,
                                                provider, admin); the first user is an administrator
  referraldesk users add --name NAME --role physician|staff [--provider ID]
                                                add a user; the PIN (4-12 digits) is read from
                                                standard input and kept only as an Argon2id hash
  referraldesk users edit --id ID [--name NAME] [--role physician|staff] [--provider ID] [--admin=true|false]
                                                change a user (the last administrator stays one)
  referraldesk users reset-pin [--data DIR] NAME
                                                forgotten PIN when no administrator can sign in: set a
                                                new PIN (read from standard input); only the computer
                                                account that owns the data folder can run it; audited
  referraldesk settings [list] [--data DIR] [--profile FILE]
                                                the app's settings: name, value in effect, what is allowed
  referraldesk settings get NAME | set NAME VALUE
                                                read or change one (checked as in the Settings screen;
                                                a refused value says what is allowed): language,
                                                idle-lock-minutes, retention-days, theme
                                                (system|light|dark), default-location (a location code
                                                of the profile, "" to ask for each order)
  referraldesk screens --out DIR [--lang es]    render every screen to PNG (no display needed)
  referraldesk --version                        version, libraries and licence

The data folder defaults to the per-user config folder; --data or $REFERRALDESK_DATA override it.
The language is the one chosen in Settings; $REFERRALDESK_LANG (en, es, zh) overrides it, and --lang
(en, es, zh) on any command overrides both.
`

// newFlags makes a flag set that reports errors instead of exiting and knows --data.
func newFlags(name string, env Env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	data := fs.String("data", "", "data folder (default: per-user config folder, or $"+datadir.EnvVar+")")
	return fs, data
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
	}
	return nil
}

func gui(args []string, env Env) error {
	fs, data := newFlags("referraldesk", env)
	profile := fs.String("profile", "", "institution profile (JSON) to use instead of the built-in default")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(catalog.CLIUnexpectedArg, fmt.Sprintf("%q", fs.Arg(0)))
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		return err
	}
	if *profile != "" {
		if _, err := institution.LoadFile(*profile); err != nil {
			return err
		}
	}
	return env.RunGUI(dir, *profile)
}
