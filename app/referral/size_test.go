package referral

import "testing"

func TestFormatBytes(t *testing.T) {
	cases := map[int64]string{
		0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1 KB", 1500: "1.5 KB",
		100_000_000: "100 MB", 150_000_000: "150 MB", 123_456_789: "123.5 MB",
		1_000_000_000: "1 GB", 1_200_000_000: "1.2 GB", 999_999_999: "1 GB", 999_949_999: "999.9 MB",
	}
	for in, want := range cases {
		if got := formatBytes(in); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", in, got, want)
		}
	}
	if s, l := formatOver(100_000_001, 100_000_000); s != "100,000,001 bytes" || l != "100,000,000 bytes" {
		t.Errorf("formatOver near the limit = %q, %q", s, l)
	}
	if s, l := formatOver(150_000_000, 100_000_000); s != "150 MB" || l != "100 MB" {
		t.Errorf("formatOver = %q, %q", s, l)
	}
	if got := groupDigits(-1234567); got != "-1,234,567" {
		t.Errorf("groupDigits = %q", got)
	}
}
