#!/usr/bin/env bash
# Cross-builds the Windows GUI program dist/referraldesk.exe on Linux with mingw-w64 and `fyne package`
# (icon, version resource and manifest), stamped with FyneApp.toml's version, and its file-reading
# worker dist/referraldesk-worker.exe, then signs them when a
# certificate is given (see sign.sh). OCR is built in: static Tesseract from tesseract.sh (cached after
# the first build), its models copied to dist/tessdata beside the exe, as the MSI installs them. The
# TurboJPEG DLL from turbojpeg.sh (cached too) goes beside the exe, dist/libturbojpeg.dll.
# Usage: scripts/windows/build.sh   (or: make windows)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_pkgs gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64
ensure_fyne
# Tesseract's C++ needs std::thread: link with the posix-threads gcc it was compiled with (the default
# win32-threads one lacks those symbols in its libstdc++).
CC_W=${MINGW_CC}-posix
command -v "$CC_W" >/dev/null || die "$CC_W not found after installing gcc-mingw-w64-x86-64"
tess=$(bash "$ROOT/scripts/windows/tesseract.sh") || die "the Tesseract cross-build failed (scripts/windows/tesseract.sh)"
tj=$(bash "$ROOT/scripts/windows/turbojpeg.sh") || die "the TurboJPEG cross-build failed (scripts/windows/turbojpeg.sh)"

stage=$CACHE/build/windows-src
stage_src "$stage"
rm -f "$stage/ReferralDesk.exe" "$stage/referraldesk.exe"
mkdir -p "$DIST"

log "building referraldesk.exe $VERSION ($COMMIT) with tags $TAGS (first build on 2 cores: 7 min idle, up to 20 min busy)"
start=$(date +%s)
(
  cd "$stage"
  # fyne --release: -trimpath, -ldflags "-H=windowsgui -s -w", Fyne's "release" tag; + our stamp (fyne_env).
  export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$CC_W
  # app/ocr's #cgo windows LDFLAGS name the libraries; where they are comes from here.
  export CGO_CFLAGS="-O2 -g -I$tess/include" CGO_LDFLAGS="-O2 -g -L$tess/lib"
  fyne_env
  "$FYNE" package -os windows --release --tags "$TAGS" --icon assets/icon.png --src . >build.log 2>&1 ||
    { cat build.log >&2; die "fyne package -os windows failed (log above)"; }
)
exe=$stage/ReferralDesk.exe
[ -f "$exe" ] || exe=$stage/referraldesk.exe
[ -f "$exe" ] || die "fyne package did not produce ReferralDesk.exe in $stage"
cp "$exe" "$DIST/referraldesk.exe"
# The models beside the exe, where app/ocr looks first (as in the MSI's install folder).
rm -rf "$DIST/tessdata"
cp -r "$tess/tessdata" "$DIST/tessdata"
# TurboJPEG beside the exe, where app/packet loads it from (jpegfast_cgo.go), as the MSI installs it.
cp "$tj/libturbojpeg.dll" "$DIST/libturbojpeg.dll"
# No DLL of the C++ runtime may be needed beside the exe (it is linked in statically).
dlls=$(x86_64-w64-mingw32-objdump -p "$DIST/referraldesk.exe" | sed -n 's/^\s*DLL Name: //p' | tr '\n' ' ')
case " ${dlls,,} " in
  *" libstdc++"* | *" libgcc"* | *" libwinpthread"*) die "referraldesk.exe needs a mingw runtime DLL: $dlls" ;;
esac
log "built dist/referraldesk.exe ($(human_size "$DIST/referraldesk.exe")) in $(($(date +%s) - start)) s"

# The file-reading worker beside it (cmd/referraldesk-worker): built after the exe, from the same
# source, tags and settings as fyne's release build, so that the app takes it as its own (app/sandbox
# program.go); a GUI program too, so that Windows opens no console window for it.
(
  cd "$stage"
  export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$CC_W
  export CGO_CFLAGS="-O2 -g -I$tess/include" CGO_LDFLAGS="-O2 -g -L$tess/lib"
  $GO build -trimpath -tags "$TAGS,release" -ldflags "-H=windowsgui -s -w" -o "$DIST/referraldesk-worker.exe" ./cmd/referraldesk-worker >build-worker.log 2>&1 ||
    { cat build-worker.log >&2; die "building referraldesk-worker.exe failed (log above)"; }
)
log "built dist/referraldesk-worker.exe ($(human_size "$DIST/referraldesk-worker.exe"))"

bash "$ROOT/scripts/windows/sign.sh" "$DIST/referraldesk.exe" "$DIST/referraldesk-worker.exe"
