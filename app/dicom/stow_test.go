package dicom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBuildBatches(t *testing.T) {
	var files []Instance
	for i, size := range []int64{40, 40, 30, 120, 10, 10, 90} {
		files = append(files, Instance{SOPInstanceUID: fmt.Sprint(i), Size: size << 20})
	}
	batches := BuildBatches(files, 0)
	var sizes []string
	n := 0
	for _, b := range batches {
		var ids []string
		for _, f := range b {
			ids = append(ids, f.SOPInstanceUID)
		}
		n += len(b)
		if MultipartSize(NewBoundary(), b) > DefaultBatchBytes && len(b) > 1 {
			t.Errorf("batch %v is %d bytes", ids, MultipartSize(NewBoundary(), b))
		}
		sizes = append(sizes, strings.Join(ids, ","))
	}
	// 40+40 MB, then 30 alone (30+120 > 100), 120 alone (too big for any batch), 10+10, 90.
	if got := strings.Join(sizes, " | "); got != "0,1 | 2 | 3 | 4,5 | 6" || n != len(files) {
		t.Errorf("batches %s", got)
	}
	if len(BuildBatches(nil, 0)) != 0 {
		t.Errorf("no files, batches")
	}
}

func TestWriteMultipart(t *testing.T) {
	dir := t.TempDir()
	var files []Instance
	for i, content := range []string{"first file\r\n--not-a-boundary", strings.Repeat("x", 100000), ""} {
		p := filepath.Join(dir, fmt.Sprint(i))
		writeFile(t, p, []byte(content))
		files = append(files, Instance{Path: p, Size: int64(len(content)), SOPInstanceUID: fmt.Sprint(i)})
	}
	boundary := NewBoundary()
	var body bytes.Buffer
	if err := WriteMultipart(&body, boundary, files); err != nil {
		t.Fatal(err)
	}
	if int64(body.Len()) != MultipartSize(boundary, files) {
		t.Errorf("body %d bytes, MultipartSize says %d", body.Len(), MultipartSize(boundary, files))
	}
	mt, params, err := mime.ParseMediaType(ContentType(boundary))
	if err != nil || mt != "multipart/related" || params["type"] != "application/dicom" {
		t.Fatalf("content type %q: %v", ContentType(boundary), err)
	}
	mr := multipart.NewReader(&body, params["boundary"])
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			if i != len(files) {
				t.Errorf("%d parts, want %d", i, len(files))
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if part.Header.Get("Content-Type") != "application/dicom" {
			t.Errorf("part %d type %q", i, part.Header.Get("Content-Type"))
		}
		got, _ := io.ReadAll(part)
		want, _ := os.ReadFile(files[i].Path)
		if !bytes.Equal(got, want) {
			t.Errorf("part %d differs", i)
		}
	}
	// A file that changed since the scan is refused.
	files[0].Size++
	if err := WriteMultipart(io.Discard, boundary, files); err == nil || !strings.Contains(err.Error(), "changed since it was scanned") {
		t.Errorf("changed file: %v", err)
	}
}

// orthancStored and orthancEmpty are real Orthanc 1.10 STOW-RS responses.
const orthancStored = `{"00080005":{"Value":["ISO_IR 100"],"vr":"CS"},
 "00081190":{"Value":["http://127.0.0.1:8042/dicom-web/studies/1.2.3"],"vr":"UR"},
 "00081198":{"vr":"SQ"},
 "00081199":{"Value":[{"00081150":{"Value":["1.2.840.10008.5.1.4.1.1.1"],"vr":"UI"},
   "00081155":{"Value":["1.2.3.4.5"],"vr":"UI"},
   "00081190":{"Value":["http://127.0.0.1:8042/dicom-web/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5"],"vr":"UR"}}],"vr":"SQ"}}`

const orthancEmpty = `{"00080005":{"Value":["ISO_IR 100"],"vr":"CS"},"00081198":{"vr":"SQ"},"00081199":{"vr":"SQ"}}`

func TestParseStowResponse(t *testing.T) {
	stored, failed, err := ParseStowResponse([]byte(orthancStored))
	if err != nil || len(stored) != 1 || len(failed) != 0 || !strings.HasSuffix(stored["1.2.3.4.5"], "/instances/1.2.3.4.5") {
		t.Errorf("stored response: %v %v %v", stored, failed, err)
	}
	withFailure := `[{"00081198":{"vr":"SQ","Value":[{"00081150":{"vr":"UI","Value":["1.2"]},"00081155":{"vr":"UI","Value":["9.9"]},"00081197":{"vr":"US","Value":[49152]}}]},
	  "00081199":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["8.8"]}}]}}]`
	stored, failed, err = ParseStowResponse([]byte(withFailure))
	if err != nil || len(stored) != 1 || failed["9.9"] != "cannot understand (0xC000)" {
		t.Errorf("failure response: %v %v %v", stored, failed, err)
	}
	for _, body := range []string{orthancEmpty, "", "  \n"} {
		stored, failed, err = ParseStowResponse([]byte(body))
		if err != nil || len(stored) != 0 || len(failed) != 0 {
			t.Errorf("empty response %q: %v %v %v", body, stored, failed, err)
		}
	}
	if _, _, err := ParseStowResponse([]byte("<NativeDicomModel/>")); !errors.Is(err, ErrStowResponse) {
		t.Errorf("XML: %v", err)
	}
}

