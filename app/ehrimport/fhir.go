package ehrimport

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/referraldesk/referraldesk/app"
)

// FHIR R4 shapes, only the elements read.
type (
	fhirCoding struct {
		System  string `json:"system"`
		Code    string `json:"code"`
		Display string `json:"display"`
	}
	fhirConcept struct {
		Coding []fhirCoding `json:"coding"`
		Text   string       `json:"text"`
	}
	fhirRef struct {
		Reference string `json:"reference"`
		Display   string `json:"display"`
	}
	fhirAttachment struct {
		ContentType string `json:"contentType"`
		Data        string `json:"data"`
		URL         string `json:"url"`
		Title       string `json:"title"`
		Creation    string `json:"creation"`
	}
	fhirNarrative struct {
		Div string `json:"div"`
	}
	fhirResource struct {
		ResourceType string `json:"resourceType"`
		ID           string `json:"id"`
		Meta         struct {
			LastUpdated string `json:"lastUpdated"`
		} `json:"meta"`
		Text    *fhirNarrative  `json:"text"`
		raw     json.RawMessage // the whole resource
		fullURL string
	}
	fhirBundle struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Meta      struct {
			LastUpdated string `json:"lastUpdated"`
		} `json:"meta"`
		Entry []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	fhirPatient struct {
		Identifier []struct {
			System   string      `json:"system"`
			Value    string      `json:"value"`
			Type     fhirConcept `json:"type"`
			Assigner fhirRef     `json:"assigner"`
		} `json:"identifier"`
		Name []struct {
			Use    string   `json:"use"`
			Text   string   `json:"text"`
			Family string   `json:"family"`
			Given  []string `json:"given"`
			Prefix []string `json:"prefix"`
			Suffix []string `json:"suffix"`
		} `json:"name"`
		Telecom []struct {
			System string `json:"system"`
			Value  string `json:"value"`
			Use    string `json:"use"`
		} `json:"telecom"`
		Gender           string `json:"gender"`
		BirthDate        string `json:"birthDate"`
		DeceasedBoolean  *bool  `json:"deceasedBoolean"`
		DeceasedDateTime string `json:"deceasedDateTime"`
		Address          []struct {
			Use        string   `json:"use"`
			Line       []string `json:"line"`
			City       string   `json:"city"`
			State      string   `json:"state"`
			PostalCode string   `json:"postalCode"`
			Country    string   `json:"country"`
		} `json:"address"`
		Communication []struct {
			Language  fhirConcept `json:"language"`
			Preferred bool        `json:"preferred"`
		} `json:"communication"`
	}
	fhirCondition struct {
		ClinicalStatus     fhirConcept `json:"clinicalStatus"`
		VerificationStatus fhirConcept `json:"verificationStatus"`
		Code               fhirConcept `json:"code"`
		OnsetDateTime      string      `json:"onsetDateTime"`
		AbatementDateTime  string      `json:"abatementDateTime"`
	}
	fhirMedication struct {
		Status                    string      `json:"status"`
		MedicationCodeableConcept fhirConcept `json:"medicationCodeableConcept"`
		MedicationReference       fhirRef     `json:"medicationReference"`
		AuthoredOn                string      `json:"authoredOn"`
		EffectiveDateTime         string      `json:"effectiveDateTime"`
		Code                      fhirConcept `json:"code"` // Medication resource
		DosageInstruction         []struct {
			Text string `json:"text"`
		} `json:"dosageInstruction"`
	}
	fhirAllergy struct {
		ClinicalStatus fhirConcept `json:"clinicalStatus"`
		Code           fhirConcept `json:"code"`
		Criticality    string      `json:"criticality"`
		Reaction       []struct {
			Manifestation []fhirConcept `json:"manifestation"`
			Severity      string        `json:"severity"`
		} `json:"reaction"`
	}
	fhirDocRef struct {
		Date        string      `json:"date"`
		Description string      `json:"description"`
		Type        fhirConcept `json:"type"`
		Content     []struct {
			Attachment fhirAttachment `json:"attachment"`
		} `json:"content"`
		Context struct {
			Period struct {
				Start string `json:"start"`
			} `json:"period"`
		} `json:"context"`
	}
	fhirReport struct {
		EffectiveDateTime string           `json:"effectiveDateTime"`
		Issued            string           `json:"issued"`
		Code              fhirConcept      `json:"code"`
		PresentedForm     []fhirAttachment `json:"presentedForm"`
	}
	fhirBinary struct {
		ContentType string `json:"contentType"`
		Data        string `json:"data"`
	}
	fhirComposition struct {
		Date      string        `json:"date"`
		Title     string        `json:"title"`
		Type      fhirConcept   `json:"type"`
		Author    []fhirRef     `json:"author"`
		Custodian fhirRef       `json:"custodian"`
		Section   []fhirSection `json:"section"`
	}
	fhirSection struct {
		Title   string         `json:"title"`
		Code    fhirConcept    `json:"code"`
		Text    *fhirNarrative `json:"text"`
		Section []fhirSection  `json:"section"`
	}
	fhirEncounter struct {
		Period struct {
			Start string `json:"start"`
			End   string `json:"end"`
		} `json:"period"`
	}
)

