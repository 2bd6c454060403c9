package ehrimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app"
)

const miniCCDA = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
 <templateId root="2.16.840.1.113883.10.20.22.1.1" extension="2015-08-01"/>
 <title>Mini</title><effectiveTime value="20240305"/>
 <recordTarget><patientRole><id extension="A1" root="1.2.3"/>
  <patient><name><given>Ann</given><family>Test</family></name>
   <administrativeGenderCode code="F"/><birthTime value="1980"/></patient>
 </patientRole></recordTarget>
 <component><structuredBody>
  <component><section><templateId root="9.9.9.9"/><title>Vendor notes</title><text>Café visit &amp; notes</text>
   <entry><observation><templateId root="9.9.9.9.1"/><value nullFlavor="UNK"/></observation></entry></section></component>
  <component><section><code code="11450-4"/><title>Problems</title><text><list><item>Hypertension</item></list></text>
   <entry><act><statusCode code="active"/><entryRelationship><observation><templateId root="7.7.7"/>
    <value code="I10" codeSystem="2.16.840.1.113883.6.90" displayName="Essential hypertension"/></observation></entryRelationship></act></entry>
   <entry><act><statusCode code="active"/><entryRelationship><observation>
    <value nullFlavor="OTH"><originalText><reference value="#p2"/></originalText></value></observation></entryRelationship></act></entry>
  </section></component>
 </structuredBody></component>
</ClinicalDocument>`

func TestVendorQuirks(t *testing.T) {
	doc, err := Parse([]byte(strings.Replace(miniCCDA, "<item>Hypertension</item>", `<item>Hypertension</item><item ID="p2">Type 2 diabetes</item>`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != "C-CDA R2.1" || doc.Patient.BirthDate.String() != "1980" || doc.Patient.BirthDate.Precision != PrecisionYear {
		t.Errorf("format %q birth %q", doc.Format, doc.Patient.BirthDate)
	}
	if !doc.ChartPatient().BirthDate.IsZero() {
		t.Error("a year-only birth date must not be put on the chart")
	}
	if !containsText(doc.Warnings, "known only as 1980") {
		t.Errorf("warnings %q", doc.Warnings)
	}
	if !containsText(doc.Skipped, `"Vendor notes": template 9.9.9.9 not known`) {
		t.Errorf("skipped %q", doc.Skipped)
	}
	if len(doc.Problems) != 2 || doc.Problems[1].Name != "Type 2 diabetes" {
		t.Fatalf("problems %+v", doc.Problems)
	}
	Suggest(index(t), doc)
	if p := doc.Problems[0]; len(p.ICD10) != 1 || p.ICD10[0].Status != ICD10Valid || p.Suggestions[0].Code != "I10" {
		t.Errorf("I10: %+v", p)
	}
	if s := doc.Problems[1].Suggestions; len(s) == 0 || !strings.HasPrefix(s[0].Code, "E11") {
		t.Errorf("diabetes suggestions %+v", s)
	}
}

func TestICD10Statuses(t *testing.T) {
	ix := index(t)
	doc := &Document{Problems: []Problem{
		{Name: "Type 2 diabetes mellitus", Codes: []Code{{System: sysICD10CM, Code: "E11"}}},
		{Name: "Something", Codes: []Code{{System: sysICD10CM, Code: "Z99.999"}}},
		{Name: "Essential hypertension (disorder)", Codes: []Code{{System: sysSNOMED, Code: "59621000"}}},
	}}
	Suggest(ix, doc)
	if c := doc.Problems[0].ICD10; len(c) != 1 || c[0].Status != ICD10Category || !strings.HasPrefix(doc.Problems[0].Suggestions[0].Code, "E11.") {
		t.Errorf("category: %+v", doc.Problems[0])
	}
	if c := doc.Problems[1].ICD10; len(c) != 1 || c[0].Status != ICD10NotInList {
		t.Errorf("invalid: %+v", doc.Problems[1])
	}
	for _, s := range doc.Problems[1].Suggestions {
		if s.Code == "Z99.999" {
			t.Error("an invalid code was suggested")
		}
	}
	if s := doc.Problems[2].Suggestions; len(s) == 0 || s[0].Code != "I10" {
		t.Errorf("SNOMED by name: %+v", s)
	}
}

func TestEntitiesRefused(t *testing.T) {
	xxe := `<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>`
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol9;</title></ClinicalDocument>`
	for name, s := range map[string]string{"xxe": xxe, "billion laughs": laughs} {
		_, err := Parse([]byte(s))
		if !errors.Is(err, ErrEntities) || !strings.Contains(err.Error(), "refused for safety") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A DOCTYPE without entities is ignored.
	plain := strings.Replace(miniCCDA, "<ClinicalDocument", `<!DOCTYPE ClinicalDocument SYSTEM "cda.dtd"><ClinicalDocument`, 1)
	if _, err := Parse([]byte(plain)); err != nil {
		t.Errorf("plain DOCTYPE: %v", err)
	}
}

