package packet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gen2brain/go-fitz"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// BuiltDoc says where a document landed in the packet.
type BuiltDoc struct {
	Input    *Input
	From, To int    // page numbers in the packet
	Repaired string // what Build had to do, e.g. "repaired: rebuilt from rendered pages"
}

// Result describes a written packet.
type Result struct {
	Path       string // the packet, "Last, First YYYY-MM-DD.pdf" in the output folder
	Pages      int    // page count, cover included (checked by re-opening the file)
	CoverPages int
	Docs       []BuiltDoc
	Dropped    []DroppedPage // copied from the plan
	// Notes lists pages that had to be rebuilt from their rendered image while building.
	Notes []string
}

// Build writes the packet the plan describes into outDir as FileName(pt...) and checks it: pdfcpu
// validates it, MuPDF re-opens it, its page count must be the plan's, and every page must draw what
// was written for it and show its stamp (both identifiers and "page x of N") as visible text on the
// page (see stampReader). A page whose copy fails those checks is rebuilt from its rendered image.
// The file is written to a temporary file next to the result, synced and renamed, with mode 0600; an
// existing packet of the same name is replaced. Build stops when ctx is cancelled. progress (may be
// nil) is called after each page.
func Build(ctx context.Context, plan Plan, pt Patient, meta CoverInfo, outDir string, opt Options, progress func(done, total int)) (Result, error) {
	initPDFCPU()
	total := plan.Total()
	if total == 0 || len(plan.Docs) == 0 {
		return Result{}, fmt.Errorf("packet: build: %w", ErrEmpty)
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	for _, d := range plan.Docs {
		// Only what a worker inspected is read in this process (see isolate.go).
		if !isChecked(d.Input.Path) {
			return Result{}, fmt.Errorf("packet: build: %s: %w", filepath.Base(d.Input.Path), ErrChanged)
		}
	}
	final := filepath.Join(outDir, FileName(pt.Family, pt.Given, pt.DOB))
	forced := map[PageRef]bool{}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		res, pageRefs, checks, f, err := writeTemp(ctx, plan, pt, meta, outDir, opt, forced, progress)
		if err != nil {
			return Result{}, err
		}
		// The file goes to disk while it is checked (the check reads it back from the page cache);
		// it is renamed only once both are done.
		synced := make(chan error, 1)
		go func() { synced <- f.Sync() }()
		bad, verr := verifyPacket(ctx, res.Path, checks, opt)
		serr := <-synced
		if cerr := f.Close(); serr == nil {
			serr = cerr
		}
		if serr != nil {
			_ = os.Remove(res.Path)
			return Result{}, fmt.Errorf("packet: sync %s: %w", filepath.Base(final), serr)
		}
		if verr == nil && len(bad) == 0 {
			if err := os.Rename(res.Path, final); err != nil {
				_ = os.Remove(res.Path)
				return Result{}, fmt.Errorf("packet: write %s: %w", filepath.Base(final), err)
			}
			syncDir(outDir)
			res.Path = final
			if st, ok := stampOf(final); ok {
				markChecked(final, st) // written and verified here: its preview needs no worker
			}
			return res, nil
		}
		_ = os.Remove(res.Path)
		if ctx.Err() != nil {
			return Result{}, fmt.Errorf("packet: build: %w", ctx.Err())
		}
		lastErr = verr
		progressed := false
		switch {
		case errors.Is(verr, errInvalidOutput):
			// pdfcpu rejects the file: rebuild every copied page from its image.
			for _, r := range pageRefs {
				if r.Doc != nil && !forced[r] {
					forced[r] = true
					progressed = true
				}
			}
		case verr != nil:
			return Result{}, fmt.Errorf("packet: check %s: %w", filepath.Base(final), verr)
		default:
			for _, p := range bad {
				r := pageRefs[p-1]
				if r.Doc == nil || forced[r] {
					continue
				}
				forced[r] = true
				progressed = true
			}
			lastErr = fmt.Errorf("%w: stamp missing on %d pages", ErrVerify, len(bad))
		}
		if !progressed {
			break
		}
	}
	return Result{}, fmt.Errorf("packet: build %s: %w", filepath.Base(final), lastErr)
}