func (c fhirConcept) codes() []Code {
	var out []Code
	for _, cd := range c.Coding {
		if cd.Code != "" {
			out = append(out, Code{System: systemName(cd.System), SystemID: cd.System, Code: cd.Code, Display: cd.Display})
		}
	}
	return out
}

func (c fhirConcept) name() string {
	if s := collapse(c.Text); s != "" {
		return s
	}
	for _, cd := range c.Coding {
		if s := collapse(cd.Display); s != "" {
			return s
		}
	}
	if len(c.Coding) > 0 {
		return c.Coding[0].Code
	}
	return ""
}

func (c fhirConcept) code() string {
	for _, cd := range c.Coding {
		if cd.Code != "" {
			return strings.ToLower(cd.Code)
		}
	}
	return strings.ToLower(c.Text)
}

type fhirReader struct {
	doc       *Document
	byURL     map[string]*fhirResource
	all       []*fhirResource
	latest    Date
	patients  int
	notRead   map[string]int
	compFound bool
}

func readFHIR(data []byte, resourceType string) (*Document, error) {
	r := &fhirReader{doc: &Document{}, byURL: map[string]*fhirResource{}, notRead: map[string]int{}}
	if resourceType == "Patient" {
		r.doc.Kind, r.doc.Format = KindFHIRPatient, "FHIR R4 Patient"
		if err := r.patient(data); err != nil {
			return nil, err
		}
		checkBirth(r.doc)
		r.summarySections()
		return r.doc, nil
	}
	var b fhirBundle
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("ehrimport: reading the FHIR bundle: %w", jsonErr(err))
	}
	d := r.doc
	d.Kind, d.Format = KindFHIRBundle, "FHIR R4 Bundle"
	if b.Type != "" {
		d.Format += " (" + b.Type + ")"
	}
	d.Title = "Health record summary"
	var res []*fhirResource
	for _, e := range b.Entry {
		if len(e.Resource) == 0 {
			continue
		}
		fr := &fhirResource{raw: e.Resource, fullURL: e.FullURL}
		if err := json.Unmarshal(e.Resource, fr); err != nil {
			d.skip("a bundle entry that is not a valid resource")
			continue
		}
		res = append(res, fr)
		r.all = res
		if e.FullURL != "" {
			r.byURL[e.FullURL] = fr
		}
		if fr.ID != "" {
			r.byURL[fr.ResourceType+"/"+fr.ID] = fr
		}
	}
	for _, fr := range res {
		if err := r.resource(fr); err != nil {
			d.skip(fmt.Sprintf("a %s that could not be read", fr.ResourceType))
		}
	}
	if r.patients == 0 {
		d.warn("the bundle holds no Patient")
	} else {
		checkBirth(d)
	}
	if r.patients > 1 {
		d.skip(fmt.Sprintf("%d more patients in the bundle (only the first is read)", r.patients-1))
	}
	if d.Date.IsZero() {
		for _, s := range []string{b.Timestamp, b.Meta.LastUpdated} {
			if t := parseFHIRDate(s); !t.IsZero() {
				d.Date, d.DateSource = t, DateSourceHeader
				break
			}
		}
	}
	if d.Date.IsZero() && !r.latest.IsZero() {
		d.Date, d.DateSource = r.latest, DateSourceLatest
		d.warn("the bundle carries no date of its own; its summary is dated by its latest encounter")
	}
	types := make([]string, 0, len(r.notRead))
	for t := range r.notRead {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		d.skip(fmt.Sprintf("%d %s resources not read", r.notRead[t], t))
	}
	sortProblems(d.Problems)
	if !r.compFound {
		r.summarySections()
	}
	return d, nil
}

