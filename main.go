// Command referraldesk is the ReferralDesk desktop app and its command line.
// main only wires things together: the store, the services and either the Fyne app or a subcommand.
package main

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	fitz "github.com/gen2brain/go-fitz"
	"github.com/mattn/go-sqlite3"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/cli"
	_ "github.com/referraldesk/referraldesk/app/cli/early" // starts packet's workers during init
	"github.com/referraldesk/referraldesk/app/creds"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/demo"
	"github.com/referraldesk/referraldesk/app/dicom"
	"github.com/referraldesk/referraldesk/app/ehrimport"
	"github.com/referraldesk/referraldesk/app/icd10"
	"github.com/referraldesk/referraldesk/app/institution"
	_ "github.com/referraldesk/referraldesk/app/jobs" // the sandbox jobs, as the worker program serves them
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/retention"
	"github.com/referraldesk/referraldesk/app/sandbox"
	"github.com/referraldesk/referraldesk/app/settings"
	"github.com/referraldesk/referraldesk/app/syncer"
	"github.com/referraldesk/referraldesk/app/workflow"
	"github.com/referraldesk/referraldesk/assets"
	"github.com/referraldesk/referraldesk/local"
	"github.com/referraldesk/referraldesk/screens"
)

// Set at build time with -ldflags "-X main.version=... -X main.commit=... -X main.buildDate=...".
var (
	version   = "0.1.0-dev"
	commit    = "unknown"
	buildDate = "unknown"
)

// appID is the reverse-DNS identity also written in FyneApp.toml.
const appID = "org.referraldesk.app"

var processStart = time.Now()

func main() {
	// Hidden, for performance work (issue 15): REFERRALDESK_CPUPROFILE=DIR writes DIR/cpu-PID.pprof
	// for this process and each sandbox worker (the same binary).
	stopProfile := startProfile(os.Getenv("REFERRALDESK_CPUPROFILE"))
	code := cli.Main(os.Args[1:], cli.Env{
		Stdout:        os.Stdout,
		Stderr:        os.Stderr,
		Stdin:         os.Stdin,
		Keychain:      creds.OS{},
		Version:       versionText(),
		OpenStore:     func(dir string) (cli.Store, error) { return openStore(dir, osUser()) },
		User:          osUser(),
		InspectData:   inspectData,
		RenderScreens: renderScreens,
		RunGUI:        runGUI,
	})
	stopProfile()
	os.Exit(code)
}

// startProfile starts a CPU profile in dir (none when dir is empty) and returns its stop function.
func startProfile(dir string) func() {
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		fmt.Fprintln(os.Stderr, "referraldesk: cpu profile:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "referraldesk: cpu profile:", err)
		_ = f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }
}

func versionText() string {
	sqliteVersion, _, _ := sqlite3.Version()
	// fitz.FzVersion is the version of the MuPDF that go-fitz bundles (linked through app/packet).
	return fmt.Sprintf("ReferralDesk %s (commit %s, built %s)\n%s/%s, %s\nSQLite %s, MuPDF %s, Fyne v2.8.1\n"+
		"Licence: AGPL-3.0-or-later (the bundled MuPDF is AGPL); source: see README",
		version, commit, buildDate, runtime.GOOS, runtime.GOARCH, runtime.Version(), sqliteVersion, fitz.FzVersion)
}

func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// inspectData reads what a data folder's database holds for demo-data, changing no file.
func inspectData(ctx context.Context, dir string) (app.DemoContents, error) {
	return local.InspectDemo(ctx, datadir.Database(dir))
}

// openStore is the one way the app opens its database: the data folder made (private) first, the
// actor recorded in the audit trail. The window, the commands and the screenshots all open it here.
func openStore(dir, actor string) (*local.Store, error) {
	if err := datadir.Ensure(dir); err != nil {
		return nil, err
	}
	return local.Open(datadir.Database(dir), local.Options{Actor: actor})
}

// lazyCodes loads the ICD-10-CM index in the background at start; searches wait for it.
type lazyCodes struct {
	once  sync.Once
	ready chan struct{}
	ix    *icd10.Index
	err   error
	// history, when set, returns how often this clinic used each code (local.Store.DiagnosisCounts):
	// those codes rank first among the matches.
	history func(context.Context) (map[string]int, error)
}

func newLazyCodes() *lazyCodes {
	c := &lazyCodes{ready: make(chan struct{})}
	go c.once.Do(func() {
		c.ix, c.err = icd10.Load()
		close(c.ready)
	})
	return c
}

