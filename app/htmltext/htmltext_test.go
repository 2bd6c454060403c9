package htmltext

import (
	"strings"
	"testing"
)

func TestToText(t *testing.T) {
	in := `<html><head><title>Pathology
report</title><style>.x{}</style><script>alert(1)</script></head><body>
<h2>Specimen</h2><p>Skin, left forearm, &lt;5&nbsp;mm.  See <a href="javascript:evil()">the note</a>.</p>
<table><tr><th>Test</th><th>Result</th></tr><tr><td>Margin</td><td>clear</td></tr></table>
<pre>  line one
  line two</pre><noscript>enable scripts</noscript><svg><text>drawn</text></svg><br>End</body></html>`
	got, err := ToText(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := "Pathology report\n\nSpecimen\n\nSkin, left forearm, <5 mm. See the note.\n\nTest\tResult\nMargin\tclear\n\nline one\nline two\n\nEnd\n"
	if got != want {
		t.Errorf("ToText =\n%q\nwant\n%q", got, want)
	}
}

// Unclosed and broken markup still gives the words, and never a tag.
func TestToTextBroken(t *testing.T) {
	got, err := ToText(strings.NewReader(`<p>Dear <b>Dr Lee<div><script>x=1`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(got) != "Dear Dr Lee" {
		t.Errorf("ToText = %q", got)
	}
}
