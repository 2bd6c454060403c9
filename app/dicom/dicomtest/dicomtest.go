// Package dicomtest starts the project's Orthanc test peer (scripts/orthanc.sh) for tests and
// benchmarks, and makes DICOM files with new UIDs from sample files. It is imported by tests only.
package dicomtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/referraldesk/referraldesk/app/dicom"
)

// Orthanc is a private Orthanc with the DICOMweb plugin on 127.0.0.1, authentication on.
type Orthanc struct {
	Base     string // DICOMweb root, e.g. http://127.0.0.1:PORT/dicom-web
	URL      string // Orthanc's own REST API
	User     string
	Password string
	Dir      string
}

// StartOrthanc installs (when missing, through apt-get) and starts an Orthanc in a temporary
// folder with scripts/orthanc.sh, and stops it when the test ends. It skips the test only when
// Orthanc is missing and apt-get is not there to install it; any other failure fails the test.
func StartOrthanc(tb testing.TB, repoRoot string) *Orthanc {
	tb.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		tb.Fatal(err)
	}
	script := filepath.Join(root, "scripts", "orthanc.sh")
	dir := tb.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "bash", script, "start", "--dir", dir).CombinedOutput()
	if err != nil {
		if bytes.Contains(out, []byte("no apt-get here")) {
			tb.Skipf("Orthanc is not installed and there is no apt-get to install it: skipping (%s)", strings.TrimSpace(string(out)))
		}
		tb.Fatalf("scripts/orthanc.sh start: %v\n%s", err, out)
	}
	tb.Cleanup(func() {
		if out, err := exec.Command("bash", script, "stop", "--dir", dir).CombinedOutput(); err != nil {
			tb.Errorf("scripts/orthanc.sh stop: %v\n%s", err, out)
		}
	})
	env, err := readEnv(filepath.Join(dir, "orthanc.env"))
	if err != nil {
		tb.Fatal(err)
	}
	o := &Orthanc{Base: env["DICOMWEB_BASE"], URL: env["ORTHANC_URL"], User: env["ORTHANC_USER"], Password: env["ORTHANC_PASSWORD"], Dir: dir}
	if o.Base == "" || o.URL == "" || o.User == "" || o.Password == "" {
		tb.Fatalf("orthanc.env is incomplete: %v", env)
	}
	return o
}

func readEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			out[k] = v
		}
	}
	return out, sc.Err()
}

// Authorize puts the Orthanc credentials on a request.
func (o *Orthanc) Authorize(r *http.Request) { r.SetBasicAuth(o.User, o.Password) }

// Instances lists the SOP Instance UIDs Orthanc holds for a study, by QIDO-RS.
func (o *Orthanc) Instances(ctx context.Context, study string) (map[string]bool, error) {
	return dicom.QueryInstances(ctx, http.DefaultClient, o.Base, o.Authorize, study)
}

// DeleteAll removes every study from Orthanc (its REST API), for benchmarks that upload the
// same files more than once.
func (o *Orthanc) DeleteAll(ctx context.Context) error {
	var ids []string
	if err := o.rest(ctx, http.MethodGet, "/studies", &ids); err != nil {
		return err
	}
	for _, id := range ids {
		if err := o.rest(ctx, http.MethodDelete, "/studies/"+id, nil); err != nil {
			return err
		}
	}
	return nil
}

func (o *Orthanc) rest(ctx context.Context, method, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, o.URL+path, nil)
	if err != nil {
		return err
	}
	o.Authorize(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("orthanc %s %s: HTTP %d", method, path, resp.StatusCode)
	}
	if v != nil {
		return json.Unmarshal(body, v)
	}
	return nil
}

// SOPInstanceUIDs lists the SOP Instance UIDs of the parts of a STOW-RS request body.
func SOPInstanceUIDs(contentType string, body []byte) ([]string, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp("", "dicomtest-part-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	tmp.Close()
	var out []string
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(tmp.Name(), data, 0o600); err != nil {
			return nil, err
		}
		in, err := dicom.ReadHeader(context.Background(), tmp.Name(), 0)
		if err != nil {
			return nil, fmt.Errorf("part %d: %w", len(out)+1, err)
		}
		out = append(out, in.SOPInstanceUID)
	}
}

// UIDRoot prefixes the UIDs CloneWithNewUIDs makes (a root for test and example UIDs).
const UIDRoot = "1.2.826.0.1.3680043.8.498."

// CloneWithNewUIDs writes n copies of the DICOM files src (taken in turn) under dst, spread
// over studies studies, each copy with new Study, Series and SOP Instance UIDs written in place
// of the old ones (same encoded length, so the file's structure is unchanged). Each call uses a
// random UID stem, so runs against the same server never collide. It returns the paths written.
func CloneWithNewUIDs(src []string, dst string, n, studies int) ([]string, error) {
	if len(src) == 0 || n < 1 || studies < 1 {
		return nil, fmt.Errorf("dicomtest: clone: nothing to do")
	}
	type tmpl struct {
		data               []byte
		study, series, sop string
	}
	var ts []tmpl
	for _, p := range src {
		in, err := dicom.ReadHeader(context.Background(), p, 0)
		if err != nil {
			return nil, fmt.Errorf("dicomtest: clone %s: %w", p, err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		ts = append(ts, tmpl{data, in.StudyInstanceUID, in.SeriesInstanceUID, in.SOPInstanceUID})
	}
	stemN, err := rand.Int(rand.Reader, big.NewInt(9e8))
	if err != nil {
		return nil, err
	}
	stem := UIDRoot + fmt.Sprint(stemN.Int64()+1e8)
	var out []string
	for i := range n {
		t := ts[i%len(ts)]
		st := i * studies / n
		repl := map[string]string{
			t.study:  fmt.Sprintf("%s.%d", stem, st+1),
			t.series: fmt.Sprintf("%s.%d.%d", stem, st+1, i%len(ts)+1),
			t.sop:    fmt.Sprintf("%s.%d.%d.%d", stem, st+1, i%len(ts)+1, i+1),
		}
		data := t.data
		for old, nu := range repl {
			if data, err = replaceUID(data, old, nu); err != nil {
				return nil, fmt.Errorf("dicomtest: clone %s: %w", src[i%len(ts)], err)
			}
		}
		p := filepath.Join(dst, fmt.Sprintf("S%03d", st+1), fmt.Sprintf("IM%05d", i+1))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// replaceUID rewrites every UI element whose value is old (explicit or implicit VR little
// endian) with nu, padded with NUL to the same length.
func replaceUID(data []byte, old, nu string) ([]byte, error) {
	l := len(old) + len(old)%2
	if len(nu) > l {
		return nil, fmt.Errorf("new UID %q longer than %d bytes", nu, l)
	}
	pad := func(s string) []byte { return append([]byte(s), make([]byte, l-len(s))...) }
	oldV, newV := pad(old), pad(nu)
	var l16 [2]byte
	var l32 [4]byte
	binary.LittleEndian.PutUint16(l16[:], uint16(l))
	binary.LittleEndian.PutUint32(l32[:], uint32(l))
	found := false
	for _, head := range [][]byte{append([]byte("UI"), l16[:]...), l32[:]} {
		pat := append(bytes.Clone(head), oldV...)
		if bytes.Contains(data, pat) {
			found = true
			data = bytes.ReplaceAll(data, pat, append(bytes.Clone(head), newV...))
		}
	}
	if !found {
		return nil, fmt.Errorf("UID %q not found", old)
	}
	return data, nil
}