// builder writes the pages of one packet.
type builder struct {
	pw      *pdfWriter
	pt      Patient
	total   int
	pagesNr int
	fontNr  int
	boldNr  int
	fonts   *stampFonts // embedded fonts of a stamp outside Windows-1252 (nil: Helvetica)
	kids    []int
	checks  []pageCheck // what the check after writing expects of each page
	// renderBuf holds the pixels of the last page rebuilt from its image, for the next one.
	renderBuf []byte
}

func newBuilder(w io.Writer, pt Patient, total int) *builder {
	b := &builder{pw: newPDFWriter(w), pt: pt, total: total}
	b.pagesNr = b.pw.alloc()
	b.fontNr = b.pw.alloc()
	b.boldNr = b.pw.alloc()
	for nr, name := range map[int]string{b.fontNr: "Helvetica", b.boldNr: "Helvetica-Bold"} {
		b.pw.object(nr, types.Dict{
			"Type": types.Name("Font"), "Subtype": types.Name("Type1"),
			"BaseFont": types.Name(name), "Encoding": types.Name("WinAnsiEncoding"),
		})
	}
	b.fonts = newStampFonts(b.pw, pt, total)
	return b
}

// addPage stamps and writes one page. shrink scales the original drawing to free the stamp band
// (generated pages leave room for it themselves).
func (b *builder) addPage(body pageBody, shrink bool) int {
	no := len(b.kids) + 1
	line := b.fonts.line(stampText(b.pt, no, b.total))
	lay := stampLayout(body.box, body.rotate, line)
	// Two content streams, which viewers draw as one: the page's drawing, then its stamp. The check
	// after writing runs the stamp's stream alone (see stampReader).
	var c bytes.Buffer
	if shrink {
		c.WriteString("q " + lay.content.op() + "\n")
	} else {
		c.WriteString("q\n")
	}
	c.Write(body.ops)
	c.WriteString("\nQ\n")
	bodyNr, stampNr := b.pw.alloc(), b.pw.alloc()
	b.pw.flateStream(bodyNr, types.Dict{}, c.Bytes())
	b.pw.flateStream(stampNr, types.Dict{}, lay.stamp)
	res := types.Dict{
		"Font":    b.fonts.addResources(types.Dict{stampFont: ref(b.fontNr), boldFont: ref(b.boldNr)}),
		"ProcSet": types.Array{types.Name("PDF"), types.Name("Text"), types.Name("ImageB"), types.Name("ImageC")},
	}
	if len(body.xobjs) > 0 {
		res["XObject"] = body.xobjs
	}
	page := types.Dict{
		"Type":      types.Name("Page"),
		"Parent":    ref(b.pagesNr),
		"MediaBox":  types.Array{types.Float(body.box.x0), types.Float(body.box.y0), types.Float(body.box.x1), types.Float(body.box.y1)},
		"Resources": res,
		"Contents":  types.Array{ref(bodyNr), ref(stampNr)},
	}
	if body.rotate != 0 {
		page["Rotate"] = types.Integer(body.rotate)
	}
	nr := b.pw.alloc()
	b.pw.object(nr, page)
	b.kids = append(b.kids, nr)
	b.checks = append(b.checks, pageCheck{stamp: line.text, body: c.Bytes()})
	return nr
}

