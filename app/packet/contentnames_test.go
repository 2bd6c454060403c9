package packet

import (
	"strings"
	"testing"
)

// The content scanner finds the resource each drawing operator takes by name, and nothing inside
// strings, dictionaries, arrays or inline image data.
func TestScanContentNames(t *testing.T) {
	content := `q /GS0 gs BT /F#201 12 Tf (a /Fake Do \) ( nested ) text) Tj ET
/P0 Do /CS1 cs /DeviceRGB CS 0.5 /Pat scn /OC /MC0 BDC /Span << /MCID 0 >> BDC /P <</Lang (en)>> DP
<< /Dict /Fake Do >> [ /Arr /Fake Do ] <4142> Tj
BI /W 4 /H 1 /BPC 8 /CS /G ID ` + "\x00/X Do EI\xff" + ` EI
/Im#1 Do /Sh sh EMC Q % /Comment Do`
	var got []string
	scanContent([]byte(content), func(op, name string) bool {
		if name != "" {
			got = append(got, op+":"+name)
		}
		return true
	})
	want := "gs:GS0 Tf:F 1 Do:P0 cs:CS1 CS:DeviceRGB scn:Pat BDC:MC0 Do:Im#1 sh:Sh"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("names\n got %s\nwant %s", s, want)
	}
}