func (r *fhirReader) resource(fr *fhirResource) error {
	d := r.doc
	switch fr.ResourceType {
	case "Patient":
		r.patients++
		if r.patients == 1 {
			return r.patient(fr.raw)
		}
	case "Condition":
		var c fhirCondition
		if err := json.Unmarshal(fr.raw, &c); err != nil {
			return err
		}
		switch c.VerificationStatus.code() {
		case "entered-in-error", "refuted":
			return nil
		}
		p := Problem{Name: c.Code.name(), Codes: c.Code.codes(), Status: c.ClinicalStatus.code()}
		p.Onset, p.Resolved = parseFHIRDate(c.OnsetDateTime), parseFHIRDate(c.AbatementDateTime)
		if p.Status == "" && !p.Resolved.IsZero() {
			p.Status = "resolved"
		}
		p.Active = p.Status == "" || p.Status == "active" || p.Status == "recurrence" || p.Status == "relapse"
		if p.Name != "" || len(p.Codes) > 0 {
			d.Problems = append(d.Problems, p)
		}
	case "MedicationRequest", "MedicationStatement":
		var m fhirMedication
		if err := json.Unmarshal(fr.raw, &m); err != nil {
			return err
		}
		concept := m.MedicationCodeableConcept
		if concept.name() == "" && m.MedicationReference.Reference != "" {
			if ref, ok := r.byURL[m.MedicationReference.Reference]; ok {
				var med fhirMedication
				if json.Unmarshal(ref.raw, &med) == nil {
					concept = med.Code
				}
			}
		}
		med := Medication{Name: firstNonEmpty(concept.name(), m.MedicationReference.Display), Codes: concept.codes(), Status: m.Status}
		med.Start = parseFHIRDate(firstNonEmpty(m.EffectiveDateTime, m.AuthoredOn))
		if len(m.DosageInstruction) > 0 {
			med.Dose = collapse(m.DosageInstruction[0].Text)
		}
		if med.Name != "" {
			d.Medications = append(d.Medications, med)
		}
	case "AllergyIntolerance":
		var a fhirAllergy
		if err := json.Unmarshal(fr.raw, &a); err != nil {
			return err
		}
		al := Allergy{Substance: a.Code.name(), Codes: a.Code.codes(), Status: a.ClinicalStatus.code(), Severity: a.Criticality}
		var reactions []string
		for _, re := range a.Reaction {
			for _, m := range re.Manifestation {
				if s := m.name(); s != "" {
					reactions = append(reactions, s)
				}
			}
			if re.Severity != "" {
				al.Severity = re.Severity
			}
		}
		al.Reaction = strings.Join(reactions, ", ")
		if al.Substance != "" {
			d.Allergies = append(d.Allergies, al)
		}
	case "DocumentReference":
		var dr fhirDocRef
		if err := json.Unmarshal(fr.raw, &dr); err != nil {
			return err
		}
		date := parseFHIRDate(firstNonEmpty(dr.Context.Period.Start, dr.Date))
		title := firstNonEmpty(dr.Description, dr.Type.name(), "Document")
		for _, c := range dr.Content {
			r.attachment(c.Attachment, title, date)
		}
	case "DiagnosticReport":
		var rep fhirReport
		if err := json.Unmarshal(fr.raw, &rep); err != nil {
			return err
		}
		date := parseFHIRDate(firstNonEmpty(rep.EffectiveDateTime, rep.Issued))
		for _, a := range rep.PresentedForm {
			r.attachment(a, firstNonEmpty(rep.Code.name(), "Report"), date)
		}
		if len(rep.PresentedForm) == 0 {
			r.notRead[fr.ResourceType]++
		}
	case "Binary":
		// Read when a DocumentReference points to it; a lone PDF Binary is an attachment too.
		var bin fhirBinary
		if err := json.Unmarshal(fr.raw, &bin); err != nil {
			return err
		}
		if !r.referenced(fr) {
			r.attachment(fhirAttachment{ContentType: bin.ContentType, Data: bin.Data}, "Document", parseFHIRDate(fr.Meta.LastUpdated))
		}
	case "Composition":
		var c fhirComposition
		if err := json.Unmarshal(fr.raw, &c); err != nil {
			return err
		}
		if r.compFound {
			r.notRead[fr.ResourceType]++
			return nil
		}
		r.compFound = true
		d.Title = firstNonEmpty(collapse(c.Title), c.Type.name(), d.Title)
		d.DocType = c.Type.name()
		if t := parseFHIRDate(c.Date); !t.IsZero() {
			d.Date, d.DateSource = t, DateSourceHeader
		}
		if len(c.Author) > 0 {
			d.Author = r.refName(c.Author[0])
		}
		d.Organization = r.refName(c.Custodian)
		r.compositionSections(c.Section, 0)
	case "Encounter":
		var e fhirEncounter
		if json.Unmarshal(fr.raw, &e) == nil {
			t := parseFHIRDate(firstNonEmpty(e.Period.End, e.Period.Start))
			if !t.IsZero() && t.Time.After(r.latest.Time) {
				r.latest = t
			}
		}
		r.notRead[fr.ResourceType]++
	case "Medication", "Organization", "Practitioner", "PractitionerRole":
		// Read through references.
	default:
		r.notRead[fr.ResourceType]++
	}
	return nil
}

