package packet

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/referraldesk/referraldesk/assets"
)

// The stamp in any script. A stamp (or a text of the cover and fax form) that fits Windows-1252 is
// drawn in the standard Helvetica (nothing embedded, no cost). Otherwise the packet embeds a subset of Noto Sans (Latin,
// Greek, Cyrillic, Vietnamese; assets/fonts) as a Type0/CIDFontType2 font with a ToUnicode map,
// so that text extraction gives back the exact name; letters Noto Sans lacks (CJK) come from a
// TrueType font of the system when one is found, else they are stamped as '?'.

// unicodeFontRes is the resource name of the first embedded stamp font; fallbacks are RDU1, RDU2...
const unicodeFontRes = "RDU"

// fallbackFontsEnv lists more TrueType fonts (files or collections) to take missing letters
// from, separated like PATH; they are tried before the system's.
const fallbackFontsEnv = "REFERRALDESK_STAMP_FONTS"

// systemFallbackFonts are TrueType-outline fonts with CJK found on common systems (the first font
// of a collection is used). CFF-outline fonts (.otf, Noto CJK) are not usable by the subsetter.
func systemFallbackFonts() []string {
	switch runtime.GOOS {
	case "windows":
		dir := filepath.Join(os.Getenv("WINDIR"), "Fonts")
		return []string{filepath.Join(dir, "msyh.ttc"), filepath.Join(dir, "simsun.ttc"), filepath.Join(dir, "simhei.ttf"), filepath.Join(dir, "malgun.ttf"), filepath.Join(dir, "meiryo.ttc")}
	case "darwin":
		return []string{"/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Arial Unicode.ttf", "/System/Library/Fonts/STHeiti Light.ttc"}
	}
	return []string{
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/arphic/uming.ttc",
	}
}

var (
	notoOnce sync.Once
	notoFont *ttFont
	notoErr  error

	fallbackOnce  sync.Once
	fallbackFonts []*ttFont
)

func primaryFont() (*ttFont, error) {
	notoOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(assets.StampFontGz))
		if err != nil {
			notoErr = fmt.Errorf("packet: stamp font: %w", err)
			return
		}
		data, err := io.ReadAll(zr)
		if err != nil {
			notoErr = fmt.Errorf("packet: stamp font: %w", err)
			return
		}
		if notoFont, err = parseTrueType(data, 0); err != nil {
			notoErr = fmt.Errorf("packet: stamp font: %w", err)
		}
	})
	return notoFont, notoErr
}

