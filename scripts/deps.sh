#!/usr/bin/env bash
# Installs the Debian packages ReferralDesk needs to build (and, with "test", to run its tests),
# only where they are missing. Safe to run again and again.
set -euo pipefail

build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev wayland-protocols
  libtesseract-dev tesseract-ocr-eng tesseract-ocr-osd
  fonts-droid-fallback # Chinese glyphs: Fyne falls back to a system font (Apache-2.0, 4 MB)
  libturbojpeg0)        # pages rebuilt from their image are encoded by it when present (app/packet/jpegfast_cgo.go)
test_pkgs=(xvfb xauth x11-apps x11-utils imagemagick dbus-x11 gnome-keyring libsecret-tools qpdf poppler-utils
  mupdf-tools)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: missing packages (${missing[*]}) and no apt-get here; install them with your package manager" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
