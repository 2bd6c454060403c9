package cli

import (
	"strings"
	"testing"

	"github.com/referraldesk/referraldesk/app/cli/early"
)

// app/cli/early starts packet's workers from the arguments alone, before this package is set up: it
// must name the subcommand that Main runs, --lang and all.
func TestEarlyCommandAsMain(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"packet", "a.pdf"},
		{"--lang", "es", "packet"},
		{"--lang=zh", "packet", "x"},
		{"-lang", "es", "icd10", "q"},
		{"packet", "--lang", "es"},
		{"--lang"},
		{"--", "packet"},
		{"--help"},
		{"-h"},
		{"--version"},
		{"demo-data"},
		{"-lang=es"},
		{"--lang", "es"},
		{"--data", "x", "packet"},
		{"help", "packet"},
	} {
		out, _ := takeLang(args)
		want := ""
		if len(out) > 0 && !strings.HasPrefix(out[0], "-") {
			want = out[0]
		}
		if got := early.Command(args); got != want {
			t.Errorf("early.Command(%q) = %q, Main runs %q", args, got, want)
		}
	}
}
