package ehrimport

import (
	"fmt"
	"sort"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// Template roots and LOINC section codes that matter for the data read from a C-CDA.
const (
	tplDocumentPrefix = "2.16.840.1.113883.10.20.22.1."
	tplProblemObs     = "2.16.840.1.113883.10.20.22.4.4"
	tplProblemObsR1   = "2.16.840.1.113883.10.20.1.28"
	tplProblemStatus  = "2.16.840.1.113883.10.20.22.4.6"
	tplStatusR1       = "2.16.840.1.113883.10.20.1.50"
	tplReaction       = "2.16.840.1.113883.10.20.22.4.9"
	tplSeverity       = "2.16.840.1.113883.10.20.22.4.8"
	tplAllergyStatus  = "2.16.840.1.113883.10.20.22.4.28"
)

type sectionKind int

const (
	secOther sectionKind = iota
	secProblems
	secMedications
	secAllergies
)

// sectionKinds: by template root and by LOINC section code. Diagnosis sections (discharge, admission,
// pre/postoperative) count as problem sections.
var sectionKinds = map[string]sectionKind{
	"2.16.840.1.113883.10.20.22.2.5": secProblems, "2.16.840.1.113883.10.20.22.2.5.1": secProblems,
	"2.16.840.1.113883.10.20.1.11": secProblems, "11450-4": secProblems,
	"2.16.840.1.113883.10.20.22.2.24": secProblems, "11535-2": secProblems,
	"2.16.840.1.113883.10.20.22.2.43": secProblems, "46241-6": secProblems,
	"2.16.840.1.113883.10.20.22.2.34": secProblems, "10219-4": secProblems,
	"2.16.840.1.113883.10.20.22.2.35": secProblems, "10218-6": secProblems,
	"2.16.840.1.113883.10.20.22.2.36": secProblems, "59769-0": secProblems,
	"2.16.840.1.113883.10.20.22.2.1": secMedications, "2.16.840.1.113883.10.20.22.2.1.1": secMedications,
	"2.16.840.1.113883.10.20.1.8": secMedications, "10160-0": secMedications,
	"2.16.840.1.113883.10.20.22.2.6": secAllergies, "2.16.840.1.113883.10.20.22.2.6.1": secAllergies,
	"2.16.840.1.113883.10.20.1.2": secAllergies, "48765-2": secAllergies,
}

// knownTemplatePrefixes are the template families of C-CDA, CCD, IHE and HITSP sections: a section
// with a template from none of them is read as narrative only and listed as skipped.
var knownTemplatePrefixes = []string{
	"2.16.840.1.113883.10.20.22.2.", "2.16.840.1.113883.10.20.21.2.", "2.16.840.1.113883.10.20.2.",
	"2.16.840.1.113883.10.20.6.1.", "2.16.840.1.113883.10.20.7.", "2.16.840.1.113883.10.20.18.2.",
	"1.3.6.1.4.1.19376.1.5.3.1.", "2.16.840.1.113883.10.20.1.", "2.16.840.1.113883.3.88.11.",
}

// skipEntry leaves out the content of the entries of sections whose coded data is not read (results,
// vital signs, ...): they are counted, their text is in the narrative. The template and code of a
// section come before its entries, so the kind is known by then.
func skipEntry(parent *node, name string) bool {
	return name == "entry" && parent.name == "section" && kindOf(parent) == secOther
}

func kindOf(s *node) sectionKind {
	for _, k := range s.kids {
		var key string
		switch k.name {
		case "templateId":
			key = k.attr("root")
		case "code":
			key = k.attr("code")
		default:
			continue
		}
		if kind, ok := sectionKinds[key]; ok {
			return kind
		}
	}
	return secOther
}

type ccda struct {
	doc  *Document
	refs map[string]*node // narrative elements by ID, for <reference value="#id"/>
	seen map[string]bool  // problems already read (same code and name)
}

func readCCDA(root *node) (*Document, error) {
	doc := &Document{Kind: KindCCDA}
	c := &ccda{doc: doc, refs: map[string]*node{}, seen: map[string]bool{}}
	collectIDs(root, c.refs)
	c.header(root)
	c.patient(root)
	body := root.child("component")
	switch {
	case body.child("structuredBody") != nil:
		for _, comp := range body.child("structuredBody").children("component") {
			c.section(comp.child("section"), 0)
		}
	case body.child("nonXMLBody") != nil:
		c.nonXML(body.child("nonXMLBody"))
	default:
		doc.skip("the document has no body")
	}
	sortProblems(doc.Problems)
	return doc, nil
}

func collectIDs(n *node, m map[string]*node) {
	for _, a := range n.attrs {
		if a.Name.Local == "ID" && a.Name.Space == "" {
			m[a.Value] = n
		}
	}
	for _, k := range n.kids {
		if k.name != "" {
			collectIDs(k, m)
		}
	}
}

func (c *ccda) header(root *node) {
	d := c.doc
	d.Title = root.child("title").innerText()
	d.DocType = root.child("code").attr("displayName")
	if d.DocType == "" {
		d.DocType = d.Title
	}
	d.Format = "CDA"
	header := false // the US Realm Header's version decides; a document-type template is a hint
	for _, t := range root.children("templateId") {
		r, ext := t.attr("root"), t.attr("extension")
		switch {
		case r == tplDocumentPrefix+"1":
			header = true
			d.Format = ccdaVersion(ext, "C-CDA R1.1")
		case strings.HasPrefix(r, tplDocumentPrefix) && !header:
			d.Format = ccdaVersion(ext, "C-CDA")
		case r == "2.16.840.1.113883.10.20.1", r == "2.16.840.1.113883.3.88.11.32.1":
			if d.Format == "CDA" {
				d.Format = "CCD (HL7/HITSP, before C-CDA)"
			}
		}
	}
	if et := root.child("effectiveTime"); !et.nullFlavored() {
		d.Date = parseTS(et.attr("value"))
		d.DateSource = DateSourceHeader
	}
	if d.Date.IsZero() {
		d.warn("the document carries no date of its own")
	}
	for _, a := range root.children("author") {
		aa := a.child("assignedAuthor")
		if d.Author == "" {
			if n := aa.path("assignedPerson", "name"); n != nil {
				d.Author = personName(n)
			}
		}
		if d.Organization == "" {
			d.Organization = aa.path("representedOrganization", "name").innerText()
		}
	}
	if d.Author == "" {
		for _, a := range root.children("author") {
			if s := a.path("assignedAuthor", "assignedAuthoringDevice", "softwareName").innerText(); s != "" {
				d.Author = s
				break
			}
		}
	}
	if d.Organization == "" {
		d.Organization = root.path("custodian", "assignedCustodian", "representedCustodianOrganization", "name").innerText()
	}
}

func ccdaVersion(ext, none string) string {
	switch {
	case ext == "":
		return none
	case ext >= "2015-08-01":
		return "C-CDA R2.1"
	}
	return "C-CDA R2.0/R2.1"
}

// personName writes a provider's name as "Given Family, Suffix".
func personName(n *node) string {
	nm := cdaName(n)
	s := nm.Full()
	if nm.Prefix != "" && s != "" {
		s = nm.Prefix + " " + s
	}
	if nm.Suffix != "" {
		s += ", " + nm.Suffix
	}
	return s
}

// Qualifiers of a given name that are not part of the legal name.
var skipGiven = map[string]bool{"CL": true, "AC": true, "PR": true, "NB": true, "TITLE": true, "SP": false}

// cdaName reads a PN: parts with qualifiers, or plain text ("John Q Smith").
func cdaName(n *node) Name {
	nm := Name{Use: n.attr("use")}
	var family []string
	parts := false
	for _, k := range n.kids {
		if k.name == "" {
			continue
		}
		parts = true
		if k.nullFlavored() && strings.TrimSpace(k.innerText()) == "" {
			continue
		}
		t := k.innerText()
		if t == "" {
			continue
		}
		q := strings.Fields(strings.ToUpper(k.attr("qualifier")))
		switch k.name {
		case "given":
			if len(q) > 0 && skipGiven[q[0]] {
				continue
			}
			nm.Given = append(nm.Given, t)
		case "family":
			family = append(family, t)
		case "prefix":
			nm.Prefix = strings.TrimSpace(nm.Prefix + " " + t)
		case "suffix":
			nm.Suffix = strings.TrimSpace(nm.Suffix + " " + t)
		}
	}
	nm.Family = strings.Join(family, " ")
	if !parts {
		if w := strings.Fields(n.innerText()); len(w) > 0 {
			nm.Family, nm.Given = w[len(w)-1], w[:len(w)-1]
		}
	}
	return nm
}

func (c *ccda) patient(root *node) {
	d := c.doc
	rts := root.children("recordTarget")
	if len(rts) == 0 {
		d.warn("the document names no patient")
		return
	}
	if len(rts) > 1 {
		d.skip(fmt.Sprintf("%d more patients named in the header (only the first is read)", len(rts)-1))
	}
	role := rts[0].child("patientRole")
	p := &d.Patient
	for _, id := range role.children("id") {
		if id.nullFlavored() {
			continue
		}
		root, ext := id.attr("root"), id.attr("extension")
		if ext == "" && root == "" {
			continue
		}
		idf := Identifier{Value: ext, System: root, Authority: id.attr("assigningAuthorityName")}
		if ext == "" {
			idf = Identifier{Value: root, Authority: idf.Authority}
		}
		if idf.Authority == "" {
			idf.Authority = authorityNames[root]
		}
		p.Identifiers = append(p.Identifiers, idf)
	}
	for _, a := range role.children("addr") {
		if addr, ok := cdaAddr(a); ok {
			p.Addresses = append(p.Addresses, addr)
		}
	}
	sortAddresses(p.Addresses)
	for _, t := range role.children("telecom") {
		if tc, ok := parseTelecom(t.attr("value"), t.attr("use")); ok {
			p.Telecoms = append(p.Telecoms, tc)
		}
	}
	pt := role.child("patient")
	var names []Name
	for _, n := range pt.children("name") {
		if n.nullFlavored() && n.innerText() == "" {
			continue
		}
		if nm := cdaName(n); nm.Family != "" || len(nm.Given) > 0 {
			names = append(names, nm)
		}
	}
	p.Names = legalFirst(names, func(u string) bool { return hasWord(u, "L") })
	if len(p.Names) == 0 {
		d.warn("the patient's name is missing")
	}
	switch strings.ToUpper(pt.child("administrativeGenderCode").attr("code")) {
	case "F":
		p.Sex = app.SexFemale
	case "M":
		p.Sex = app.SexMale
	case "UN":
		p.Sex = app.SexOther
	default:
		p.Sex = app.SexUnknown
	}
	if bt := pt.child("birthTime"); !bt.nullFlavored() {
		p.BirthDate = parseTS(bt.attr("value"))
	}
	checkBirth(d)
	if strings.EqualFold(pt.child("sdtc:deceasedInd").attr("value"), "true") {
		p.Deceased = true
	}
	var pref []string
	for _, lc := range pt.children("languageCommunication") {
		code := lc.child("languageCode").attr("code")
		if code == "" {
			continue
		}
		if strings.EqualFold(lc.child("preferenceInd").attr("value"), "true") {
			pref = append(pref, code)
		} else {
			p.Languages = append(p.Languages, code)
		}
	}
	p.Languages = append(pref, p.Languages...)
}

// checkBirth warns about a birth date missing or known only to the year or month.
func checkBirth(d *Document) {
	switch b := d.Patient.BirthDate; b.Precision {
	case PrecisionNone:
		d.warn("the birth date is missing")
	case PrecisionYear, PrecisionMonth:
		d.warn("the birth date is known only as " + b.String() + ": enter the full date on the chart")
	}
}

func hasWord(list, w string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}

// legalFirst moves the first legal name to the front, keeping the order of the others.
func legalFirst(names []Name, legal func(use string) bool) []Name {
	for i, n := range names {
		if legal(n.Use) {
			out := append([]Name{n}, names[:i]...)
			return append(out, names[i+1:]...)
		}
	}
	return names
}

func cdaAddr(a *node) (Address, bool) {
	if a.nullFlavored() && len(a.kids) == 0 {
		return Address{}, false
	}
	var lines []string
	for _, l := range a.children("streetAddressLine") {
		if t := l.innerText(); t != "" {
			lines = append(lines, t)
		}
	}
	addr := Address{Use: a.attr("use"), Country: a.child("country").innerText()}
	addr.Line = strings.Join(lines, ", ")
	addr.City = a.child("city").innerText()
	addr.State = a.child("state").innerText()
	addr.PostalCode = a.child("postalCode").innerText()
	return addr, !addr.Empty()
}

// sortAddresses puts home addresses first and old or bad ones last.
func sortAddresses(a []Address) {
	rank := func(use string) int {
		switch {
		case hasWord(use, "OLD"), hasWord(use, "BAD"), strings.EqualFold(use, "old"):
			return 3
		case hasWord(use, "H"), hasWord(use, "HP"), strings.EqualFold(use, "home"):
			return 0
		case use == "":
			return 1
		}
		return 2
	}
	sort.SliceStable(a, func(i, j int) bool { return rank(a[i].Use) < rank(a[j].Use) })
}

// parseTelecom reads "tel:+1(555)555-1234", "mailto:x@y", "fax:..." or a bare number.
func parseTelecom(value, use string) (Telecom, bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return Telecom{}, false
	}
	sys := "phone"
	lower := strings.ToLower(v)
	switch {
	case strings.HasPrefix(lower, "tel:"):
		v = v[4:]
	case strings.HasPrefix(lower, "mailto:"):
		v, sys = v[7:], "email"
	case strings.HasPrefix(lower, "fax:"):
		v, sys = v[4:], "fax"
	case strings.HasPrefix(lower, "http:"), strings.HasPrefix(lower, "https:"):
		sys = "url"
	case strings.Contains(v, "@"):
		sys = "email"
	}
	v = strings.TrimSpace(v)
	return Telecom{System: sys, Value: v, Use: use}, v != ""
}

