// Package icd10 is an offline ICD-10-CM code list with lookup and search.
//
// The data is the FY2026 CMS/CDC release (public domain), billable codes only, embedded in
// package assets as a compressed TSV, with the entries of the ICD-10-CM Index to Diseases and
// Injuries (FY2025, codes mapped to FY2026) as synonyms and curated lists of clinical
// abbreviations and lay terms. Load parses it all into an Index (roughly 0.2-0.3 s of CPU, the
// Index entries about 40 % of it; the app does it once in the background at start). An Index is
// read-only and safe for concurrent use by any number of goroutines.
//
// Codes are stored and compared undotted and upper-case ("E119"); Code.Code holds the dotted
// form people read and write ("E11.9"). Normalize and Dotted convert between the two.
package icd10

//go:generate go run ./internal/gen -in ../../../shared/data/icd10cm/icd10cm_order_2026.txt -out ../../assets/icd10cm/icd10cm_2026.tsv.gz
//go:generate go run ./internal/genindex -in ../../../shared/data/icd10cm-index/ICD10CM_2025_Index.csv -codes ../../assets/icd10cm/icd10cm_2026.tsv.gz -out ../../assets/icd10cm/index_2025.tsv.gz

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/referraldesk/referraldesk/assets"
)

// Code is one billable ICD-10-CM code.
type Code struct {
	Code  string // dotted, e.g. "E11.9"
	Short string // CMS short description (at most 60 characters, with abbreviations)
	Long  string // full description
}

// Index holds the code list and its search structures. Build it with Load or LoadFrom.
// It is never modified after it is built, so it is safe for concurrent use.
type Index struct {
	codes    []Code   // tabular order
	undotted []string // undotted code of codes[i]
	keys     []uint64 // packed code key<<posBits | position, ascending (see packCode)

	// Keyword index. Terms are lower-case ASCII words of the descriptions, numbered in sorted
	// order, so the terms that start with a prefix are a contiguous range of term ids.
	vocab     []string
	letters   []uint32 // letterMask of each vocab word, to skip most words when correcting typos
	postStart []uint32 // postings of term t: postings[postStart[t]:postStart[t+1]]
	postings  []int32  // document (code position) lists, ascending
	docStart  []uint32 // terms of document d: docTerms[docStart[d]:docStart[d+1]]
	docTerms  []int32  // per document: counted long terms, other long terms, short-only terms
	nCounted  []uint8  // how many of the document's terms are counted long-description words
	nLong     []uint8  // how many of the document's terms come from the long description
	prior     []int16  // query-independent ranking bonus of the document

	// Documents from len(codes) on are entries of the ICD-10-CM Index to Diseases and Injuries:
	// entry i leads to code synCode[i]; synPath is its path ("Attack, heart") and synVia the "see"
	// reference it was resolved through ("Infarct, myocardium"), both for explaining a match.
	synCode []int32
	synPath []string
	synVia  []string

	// Abbreviations and lay terms: normalized phrase -> its meanings, in order of preference.
	expand map[string][]expansion
}

// Load builds the index from the data embedded in the application: the code list, the
// ICD-10-CM Index entries that lead to codes, and the abbreviation and lay-term lists.
func Load() (*Index, error) {
	// The synonyms decompress on another core while the code list is read.
	type text struct {
		s   string
		err error
	}
	sync := make(chan text, 1)
	go func() {
		s, err := gunzip(bytes.NewReader(assets.ICD10CMIndex), gzipSize(assets.ICD10CMIndex))
		sync <- text{s, err}
	}()
	data, err := gunzip(bytes.NewReader(assets.ICD10CM), gzipSize(assets.ICD10CM))
	syn := <-sync
	if err != nil {
		return nil, fmt.Errorf("icd10: embedded code list: %w", err)
	}
	if syn.err != nil {
		return nil, fmt.Errorf("icd10: embedded index synonyms: %w", syn.err)
	}
	ix, err := build(data, syn.s)
	if err != nil {
		return nil, fmt.Errorf("icd10: embedded data: %w", err)
	}
	if ix.expand, err = parseExpansions(assets.ICD10Abbreviations, assets.ICD10LayTerms); err != nil {
		return nil, fmt.Errorf("icd10: embedded term lists: %w", err)
	}
	return ix, nil
}

