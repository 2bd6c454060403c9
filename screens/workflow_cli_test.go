package screens

import (
	"bytes"
	"database/sql"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app/cli"
	"github.com/referraldesk/referraldesk/app/datadir"
	"github.com/referraldesk/referraldesk/app/workflow"
	"github.com/referraldesk/referraldesk/local"
)

// The same operation — a new patient's order, two attached files, the records packet — once through
// the window and once through `referraldesk order ...`, on two SQLite files: the rows must agree.
// Both go through app/workflow; a copy of the flow in either would show here as a difference.
func TestWindowAndCommandLineMakeTheSameRows(t *testing.T) {
	pdfs := filepath.Join("..", "..", "shared", "data", "pdfs")
	if _, err := os.Stat(pdfs); err != nil {
		t.Skip("../shared/data/pdfs is absent: the sample PDFs are needed")
	}
	src := t.TempDir()
	records := filepath.Join(pdfs, "pysamples--pdflatex-4-pages.pdf")
	photo := writeJPEG(t, src, "wound.jpg")
	packetFiles := []string{filepath.Join(pdfs, "pysamples--crazyones-pdfa.pdf"), filepath.Join(pdfs, "pdf20--Simple_PDF_2.0_file.pdf")}

	// The window: new chart, provider, two files, the packet.
	guiDir := t.TempDir()
	st := openStore(t, filepath.Join(guiDir, "rd.db"))
	t.Cleanup(func() { st.Close() })
	addProvider(t, st, "1234567893")
	u, w := newTestUI(t, testDeps(t, st))
	tapButton(t, u, u.win, "Place an order")
	tapButton(t, u, u.win, "Create a new chart")
	fillChart(t, u, w, "Núñez", "María", "03/14/1961")
	tapButton(t, u, u.win, "Save chart")
	e := u.editor
	if e.order.ID == 0 {
		t.Fatal("saving the chart did not start the order")
	}
	e.providerSel.SetSelected("Okafor, Adaeze, MD")
	e.addFiles([]string{records, photo})
	u.Idle()
	if len(e.order.Attachments) != 2 {
		t.Fatalf("window: %d attachments, want 2", len(e.order.Attachments))
	}
	ps := e.showPacket()
	u.Idle()
	ps.addPaths(packetFiles)
	u.Idle()
	for _, c := range workflow.ToCheck(ps.plan(), ps.reviewed) { // "I checked them: keep them"
		ps.reviewed[c.Input] = true
	}
	ps.save()
	ps.runBuild(ps.plan())
	u.Idle()
	e.saver.flush()
	u.Idle()
	if len(e.order.Attachments) != 3 {
		t.Fatalf("window: %d attachments after the packet, want 3", len(e.order.Attachments))
	}

	// The command line, on a second database.
	cliDir := filepath.Join(t.TempDir(), "data")
	if err := datadir.Ensure(cliDir); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := cli.Env{
		Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader(""),
		OpenStore: func(dir string) (cli.Store, error) {
			return local.Open(datadir.Database(dir), local.Options{Actor: "tester"})
		},
	}
	runCLI := func(args ...string) {
		t.Helper()
		stdout.Reset()
		stderr.Reset()
		if code := cli.Main(append(args, "--data", cliDir), env); code != 0 {
			t.Fatalf("referraldesk %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
	}
	cst := openStore(t, datadir.Database(cliDir))
	addProvider(t, cst, "1234567893")
	cst.Close()
	runCLI("order", "start", "--last", "Núñez", "--first", "María", "--dob", "1961-03-14", "--sex", "female",
		"--address", "200 First St SW", "--city", "Rochester", "--state", "mn", "--zip", "55905",
		"--phone", "(507) 555-0100", "--insurance", "HMO", "--provider", "1")
	if !strings.Contains(stdout.String(), "order 1 started") {
		t.Fatalf("order start said %q", stdout.String())
	}
	// Flags before the files: the flag package stops at the first argument that is not one.
	stdout.Reset()
	if code := cli.Main([]string{"order", "attach", "--data", cliDir, "--order", "1", records, photo}, env); code != 0 {
		t.Fatalf("order attach: exit %d: %s", code, stderr.String())
	}
	if code := cli.Main(append([]string{"order", "packet", "--data", cliDir, "--keep-flagged", "--order", "1"}, packetFiles...), env); code != 0 {
		t.Fatalf("order packet: exit %d: %s", code, stderr.String())
	}

	gui := dumpRows(t, filepath.Join(guiDir, "rd.db"), u.deps.DataDir)
	cl := dumpRows(t, datadir.Database(cliDir), cliDir)
	for table, want := range gui {
		if len(want) == 0 && table != "packet_inputs" {
			continue
		}
		if got := cl[table]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs:\nwindow:       %v\ncommand line: %v", table, want, got)
		}
	}
	if len(gui["attachments"]) != 3 || len(gui["packet_inputs"]) != 2 {
		t.Fatalf("window rows: %d attachments, %d packet inputs", len(gui["attachments"]), len(gui["packet_inputs"]))
	}
	if !strings.Contains(strings.Join(gui["audit"], "\n"), "action=packet.build") {
		t.Fatalf("the packet build is not in the window's audit trail: %v", gui["audit"])
	}
}

// ignored are columns that differ by nature: row ids, clocks, who typed, where the editor was.
var ignored = map[string]bool{
	"id": true, "uuid": true, "created_at": true, "updated_at": true, "last_action_at": true, "added_at": true,
	"at": true, "actor": true, "last_step": true, "prev_hash": true, "hash": true, "os_user": true,
}

// dumpRows reads the tables an order touches, with the data folder's path written as <data>.
func dumpRows(t *testing.T, dbPath, dataDir string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The order's UUID names its folders; the packet PDF's bytes carry the build time.
	var uuids []string
	urows, err := db.Query("SELECT uuid FROM orders")
	if err != nil {
		t.Fatal(err)
	}
	for urows.Next() {
		var u string
		if err := urows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		uuids = append(uuids, u)
	}
	urows.Close()
	out := map[string][]string{}
	queries := map[string]string{
		"patients":      "SELECT * FROM patients ORDER BY id",
		"orders":        "SELECT * FROM orders ORDER BY id",
		"attachments":   "SELECT * FROM attachments ORDER BY order_id, position",
		"packet_inputs": "SELECT * FROM packet_inputs ORDER BY order_id, position",
		// What was done, not what was looked at (the window shows the chart; the CLI does not).
		"audit": "SELECT * FROM audit_log WHERE action <> 'chart.view' ORDER BY id",
	}
	for table, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var parts []string
			built := false
			for i, c := range cols {
				if ignored[c] || c == "sha1" && built {
					continue
				}
				v := vals[i]
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				s := strings.ReplaceAll(fmt.Sprint(v), dataDir, "<data>")
				for _, u := range uuids {
					s = strings.ReplaceAll(s, u, "<uuid>")
				}
				built = built || c == "path" && strings.HasPrefix(s, "<data>/packets/")
				parts = append(parts, c+"="+s)
			}
			out[table] = append(out[table], strings.Join(parts, " "))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

func writeJPEG(t *testing.T, dir, name string) string {
	t.Helper()
	var b bytes.Buffer
	g := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	if err := jpeg.Encode(&b, g, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