// index waits for the code list to load.
func (c *lazyCodes) index(ctx context.Context) (*icd10.Index, error) {
	select {
	case <-c.ready:
		return c.ix, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *lazyCodes) Search(ctx context.Context, q string, limit int) ([]app.Diagnosis, error) {
	select {
	case <-c.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if c.err != nil {
		return nil, c.err
	}
	var opt icd10.Options
	if c.history != nil {
		// Without the history the search still works: rank as a new clinic would.
		if used, err := c.history(ctx); err == nil {
			opt.Boost = used
		}
	}
	found := c.ix.Find(q, limit, opt)
	out := make([]app.Diagnosis, len(found))
	for i, f := range found {
		out[i] = app.Diagnosis{Code: f.Code.Code, Description: f.Long, Why: f.Why}
	}
	return out, nil
}

func loadProfile(path string) (*institution.Profile, error) {
	if path == "" {
		return institution.LoadDefault()
	}
	return institution.LoadFile(path)
}

// packets is the records-packet service the screens use: app/packet plus the store for the choices.
type packets struct {
	packet.Service
	*local.Store
}

func deps(st *local.Store, prof *institution.Profile, codes screens.Codes, dataDir string) (screens.Deps, error) {
	// The screens run every order operation through the same workflow as the CLI.
	work, err := workflow.New(st, prof, dataDir)
	if err != nil {
		return screens.Deps{}, err
	}
	wd, err := datadir.Work(dataDir) // the packet previews read in the same work folder
	if err != nil {
		return screens.Deps{}, err
	}
	return screens.Deps{
		Patients: st, Providers: st, Orders: st, Codes: codes, Clinics: st, Events: st, Activity: st, Demo: st,
		Users: st, Settings: appSettings(st, prof), Work: work,
		Profile: prof, User: osUser(),
		Packets: packets{packet.Service{WorkDir: wd}, st}, DataDir: dataDir,
	}, nil
}

// appSettings are the settings with the computer's language as the default language.
func appSettings(st *local.Store, prof *institution.Profile) settings.Manager {
	m := settings.New(st, prof)
	m.SystemLanguage = lang.SystemLocale().LanguageString()
	return m
}

func runGUI(dir, profilePath string) error {
	codes := newLazyCodes()
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("ReferralDesk")
	w.Resize(fyne.NewSize(1200, 780))

	prof, err := loadProfile(profilePath)
	var st *local.Store
	if err == nil {
		st, err = openStore(dir, osUser())
	}
	var d screens.Deps
	if err == nil {
		d, err = deps(st, prof, codes, dir)
	}
	if err != nil {
		if st != nil {
			st.Close()
		}
		// Say why we cannot start, in the window too: a clinic user does not read a terminal.
		fmt.Fprintln(os.Stderr, "referraldesk:", err)
		msg := widget.NewLabel(catalog.T(catalog.CannotStart, err))
		msg.Wrapping = fyne.TextWrapWord
		w.SetContent(msg)
		w.ShowAndRun()
		return err
	}
	defer st.Close()
	defer sandbox.Default().Close() // stop the idle file-reading workers

	svc := &syncer.Service{Store: st, Keychain: creds.OS{}, Profile: prof}
	d.Sync, d.Inbox = svc, st
	d.Images = imagesUI{syncer.Images{Store: st, Keychain: creds.OS{}}}
	ctx, stop := context.WithCancel(context.Background())
	defer stop() // a round in flight is cancelled; its outbox entry comes back after its lease
	codes.history = clinicHistory(st)
	d.Imports = importer{codes: codes, st: st, dir: filepath.Join(dir, "imports")}
	// The language first: every screen is built in it.
	if l := os.Getenv(cli.LangEnv); l != "" {
		screens.SetLanguage(l)
	} else if s, err := d.Settings.Load(context.Background()); err == nil {
		screens.SetLanguage(s.Language)
	}
	ui := screens.New(w, d)
	go svc.Run(ctx)
	go keepTidy(ctx, st, dir)
	if os.Getenv("REFERRALDESK_SELFTEST") == "file-dialogs" {
		a.Lifecycle().SetOnStarted(func() { go selfTest(ctx, a, ui) })
	}
	if os.Getenv("REFERRALDESK_STARTUP_PROBE") != "" {
		a.Lifecycle().SetOnStarted(func() {
			fmt.Printf("startup_ms=%d\n", time.Since(processStart).Milliseconds())
			go func() { fyne.Do(a.Quit) }()
		})
	}
	w.ShowAndRun()
	return nil
}

// importer reads EHR exports for the screens: parse (in a sandbox worker), ICD-10-CM suggestions
// from the offline index, the chart match, and the document's files written in the data folder.
type importer struct {
	codes *lazyCodes
	st    *local.Store
	dir   string // where the rendered documents are kept for the packet (inside the data folder)
}

func (im importer) Import(ctx context.Context, path string) (screens.Imported, error) {
	// The export comes from outside: it is read and parsed in a sandbox worker process.
	doc, err := ehrimport.ParseIsolated(ctx, nil, path, 2*time.Minute)
	if err != nil {
		return screens.Imported{}, err
	}
	ix, err := im.codes.index(ctx)
	if err != nil {
		return screens.Imported{}, err
	}
	ehrimport.Suggest(ix, doc)
	m, err := ehrimport.MatchPatient(ctx, im.st, doc)
	if err != nil {
		return screens.Imported{}, err
	}
	if err := os.MkdirAll(im.dir, 0o700); err != nil {
		return screens.Imported{}, fmt.Errorf("import: %w", err)
	}
	files, err := ehrimport.WriteFiles(doc, im.dir)
	return screens.Imported{Doc: doc, Match: m, Files: files}, err
}

// keepTidy removes stale temporary files and the files of long-finished orders, at start and daily.
func keepTidy(ctx context.Context, st *local.Store, dir string) {
	for {
		if _, err := retention.Sweep(ctx, st, dir, time.Now()); err != nil && ctx.Err() == nil {
			// Not the error text: its paths can hold a packet's name ("Last, First DOB.pdf").
			fmt.Fprintln(os.Stderr, "referraldesk: retention: some old files could not be removed; they are tried again tomorrow")
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}

// clinicHistory returns the clinic's code counts for ranking, read at most once a minute: the
// search runs on every keystroke.
func clinicHistory(st *local.Store) func(context.Context) (map[string]int, error) {
	var mu sync.Mutex
	var at time.Time
	var counts map[string]int
	return func(ctx context.Context) (map[string]int, error) {
		mu.Lock()
		defer mu.Unlock()
		if counts != nil && time.Since(at) < time.Minute {
			return counts, nil
		}
		c, err := st.DiagnosisCounts(ctx)
		if err != nil {
			return nil, err
		}
		counts, at = c, time.Now()
		return counts, nil
	}
}

// selfTest opens and closes every file dialog in the real window, then quits (the Xvfb test).
func selfTest(ctx context.Context, a fyne.App, ui *screens.UI) {
	err := ui.SelfTestFileDialogs(ctx, func(line string) { fmt.Println(line) })
	if err != nil {
		fmt.Println("selftest failed:", err)
	} else {
		fmt.Println("selftest: ok")
	}
	fyne.Do(a.Quit)
}

// imagesUI adapts the image service to the screens' progress type.
type imagesUI struct{ syncer.Images }

func (im imagesUI) Upload(ctx context.Context, o app.Order, p app.Patient, studies []dicom.Study, confirm map[string]string,
	desc string, progress func(screens.UploadProgress),
) (dicom.UploadSummary, error) {
	return im.Images.Upload(ctx, o, p, studies, confirm, desc, func(ip syncer.ImageProgress) {
		left := ""
		if ip.Left > 0 {
			left = "about " + ip.Left.Round(time.Second).String()
		}
		progress(screens.UploadProgress{Files: ip.Files, FilesTotal: ip.FilesTotal, Bytes: ip.Bytes, BytesTotal: ip.BytesTotal, Left: left})
	})
}

// renderScreens draws every screen with synthetic demo data from a throw-away database.
func renderScreens(ctx context.Context, outDir string) ([]string, error) {
	tmp, err := os.MkdirTemp("", "referraldesk-screens-")
	if err != nil {
		return nil, fmt.Errorf("screens: %w", err)
	}
	defer os.RemoveAll(tmp)
	prof, err := institution.LoadDefault()
	if err != nil {
		return nil, err
	}
	st, err := openStore(tmp, "demo")
	if err != nil {
		return nil, err
	}
	defer st.Close()
	now := time.Now()
	if _, err := demo.Fill(ctx, st, prof, 80, now); err != nil {
		return nil, err
	}
	d, err := deps(st, prof, newLazyCodes(), tmp)
	if err != nil {
		return nil, err
	}
	d.User = "demo"
	// No account is set up in the demo database, so the keychain is never asked.
	svc := &syncer.Service{Store: st, Keychain: creds.OS{}, Profile: prof}
	_, _ = svc.Round(ctx) // no account: this only counts what waits, for the status line
	d.Sync, d.Inbox = svc, st
	return screens.RenderAll(outDir, d)
}