// gzipSize returns the uncompressed size from a gzip trailer (mod 2^32), to size the buffer once.
func gzipSize(data []byte) int {
	if len(data) < 4 {
		return 0
	}
	return int(binary.LittleEndian.Uint32(data[len(data)-4:]))
}

// LoadFrom builds the index from a gzip-compressed TSV stream in the format of the embedded
// asset (see assets/icd10cm/README.md): undotted code, short and long description per line.
// It has no synonyms, abbreviations or lay terms: only the code descriptions are searched.
func LoadFrom(r io.Reader) (*Index, error) {
	data, err := gunzip(r, 0)
	if err != nil {
		return nil, fmt.Errorf("icd10: %w", err)
	}
	ix, err := build(data, "")
	if err != nil {
		return nil, fmt.Errorf("icd10: %w", err)
	}
	return ix, nil
}

func gunzip(r io.Reader, sizeHint int) (string, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return "", fmt.Errorf("open gzip stream: %w", err)
	}
	// A strings.Builder hands over its buffer without copying: codes and descriptions are
	// substrings of this one string.
	var sb strings.Builder
	if sizeHint > 0 && sizeHint < 1<<30 {
		sb.Grow(sizeHint)
	}
	if _, err := io.Copy(&sb, zr); err != nil {
		return "", fmt.Errorf("decompress: %w", err)
	}
	if err := zr.Close(); err != nil {
		return "", fmt.Errorf("decompress: %w", err)
	}
	return sb.String(), nil
}

// Len returns the number of codes in the index.
func (ix *Index) Len() int { return len(ix.codes) }

// Lookup returns the billable code with the given code, written with or without the dot and in
// any case ("E11.9", "e119"). Category headers that are not billable (such as "E11") are not
// in the index.
func (ix *Index) Lookup(code string) (Code, bool) {
	k, ok := packCode(Normalize(code))
	if !ok {
		return Code{}, false
	}
	lo, hi := ix.keyRange(k, 1)
	if lo == hi {
		return Code{}, false
	}
	return ix.codes[ix.pos(lo)], true
}

// keyRange returns the range of ix.keys whose code keys are in [k, k+span).
func (ix *Index) keyRange(k, span uint64) (lo, hi int) {
	lo, _ = slices.BinarySearch(ix.keys, k<<posBits)
	hi, _ = slices.BinarySearch(ix.keys, (k+span)<<posBits)
	return lo, hi
}

// pos returns the code position stored in ix.keys[i].
func (ix *Index) pos(i int) int32 { return int32(ix.keys[i] & (1<<posBits - 1)) }

// Normalize returns code in the index's key form: surrounding spaces and dots removed,
// ASCII letters upper-cased. "e11.9" -> "E119". It does not check that the code exists.
func Normalize(code string) string {
	code = strings.TrimSpace(code)
	clean := true
	for i := 0; i < len(code); i++ {
		if c := code[i]; c == '.' || ('a' <= c && c <= 'z') {
			clean = false
			break
		}
	}
	if clean {
		return code
	}
	b := make([]byte, 0, len(code))
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '.':
			continue
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// Dotted returns code in the usual written form: normalized, with a dot after the third
// character when it is longer than three characters. "E119" -> "E11.9", "A00" -> "A00",
// "QA00101" -> "QA0.0101" (CMS puts the dot after the category, always three characters).
func Dotted(code string) string {
	n := Normalize(code)
	if len(n) <= 3 {
		return n
	}
	return n[:3] + "." + n[3:]
}
