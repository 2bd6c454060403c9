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
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: skipping the FHIR end-to-end test")
	}
	root, _ := filepath.Abs(repoRoot)
	install := exec.Command("bash", filepath.Join(root, "scripts", "fhir-server.sh"), "install")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("installing the FHIR test server: %v\n%s", err, out)
	}
	p := &FHIRPeer{User: "clinic", Password: RandHex(12), AdminToken: RandHex(12)}
	cmd := exec.Command("node", "server.js", "--port", "0")
	cmd.Dir = filepath.Join(root, "testdata", "fhir-server")
	cmd.Env = append(os.Environ(), "FHIR_USER="+p.User, "FHIR_PASSWORD="+p.Password, "FHIR_ADMIN_TOKEN="+p.AdminToken)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.cmd = cmd
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if b, ok := strings.CutPrefix(sc.Text(), "FHIR_READY "); ok {
				ready <- b
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case p.Base = <-ready:
	case <-time.After(90 * time.Second):
		t.Fatalf("the FHIR test server did not start:\n%s", stderr.String())
	}
	return p
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
