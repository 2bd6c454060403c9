package screens

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app"
	"github.com/referraldesk/referraldesk/app/creds/credstest"
	"github.com/referraldesk/referraldesk/app/syncer"
)

// An HTML result is shown as text in the app, in a dialog; it is not handed to the browser as a
// file:// page (the test driver's OpenURL does nothing, so before this no dialog appeared).
func TestOpenHTMLResultShowsText(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "rd.db"))
	defer st.Close()
	deps := testDeps(t, st)
	deps.Sync = &syncer.Service{Store: st, Keychain: &credstest.Keychain{}, Profile: deps.Profile}
	u, w := newTestUI(t, deps)
	u.ShowHome()
	u.Idle()
	page := `<html><head><title>Visit summary</title><script>steal()</script></head>
<body><p>Seen and treated. <a href="https://evil.example/">Portal</a></p></body></html>`
	u.home.openResult(app.Result{ID: 4, Title: "Visit summary", ContentType: "text/html", Data: []byte(page)})
	u.Idle()
	var texts []string
	for _, o := range w.Canvas().Overlays().List() {
		collectLabels(o, &texts)
	}
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, "Seen and treated. Portal") {
		t.Fatalf("no dialog with the result's text; labels on screen: %q", texts)
	}
	for _, bad := range []string{"<", "steal", "evil.example"} {
		if strings.Contains(all, bad) {
			t.Errorf("the shown result keeps %q: %q", bad, all)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(deps.DataDir, "results", "*.htm*")); len(matches) != 0 {
		t.Errorf("an HTML file was saved: %v", matches)
	}
}

// collectLabels gathers the text of the visible labels under o.
func collectLabels(o fyne.CanvasObject, out *[]string) {
	if o == nil || !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *widget.Label:
		*out = append(*out, x.Text)
	case *fyne.Container:
		for _, c := range x.Objects {
			collectLabels(c, out)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			collectLabels(c, out)
		}
	}
}
