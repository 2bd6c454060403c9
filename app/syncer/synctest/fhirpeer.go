// Package synctest starts the project's FHIR R4 test server (testdata/fhir-server) for tests and
// drives its admin routes. It is imported by tests only.
package synctest

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// FHIRPeer is the project's FHIR R4 test server (testdata/fhir-server), started on loopback.
type FHIRPeer struct {
	Base, User, Password, AdminToken string
	cmd                              *exec.Cmd
}

func RandHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// StartFHIR installs (once) and starts the test server; it skips when Node.js is not installed.
func StartFHIR(t *testing.T, repoRoot string) *FHIRPeer {
	t.Helper()
	p := &FHIRPeer{User: "clinic", Password: RandHex(12), AdminToken: RandHex(12)}
	lines := startNode(t, repoRoot, "FHIR", []string{"--port", "0"},
		[]string{"FHIR_USER=" + p.User, "FHIR_PASSWORD=" + p.Password, "FHIR_ADMIN_TOKEN=" + p.AdminToken}, &p.cmd)
	p.Base = lines["FHIR_READY"]
	return p
}

// startNode installs (once) and starts testdata/fhir-server/server.js with args and extra
// environment, stops it when the test ends, and waits for its "FHIR_READY <base>" line. It returns
// every "KEY value" line printed until then (KEY in capitals). what names the server in messages.
func startNode(t *testing.T, repoRoot, what string, args, env []string, keep **exec.Cmd) map[string]string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skipf("node is not installed: skipping the %s end-to-end test", what)
	}
	root, _ := filepath.Abs(repoRoot)
	install := exec.Command("bash", filepath.Join(root, "scripts", "fhir-server.sh"), "install")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("installing the FHIR test server: %v\n%s", err, out)
	}
	cmd := exec.Command("node", append([]string{"server.js"}, args...)...)
	cmd.Dir = filepath.Join(root, "testdata", "fhir-server")
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	*keep = cmd
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s peer stderr:\n%s", what, stderr.String())
		}
	})
	ready := make(chan map[string]string, 1)
	go func() {
		lines := map[string]string{}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), " ")
			if ok && k != "" && strings.ToUpper(k) == k {
				lines[k] = v
			}
			if k == "FHIR_READY" {
				ready <- lines
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case lines := <-ready:
		return lines
	case <-time.After(90 * time.Second):
		t.Fatalf("the %s test server did not start:\n%s", what, stderr.String())
		return nil
	}
}

func (p *FHIRPeer) Admin(t *testing.T, method, path string, body any, into any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	root := strings.TrimSuffix(p.Base, "/fhir/R4")
	req, _ := http.NewRequest(method, root+"/admin/"+path, rd)
	req.Header.Set("Authorization", "Bearer "+p.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("admin %s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if into != nil {
		if err := json.Unmarshal(data, into); err != nil {
			t.Fatalf("admin %s: %v: %s", path, err, data)
		}
	}
}

type Counts struct {
	Resources  map[string]int `json:"resources"`
	Duplicates []any          `json:"duplicateIdentifiers"`
	Binaries   struct {
		Count   int      `json:"count"`
		Orphans []string `json:"orphans"`
	} `json:"binaries"`
}

func (p *FHIRPeer) Counts(t *testing.T) Counts {
	var c Counts
	p.Admin(t, "GET", "counts", nil, &c)
	return c
}

func (p *FHIRPeer) Fault(t *testing.T, spec map[string]any) {
	p.Admin(t, "POST", "fault", spec, nil)
}

type BinaryInfo struct {
	Size    int64  `json:"size"`
	SHA1Hex string `json:"sha1Hex"`
}

func (p *FHIRPeer) Binary(t *testing.T, id string) BinaryInfo {
	var b BinaryInfo
	p.Admin(t, "GET", "binary/"+id, nil, &b)
	return b
}