// referenced reports whether a DocumentReference of the bundle points to the Binary.
func (r *fhirReader) referenced(bin *fhirResource) bool {
	for _, fr := range r.all {
		if fr.ResourceType != "DocumentReference" {
			continue
		}
		var dr fhirDocRef
		if json.Unmarshal(fr.raw, &dr) != nil {
			continue
		}
		for _, c := range dr.Content {
			u := c.Attachment.URL
			if u != "" && (u == bin.fullURL || u == "Binary/"+bin.ID || strings.HasSuffix(u, "/Binary/"+bin.ID)) {
				return true
			}
		}
	}
	return false
}

// attachment keeps a PDF carried in the bundle (inline, or through a Binary of the bundle).
func (r *fhirReader) attachment(a fhirAttachment, title string, date Date) {
	if !strings.EqualFold(a.ContentType, "application/pdf") {
		if a.ContentType != "" {
			r.doc.skip(fmt.Sprintf("an attachment of type %s (only PDFs are kept)", a.ContentType))
		}
		return
	}
	data := a.Data
	if data == "" && a.URL != "" {
		ref, ok := r.byURL[a.URL]
		if !ok {
			if i := strings.Index(a.URL, "Binary/"); i >= 0 {
				ref, ok = r.byURL[a.URL[i:]]
			}
		}
		if !ok {
			r.doc.skip("a PDF stored outside the bundle (not fetched)")
			return
		}
		var bin fhirBinary
		if json.Unmarshal(ref.raw, &bin) != nil {
			return
		}
		data = bin.Data
	}
	b, err := decodeB64(data)
	if err != nil || len(b) == 0 {
		r.doc.skip("a PDF attachment that is not valid base64")
		return
	}
	if c := parseFHIRDate(a.Creation); !c.IsZero() && date.IsZero() {
		date = c
	}
	r.doc.Attachments = append(r.doc.Attachments, Attachment{Title: firstNonEmpty(a.Title, title), ContentType: "application/pdf", Date: date, Data: b})
}

