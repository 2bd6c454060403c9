//go:build windows

package main

import (
	"os"
	"strings"

	"golang.org/x/sys/windows"
)

// The Windows build is a GUI-subsystem program (-H windowsgui), so it gets no console of its own and
// cmd.exe/PowerShell do not connect its output. For command-line use we attach to the console of the
// parent process and point stdout/stderr at it, but only where they are not already valid handles:
// output redirected to a file or a pipe (`referraldesk.exe status > out.txt`, `| more`) stays where it is.
func init() {
	if !wantsConsole(os.Args[1:]) {
		return
	}
	outOK, errOK := validStdHandle(windows.STD_OUTPUT_HANDLE), validStdHandle(windows.STD_ERROR_HANDLE)
	if outOK && errOK {
		return
	}
	// ATTACH_PARENT_PROCESS = (DWORD)-1. Fails when started from Explorer (no parent console): then
	// there is nowhere to print and the program carries on as before.
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if r, _, _ := attach.Call(uintptr(^uint32(0))); r == 0 {
		return
	}
	conout, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	h := windows.Handle(conout.Fd())
	if !outOK {
		_ = windows.SetStdHandle(windows.STD_OUTPUT_HANDLE, h)
		os.Stdout = conout
	}
	if !errOK {
		_ = windows.SetStdHandle(windows.STD_ERROR_HANDLE, h)
		os.Stderr = conout
	}
}

// wantsConsole reports whether the command line runs a CLI subcommand rather than the desktop app
// (mirrors app/cli's dispatch). The desktop app stays detached: a GUI attached to a console would
// be closed with that console window.
func wantsConsole(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "--version", "-version", "-h", "--help", "-help":
		return true
	}
	return !strings.HasPrefix(args[0], "-")
}

// validStdHandle reports whether the standard handle is usable (a console, file or pipe inherited
// from the parent) — what a redirected GUI program gets from cmd.exe.
func validStdHandle(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
