package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
	"github.com/referraldesk/referraldesk/app/packet"
	"github.com/referraldesk/referraldesk/app/sandbox"
)

// multiFlag collects a repeatable flag such as --password-file FILE.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// packetInput is one input line of the report (also its JSON form).
type packetInput struct {
	File       string `json:"file"`
	Status     string `json:"status"` // ok, repaired, error
	Pages      int    `json:"pages"`
	PagesUsed  int    `json:"pages_used"`
	Date       string `json:"date,omitempty"`
	DateSource string `json:"date_source,omitempty"`
	CheckDate  bool   `json:"check_date,omitempty"`
	// DateConf: for a date read from scanned pages (date_source "scan"), the OCR's confidence in %.
	DateConf int      `json:"date_confidence,omitempty"`
	Scanned  []int    `json:"scanned_pages,omitempty"` // pages read by OCR
	Turned   []int    `json:"turned_pages,omitempty"`  // pages turned upright
	ScanNote string   `json:"scan_note,omitempty"`     // why image-only pages were not read
	Problems []string `json:"problems,omitempty"`
}

type packetReport struct {
	Inputs   []packetInput `json:"inputs"`
	Output   string        `json:"output,omitempty"`
	Pages    int           `json:"pages"`
	MaxPages int           `json:"max_pages"`
	LeftOut  []string      `json:"left_out,omitempty"`
	Error    string        `json:"error,omitempty"`
}

// expandInputs turns folders into the supported files inside them, in name order.
func expandInputs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("packet: %s: %w", a, errors.Unwrap(err))
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		names, err := packet.FilesIn(a)
		if err != nil {
			return nil, fmt.Errorf("packet: read folder %s: %w", a, err)
		}
		out = append(out, names...)
	}
	return out, nil
}

