// Command gen converts the CMS ICD-10-CM "order" file (fixed width, tabular order) into the
// compressed TSV that package icd10 embeds: one billable code per line, in tabular order, as
//
//	CODE<TAB>SHORT DESCRIPTION<TAB>LONG DESCRIPTION<LF>
//
// with the code undotted and the descriptions trimmed. The output is gzip-compressed at the best
// level and is deterministic (no name or timestamp in the gzip header), so regenerating from the
// same input gives a byte-identical file.
//
// It is run by "go generate" in app/icd10; see the go:generate line there.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	in := flag.String("in", "", "CMS order file (icd10cm_order_YYYY.txt)")
	out := flag.String("out", "", "output file (.tsv.gz)")
	flag.Parse()
	if *in == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	log.SetFlags(0)
	log.SetPrefix("icd10 gen: ")
	n, err := run(*in, *out)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d billable codes to %s", n, *out)
}

func run(in, out string) (int, error) {
	f, err := os.Open(in)
	if err != nil {
		return 0, err
	}
	defer f.Close()

	var tsv bytes.Buffer
	n, err := convert(f, &tsv)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", in, err)
	}

	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(tsv.Bytes()); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}

	// Write to a temporary file first so an interrupted run never leaves a truncated asset.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".icd10-gen-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(gz.Bytes()); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), out)
}

// convert reads the fixed-width order file and writes the billable lines as TSV.
// Columns (1-based): 1-5 order number, 7-13 code, 15 billable flag, 17-76 short description,
// 78 onwards long description.
func convert(r io.Reader, w io.Writer) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	bw := bufio.NewWriter(w)
	seen := make(map[string]bool)
	line, n := 0, 0
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r")
		if s == "" {
			continue
		}
		if len(s) < 78 {
			return 0, fmt.Errorf("line %d: too short (%d bytes) for the fixed-width layout", line, len(s))
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '\t' || c < 0x20 || c > 0x7e {
				return 0, fmt.Errorf("line %d: unexpected byte %#x at column %d", line, c, i+1)
			}
		}
		code := strings.TrimSpace(s[6:13])
		flagCol := s[14]
		short := strings.TrimSpace(s[16:76])
		long := strings.TrimSpace(s[77:])
		if !validCode(code) {
			return 0, fmt.Errorf("line %d: bad code %q", line, code)
		}
		switch flagCol {
		case '0':
			continue
		case '1':
		default:
			return 0, fmt.Errorf("line %d: bad billable flag %q", line, flagCol)
		}
		if short == "" || long == "" {
			return 0, fmt.Errorf("line %d: %s has an empty description", line, code)
		}
		if seen[code] {
			return 0, fmt.Errorf("line %d: duplicate code %s", line, code)
		}
		seen[code] = true
		fmt.Fprintf(bw, "%s\t%s\t%s\n", code, short, long)
		n++
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, errors.New("no billable codes found")
	}
	return n, bw.Flush()
}

// validCode accepts an undotted ICD-10-CM code: 3 to 7 upper-case letters or digits, starting
// with a letter. The second character may be a letter (FY2026 added QA0...).
func validCode(c string) bool {
	if len(c) < 3 || len(c) > 7 || c[0] < 'A' || c[0] > 'Z' {
		return false
	}
	for i := 1; i < len(c); i++ {
		if b := c[i]; (b < 'A' || b > 'Z') && (b < '0' || b > '9') {
			return false
		}
	}
	return true
}