func TestTruncated(t *testing.T) {
	files := ccdaFiles(t)
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(data[:len(data)/2]); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("half a C-CDA: %v", err)
	}
	js := sharedFiles(t, "synthea", "*.json")
	data, err = os.ReadFile(js[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(data[:len(data)/2]); !errors.Is(err, ErrTruncated) {
		t.Errorf("half a bundle: %v", err)
	}
	if _, err := Parse([]byte("hello")); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("text: %v", err)
	}
}

// bigCCDA repeats the body sections of a real document until it is about size bytes.
func bigCCDA(t testing.TB, size int) []byte {
	t.Helper()
	var best []byte
	for _, f := range ccdaFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > len(best) {
			best = b
		}
	}
	s := string(best)
	open := strings.Index(s, "<structuredBody>")
	end := strings.LastIndex(s, "</structuredBody>")
	if open < 0 || end < 0 {
		t.Fatal("no structuredBody in the sample")
	}
	body := s[open+len("<structuredBody>") : end]
	var b strings.Builder
	b.Grow(size + len(s))
	b.WriteString(s[:end])
	for b.Len()+len(body) < size {
		b.WriteString(body)
	}
	b.WriteString(s[end:])
	return []byte(b.String())
}

func TestSizes(t *testing.T) {
	dir := t.TempDir()
	over := filepath.Join(dir, "over.xml")
	if err := os.WriteFile(over, bytes.Repeat([]byte(" "), MaxSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(over)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(data); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "the limit is 62.9 MB") {
		t.Errorf("over the cap: %v", err)
	}
	if testing.Short() {
		t.Skip("50 MB import skipped in -short mode")
	}
	// A 50 MB C-CDA is under the cap: it is read, not refused.
	big := filepath.Join(dir, "big.xml")
	if err := os.WriteFile(big, bigCCDA(t, 50<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := parseFile(t, big)
	if doc.Patient.LegalName().Family == "" || len(doc.Sections) < 100 {
		t.Errorf("50 MB file: name %q, %d sections", doc.Patient.LegalName().Family, len(doc.Sections))
	}
}

func zipOf(t *testing.T, files map[string][]byte, method uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZip(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	data := zipOf(t, map[string][]byte{
		"IHE_XDM/SUBSET01/DOC0001.XML": []byte(miniCCDA), "IHE_XDM/SUBSET01/METADATA.XML": []byte("<Submit/>"),
		"scan.pdf": pdf, "README.TXT": []byte("hello"),
	}, zip.Deflate)
	doc, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Patient.LegalName().Family != "Test" || len(doc.Attachments) != 1 || !containsText(doc.Skipped, "METADATA.XML") {
		t.Errorf("zip: %q, %d attachments, skipped %q", doc.Patient.LegalName().Family, len(doc.Attachments), doc.Skipped)
	}
	bomb := zipOf(t, map[string][]byte{"a.xml": bytes.Repeat([]byte{' '}, 50<<20)}, zip.Deflate)
	if _, err := Parse(bomb); !errors.Is(err, ErrZipLimits) {
		t.Errorf("bomb: %v", err)
	}
	many := map[string][]byte{}
	for i := range MaxZipFiles + 1 {
		many[strings.Repeat("x", 1+i%7)+string(rune('a'+i%26))+"/"+string(rune('0'+i%10))+strings.Repeat("y", i)] = nil
	}
	if _, err := Parse(zipOf(t, many, zip.Store)); !errors.Is(err, ErrZipLimits) {
		t.Errorf("too many files: %v", err)
	}
	if _, err := Parse(data[:len(data)-30]); !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrDamaged) {
		t.Errorf("cut zip: %v", err)
	}
}

func TestEncodings(t *testing.T) {
	// Windows-1252 bytes (é = 0xE9) declared as UTF-8.
	cp := bytes.Replace([]byte(miniCCDA), []byte("Café"), []byte("Caf\xe9"), 1)
	doc, err := Parse(cp)
	if err != nil {
		t.Fatal(err)
	}
	if !containsText(doc.Warnings, "Windows-1252") || !strings.Contains(doc.Sections[0].Blocks[0].Text, "Café") {
		t.Errorf("warnings %q text %q", doc.Warnings, doc.Sections[0].Blocks[0].Text)
	}
	latin := bytes.Replace(cp, []byte(`encoding="UTF-8"`), []byte(`encoding="ISO-8859-1"`), 1)
	if doc, err = Parse(latin); err != nil || !strings.Contains(doc.Sections[0].Blocks[0].Text, "Café") {
		t.Errorf("declared Latin-1: %v", err)
	}
}

func TestFHIRPatientAndAttachments(t *testing.T) {
	pt := `{"resourceType":"Patient","name":[{"use":"nickname","given":["Bob"]},{"use":"official","family":"Núñez","given":["Roberto","José"]}],
	"birthDate":"1970-03","gender":"male","identifier":[{"system":"urn:oid:1.2.3","value":"MRN9","assigner":{"display":"Clinic A"}}]}`
	doc, err := Parse([]byte(pt))
	if err != nil {
		t.Fatal(err)
	}
	n := doc.Patient.LegalName()
	if n.Family != "Núñez" || doc.Patient.BirthDate.String() != "1970-03" || doc.Patient.Identifiers[0].Authority != "Clinic A" {
		t.Errorf("patient %+v", doc.Patient)
	}
	pdf := "JVBERi0xLjQKJSVFT0YK" // %PDF-1.4 %%EOF
	bundle := `{"resourceType":"Bundle","type":"searchset","timestamp":"2024-02-01T10:00:00Z","entry":[
	{"fullUrl":"urn:uuid:p","resource":` + pt + `},
	{"fullUrl":"urn:uuid:b","resource":{"resourceType":"Binary","contentType":"application/pdf","data":"` + pdf + `"}},
	{"resource":{"resourceType":"DocumentReference","date":"2023-05-06","description":"Echo report","content":[{"attachment":{"contentType":"application/pdf","url":"urn:uuid:b"}}]}},
	{"resource":{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I10"}],"text":"HTN"},"clinicalStatus":{"coding":[{"code":"active"}]}}},
	{"resource":{"resourceType":"Condition","code":{"text":"wrong"},"verificationStatus":{"coding":[{"code":"entered-in-error"}]}}}]}`
	doc, err = Parse([]byte(bundle))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Attachments) != 1 || doc.Attachments[0].Title != "Echo report" || doc.Attachments[0].Date.String() != "2023-05-06" ||
		!bytes.HasPrefix(doc.Attachments[0].Data, []byte("%PDF")) {
		t.Errorf("attachments %+v", doc.Attachments)
	}
	if len(doc.Problems) != 1 || doc.Date.String() != "2024-02-01" {
		t.Errorf("problems %+v date %v", doc.Problems, doc.Date)
	}
	ins, err := WriteFiles(doc, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 || ins[1].Date.Format(app.DateLayout) != "2023-05-06" || ins[1].DateSource != "metadata" {
		t.Errorf("packet inputs %+v", ins)
	}
	for _, in := range ins {
		if st, err := os.Stat(in.Path); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", in.Path, st.Mode(), err)
		}
	}
}

func containsText(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