func packetCmd(args []string, env Env) error {
	fs, data := newFlags("packet", env)
	orderID := fs.Int64("order", 0, "take the patient (and the cover's provider and department) from this order in the database")
	last := fs.String("last", "", "patient's last name (without --order)")
	first := fs.String("first", "", "patient's first name (without --order)")
	dob := fs.String("dob", "", "patient's date of birth, YYYY-MM-DD (without --order)")
	mrn := fs.String("mrn", "", "registration number (optional third identifier, without --order)")
	maxPages := fs.Int("max-pages", packet.DefaultMaxPages, "page limit, cover included")
	out := fs.String("out", "", "folder for the packet (required)")
	noCover := fs.Bool("no-cover", false, "leave out the cover/index page")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	provider := fs.String("provider", "", "referring provider for the cover page")
	npi := fs.String("npi", "", "referring provider's NPI for the cover page")
	dept := fs.String("department", "", "requested department for the cover page")
	var passwordFiles multiFlag
	fs.Var(&passwordFiles, "password-file", "file with passwords of encrypted PDFs, one per line; - is standard input (repeatable)")
	var oldPassword goneFlag
	fs.Var(&oldPassword, "password", "removed: use --password-file")
	fileTimeout := fs.Duration("file-timeout", 2*time.Minute, "time limit for reading one file")
	noOCR := fs.Bool("no-ocr", false, "do not read scanned pages by OCR (they are dated from metadata and marked 'check date')")
	if err := parse(fs, args); err != nil {
		return err
	}
	if oldPassword.used {
		return fmt.Errorf("%w: packet: --password is gone, as a password on the command line is visible to other users "+
			"of the computer; put the password in a file (one per line) and give --password-file FILE, or - for standard input", errUsage)
	}
	if *out == "" || fs.NArg() == 0 {
		return usageErr(catalog.CLIPacketNeedsOut)
	}
	if *maxPages < 2 {
		return fmt.Errorf("%w: --max-pages must be at least 2", errUsage)
	}
	if *fileTimeout <= 0 {
		return fmt.Errorf("%w: --file-timeout must be positive", errUsage)
	}
	var pt packet.Patient
	coverInfo := packet.CoverInfo{ProviderName: *provider, ProviderNPI: *npi, Department: *dept}
	if *orderID != 0 {
		if *last != "" || *first != "" || *dob != "" || *mrn != "" {
			return fmt.Errorf("%w: packet: --order takes the patient from the order; leave out --last, --first, --dob and --mrn", errUsage)
		}
		var fromOrder packet.CoverInfo
		var err error
		if pt, fromOrder, err = orderPacket(env, *data, *orderID); err != nil {
			return err
		}
		coverInfo.ProviderName = cmp.Or(coverInfo.ProviderName, fromOrder.ProviderName)
		coverInfo.ProviderNPI = cmp.Or(coverInfo.ProviderNPI, fromOrder.ProviderNPI)
		coverInfo.Department = cmp.Or(coverInfo.Department, fromOrder.Department)
	} else {
		if *last == "" || *first == "" || *dob == "" {
			return fmt.Errorf("%w: packet needs --order ID, or --last, --first and --dob", errUsage)
		}
		born, err := app.ParseDate(*dob)
		if err != nil { // not echoed: a date of birth is an identifier
			return usageErr(catalog.CLIDOBNotDate)
		}
		pt = packet.Patient{Family: *last, Given: *first, DOB: born, MRN: *mrn}
	}
	passwords, err := readPasswords(passwordFiles, env.Stdin)
	if err != nil {
		return err
	}
	opt := packet.Options{Passwords: map[string]string{}, WorkDir: *out, FileTimeout: *fileTimeout, NoOCR: *noOCR}
	files, err := expandInputs(fs.Args())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("packet: create %s: %w", *out, err)
	}
	sandbox.SparerGC() // one run, with a small Go heap
	// The command's own workers: stopped (and waited for) once every file is inspected, so that
	// they free their memory while the packet is built and none outlives the command.
	pool := &sandbox.Pool{}
	opt.Sandbox = pool
	stopped := make(chan struct{})
	defer func() { <-stopped }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	// Each file is read in a sandbox worker, one per core at a time.
	inputs := make([]*packet.Input, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < max(1, min(runtime.NumCPU(), len(files))); w++ {
		wg.Go(func() {
			for i := range next {
				inputs[i] = packet.Inspect(ctx, files[i], pt, opt)
			}
		})
	}
	for _, i := range packet.LargestFirst(files) {
		next <- i
	}
	close(next)
	wg.Wait()
	unlock(ctx, inputs, pt, opt, passwords)
	go func() { _ = pool.Close(); close(stopped) }()
	packet.MarkDuplicates(inputs)
	plan := packet.NewPlan(inputs, *maxPages, !*noCover)
	rep := packetReport{MaxPages: *maxPages}
	var res packet.Result
	var buildErr error
	if plan.Total() > plan.CoverPages {
		res, buildErr = packet.Build(ctx, plan, pt, coverInfo, *out, opt, nil)
	} else {
		buildErr = failErr(nil, catalog.CLIPacketNoneUsable)
	}
	rep.Inputs = describeInputs(inputs, plan, res)
	for _, d := range plan.Dropped {
		if d.Doc == nil || d.Doc.Err != nil {
			continue
		}
		if d.Page == 0 {
			rep.LeftOut = append(rep.LeftOut, fmt.Sprintf("%s (whole file): %s", filepath.Base(d.Doc.Path), d.Reason))
		} else {
			rep.LeftOut = append(rep.LeftOut, fmt.Sprintf("%s page %d: %s", filepath.Base(d.Doc.Path), d.Page, d.Reason))
		}
	}
	if buildErr != nil {
		rep.Error = buildErr.Error()
	} else {
		rep.Output, rep.Pages = res.Path, res.Pages
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printPacketReport(env, rep)
	}
	return buildErr
}

