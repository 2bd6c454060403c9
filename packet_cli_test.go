package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/go-fitz"
)

const sharedPDFs = "../shared/data/pdfs"

// Passwords from ../shared/data/pdfs/README.md.
var samplePasswords = map[string]string{
	"pypdf--libreoffice-writer-password.pdf": "openpassword",
	"pypdf--r4-aes-user-password.pdf":        "asdfzxcv",
	"qpdf--enc-R3_V2_U_view_O_master.pdf":    "view",
	"qpdf--20-pages.pdf":                     "user",
}

type cliPacketReport struct {
	Inputs []struct {
		File      string   `json:"file"`
		Status    string   `json:"status"`
		Pages     int      `json:"pages"`
		PagesUsed int      `json:"pages_used"`
		Problems  []string `json:"problems"`
	} `json:"inputs"`
	Output  string   `json:"output"`
	Pages   int      `json:"pages"`
	LeftOut []string `json:"left_out"`
}

// TestPacketCLIOverEverySample runs `referraldesk packet` over every real-world sample PDF: each file
// gives pages in the packet or a specific error, and every output page carries the stamp.
func TestPacketCLIOverEverySample(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedPDFs, "*.pdf"))
	if len(files) == 0 {
		t.Skip("shared sample PDFs not present (" + sharedPDFs + "): skipping")
	}
	out := t.TempDir()
	// The passwords in a file, one per line: each is tried on every encrypted sample.
	var pws strings.Builder
	for _, pw := range samplePasswords {
		pws.WriteString(pw + "\n")
	}
	pwFile := filepath.Join(t.TempDir(), "passwords.txt")
	if err := os.WriteFile(pwFile, []byte(pws.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{
		"packet", "--last", "Doe", "--first", "Jane", "--dob", "1970-01-02", "--mrn", "MRN123", "--json", "--out", out,
		"--password-file", pwFile,
	}
	args = append(args, files...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := appCmd(ctx, args...)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		t.Fatalf("packet failed: %v\n%s", err, stdout.String())
	}
	var rep cliPacketReport
	if err := json.Unmarshal([]byte(stdout.String()), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, stdout.String())
	}
	if len(rep.Inputs) != len(files) {
		t.Fatalf("%d inputs reported, want %d", len(rep.Inputs), len(files))
	}
	for _, in := range rep.Inputs {
		if _, locked := samplePasswords[filepath.Base(in.File)]; locked && in.Status == "error" {
			t.Errorf("%s: its password in the --password-file did not open it: %v", in.File, in.Problems)
		}
		switch in.Status {
		case "ok", "repaired":
			if in.Pages == 0 {
				t.Errorf("%s: status %s with no pages", in.File, in.Status)
			}
		case "error":
			if len(in.Problems) == 0 || len(in.Problems[0]) < 20 {
				t.Errorf("%s: error without a specific message: %v", in.File, in.Problems)
			}
		default:
			t.Errorf("%s: unknown status %q", in.File, in.Status)
		}
	}
	if rep.Pages < 2 || rep.Pages > 50 {
		t.Fatalf("packet has %d pages, want 2..50", rep.Pages)
	}
	if len(rep.LeftOut) == 0 {
		t.Fatal("the samples exceed 50 pages, yet nothing is listed as left out")
	}
	if filepath.Base(rep.Output) != "Doe, Jane 1970-01-02.pdf" {
		t.Fatalf("packet named %q", rep.Output)
	}
	st, err := os.Stat(rep.Output)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("packet mode %v, want 0600", st.Mode().Perm())
	}
	doc, err := fitz.New(rep.Output)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if doc.NumPage() != rep.Pages {
		t.Fatalf("file has %d pages, report says %d", doc.NumPage(), rep.Pages)
	}
	for i := 0; i < doc.NumPage(); i++ {
		text, err := doc.Text(i)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{"DOE, Jane", "1970-01-02", fmt.Sprintf("page %d of %d", i+1, rep.Pages)} {
			if !strings.Contains(flat, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
	}
}