// finish writes the page tree, bookmarks, document information and catalog.
func (b *builder) finish(title, author string, marks []bookmark) error {
	kids := make(types.Array, len(b.kids))
	for i, k := range b.kids {
		kids[i] = ref(k)
	}
	b.pw.object(b.pagesNr, types.Dict{"Type": types.Name("Pages"), "Kids": kids, "Count": types.Integer(len(b.kids))})

	catalog := types.Dict{"Type": types.Name("Catalog"), "Pages": ref(b.pagesNr)}
	if len(marks) > 0 {
		outlines := b.pw.alloc()
		nrs := make([]int, len(marks))
		for i := range marks {
			nrs[i] = b.pw.alloc()
		}
		for i, m := range marks {
			d := types.Dict{
				"Title":  pdfTextString(m.title),
				"Parent": ref(outlines),
				"Dest":   types.Array{ref(b.kids[m.page-1]), types.Name("Fit")},
			}
			if i > 0 {
				d["Prev"] = ref(nrs[i-1])
			}
			if i < len(marks)-1 {
				d["Next"] = ref(nrs[i+1])
			}
			b.pw.object(nrs[i], d)
		}
		b.pw.object(outlines, types.Dict{
			"Type": types.Name("Outlines"), "First": ref(nrs[0]), "Last": ref(nrs[len(nrs)-1]),
			"Count": types.Integer(len(marks)),
		})
		catalog["Outlines"] = ref(outlines)
		catalog["PageMode"] = types.Name("UseOutlines")
	}
	info := b.pw.alloc()
	b.pw.object(info, types.Dict{
		"Title":        pdfTextString(title),
		"Author":       pdfTextString(author),
		"Producer":     types.StringLiteral("ReferralDesk"),
		"CreationDate": types.StringLiteral(types.DateString(time.Now())),
	})
	root := b.pw.alloc()
	b.pw.object(root, catalog)
	b.fonts.writeFonts() // subsets of the glyphs every page drew
	return b.pw.finish(root, info)
}

type bookmark struct {
	title string
	page  int
}

// docTitle is "Medical records — Doe, Jane 1970-01-02".
func docTitle(pt Patient) string {
	name := strings.TrimSpace(strings.Join(strings.Fields(pt.Family), " "))
	if g := strings.Join(strings.Fields(pt.Given), " "); g != "" {
		name += ", " + g
	}
	if !pt.DOB.IsZero() {
		name += " " + pt.DOB.Format(time.DateOnly)
	}
	return "Medical records — " + name
}