func describeInputs(inputs []*packet.Input, plan packet.Plan, res packet.Result) []packetInput {
	used := map[*packet.Input]int{}
	for _, d := range plan.Docs {
		used[d.Input] = len(d.Pages)
	}
	repaired := map[*packet.Input]string{}
	for _, d := range res.Docs {
		if d.Repaired != "" {
			repaired[d.Input] = d.Repaired
		}
	}
	out := make([]packetInput, 0, len(inputs))
	for _, in := range inputs {
		pi := packetInput{File: in.Path, Status: "ok", Pages: in.Pages, PagesUsed: used[in], Scanned: in.Scanned, ScanNote: in.ScanNote}
		for p := range in.Turned {
			pi.Turned = append(pi.Turned, p)
		}
		slices.Sort(pi.Turned)
		if in.Err != nil {
			pi.Status = "error"
			msg := in.Err.Error()
			if errors.Is(in.Err, packet.ErrEncrypted) {
				msg += " (put its password in a file and give --password-file FILE)"
			}
			pi.Problems = append(pi.Problems, msg)
			out = append(out, pi)
			continue
		}
		if !in.Date.IsZero() {
			pi.Date, pi.DateSource, pi.CheckDate = app.FormatDate(in.Date), string(in.DateSource), in.CheckDate
			if in.DateSource == packet.DateScan {
				pi.DateConf = in.DateConf
			}
		}
		for i, r := range []string{in.Repaired, repaired[in]} {
			if r != "" && (i == 0 || r != in.Repaired) { // said once when Build had to do the same
				pi.Status = "repaired"
				pi.Problems = append(pi.Problems, r)
			}
		}
		pi.Problems = append(pi.Problems, groupFlags(in.Flags)...)
		out = append(out, pi)
	}
	return out
}

// statusCodes are the words of a file's status in the report (the JSON keeps ok, repaired, error).
var statusCodes = map[string]msg.Code{"ok": catalog.CLIPacketStatusOK, "repaired": catalog.CLIPacketStatusRepaired, "error": catalog.CLIPacketStatusError}

func printPacketReport(env Env, rep packetReport) {
	for _, in := range rep.Inputs {
		status := in.Status
		if c, ok := statusCodes[in.Status]; ok {
			status = catalog.T(c)
		}
		if pad := 8 - utf8.RuneCountInString(status); pad > 0 {
			status += strings.Repeat(" ", pad)
		}
		line := status + " " + catalog.T(catalog.CLIPacketInput, filepath.Base(in.File), in.PagesUsed, in.Pages)
		if in.Date != "" {
			line += catalog.T(catalog.CLIPacketDated, in.Date, in.DateSource)
			if in.DateConf > 0 {
				line += catalog.T(catalog.CLIPacketSure, in.DateConf)
			}
			if in.CheckDate {
				line += catalog.T(catalog.CLIPacketCheckDate)
			}
			line += catalog.T(catalog.CLIParenClose)
		}
		if n := len(in.Scanned); n > 0 {
			line += "; " + catalog.T(catalog.ScannedPagesRead, n) + " (OCR)"
		}
		if n := len(in.Turned); n > 0 {
			line += "; " + catalog.T(catalog.PagesTurned, n)
		}
		if in.ScanNote != "" {
			line += "; " + in.ScanNote
		}
		if len(in.Problems) > 0 {
			line += "; " + strings.Join(in.Problems, "; ")
		}
		fmt.Fprintln(env.Stdout, line)
	}
	if len(rep.LeftOut) > 0 {
		say(env.Stdout, catalog.CLIPacketLeftOut, rep.MaxPages)
		for _, l := range rep.LeftOut {
			fmt.Fprintln(env.Stdout, "  "+l)
		}
	}
	if rep.Output != "" {
		say(env.Stdout, catalog.CLIPacketWritten, rep.Output, rep.Pages)
	}
}

// groupFlags folds per-page warnings into one line per reason with page ranges ("pages 1-11, 13: ...").
func groupFlags(flags []packet.PageFlag) []string {
	byReason := map[string][]int{}
	var order []string
	for _, f := range flags {
		if _, seen := byReason[f.Reason]; !seen {
			order = append(order, f.Reason)
		}
		byReason[f.Reason] = append(byReason[f.Reason], f.Page)
	}
	out := make([]string, 0, len(order))
	for _, r := range order {
		pages := byReason[r]
		sort.Ints(pages)
		var parts []string
		for i := 0; i < len(pages); {
			j := i
			for j+1 < len(pages) && pages[j+1] == pages[j]+1 {
				j++
			}
			if j > i {
				parts = append(parts, fmt.Sprintf("%d-%d", pages[i], pages[j]))
			} else {
				parts = append(parts, fmt.Sprint(pages[i]))
			}
			i = j + 1
		}
		word := "page "
		if len(pages) > 1 {
			word = "pages "
		}
		out = append(out, word+strings.Join(parts, ", ")+": "+r)
	}
	return out
}
