package screens

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/ehrimport"
)

// Imports reads a clinic's EHR export (C-CDA, FHIR JSON, or a zip of them) into what an order needs:
// the patient matched against the local charts, diagnosis suggestions, and the document as packet
// files (its readable part as a PDF, and PDFs it carries). Nothing is saved to the database.
type Imports interface {
	Import(ctx context.Context, path string) (Imported, error)
}

// Imported is one read export.
type Imported struct {
	Doc   *ehrimport.Document
	Match ehrimport.Match
	Files []app.PacketInput // written in the data folder, dated with the document's own dates
}

// importExts are the extensions the file dialog offers; the kind is decided by content.
var importExts = []string{".xml", ".json", ".zip", ".ccd", ".cda"}

// browseImport asks for an EHR export file.
func (u *UI) browseImport() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		u.importFile(path)
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter(importExts))
	showFileDialog(d)
}

// importFile reads the export off the UI thread, then shows what was found and the next step.
func (u *UI) importFile(path string) {
	if u.deps.Imports == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	prog := dialog.NewCustomWithoutButtons(catalog.T(catalog.UIImportReadingEhrExport),
		container.NewVBox(widget.NewProgressBarInfinite(), widget.NewButton(catalog.T(catalog.UIImportCancel), cancel)), u.win)
	prog.Show()
	run(&u.bg, func(context.Context) (Imported, error) {
		defer cancel()
		return u.deps.Imports.Import(ctx, path)
	}, func(im Imported, err error) {
		prog.Hide()
		if err != nil {
			showError(u.win, catalog.T(catalog.UIImportFileCouldNotImported), err)
			return
		}
		u.showImported(im)
	})
}

// showImported says what the export holds and offers the chart: the matching one, or a new one
// prefilled for checking.
func (u *UI) showImported(im Imported) {
	doc := im.Doc
	p := doc.ChartPatient()
	lines := []string{
		fmt.Sprintf("%s — %s", doc.Format, cmpOr(doc.DocType, doc.Title)),
		catalog.T(catalog.UIImportPatientDisplayNameBorn, p.DisplayName(), cmpOr(app.FormatDate(p.BirthDate), catalog.T(catalog.UIImportBirthDateNotGiven)), cmpOr(sexText(p.Sex), catalog.T(catalog.UIImportSexNotGiven))),
		catalog.T(catalog.UIImportNProblemsNB, len(doc.Problems), len(doc.Medications), len(doc.Allergies), len(im.Files)),
	}
	for _, w := range doc.Warnings {
		lines = append(lines, "⚠ "+w)
	}
	if len(doc.Skipped) > 0 {
		lines = append(lines, catalog.T(catalog.UIImportNotReadNPart, len(doc.Skipped), strings.Join(first(doc.Skipped, 3), "; ")))
	}
	summary := widget.NewLabel(strings.Join(lines, "\n"))
	summary.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(summary, widget.NewSeparator())
	var d dialog.Dialog
	start := func(c app.Patient) {
		d.Hide()
		u.startImportedOrder(c, im)
	}
	switch im.Match.Kind {
	case ehrimport.MatchExact:
		box.Add(widget.NewLabel(catalog.T(catalog.UIImportPatientAlreadyHasChart, patientLine(im.Match.Chart))))
		box.Add(widget.NewButton(catalog.T(catalog.UIImportStartOrderChart), func() { start(im.Match.Chart) }))
	case ehrimport.MatchNear:
		box.Add(widget.NewLabel(catalog.T(catalog.UIImportChartHereMaySame, im.Match.Reason)))
		for _, c := range im.Match.Candidates {
			box.Add(widget.NewButton(catalog.T(catalog.UIImportUseC, patientLine(c)), func() { start(c) }))
		}
	}
	box.Add(widget.NewButton(catalog.T(catalog.UIImportCreateNewChartFrom), func() {
		d.Hide()
		u.NewOrder()
		showChartForm(u, p, func(c app.Patient) { u.startImportedOrder(c, im) }, func() { u.editor.goTo(stepPatient) })
	}))
	d = dialog.NewCustom(catalog.T(catalog.UIImportImportedFromEhr), catalog.T(catalog.UIImportClose), container.NewVScroll(box), u.win)
	d.Resize(fyne.NewSize(640, 440))
	d.Show()
}

// startImportedOrder starts an order for chart c carrying the import: its problems become
// diagnosis suggestions and its documents go into the records packet.
func (u *UI) startImportedOrder(c app.Patient, im Imported) {
	if u.editor == nil || u.editor.order.ID != 0 {
		u.NewOrder()
	}
	e := u.editor
	e.imported = &im
	e.setPatient(c)
}

// keepImportedFiles puts the import's documents into the new order's records packet, and keeps
// its problems, medications and allergies with the order (they are offered again after a restart).
func (e *orderEditor) keepImportedFiles() {
	if e.imported == nil {
		return
	}
	id, im, work := e.order.ID, e.imported, e.u.deps.work()
	run(&e.u.bg, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, work.KeepImport(ctx, id, im.Doc)
	}, func(_ struct{}, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.ImportKeepFailed), err)
		}
	})
	if len(im.Files) == 0 || e.u.deps.Packets == nil {
		return
	}
	files := im.Files
	run(&e.u.bg, func(ctx context.Context) (struct{}, error) {
		have, err := e.u.deps.Packets.PacketInputs(ctx, id)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, e.u.deps.Packets.SavePacketInputs(ctx, id, append(have, files...))
	}, func(_ struct{}, err error) {
		if err != nil {
			showError(e.u.win, catalog.T(catalog.UIImportImportedDocumentsWereNot), err)
		}
	})
}

// importedSuggestions are the diagnoses the import suggests, best first, with why.
func (e *orderEditor) importedSuggestions() []app.Diagnosis {
	if e.imported == nil {
		return nil
	}
	var out []app.Diagnosis
	for _, pr := range e.imported.Doc.Problems {
		for i, dx := range pr.Suggestions {
			if i == 2 {
				break
			}
			dx.Why = catalog.T(catalog.UIImportFromImportedDocumentName, pr.Name)
			out = append(out, dx)
		}
	}
	return out
}

func cmpOr(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func first(ss []string, n int) []string {
	if len(ss) > n {
		return ss[:n]
	}
	return ss
}