// writeTemp writes the packet into a new temporary file in outDir. It returns, per output page, the
// source page (Doc nil for cover pages) and what the check expects of it, and the file, written but
// not yet synced nor closed (the caller does both).
func writeTemp(ctx context.Context, plan Plan, pt Patient, meta CoverInfo, outDir string, opt Options,
	forced map[PageRef]bool, progress func(int, int),
) (res Result, refs []PageRef, checks []pageCheck, f *os.File, err error) {
	f, err = os.CreateTemp(outDir, ".packet-*.tmp")
	if err != nil {
		return res, nil, nil, nil, fmt.Errorf("packet: create in output folder: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return res, nil, nil, nil, fmt.Errorf("packet: %w", err)
	}
	total := plan.Total()
	b := newBuilder(f, pt, total)
	res = Result{Path: tmp, Pages: total, CoverPages: plan.CoverPages, Dropped: plan.Dropped}

	// Page ranges first: the cover lists them.
	next := plan.CoverPages + 1
	var cdocs []coverDoc
	var marks []bookmark
	if plan.CoverPages > 0 {
		marks = append(marks, bookmark{"Index", 1})
	}
	for _, d := range plan.Docs {
		bd := BuiltDoc{Input: d.Input, From: next, To: next + len(d.Pages) - 1, Repaired: d.Input.Repaired}
		res.Docs = append(res.Docs, bd)
		title := d.Input.Title
		if title == "" {
			title = defaultTitle(d.Input.Path)
		}
		cdocs = append(cdocs, coverDoc{title: title, date: d.Input.Date, checkDate: d.Input.CheckDate && d.Input.DateSource != DateUser, from: bd.From, to: bd.To})
		label := title
		if !d.Input.Date.IsZero() {
			label = d.Input.Date.Format(time.DateOnly) + "  " + title
		}
		marks = append(marks, bookmark{label, bd.From})
		next += len(d.Pages)
	}
	done := 0
	if plan.CoverPages > 0 {
		cps := coverPages(b.fonts, pt, meta, cdocs, total, plan.Over(), plan.Max, opt.now())
		for i := 0; i < plan.CoverPages; i++ {
			tp := &textPage{}
			if i < len(cps) {
				tp = cps[i]
			}
			b.addPage(pageBody{box: rect{0, 0, letterW, letterH}, ops: tp.ops.Bytes()}, false)
			refs = append(refs, PageRef{})
			done++
			progress(done, total)
		}
	}
	pctx, stopPrefetch := context.WithCancel(ctx)
	defer stopPrefetch()
	sources := prefetch(pctx, plan.Docs, opt)
	for i, d := range plan.Docs {
		if err = ctx.Err(); err != nil {
			return res, nil, nil, nil, fmt.Errorf("packet: build: %w", err)
		}
		src := &docSource{in: d.Input, opt: opt, b: b}
		select {
		case p := <-sources[i]:
			p.taken()
			src.data, src.loadErr, src.pc, src.pcErr, src.parsed = p.data, p.loadErr, p.pc, p.pcErr, p.parsed
		case <-ctx.Done():
			return res, nil, nil, nil, fmt.Errorf("packet: build: %w", ctx.Err())
		}
		for _, p := range d.Pages {
			if err = ctx.Err(); err != nil {
				src.close()
				return res, nil, nil, nil, fmt.Errorf("packet: build: %w", err)
			}
			r := PageRef{Doc: d.Input, Page: p}
			body, shrink, note, perr := src.page(ctx, p, forced[r])
			if perr != nil {
				src.close()
				err = fmt.Errorf("packet: %s page %d: %w", filepath.Base(d.Input.Path), p, perr)
				return res, nil, nil, nil, err
			}
			body = scanLayer(body, d.Input, p) // OCR: upright, with invisible text (scan.go)
			if note != "" {
				res.Notes = append(res.Notes, fmt.Sprintf("%s page %d: %s", filepath.Base(d.Input.Path), p, note))
				if res.Docs[i].Repaired == "" {
					res.Docs[i].Repaired = RepairedRendered
				}
			}
			b.addPage(body, shrink)
			refs = append(refs, r)
			done++
			progress(done, total)
		}
		src.close()
		if b.pw.err != nil {
			err = fmt.Errorf("packet: write: %w", b.pw.err)
			return res, nil, nil, nil, err
		}
	}
	author := strings.TrimSpace(meta.Author)
	if author == "" {
		author = "ReferralDesk"
	}
	if err = b.finish(docTitle(pt), author, marks); err != nil {
		return res, nil, nil, nil, fmt.Errorf("packet: write: %w", err)
	}
	return res, refs, b.checks, f, nil
}

// docSource gives the pages of one input, opening it lazily with pdfcpu (copy) or MuPDF (render).
type docSource struct {
	in      *Input
	opt     Options
	b       *builder
	data    []byte
	loadErr error
	parsed  bool // pc/pcErr are set (by prefetch)
	pc      *model.Context
	cp      *copier
	pcErr   error
	rend    pageRenderer
}

// parsedSource is a source read (and, for a PDF to copy, parsed by pdfcpu) ahead of the writer.
type parsedSource struct {
	data    []byte
	loadErr error
	parsed  bool
	pc      *model.Context
	pcErr   error
	taken   func() // lets prefetch start another source
}

// prefetch reads and parses the sources of docs in order, ahead of the writer and on other cores: up
// to max(2, NumCPU) sources are parsed or waiting, parsed, besides the one being written. Source i
// arrives on the i-th channel. It stops starting new ones when ctx is done.
func prefetch(ctx context.Context, docs []PlannedDoc, opt Options) []chan parsedSource {
	chans := make([]chan parsedSource, len(docs))
	for i := range chans {
		chans[i] = make(chan parsedSource, 1)
	}
	ahead := make(chan struct{}, max(2, runtime.NumCPU()))
	go func() {
		for i, d := range docs {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				p := parseSource(ctx, d.Input, opt)
				p.taken = func() { <-ahead }
				chans[i] <- p
			}()
		}
	}()
	return chans
}