func (c *ccda) section(s *node, level int) {
	if s == nil {
		return
	}
	d := c.doc
	sec := Section{Title: s.child("title").innerText(), Level: level, Code: s.child("code").attr("code")}
	for _, t := range s.children("templateId") {
		if r := t.attr("root"); r != "" {
			sec.Templates = append(sec.Templates, r)
		}
	}
	if sec.Title == "" {
		sec.Title = s.child("code").attr("displayName")
	}
	if sec.Title == "" {
		sec.Title = "Untitled section"
	}
	sec.Blocks = narrative(s.child("text"), c.refs)
	if len(sec.Blocks) == 0 && s.attr("nullFlavor") != "" {
		sec.Blocks = []Block{{Kind: BlockPara, Text: "No information."}}
	}
	d.Sections = append(d.Sections, sec)

	kind := kindOf(s)
	known := false
	for _, t := range sec.Templates {
		for _, p := range knownTemplatePrefixes {
			if strings.HasPrefix(t, p) {
				known = true
			}
		}
	}
	if !known {
		what := "no template"
		if len(sec.Templates) > 0 {
			what = "template " + sec.Templates[0] + " not known"
		}
		d.skip(fmt.Sprintf("section %q: %s; read as text only (it is in the PDF)", sec.Title, what))
	}
	entries := s.children("entry")
	unread := 0
	for _, e := range entries {
		ok := false
		switch kind {
		case secProblems:
			ok = c.problemEntry(e)
		case secMedications:
			ok = c.medicationEntry(e)
		case secAllergies:
			ok = c.allergyEntry(e)
		}
		if !ok {
			unread++
		}
	}
	if unread > 0 {
		if kind == secOther {
			if known {
				d.skip(fmt.Sprintf("section %q: %d coded entries not read (its text is in the PDF)", sec.Title, unread))
			}
		} else {
			d.skip(fmt.Sprintf("section %q: %d entries not understood (its text is in the PDF)", sec.Title, unread))
		}
	}
	for _, comp := range s.children("component") {
		c.section(comp.child("section"), level+1)
	}
}

