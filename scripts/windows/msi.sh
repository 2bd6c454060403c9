#!/usr/bin/env bash
# Builds dist/ReferralDesk-<version>-x64.msi from dist/referraldesk.exe (and its worker) with wixl (Debian's msitools)
# and signs it when a certificate is given (sign.sh). Run build.sh (make windows) first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
LOG_PREFIX=msi

exe=$DIST/referraldesk.exe worker=$DIST/referraldesk-worker.exe
for f in "$exe" "$worker"; do [ -f "$f" ] || die "$f is missing: run 'make windows' first"; done
ensure_pkgs wixl imagemagick
command -v convert >/dev/null || die "ImageMagick 'convert' not found"
# The OCR models and licences, from the (cached) Tesseract build the exe was linked with.
tess=$(bash "$ROOT/scripts/windows/tesseract.sh") || die "scripts/windows/tesseract.sh failed"
# TurboJPEG (build.sh put it in dist/) and its licence, from its cached build.
tj=$(bash "$ROOT/scripts/windows/turbojpeg.sh") || die "scripts/windows/turbojpeg.sh failed"
[ -f "$DIST/libturbojpeg.dll" ] || die "$DIST/libturbojpeg.dll is missing: run 'make windows' first"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Windows Installer versions are numeric major.minor.build; drop any -rc/+meta suffix.
msiver=${VERSION%%[-+]*}
[[ "$msiver" =~ ^[0-9]+(\.[0-9]+){0,3}$ ]] || die "FyneApp.toml Version '$VERSION' is not numeric (MSI needs N.N.N)"
# wixl resolves source files relative to the .wxs and rejects absolute paths: lay everything out in $work.
cp "$ROOT/packaging/windows/referraldesk.wxs" "$work/"
cp "$exe" "$work/referraldesk.exe"
cp "$worker" "$work/referraldesk-worker.exe"
cp "$ROOT/LICENSE" "$work/LICENSE.txt"
cp -r "$tess/tessdata" "$work/tessdata"
cp -r "$tess/LICENSES" "$work/licenses"
cp "$DIST/libturbojpeg.dll" "$work/libturbojpeg.dll"
cp "$tj/LICENSES/"* "$work/licenses/"
convert "$ROOT/assets/icon.png" -define icon:auto-resize=256,64,48,32,24,16 "$work/referraldesk.ico"
out=$DIST/ReferralDesk-$VERSION-x64.msi
rm -f "$out"
start=$(date +%s%N)
(cd "$work" && wixl -a x64 -D Version="$msiver" -D ExePath=referraldesk.exe -D WorkerPath=referraldesk-worker.exe -D TurboJPEGPath=libturbojpeg.dll -D IconPath=referraldesk.ico \
  -D LicensePath=LICENSE.txt -D TessdataPath=tessdata -D OCRLicensesPath=licenses -o referraldesk.msi referraldesk.wxs 2>wixl.log) ||
  { cat "$work/wixl.log" >&2; die "wixl failed"; }
mv "$work/referraldesk.msi" "$out"
log "built $(basename "$out") ($(human_size "$out")) in $((($(date +%s%N) - start) / 1000000)) ms"
bash "$ROOT/scripts/windows/sign.sh" "$out"