func (r *fhirReader) refName(ref fhirRef) string {
	if ref.Display != "" {
		return ref.Display
	}
	fr, ok := r.byURL[ref.Reference]
	if !ok {
		return ""
	}
	var v struct {
		Name json.RawMessage `json:"name"`
	}
	if json.Unmarshal(fr.raw, &v) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(v.Name, &s) == nil {
		return s
	}
	var hn []struct {
		Family string   `json:"family"`
		Given  []string `json:"given"`
		Text   string   `json:"text"`
	}
	if json.Unmarshal(v.Name, &hn) == nil && len(hn) > 0 {
		return firstNonEmpty(hn[0].Text, strings.TrimSpace(strings.Join(hn[0].Given, " ")+" "+hn[0].Family))
	}
	return ""
}

func (r *fhirReader) compositionSections(secs []fhirSection, level int) {
	for _, s := range secs {
		sec := Section{Title: firstNonEmpty(s.Title, s.Code.name(), "Untitled section"), Level: level}
		if s.Text != nil && s.Text.Div != "" {
			if root, err := parseXML([]byte(s.Text.Div)); err == nil {
				sec.Blocks = narrative(root, nil)
			} else {
				r.doc.skip(fmt.Sprintf("section %q: its narrative is not valid XHTML", sec.Title))
			}
		}
		r.doc.Sections = append(r.doc.Sections, sec)
		r.compositionSections(s.Section, level+1)
	}
}

func (r *fhirReader) patient(data []byte) error {
	var fp fhirPatient
	if err := json.Unmarshal(data, &fp); err != nil {
		return fmt.Errorf("ehrimport: reading the Patient: %w", jsonErr(err))
	}
	p := &r.doc.Patient
	for _, id := range fp.Identifier {
		if id.Value == "" {
			continue
		}
		idf := Identifier{Value: id.Value, System: id.System, Authority: id.Assigner.Display}
		if len(id.Type.Coding) > 0 {
			idf.Type = id.Type.Coding[0].Code
		}
		if idf.Authority == "" {
			idf.Authority = firstNonEmpty(authorityNames[strings.TrimPrefix(id.System, "urn:oid:")], authorityNames[id.System], id.Type.name())
		}
		p.Identifiers = append(p.Identifiers, idf)
	}
	var names []Name
	for _, n := range fp.Name {
		nm := Name{Use: n.Use, Family: collapse(n.Family), Prefix: strings.Join(n.Prefix, " "), Suffix: strings.Join(n.Suffix, " ")}
		for _, g := range n.Given {
			if g = collapse(g); g != "" {
				nm.Given = append(nm.Given, g)
			}
		}
		if nm.Family == "" && len(nm.Given) == 0 {
			if w := strings.Fields(n.Text); len(w) > 0 {
				nm.Family, nm.Given = w[len(w)-1], w[:len(w)-1]
			}
		}
		if nm.Family != "" || len(nm.Given) > 0 {
			names = append(names, nm)
		}
	}
	p.Names = legalFirst(names, func(u string) bool { return u == "official" })
	if len(p.Names) == 0 {
		r.doc.warn("the patient's name is missing")
	}
	switch fp.Gender {
	case "female":
		p.Sex = app.SexFemale
	case "male":
		p.Sex = app.SexMale
	case "other":
		p.Sex = app.SexOther
	default:
		p.Sex = app.SexUnknown
	}
	p.BirthDate = parseFHIRDate(fp.BirthDate)
	p.Deceased = (fp.DeceasedBoolean != nil && *fp.DeceasedBoolean) || fp.DeceasedDateTime != ""
	for _, a := range fp.Address {
		addr := Address{Use: a.Use, Country: a.Country}
		addr.Line = strings.Join(a.Line, ", ")
		addr.City, addr.State, addr.PostalCode = a.City, a.State, a.PostalCode
		if !addr.Empty() {
			p.Addresses = append(p.Addresses, addr)
		}
	}
	sortAddresses(p.Addresses)
	for _, t := range fp.Telecom {
		if v := strings.TrimSpace(t.Value); v != "" {
			sys := t.System
			if sys == "sms" || sys == "" {
				sys = "phone"
			}
			p.Telecoms = append(p.Telecoms, Telecom{System: sys, Value: v, Use: t.Use})
		}
	}
	var pref []string
	for _, c := range fp.Communication {
		l := c.Language.name()
		if l == "" {
			continue
		}
		if c.Preferred {
			pref = append(pref, l)
		} else {
			p.Languages = append(p.Languages, l)
		}
	}
	p.Languages = append(pref, p.Languages...)
	return nil
}