// clinical is the clinical statement of an entry or entryRelationship (act, observation, ...).
func clinical(e *node) *node {
	for _, k := range e.kids {
		switch k.name {
		case "act", "observation", "substanceAdministration", "supply", "encounter", "procedure", "organizer":
			return k
		}
	}
	return nil
}

// problemEntry reads the problem observations of one entry of a problem section: those with the
// problem observation template, or, when a vendor used its own templates, any observation with a
// coded value under a concern act.
func (c *ccda) problemEntry(e *node) bool {
	top := clinical(e)
	if top == nil {
		return false
	}
	concern := ""
	if top.name == "act" {
		concern = strings.ToLower(top.child("statusCode").attr("code"))
	}
	found := false
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		if depth > 4 {
			return
		}
		if n.name == "observation" && (n.hasTemplate(tplProblemObs, tplProblemObsR1) || (!n.hasTemplate(tplProblemStatus, tplStatusR1) && n.child("value") != nil && depth <= 1)) {
			if c.problemObs(n, concern) {
				found = true
			}
			return
		}
		for _, er := range n.children("entryRelationship") {
			if k := clinical(er); k != nil {
				walk(k, depth+1)
			}
		}
		for _, comp := range n.children("component") { // organizers
			if k := clinical(comp); k != nil {
				walk(k, depth+1)
			}
		}
	}
	walk(top, 0)
	return found
}

