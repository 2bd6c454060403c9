package packet

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
)

// benchFiles: ten sample PDFs, 42 pages (text, scans, rotation, PDF 2.0, CMYK, annotations).
var benchFiles = []string{
	"pypdf--GeoBase_NHNC1_Data_Model_UML_EN.pdf", "pypdf--Seige_of_Vicksburg_Sample_OCR.pdf",
	"pysamples--habibi-rotated.pdf", "pysamples--pdflatex-4-pages.pdf", "pysamples--multicolumn.pdf",
	"pdf20--PDF_2.0_with_page_level_output_intent.pdf", "pysamples--google-doc-document.pdf",
	"pysamples--crazyones-pdfa.pdf", "pysamples--cmyk-image.pdf", "pypdf--commented.pdf",
}

// BenchmarkBuild builds a packet (cover, stamps, bookmarks, validation and text check of every page)
// from ten sample PDFs; the "qpdf" sub-benchmark is a plain merge of the same files for comparison.
func BenchmarkBuild(b *testing.B) {
	samples(b)
	var paths []string
	var inputs []*Input
	for _, f := range benchFiles {
		p := filepath.Join(samplesRel, f)
		paths = append(paths, p)
		in := Inspect(context.Background(), p, testPatient, Options{})
		if in.Err != nil {
			b.Fatal(in.Err)
		}
		inputs = append(inputs, in)
	}
	plan := NewPlan(inputs, 50, true)
	out := b.TempDir()
	b.Run("packet", func(b *testing.B) {
		for b.Loop() {
			if _, err := Build(context.Background(), plan, testPatient, CoverInfo{ProviderName: "Smith, John", ProviderNPI: "1234567890", Department: "Cardiology"}, out, Options{}, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(plan.Total()), "pages")
	})
	b.Run("qpdf", func(b *testing.B) {
		if _, err := exec.LookPath("qpdf"); err != nil {
			b.Skip("qpdf not installed")
		}
		args := append(append([]string{"--empty", "--pages"}, paths...), "--", filepath.Join(out, "qpdf.pdf"))
		for b.Loop() {
			if err := exec.Command("qpdf", args...).Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInspect inspects the same ten files (text, dates, flags, blank and duplicate detection).
func BenchmarkInspect(b *testing.B) {
	samples(b)
	for b.Loop() {
		for _, f := range benchFiles {
			if in := Inspect(context.Background(), filepath.Join(samplesRel, f), testPatient, Options{}); in.Err != nil {
				b.Fatal(in.Err)
			}
		}
	}
}
