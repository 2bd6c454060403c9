package main

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/packet/packettest"
	"github.com/referraldesk/referraldesk/app/sandbox"
	"github.com/referraldesk/referraldesk/screens"
)

// The test binary doubles as the app: with this variable set it runs main instead of the tests, so the
// smoke test exercises the real program (GLFW window, SQLite file, embedded assets) without a second build.
const runAsApp = "REFERRALDESK_RUN_AS_APP"

func TestMain(m *testing.M) {
	sandbox.RunWorkerIfAsked() // a sandbox worker started from this test binary
	if os.Getenv(runAsApp) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func appCmd(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsApp+"=1", "LANG=en_US.UTF-8")
	return cmd
}

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs it): skipping the real-window test", tool)
		}
	}
}

// TestSmokeRealWindowUnderXvfb starts the real app on a virtual X display with a demo database and
// checks that its window paints something: a screenshot that is not blank.
func TestSmokeRealWindowUnderXvfb(t *testing.T) {
	needTools(t, "xvfb-run", "dbus-run-session", "xwd", "convert", "xwininfo")
	dir := t.TempDir()
	data := filepath.Join(dir, "data dir é")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if out, err := appCmd(ctx, "demo-data", "--data", data, "--patients", "50").CombinedOutput(); err != nil {
		t.Fatalf("demo-data: %v\n%s", err, out)
	}
	shot := filepath.Join(dir, "shot.png")
	script := `"$APP" --data "$DATA" 2>"$LOG" & pid=$!
for i in $(seq 1 120); do
  if xwininfo -root -tree 2>/dev/null | grep -q '"ReferralDesk"'; then break; fi
  sleep 0.25
done
sleep 1.5
xwd -root -silent | convert xwd:- png:"$SHOT"
kill -0 $pid || { echo "app exited early"; exit 3; }
kill $pid; wait $pid 2>/dev/null; exit 0`
	cmd := exec.CommandContext(ctx, "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--", "sh", "-c", script)
	cmd.Env = append(os.Environ(), runAsApp+"=1", "LANG=en_US.UTF-8", "APP="+os.Args[0], "DATA="+data,
		"SHOT="+shot, "LOG="+filepath.Join(dir, "app.log"), "XDG_RUNTIME_DIR="+dir)
	out, err := cmd.CombinedOutput()
	logText, _ := os.ReadFile(filepath.Join(dir, "app.log"))
	if err != nil {
		t.Fatalf("real window run failed: %v\n%s\napp log:\n%s", err, out, logText)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	colors, painted := imageStats(img)
	if colors < 20 || painted < 0.05 {
		t.Fatalf("screenshot looks blank: %d colours, %.1f%% painted\napp log:\n%s", colors, painted*100, logText)
	}
	if strings.Contains(string(logText), "panic") {
		t.Fatalf("the app panicked:\n%s", logText)
	}
	st, err := os.Stat(filepath.Join(data, "referraldesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("database mode %v, want 0600", st.Mode().Perm())
	}
}

// imageStats counts distinct colours and the share of pixels that differ from the top-left pixel.
func imageStats(img image.Image) (int, float64) {
	b := img.Bounds()
	bg := img.At(b.Min.X, b.Min.Y)
	seen := map[[4]uint32]bool{}
	diff, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			c := img.At(x, y)
			r, g, bl, a := c.RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if c != bg {
				diff++
			}
			total++
		}
	}
	return len(seen), float64(diff) / float64(total)
}

func TestCLI(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := appCmd(ctx, "icd10", "search", "type", "2", "diabetes").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	found := false
	for i, l := range lines {
		if i < 10 && strings.HasPrefix(l, "E11.9\t") {
			found = true
		}
	}
	if !found {
		t.Fatalf("E11.9 not in the first 10 lines:\n%s", out)
	}
	if out, err := appCmd(ctx, "icd10", "code", "QA00101").Output(); err != nil || !strings.HasPrefix(string(out), "QA0.0101\t") {
		t.Fatalf("icd10 code QA00101: %v %q", err, out)
	}
	cmd := appCmd(ctx, "icd10", "code", "XYZ")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("an unknown code exited 0")
	}
	if n := strings.Count(strings.TrimSpace(stderr.String()), "\n"); n != 0 || !strings.Contains(stderr.String(), "XYZ") {
		t.Fatalf("error should be one clear line naming the code, got %q", stderr.String())
	}
	if out, err := appCmd(ctx, "--version").Output(); err != nil || !strings.Contains(string(out), "SQLite") {
		t.Fatalf("--version: %v %q", err, out)
	}
	if err := appCmd(ctx, "no-such-command").Run(); err == nil {
		t.Fatal("an unknown command exited 0")
	}
}