var snomedStatus = map[string]string{"55561003": "active", "73425007": "inactive", "413322009": "resolved"}

func (c *ccda) problemObs(obs *node, concern string) bool {
	if strings.EqualFold(obs.attr("negationInd"), "true") {
		c.doc.skip("a statement that a problem is absent (\"no known problems\")")
		return true
	}
	v := obs.child("value")
	pr := Problem{Codes: cdCodes(v)}
	pr.Name = c.conceptName(v)
	if pr.Name == "" {
		pr.Name = c.refText(obs.child("text"))
	}
	if pr.Name == "" && len(pr.Codes) == 0 {
		return false
	}
	if et := obs.child("effectiveTime"); et != nil {
		if lo := et.child("low"); !lo.nullFlavored() {
			pr.Onset = parseTS(lo.attr("value"))
		}
		if hi := et.child("high"); !hi.nullFlavored() {
			pr.Resolved = parseTS(hi.attr("value"))
		}
	}
	for _, er := range obs.children("entryRelationship") {
		so := er.child("observation")
		if so != nil && so.hasTemplate(tplProblemStatus, tplStatusR1) {
			sv := so.child("value")
			if s, ok := snomedStatus[sv.attr("code")]; ok {
				pr.Status = s
			} else if s := strings.ToLower(sv.attr("displayName")); s != "" {
				pr.Status = s
			}
		}
	}
	if pr.Status == "" {
		switch concern {
		case "active":
			pr.Status = "active"
		case "completed":
			pr.Status = "resolved"
		case "suspended":
			pr.Status = "inactive"
		case "aborted":
			return true // recorded in error
		}
		if !pr.Resolved.IsZero() {
			pr.Status = "resolved"
		}
	}
	pr.Active = pr.Status == "" || pr.Status == "active" || pr.Status == "recurrence" || pr.Status == "relapse"
	key := strings.ToLower(pr.Name)
	if len(pr.Codes) > 0 {
		key = pr.Codes[0].System + "|" + pr.Codes[0].Code + "|" + key
	}
	if c.seen[key] {
		return true
	}
	c.seen[key] = true
	c.doc.Problems = append(c.doc.Problems, pr)
	return true
}

