package msg

import (
	"errors"
	"fmt"
	"testing"
)

var (
	testCode = Define("msgtest.two", "file", "size")
	testSent = NewSentinel("msgtest.sentinel", "msgtest: the thing failed")
)

func TestDefineAndArgs(t *testing.T) {
	m := New(testCode, "a.pdf", Bytes(12))
	if err := m.Valid(); err != nil {
		t.Fatal(err)
	}
	if m.Arg("file") != "a.pdf" || m.Arg("size") != Bytes(12) || m.Arg("nope") != nil {
		t.Errorf("args %v %v", m.Arg("file"), m.Arg("size"))
	}
	if err := New(testCode, "a.pdf").Valid(); err == nil {
		t.Error("a missing argument passed Valid")
	}
	if err := New("msgtest.undefined").Valid(); err == nil {
		t.Error("an undefined code passed Valid")
	}
	if m.String() != "msgtest.two" {
		t.Errorf("String %q: arguments may hold patient data", m.String())
	}
	defer func() {
		if recover() == nil {
			t.Error("a code defined twice did not panic")
		}
	}()
	Define("msgtest.two")
}

func TestErrorsKeepIdentityAndMessage(t *testing.T) {
	cause := errors.New("disk full")
	err := fmt.Errorf("save: %w", Wrap(cause, testCode, "a.pdf", Bytes(1)))
	if !errors.Is(err, cause) {
		t.Error("Wrap lost the cause")
	}
	if m, ok := Of(err); !ok || m.Code != testCode || m.Arg("file") != "a.pdf" {
		t.Errorf("Of = %v %v", m, ok)
	}
	if got := err.Error(); got != "save: msgtest.two: disk full" {
		t.Errorf("Error() = %q: the arguments must stay out of logs", got)
	}
	s := fmt.Errorf("upload: %w", testSent)
	if !errors.Is(s, testSent) || s.Error() != "upload: msgtest: the thing failed" {
		t.Errorf("sentinel: %v", s)
	}
	if m, ok := Of(s); !ok || m.Code != testSent.Code() {
		t.Errorf("sentinel message %v", m)
	}
	if _, ok := Of(errors.New("plain")); ok {
		t.Error("a plain error has a message")
	}
}

func TestBytesScale(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1 KB", 67_108_864: "67.1 MB", 999_950_000: "1 GB", -1500: "-1.5 KB",
	} {
		if got := Bytes(n).String(); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