func TestScreensCommandWritesNonBlankPNGs(t *testing.T) {
	// Every screen and dialog state in a -race binary: about 70 s on the idle 2-core machine, over 2 min
	// when a build runs beside it (a limit, not a speed goal).
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	out := t.TempDir()
	if b, err := appCmd(ctx, "screens", "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("screens: %v\n%s", err, b)
	}
	for _, name := range []string{"home", "patient-search", "new-chart", "order-diagnosis", "order-questions", "packet", "review", "import", "providers", "account", "settings", "setup", "activity", "users", "lock", "lock-forgot"} {
		f, err := os.Open(filepath.Join(out, name+".png"))
		if err != nil {
			t.Fatalf("no %s.png: %v", name, err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if colors, painted := imageStats(img); colors < 20 || painted < 0.03 {
			t.Errorf("%s.png looks blank (%d colours, %.1f%% painted)", name, colors, painted*100)
		}
	}
}

// TestFileDialogsInRealWindow opens and cancels every file and folder dialog in the real (GLFW) window
// under Xvfb, with a screenshot while one is open. Fyne 2.8.1 panicked here when a dialog was sized
// before it was shown (fyne-io/fyne#6495): every browse button closed the app.
func TestFileDialogsInRealWindow(t *testing.T) {
	needTools(t, "xvfb-run", "dbus-run-session", "xwd", "convert", "xwininfo")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// 30 charts: with 5, about one run in eight had nobody in "my patients" (no demo orders), and the
	// self-test found no patient to start an order with.
	if out, err := appCmd(ctx, "demo-data", "--data", data, "--patients", "30").CombinedOutput(); err != nil {
		t.Fatalf("demo-data: %v\n%s", err, out)
	}
	shot := filepath.Join(dir, "dialog.png")
	script := `"$APP" --data "$DATA" >"$OUT" 2>"$LOG" & pid=$!
for i in $(seq 1 200); do
  if grep -q "dialog ok" "$OUT" 2>/dev/null; then break; fi
  if grep -q "selftest failed" "$OUT" 2>/dev/null; then break; fi
  sleep 0.1
done
xwd -root -silent | convert xwd:- png:"$SHOT"
wait $pid`
	out := filepath.Join(dir, "app.out")
	cmd := exec.CommandContext(ctx, "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--", "sh", "-c", script)
	cmd.Env = append(os.Environ(), runAsApp+"=1", "LANG=en_US.UTF-8", "APP="+os.Args[0], "DATA="+data,
		"SHOT="+shot, "OUT="+out, "LOG="+filepath.Join(dir, "app.log"), "XDG_RUNTIME_DIR="+dir,
		"REFERRALDESK_SELFTEST=file-dialogs", screens.SelfTestFileEnv+"="+selfTestPDF(t))
	runOut, err := cmd.CombinedOutput()
	logText, _ := os.ReadFile(filepath.Join(dir, "app.log"))
	report, _ := os.ReadFile(out)
	if strings.Contains(string(logText), "panic") {
		t.Fatalf("the app panicked:\n%s", logText)
	}
	if err != nil {
		t.Fatalf("real window run failed: %v\n%s\nreport:\n%s\nlog:\n%s", err, runOut, report, logText)
	}
	for _, want := range []string{
		"dialog ok: attachments Add files…", "dialog ok: packet Add files…",
		"dialog ok: packet Add folder…", "dialog ok: images Choose folder or drive…", "packet read ok: 1 pages",
		"settings ok: theme switched", "lock ok", "selftest: ok",
	} {
		if !strings.Contains(string(report), want) {
			t.Errorf("missing %q in the self-test report:\n%s\nlog:\n%s", want, report, logText)
		}
	}
	if _, err := os.Stat(shot); err != nil {
		t.Errorf("no screenshot of the open dialog: %v", err)
	}
}

// selfTestPDF writes a one-page PDF for the self-test to add to a packet in the real window.
func selfTestPDF(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "visit-note.pdf")
	if err := os.WriteFile(p, packettest.TextPDF("OFFICE VISIT NOTE", "Date of service: 03/04/2021"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