// cdCodes lists a CD's code and its translations (nullFlavor codes are left out).
func cdCodes(v *node) []Code {
	if v == nil {
		return nil
	}
	var out []Code
	add := func(n *node) {
		if code := n.attr("code"); code != "" && n.attr("nullFlavor") == "" {
			out = append(out, Code{System: systemName(n.attr("codeSystem")), SystemID: n.attr("codeSystem"), Code: code, Display: n.attr("displayName")})
		}
	}
	add(v)
	for _, t := range v.children("translation") {
		add(t)
	}
	return out
}

// conceptName is the best human name of a CD: displayName, originalText, a translation's name.
func (c *ccda) conceptName(v *node) string {
	if v == nil {
		return ""
	}
	if s := collapse(v.attr("displayName")); s != "" {
		return s
	}
	if s := c.refText(v.child("originalText")); s != "" {
		return s
	}
	for _, t := range v.children("translation") {
		if s := collapse(t.attr("displayName")); s != "" {
			return s
		}
	}
	return ""
}

// refText is the text of an element, or of the narrative element its <reference value="#id"/> points to.
func (c *ccda) refText(n *node) string {
	if n == nil {
		return ""
	}
	if r := n.child("reference"); r != nil {
		if t, ok := c.refs[strings.TrimPrefix(r.attr("value"), "#")]; ok {
			if s := t.innerText(); s != "" {
				return s
			}
		}
	}
	var b strings.Builder
	for _, k := range n.kids {
		if k.name == "" {
			b.WriteString(k.text)
		}
	}
	return collapse(b.String())
}