// fallbacks are read once, the first time a stamp needs a letter Noto Sans lacks.
func fallbacks() []*ttFont {
	fallbackOnce.Do(func() {
		paths := filepath.SplitList(os.Getenv(fallbackFontsEnv))
		for _, p := range append(paths, systemFallbackFonts()...) {
			if p == "" {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			if f, err := parseTrueType(data, 0); err == nil {
				fallbackFonts = append(fallbackFonts, f)
			}
		}
	})
	return fallbackFonts
}

// stampFonts are the embedded fonts of one packet's text: the stamps, and the names and other
// text of the generated pages (cover, fax form) that Windows-1252 cannot show. A font is added (and
// its object number reserved) the first time a letter needs it, and written with the subset of the
// glyphs used when the packet is finished (writeFonts), so that text drawn after the first page
// needs no planning ahead.
type stampFonts struct {
	pw    *pdfWriter
	fonts []*embeddedFont
	err   error // the embedded font could not be read: Helvetica (WinAnsi) is used throughout
}

type embeddedFont struct {
	tt   *ttFont
	res  string
	nr   int             // the Type0 font object
	uses map[uint16]rune // glyph → the letter it shows (for ToUnicode)
}

// stampRun is a piece of a stamp line drawn in one font.
type stampRun struct {
	res  string // font resource name
	data []byte // WinAnsi bytes (Helvetica) or big-endian glyph ids
	hex  bool   // write as a hex string
}

// stampLine is one page's stamp, ready to draw.
type stampLine struct {
	runs   []stampRun
	width1 float64 // width at font size 1
	text   string  // what text extraction gives back
}

// fitsWinAnsi reports whether Helvetica shows s exactly.
func fitsWinAnsi(s string) bool {
	for _, r := range s {
		if b, ok := charmap.Windows1252.EncodeRune(r); !ok || b < 32 {
			return false
		}
	}
	return true
}

// newStampFonts prepares the fonts of one packet; nothing is embedded until a text needs it.
func newStampFonts(pw *pdfWriter, _ Patient, _ int) *stampFonts {
	return &stampFonts{pw: pw}
}

// unicode reports whether the embedded fonts can be used (the primary one is loaded on first use).
func (sf *stampFonts) unicode() bool {
	if sf == nil || sf.err != nil {
		return false
	}
	if len(sf.fonts) == 0 {
		noto, err := primaryFont()
		if err != nil {
			sf.err = err // the embedded font is tested; should it ever fail, WinAnsi text remains
			return false
		}
		sf.fonts = []*embeddedFont{{tt: noto, res: unicodeFontRes, nr: sf.pw.alloc(), uses: map[uint16]rune{}}}
	}
	return true
}

// find is the font and glyph that show r, without adding anything: a font of the packet, else a
// fallback font (tt set, f nil), else '?' in the first font.
func (sf *stampFonts) find(r rune) (f *embeddedFont, tt *ttFont, g uint16, shown rune) {
	if r == '\n' || r == '\r' || r == '\t' {
		r = ' '
	}
	for _, f := range sf.fonts {
		if g, ok := f.tt.cmap[r]; ok {
			return f, f.tt, g, r
		}
	}
	for _, tt := range fallbacks() {
		if g, ok := tt.cmap[r]; ok {
			return nil, tt, g, r
		}
	}
	f = sf.fonts[0]
	return f, f.tt, f.tt.cmap['?'], '?'
}

// glyphFor finds the font and glyph for r, adding a fallback font when needed. A letter no font
// has is drawn as '?' in the first font.
func (sf *stampFonts) glyphFor(r rune) (*embeddedFont, uint16, rune) {
	f, tt, g, shown := sf.find(r)
	if f == nil {
		f = &embeddedFont{tt: tt, res: fmt.Sprintf("%s%d", unicodeFontRes, len(sf.fonts)), nr: sf.pw.alloc(), uses: map[uint16]rune{}}
		sf.fonts = append(sf.fonts, f)
	}
	f.uses[g] = shown
	return f, g, shown
}

// width1 is the width of s at font size 1 as line would draw it.
func (sf *stampFonts) width1(s string) float64 {
	if fitsWinAnsi(s) || !sf.unicode() {
		return textWidth(winAnsi(s), "Helvetica", 1)
	}
	w := 0.0
	for _, r := range norm.NFC.String(s) {
		_, tt, g, _ := sf.find(r)
		w += float64(tt.advances[g]) / float64(tt.unitsPerEm)
	}
	return w
}

// line encodes one line of text: in Helvetica (WinAnsi) when that shows it exactly, else in the
// embedded fonts.
func (sf *stampFonts) line(s string) stampLine {
	if fitsWinAnsi(s) || !sf.unicode() {
		enc := winAnsi(s)
		return stampLine{
			runs:   []stampRun{{res: stampFont, data: enc}},
			width1: textWidth(enc, "Helvetica", 1),
			text:   fromWinAnsi(enc),
		}
	}
	var l stampLine
	var text strings.Builder
	for _, r := range norm.NFC.String(s) {
		f, g, shown := sf.glyphFor(r)
		text.WriteRune(shown)
		l.width1 += float64(f.tt.advances[g]) / float64(f.tt.unitsPerEm)
		if n := len(l.runs); n == 0 || l.runs[n-1].res != f.res {
			l.runs = append(l.runs, stampRun{res: f.res, hex: true})
		}
		run := &l.runs[len(l.runs)-1]
		run.data = append(run.data, byte(g>>8), byte(g))
	}
	l.text = text.String()
	return l
}

// writeFonts embeds the fonts used, each with the subset of its glyphs drawn on any page.
func (sf *stampFonts) writeFonts() {
	if sf == nil {
		return
	}
	for _, f := range sf.fonts {
		if len(f.uses) > 0 {
			f.write(sf.pw)
		}
	}
}

// addResources puts the embedded fonts into a page's /Font dictionary.
func (sf *stampFonts) addResources(fonts types.Dict) types.Dict {
	if sf == nil {
		return fonts
	}
	for _, f := range sf.fonts {
		if len(f.uses) > 0 { // a font no text used yet is not on the page
			fonts[f.res] = ref(f.nr)
		}
	}
	return fonts
}

// write embeds the font: Type0 → CIDFontType2 (glyph ids as CIDs) → descriptor → subset program,
// and the ToUnicode map.
func (f *embeddedFont) write(pw *pdfWriter) {
	used := make(map[uint16]bool, len(f.uses))
	gids := make([]uint16, 0, len(f.uses))
	for g := range f.uses {
		used[g] = true
		gids = append(gids, g)
	}
	slices.Sort(gids)
	h := sha1.New()
	for _, g := range gids {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	base := types.Name(string(tag) + "+" + f.tt.name)
	scale := func(v int) types.Integer { return types.Integer(v * 1000 / f.tt.unitsPerEm) }

	cidNr, descNr, fileNr, cmapNr := pw.alloc(), pw.alloc(), pw.alloc(), pw.alloc()
	program := f.tt.subset(used)
	pw.flateStream(fileNr, types.Dict{"Length1": types.Integer(len(program))}, program)
	bb := f.tt.bbox
	pw.object(descNr, types.Dict{
		"Type": types.Name("FontDescriptor"), "FontName": base, "Flags": types.Integer(4),
		"FontBBox":    types.Array{scale(int(bb[0])), scale(int(bb[1])), scale(int(bb[2])), scale(int(bb[3]))},
		"ItalicAngle": types.Float(f.tt.italic), "Ascent": scale(int(f.tt.ascent)), "Descent": scale(int(f.tt.descent)),
		"CapHeight": scale(int(f.tt.capHeight)), "StemV": types.Integer(80), "FontFile2": ref(fileNr),
	})
	w := types.Array{}
	for _, g := range gids {
		w = append(w, types.Integer(g), types.Array{scale(int(f.tt.advances[g]))})
	}
	pw.object(cidNr, types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("CIDFontType2"), "BaseFont": base,
		"CIDSystemInfo": types.Dict{
			"Registry": types.StringLiteral("Adobe"), "Ordering": types.StringLiteral("Identity"), "Supplement": types.Integer(0),
		},
		"FontDescriptor": ref(descNr), "W": w, "CIDToGIDMap": types.Name("Identity"),
	})
	pw.flateStream(cmapNr, types.Dict{}, toUnicodeCMap(gids, f.uses))
	pw.object(f.nr, types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("Type0"), "BaseFont": base,
		"Encoding": types.Name("Identity-H"), "DescendantFonts": types.Array{ref(cidNr)}, "ToUnicode": ref(cmapNr),
	})
}

// toUnicodeCMap maps each glyph id (2 bytes) to the UTF-16BE of its letter.
func toUnicodeCMap(gids []uint16, uses map[uint16]rune) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&b, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune{uses[g]}) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