// summarySections gives a FHIR import without a Composition a readable part for its PDF: the
// problems, medications and allergies as tables.
func (r *fhirReader) summarySections() {
	d := r.doc
	p := d.Patient
	var about []Block
	for _, n := range p.Names {
		about = append(about, Block{Kind: BlockPara, Text: "Name: " + n.Full() + map[bool]string{true: " (" + n.Use + ")", false: ""}[n.Use != ""]})
	}
	about = append(about, Block{Kind: BlockPara, Text: "Sex: " + string(p.Sex)})
	if p.Deceased {
		about = append(about, Block{Kind: BlockPara, Text: "Deceased"})
	}
	for _, a := range p.Addresses {
		about = append(about, Block{Kind: BlockPara, Text: "Address: " + strings.Join([]string{a.Line, a.City, a.State, a.PostalCode, a.Country}, ", ")})
	}
	for _, t := range p.Telecoms {
		about = append(about, Block{Kind: BlockPara, Text: t.System + ": " + t.Value})
	}
	if len(p.Languages) > 0 {
		about = append(about, Block{Kind: BlockPara, Text: "Languages: " + strings.Join(p.Languages, ", ")})
	}
	d.Sections = append(d.Sections, Section{Title: "Patient", Blocks: about})
	if len(d.Problems) > 0 {
		t := Block{Kind: BlockTable, Header: 1, Rows: [][]string{{"Problem", "Status", "Onset", "Resolved", "Codes"}}}
		for _, p := range d.Problems {
			t.Rows = append(t.Rows, []string{p.Name, p.Status, p.Onset.String(), p.Resolved.String(), codeList(p.Codes)})
		}
		d.Sections = append(d.Sections, Section{Title: "Problems", Blocks: []Block{t}})
	}
	if len(d.Medications) > 0 {
		t := Block{Kind: BlockTable, Header: 1, Rows: [][]string{{"Medication", "Status", "Since", "Dose"}}}
		for _, m := range d.Medications {
			t.Rows = append(t.Rows, []string{m.Name, m.Status, m.Start.String(), m.Dose})
		}
		d.Sections = append(d.Sections, Section{Title: "Medications", Blocks: []Block{t}})
	}
	if len(d.Allergies) > 0 {
		t := Block{Kind: BlockTable, Header: 1, Rows: [][]string{{"Substance", "Reaction", "Severity", "Status"}}}
		for _, a := range d.Allergies {
			t.Rows = append(t.Rows, []string{a.Substance, a.Reaction, a.Severity, a.Status})
		}
		d.Sections = append(d.Sections, Section{Title: "Allergies and intolerances", Blocks: []Block{t}})
	}
}

// codeList writes codes as "SNOMED CT 38341003, ICD-10-CM I10".
func codeList(codes []Code) string {
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		parts = append(parts, c.System+" "+c.Code)
	}
	return strings.Join(parts, ", ")
}
