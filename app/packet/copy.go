package packet

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// copier copies objects reachable from a source page into the output, renumbering them. Each source
// object is written once per output (fonts and images shared by pages are not duplicated).
type copier struct {
	src     *model.XRefTable
	pw      *pdfWriter
	memo    map[int]int
	pending []pendingObj
}

type pendingObj struct {
	src types.IndirectRef
	dst int
}

func newCopier(src *model.XRefTable, pw *pdfWriter) *copier {
	return &copier{src: src, pw: pw, memo: map[int]int{}}
}

// dropKeys are never copied: links back into the source's page tree or structure, metadata that may
// carry more than the packet should, and actions.
var dropKeys = map[string]bool{
	"Metadata": true, "PieceInfo": true, "StructParent": true, "StructParents": true,
	"AA": true, "JS": true, "OpenAction": true, "Thumb": true, "LastModified": true,
}

// value returns o with every indirect reference replaced by a reference into the output
// (queueing the referenced objects for writing).
func (c *copier) value(o types.Object) types.Object {
	switch v := o.(type) {
	case types.IndirectRef:
		return c.refTo(v)
	case *types.IndirectRef:
		if v == nil {
			return nil
		}
		return c.refTo(*v)
	case types.Dict:
		d := make(types.Dict, len(v))
		for k, e := range v {
			if dropKeys[k] {
				continue
			}
			if _, isRef := e.(types.IndirectRef); isRef && (k == "Parent" || k == "P") {
				continue
			}
			d[k] = c.value(e)
		}
		return d
	case types.Array:
		a := make(types.Array, len(v))
		for i, e := range v {
			a[i] = c.value(e)
		}
		return a
	case types.StreamDict:
		// An inline stream is not valid PDF; keep only its dictionary.
		return c.value(v.Dict)
	default:
		return o
	}
}

func (c *copier) refTo(ir types.IndirectRef) types.Object {
	nr := ir.ObjectNumber.Value()
	if dst, ok := c.memo[nr]; ok {
		return ref(dst)
	}
	dst := c.pw.alloc()
	c.memo[nr] = dst
	c.pending = append(c.pending, pendingObj{src: ir, dst: dst})
	return ref(dst)
}

// drain writes every queued object (and what they reference).
func (c *copier) drain() error {
	for len(c.pending) > 0 {
		p := c.pending[len(c.pending)-1]
		c.pending = c.pending[:len(c.pending)-1]
		o, err := c.src.Dereference(p.src)
		if err != nil {
			// An unreadable object becomes null, as a reader treats a missing one.
			c.pw.object(p.dst, nil)
			continue
		}
		switch v := o.(type) {
		case types.StreamDict:
			c.writeStream(p.dst, v)
		case types.Dict:
			if t := v.Type(); t != nil && (*t == "Page" || *t == "Pages" || *t == "Catalog") {
				// Never pull another page tree into the packet.
				c.pw.object(p.dst, nil)
				continue
			}
			c.pw.object(p.dst, c.value(v))
		case types.ObjectStreamDict, types.XRefStreamDict:
			c.pw.object(p.dst, nil)
		default:
			c.pw.object(p.dst, c.value(v))
		}
		if c.pw.err != nil {
			return c.pw.err
		}
	}
	return nil
}

func (c *copier) writeStream(dst int, sd types.StreamDict) {
	d, _ := c.value(sd.Dict).(types.Dict)
	if d == nil {
		d = types.Dict{}
	}
	delete(d, "Length")
	delete(d, "DL")
	delete(d, "F")
	delete(d, "FFilter")
	delete(d, "FDecodeParms")
	data := sd.Raw
	if data == nil && sd.Content != nil {
		data = sd.Content
		delete(d, "Filter")
		delete(d, "DecodeParms")
	}
	if isCryptIdentity(d) {
		delete(d, "Filter")
		delete(d, "DecodeParms")
	}
	c.pw.stream(dst, d, data)
}

func isCryptIdentity(d types.Dict) bool {
	switch f := d["Filter"].(type) {
	case types.Name:
		return f == "Crypt"
	case types.Array:
		return len(f) == 1 && f[0] == types.Name("Crypt")
	}
	return false
}

// pageBody is one output page before stamping: its box, rotation, XObjects and the operators that draw
// the original page in the box's user space.
type pageBody struct {
	box    rect
	rotate int
	xobjs  types.Dict
	ops    []byte
}

var errBadPage = errors.New("page cannot be copied")