// parseSource reads a PDF to copy and parses it with pdfcpu; other inputs are left to docSource.
func parseSource(ctx context.Context, in *Input, opt Options) parsedSource {
	var p parsedSource
	if in.Kind != KindPDF || in.render {
		return p
	}
	p.data, p.loadErr = readInput(in.Path)
	if p.loadErr == nil {
		p.pc, p.pcErr = guard(ctx, opt.timeout(), func(ctx context.Context) (*model.Context, error) {
			return readPDF(ctx, p.data, opt.password(in.Path))
		})
		p.parsed = true
	}
	return p
}

func (s *docSource) close() {
	if s.rend != nil {
		s.rend.Close()
		s.rend = nil
	}
	s.pc, s.cp, s.data = nil, nil, nil
}

func (s *docSource) load() error {
	if s.loadErr != nil {
		return s.loadErr
	}
	if s.data != nil {
		return nil
	}
	d, err := readInput(s.in.Path)
	if err != nil {
		return err
	}
	s.data = d
	return nil
}

// page returns the body of page p (1-based) and whether to shrink it for the stamp band; note says
// when the page had to be rendered although it should have been copied.
func (s *docSource) page(ctx context.Context, p int, forceRender bool) (body pageBody, shrink bool, note string, err error) {
	if err := s.load(); err != nil {
		return body, false, "", err
	}
	if s.in.Kind == KindImage {
		switch s.in.imageType {
		case "jpeg":
			body, err = s.b.jpegPage(s.data)
			return body, true, "", err
		case "png":
			body, err = s.b.pngPage(s.data)
			return body, true, "", err
		}
		body, err = s.render(ctx, p)
		return body, true, "", err
	}
	if !s.in.render && !forceRender && !s.in.mustDraw[p] {
		if body, err := s.copyPage(ctx, p); err == nil {
			return body, true, "", nil
		}
		note = "rebuilt from its rendered image"
	}
	if (forceRender || s.in.mustDraw[p]) && !s.in.render {
		note = "rebuilt from its rendered image"
	}
	body, err = s.render(ctx, p)
	return body, true, note, err
}

func (s *docSource) copyPage(ctx context.Context, p int) (pageBody, error) {
	if s.cp == nil && s.pcErr == nil {
		if !s.parsed {
			s.pc, s.pcErr = guard(ctx, s.opt.timeout(), func(ctx context.Context) (*model.Context, error) {
				return readPDF(ctx, s.data, s.opt.password(s.in.Path))
			})
			s.parsed = true
		}
		if s.pcErr == nil {
			if s.pc.PageCount != s.in.Pages {
				s.pcErr = fmt.Errorf("page count changed: %w", ErrDamaged)
			} else {
				s.cp = newCopier(s.pc.XRefTable, s.b.pw)
			}
		}
	}
	if s.pcErr != nil {
		return pageBody{}, s.pcErr
	}
	var body pageBody
	err := safely(func() error {
		var err error
		body, err = s.cp.copyPage(p)
		return err
	})
	if err != nil {
		s.cp.pending = nil
	}
	return body, err
}