func (c *ccda) medicationEntry(e *node) bool {
	sa := e.child("substanceAdministration")
	if sa == nil {
		if a := clinical(e); a != nil {
			for _, er := range a.children("entryRelationship") {
				if sa = er.child("substanceAdministration"); sa != nil {
					break
				}
			}
		}
	}
	if sa == nil {
		return false
	}
	mat := sa.path("consumable", "manufacturedProduct", "manufacturedMaterial")
	code := mat.child("code")
	m := Medication{Codes: cdCodes(code), Status: sa.child("statusCode").attr("code")}
	m.Name = c.conceptName(code)
	if m.Name == "" {
		m.Name = mat.child("name").innerText()
	}
	if m.Name == "" {
		m.Name = c.refText(sa.child("text"))
	}
	if strings.EqualFold(sa.attr("negationInd"), "true") {
		m.Name = "Not taking: " + firstNonEmpty(m.Name, "medications")
	}
	if m.Name == "" {
		return false
	}
	if dq := sa.child("doseQuantity"); !dq.nullFlavored() && dq.attr("value") != "" {
		m.Dose = strings.TrimSpace(dq.attr("value") + " " + strings.Trim(dq.attr("unit"), "1"))
	}
	for _, et := range sa.children("effectiveTime") {
		if lo := et.child("low"); !lo.nullFlavored() {
			m.Start = parseTS(lo.attr("value"))
			break
		}
		if v := et.attr("value"); v != "" {
			m.Start = parseTS(v)
			break
		}
	}
	c.doc.Medications = append(c.doc.Medications, m)
	return true
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func (c *ccda) allergyEntry(e *node) bool {
	top := clinical(e)
	if top == nil {
		return false
	}
	concern := ""
	var obs []*node
	if top.name == "observation" {
		obs = append(obs, top)
	} else {
		concern = top.child("statusCode").attr("code")
		for _, er := range top.children("entryRelationship") {
			if o := er.child("observation"); o != nil {
				obs = append(obs, o)
			}
		}
	}
	found := false
	for _, o := range obs {
		switch {
		case o.hasTemplate(tplSeverity): // on the concern act: the severity of the allergy before it
			if n := len(c.doc.Allergies); found && c.doc.Allergies[n-1].Severity == "" {
				c.doc.Allergies[n-1].Severity = c.conceptName(o.child("value"))
			}
			continue
		case o.hasTemplate(tplReaction, tplAllergyStatus):
			continue
		}
		pe := o.path("participant", "participantRole", "playingEntity")
		a := Allergy{Codes: cdCodes(pe.child("code"))}
		a.Substance = c.conceptName(pe.child("code"))
		if a.Substance == "" {
			a.Substance = pe.child("name").innerText()
		}
		if strings.EqualFold(o.attr("negationInd"), "true") {
			if a.Substance == "" || strings.EqualFold(a.Substance, "substance") {
				a.Substance = "allergies"
			}
			a.Substance = "No known " + strings.ToLower(a.Substance)
		}
		if a.Substance == "" {
			a.Substance = c.conceptName(o.child("value"))
		}
		if a.Substance == "" {
			continue
		}
		a.Status = concern
		for _, er := range o.children("entryRelationship") {
			so := er.child("observation")
			switch {
			case so == nil:
			case so.hasTemplate(tplReaction):
				if r := c.conceptName(so.child("value")); r != "" {
					a.Reaction = strings.TrimPrefix(a.Reaction+", "+r, ", ")
				}
				for _, er2 := range so.children("entryRelationship") {
					if sv := er2.child("observation"); sv != nil && sv.hasTemplate(tplSeverity) && a.Severity == "" {
						a.Severity = c.conceptName(sv.child("value"))
					}
				}
			case so.hasTemplate(tplSeverity):
				a.Severity = c.conceptName(so.child("value"))
			case so.hasTemplate(tplAllergyStatus):
				a.Status = strings.ToLower(c.conceptName(so.child("value")))
			}
		}
		c.doc.Allergies = append(c.doc.Allergies, a)
		found = true
	}
	return found
}

// nonXML reads an unstructured document's body: a base64 PDF becomes an attachment.
func (c *ccda) nonXML(nx *node) {
	t := nx.child("text")
	mt := strings.ToLower(t.attr("mediaType"))
	if mt == "application/pdf" && strings.EqualFold(t.attr("representation"), "B64") {
		if data, err := decodeB64(t.innerText()); err == nil {
			c.doc.Attachments = append(c.doc.Attachments, Attachment{Title: firstNonEmpty(c.doc.Title, "Document"), ContentType: mt, Date: c.doc.Date, Data: data})
			return
		}
	}
	if r := t.child("reference"); r != nil {
		c.doc.skip("the document body is a file outside the document (" + firstNonEmpty(mt, "unknown type") + "); not fetched")
		return
	}
	c.doc.skip("the document body is not XML (" + firstNonEmpty(mt, "unknown type") + ") and is not read")
}

// sortProblems puts active problems first, keeping the document's order otherwise.
func sortProblems(p []Problem) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].Active && !p[j].Active })
}