// copyPage turns page n (1-based) of the source into a Form XObject (so that nothing in its content,
// such as unbalanced q/Q, an invisible text mode or a clip, can leak into the stamp) and flattens its
// annotations' appearances (form field values, comments) into the page. Links, attachments, actions
// and JavaScript are left behind.
func (c *copier) copyPage(n int) (pb pageBody, err error) {
	x := c.src
	d, _, inh, err := x.PageDict(n, false)
	if err != nil {
		return pb, fmt.Errorf("page %d: %w", n, err)
	}
	if d == nil || inh == nil {
		return pb, fmt.Errorf("page %d: %w", n, errBadPage)
	}
	box := rect{0, 0, 612, 792}
	if inh.MediaBox != nil {
		box = rect{inh.MediaBox.LL.X, inh.MediaBox.LL.Y, inh.MediaBox.UR.X, inh.MediaBox.UR.Y}.norm()
	}
	if inh.CropBox != nil {
		cb := rect{inh.CropBox.LL.X, inh.CropBox.LL.Y, inh.CropBox.UR.X, inh.CropBox.UR.Y}.norm()
		if i := box.intersect(cb); i.w() > 1 && i.h() > 1 {
			box = i
		}
	}
	if box.w() < 1 || box.h() < 1 || box.w() > 14400*10 || box.h() > 14400*10 || math.IsNaN(box.w()+box.h()) {
		return pb, fmt.Errorf("page %d: bad page box: %w", n, errBadPage)
	}
	rot := ((inh.Rotate % 360) + 360) % 360
	if rot%90 != 0 {
		rot = 0
	}

	content, filtered, err := c.pageContent(d)
	if err != nil {
		return pb, fmt.Errorf("page %d: %w", n, err)
	}
	form := types.Dict{
		"Type":     types.Name("XObject"),
		"Subtype":  types.Name("Form"),
		"BBox":     types.Array{types.Float(box.x0), types.Float(box.y0), types.Float(box.x1), types.Float(box.y1)},
		"FormType": types.Integer(1),
	}
	for k, v := range filtered {
		form[k] = v
	}
	if inh.Resources != nil {
		form["Resources"] = c.value(inh.Resources)
	} else {
		form["Resources"] = types.Dict{}
	}
	if g, ok := d["Group"]; ok {
		form["Group"] = c.value(g)
	}
	formNr := c.pw.alloc()
	c.pw.stream(formNr, form, content)

	pb = pageBody{box: box, rotate: rot, xobjs: types.Dict{"P0": ref(formNr)}}
	var under, ops bytes.Buffer
	ops.WriteString("/P0 Do\n")
	c.flattenAnnots(d, &pb, &under, &ops)
	pb.ops = append(under.Bytes(), ops.Bytes()...)
	if err := c.drain(); err != nil {
		return pb, err
	}
	return pb, nil
}

// pageContent returns the page's content as stream data, with the filter entries to use.
func (c *copier) pageContent(d types.Dict) ([]byte, types.Dict, error) {
	o, err := c.src.Dereference(d["Contents"])
	if err != nil {
		return nil, nil, err
	}
	switch v := o.(type) {
	case nil:
		return nil, types.Dict{}, nil
	case types.StreamDict:
		f := types.Dict{}
		if len(v.FilterPipeline) > 0 || v.Dict["Filter"] != nil {
			if fl, ok := v.Dict["Filter"]; ok {
				f["Filter"] = c.value(fl)
			}
			if dp, ok := v.Dict["DecodeParms"]; ok {
				f["DecodeParms"] = c.value(dp)
			}
		}
		if v.Raw == nil && v.Content != nil {
			return v.Content, types.Dict{}, nil
		}
		if isCryptIdentity(f) {
			f = types.Dict{}
		}
		return v.Raw, f, nil
	case types.Array:
		var all bytes.Buffer
		for _, e := range v {
			eo, err := c.src.Dereference(e)
			if err != nil {
				return nil, nil, err
			}
			sd, ok := eo.(types.StreamDict)
			if !ok {
				continue
			}
			if sd.Content == nil {
				if err := sd.Decode(); err != nil {
					return nil, nil, fmt.Errorf("decode content: %w", err)
				}
			}
			all.Write(sd.Content)
			all.WriteByte('\n')
		}
		return bytes.Clone(c.pw.deflate(all.Bytes())), types.Dict{"Filter": types.Name("FlateDecode")}, nil
	default:
		return nil, nil, fmt.Errorf("contents: %w", errBadPage)
	}
}

// Annotation flags (PDF 32000 12.5.3).
const (
	annotHidden = 1 << 1
	annotNoView = 1 << 5
)