func (s *docSource) render(ctx context.Context, p int) (pageBody, error) {
	if body, ok, err := s.prerenderedBody(p); ok {
		return body, err
	}
	if s.rend == nil {
		rend, err := guard(ctx, s.opt.timeout(), func(context.Context) (pageRenderer, error) {
			if s.in.Kind == KindImage {
				d, err := fitz.NewFromMemory(s.data)
				if err != nil {
					if d != nil {
						_ = d.Close()
					}
					return nil, err
				}
				return fitzRenderer{d}, nil
			}
			return openBuildRenderer(s.data, s.opt.password(s.in.Path))
		})
		if err != nil {
			return pageBody{}, err
		}
		s.rend = rend
	}
	rend := s.rend
	// The builder's buffer is this render's until it returns; a render left running past its time
	// limit keeps it (a new one is made next time).
	buf := s.b.renderBuf
	s.b.renderBuf = nil
	type rendered struct {
		img *image.RGBA
		dpi float64
	}
	r, err := guard(ctx, s.opt.timeout(), func(context.Context) (rendered, error) {
		img, dpi, err := renderForBuild(rend, p, s.opt.dpi(), buf)
		return rendered{img, dpi}, err
	})
	if err != nil {
		if errors.Is(err, ErrTimeout) || ctx.Err() != nil {
			// MuPDF may still be rendering: leave the document to that goroutine (never close it
			// under its feet); its memory is lost, which beats a crash.
			s.rend = nil
		} else {
			s.b.renderBuf = buf
		}
		return pageBody{}, err
	}
	body, err := s.b.renderedBody(r.img, r.dpi) // encoded here: the pixels are free again after it
	s.b.renderBuf = r.img.Pix
	return body, err
}

// errInvalidOutput: pdfcpu rejected the written file.
var errInvalidOutput = errors.New("written file fails PDF validation")

// verifyPacket re-reads the written file: pdfcpu must validate it, MuPDF must open it with the
// expected page count, and each page must hold what checks says of it (see stampReader). It returns
// the 1-based pages that fail. MuPDF reads the pages on runtime.NumCPU() workers, each with its own
// document (calls on one document are serialized), next to pdfcpu's validation.
func verifyPacket(ctx context.Context, path string, checks []pageCheck, opt Options) ([]int, error) {
	file, err := readDrawBuf(path)
	if err != nil {
		return nil, err
	}
	data := file.b
	// The buffer goes once every reader of it is done, even one left running past its time limit.
	var readers sync.WaitGroup
	defer func() { go func() { readers.Wait(); file.free() }() }()
	limit := opt.timeout()
	validation := make(chan error, 1)
	readers.Add(1)
	go func() {
		_, err := guard(ctx, limit, func(ctx context.Context) (struct{}, error) {
			defer readers.Done()
			pc, err := readPDF(ctx, data, "")
			if err == nil {
				err = validatePDF(pc)
			}
			if err != nil {
				return struct{}{}, fmt.Errorf("%w: %w", errInvalidOutput, err)
			}
			if pc.PageCount != len(checks) {
				return struct{}{}, fmt.Errorf("%w: pdfcpu counts %d pages, planned %d", ErrVerify, pc.PageCount, len(checks))
			}
			return struct{}{}, nil
		})
		validation <- err
	}()

	workers := min(max(runtime.NumCPU(), 1), len(checks))
	pages := make(chan int, len(checks))
	for i := range checks {
		pages <- i
	}
	close(pages)
	type part struct {
		bad []int
		err error
	}
	parts := make(chan part, workers)
	for w := 0; w < workers; w++ {
		readers.Add(1)
		go func() {
			bad, err := guard(ctx, limit, func(ctx context.Context) ([]int, error) {
				defer readers.Done()
				doc, err := openStampReader(data, file.mapped)
				if err != nil {
					return nil, fmt.Errorf("%w: MuPDF cannot open it: %w", ErrVerify, err)
				}
				defer doc.Close()
				if n := doc.NumPage(); n != len(checks) {
					return nil, fmt.Errorf("%w: MuPDF counts %d pages, planned %d", ErrVerify, n, len(checks))
				}
				var bad []int
				for i := range pages {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
					if !doc.Shows(i, checks[i]) {
						bad = append(bad, i+1)
					}
				}
				return bad, nil
			})
			parts <- part{bad, err}
		}()
	}
	var bad []int
	var firstErr error
	for w := 0; w < workers; w++ {
		p := <-parts
		bad = append(bad, p.bad...)
		if p.err != nil && firstErr == nil {
			firstErr = p.err
		}
	}
	if err := <-validation; err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	sort.Ints(bad)
	return bad, nil
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// syncDir makes a rename durable (best effort; not supported everywhere).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