// stow posts files as one STOW-RS request, streaming the body from disk.
func stow(ctx context.Context, base, user, password string, files []Instance) (int, []byte, error) {
	boundary := NewBoundary()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteMultipart(pw, boundary, files)) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+"/studies", pr)
	if err != nil {
		return 0, nil, err
	}
	req.ContentLength = MultipartSize(boundary, files)
	req.Header.Set("Content-Type", ContentType(boundary))
	req.Header.Set("Accept", "application/dicom+json")
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// A server that answers 200 and stores nothing is caught by Verify.
func TestVerifyCatchesEmpty200(t *testing.T) {
	var got int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/dicom+json")
		io.WriteString(w, orthancEmpty)
	}))
	defer srv.Close()
	p := filepath.Join(t.TempDir(), "f")
	writeFile(t, p, []byte("DICM-ish"))
	sent := []Instance{{Path: p, Size: 8, SOPInstanceUID: "1.2.3"}}
	status, body, err := stow(context.Background(), srv.URL, "", "", sent)
	if err != nil || status != 200 {
		t.Fatal(status, err)
	}
	if got != MultipartSize("referraldesk-"+strings.Repeat("0", 32), sent) {
		t.Errorf("server got %d bytes", got)
	}
	stored, _, err := ParseStowResponse(body)
	if err != nil {
		t.Fatal(err)
	}
	if missing := Verify(sent, stored); len(missing) != 1 || missing[0].SOPInstanceUID != "1.2.3" {
		t.Errorf("missing %v", missing)
	}
}

// TestOrthancEndToEnd runs against a real DICOMweb server:
//
//	scripts/orthanc.sh start --dir /tmp/orthanc && set -a && . /tmp/orthanc/orthanc.env && set +a
//	go test -tags sqlite_fts5,migrated_fynedo -run OrthancEndToEnd ./app/dicom/
func TestOrthancEndToEnd(t *testing.T) {
	base := os.Getenv("DICOMWEB_BASE")
	if base == "" {
		t.Skip("DICOMWEB_BASE not set: start a test Orthanc with scripts/orthanc.sh and load its orthanc.env")
	}
	user, password := os.Getenv("ORTHANC_USER"), os.Getenv("ORTHANC_PASSWORD")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	readManifest(t)
	res, err := Scan(ctx, sampleDir, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	// Wrong credentials are refused.
	if status, _, err := stow(ctx, base, user, password+"x", res.Instances[:1]); err != nil || status != http.StatusUnauthorized {
		t.Errorf("wrong password: %d %v", status, err)
	}

	// Everything, in batches of at most 300 KB to exercise batching.
	var sent []Instance
	batches := BuildBatches(res.Instances, 300<<10)
	start := time.Now()
	for i, b := range batches {
		status, body, err := stow(ctx, base, user, password, b)
		if err != nil || status != http.StatusOK {
			t.Fatalf("batch %d: %d %v %s", i, status, err, body)
		}
		stored, failed, err := ParseStowResponse(body)
		if err != nil {
			t.Fatal(err)
		}
		if missing := Verify(b, stored); len(missing) != 0 || len(failed) != 0 {
			t.Errorf("batch %d: %d missing, failed %v", i, len(missing), failed)
		}
		sent = append(sent, b...)
	}
	t.Logf("stored %d instances in %d requests in %v", len(sent), len(batches), time.Since(start).Round(time.Millisecond))

	// Every SOP Instance UID can be found by QIDO.
	studies := map[string]bool{}
	for _, in := range sent {
		studies[in.StudyInstanceUID] = true
	}
	found := map[string]bool{}
	for uid := range studies {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/studies/"+uid+"/instances", nil)
		req.SetBasicAuth(user, password)
		req.Header.Set("Accept", "application/dicom+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var list []jsonDataset
		err = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("QIDO %s: %d %v", uid, resp.StatusCode, err)
		}
		for _, ds := range list {
			found[ds.str("00080018")] = true
		}
	}
	for _, in := range sent {
		if !found[in.SOPInstanceUID] {
			t.Errorf("%s not found by QIDO", filepath.Base(in.Path))
		}
	}

	// Garbage: a part that is not application/dicom gets 200 with nothing stored, and Verify
	// says so; garbage labelled application/dicom gets 400.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := map[string][]string{"Content-Type": {"application/pdf"}}
	pw, _ := mw.CreatePart(h)
	io.WriteString(pw, "%PDF-1.4 not an image")
	mw.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/studies", &buf)
	req.SetBasicAuth(user, password)
	req.Header.Set("Content-Type", `multipart/related; type="application/dicom"; boundary=`+mw.Boundary())
	req.Header.Set("Accept", "application/dicom+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	stored, failed, err := ParseStowResponse(body)
	if resp.StatusCode != 200 || err != nil || len(stored) != 0 || len(failed) != 0 {
		t.Errorf("PDF part: %d, stored %v, failed %v, %v", resp.StatusCode, stored, failed, err)
	}
	fake := []Instance{{SOPInstanceUID: "1.2.826.0.1.3680043.8.498.1", Path: "garbage.pdf"}}
	if missing := Verify(fake, stored); len(missing) != 1 {
		t.Errorf("Verify missed the empty 200")
	}
	t.Logf("a non-DICOM part: HTTP %d with %d stored; Verify reports it missing", resp.StatusCode, len(stored))

	junk := filepath.Join(t.TempDir(), "junk")
	writeFile(t, junk, []byte("hello, not DICOM at all"))
	status, body, err := stow(ctx, base, user, password, []Instance{{Path: junk, Size: 23, SOPInstanceUID: "9.9.9"}})
	if err != nil {
		t.Fatal(err)
	}
	stored, _, _ = ParseStowResponse(body)
	if len(Verify([]Instance{{SOPInstanceUID: "9.9.9"}}, stored)) != 1 {
		t.Errorf("junk labelled DICOM reported stored")
	}
	t.Logf("junk labelled application/dicom: HTTP %d", status)
}