// flattenAnnots draws the normal appearance of each visible annotation into the page (PDF 32000
// 12.5.5), so filled-in form fields and comments survive while nothing interactive is carried over.
func (c *copier) flattenAnnots(d types.Dict, pb *pageBody, under, ops *bytes.Buffer) {
	arr, err := c.src.DereferenceArray(d["Annots"])
	if err != nil || len(arr) == 0 {
		return
	}
	for i, e := range arr {
		ad, err := c.src.DereferenceDict(e)
		if err != nil || ad == nil {
			continue
		}
		if st := ad.Subtype(); st != nil {
			switch *st {
			case "Link", "Popup", "FileAttachment", "Sound", "Movie", "Screen", "RichMedia", "3D", "PrinterMark", "TrapNet":
				continue
			}
		}
		if f, ok := ad["F"].(types.Integer); ok && (int(f)&(annotHidden|annotNoView)) != 0 {
			continue
		}
		apRef, ok := c.appearance(ad)
		if !ok {
			c.markup(ad, under, ops)
			continue
		}
		sd, _, err := c.src.DereferenceStreamDict(apRef)
		if err != nil || sd == nil {
			continue
		}
		r, ok := c.rectOf(ad["Rect"])
		if !ok || r.w() <= 0 || r.h() <= 0 {
			continue
		}
		bbox, ok := c.rectOf(sd.Dict["BBox"])
		if !ok {
			continue
		}
		fm := identity
		if ma, err := c.src.DereferenceArray(sd.Dict["Matrix"]); err == nil && len(ma) == 6 {
			for k := 0; k < 6; k++ {
				v, err := c.src.DereferenceNumber(ma[k])
				if err != nil {
					v = identity[k]
				}
				fm[k] = v
			}
		}
		tb := fm.applyRect(bbox)
		if tb.w() <= 0 || tb.h() <= 0 {
			continue
		}
		a := matrix{r.w() / tb.w(), 0, 0, r.h() / tb.h(), r.x0 - tb.x0*r.w()/tb.w(), r.y0 - tb.y0*r.h()/tb.h()}
		name := fmt.Sprintf("A%d", i)
		pb.xobjs[name] = c.value(apRef)
		fmt.Fprintf(ops, "q %s /%s Do Q\n", a.op(), name)
	}
}

// markup draws text markup that came without an appearance stream (viewers make one up): a
// highlight as a coloured area under the page, underline and strike-out as lines over it.
func (c *copier) markup(ad types.Dict, under, ops *bytes.Buffer) {
	st := ad.Subtype()
	if st == nil || (*st != "Highlight" && *st != "Underline" && *st != "StrikeOut") {
		return
	}
	qp, err := c.src.DereferenceArray(ad["QuadPoints"])
	if err != nil || len(qp) < 8 || len(qp)%8 != 0 {
		return
	}
	col := [3]float64{1, 1, 0}
	if ca, err := c.src.DereferenceArray(ad["C"]); err == nil && len(ca) == 3 {
		for i := range col {
			if v, err := c.src.DereferenceNumber(ca[i]); err == nil {
				col[i] = v
			}
		}
	}
	for q := 0; q+8 <= len(qp); q += 8 {
		var v [8]float64
		for i := range v {
			f, err := c.src.DereferenceNumber(qp[q+i])
			if err != nil {
				return
			}
			v[i] = f
		}
		r := rect{v[0], v[1], v[0], v[1]}
		for i := 2; i < 8; i += 2 {
			r.x0, r.x1 = math.Min(r.x0, v[i]), math.Max(r.x1, v[i])
			r.y0, r.y1 = math.Min(r.y0, v[i+1]), math.Max(r.y1, v[i+1])
		}
		switch *st {
		case "Highlight":
			fmt.Fprintf(under, "q %s %s %s rg %s %s %s %s re f Q\n", fmtNum(col[0]), fmtNum(col[1]), fmtNum(col[2]),
				fmtNum(r.x0), fmtNum(r.y0), fmtNum(r.w()), fmtNum(r.h()))
		default:
			y := r.y0 + r.h()*0.1
			if *st == "StrikeOut" {
				y = r.y0 + r.h()/2
			}
			fmt.Fprintf(ops, "q %s %s %s RG %s w %s %s m %s %s l S Q\n", fmtNum(col[0]), fmtNum(col[1]), fmtNum(col[2]),
				fmtNum(math.Max(0.5, r.h()/14)), fmtNum(r.x0), fmtNum(y), fmtNum(r.x1), fmtNum(y))
		}
	}
}

// appearance returns the normal appearance stream of an annotation (the state /AS for a dict).
func (c *copier) appearance(ad types.Dict) (types.Object, bool) {
	ap, err := c.src.DereferenceDict(ad["AP"])
	if err != nil || ap == nil {
		return nil, false
	}
	n, ok := ap["N"]
	if !ok {
		return nil, false
	}
	if ir, ok := n.(types.IndirectRef); ok {
		o, err := c.src.Dereference(ir)
		if err != nil || o == nil {
			return nil, false
		}
		if _, isStream := o.(types.StreamDict); isStream {
			return ir, true
		}
		nd, isDict := o.(types.Dict)
		if !isDict {
			return nil, false
		}
		n = nd
	}
	states, ok := n.(types.Dict)
	if !ok {
		return nil, false
	}
	as, ok := ad["AS"].(types.Name)
	if !ok {
		return nil, false
	}
	s, ok := states[string(as)].(types.IndirectRef)
	return s, ok
}

func (c *copier) rectOf(o types.Object) (rect, bool) {
	a, err := c.src.DereferenceArray(o)
	if err != nil || len(a) != 4 {
		return rect{}, false
	}
	var v [4]float64
	for i := range v {
		f, err := c.src.DereferenceNumber(a[i])
		if err != nil {
			return rect{}, false
		}
		v[i] = f
	}
	return rect{v[0], v[1], v[2], v[3]}.norm(), true
}
